"""Write doc/axe-results.json: axe-core's verdict on every page, viewport and UI language.

    .venv/bin/python tests/browser/axe_report.py [--out doc/axe-results.json]

The same pages, server (``manchette serve`` on the sample index plus the hostile articles),
browser (Debian's Chromium) and CSP bypass as tests/browser/test_accessibility.py, but every
impact level is recorded, not only the serious and critical ones the tests fail on. Needs
axe-core (``make axe-core``).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from a11y import IMPACTS, PAGES, axe_source, run_axe, summarize
from harness import LOCALE, VIEWPORTS, build_index, launch_chromium, run_server, with_ui_lang
from playwright.sync_api import Browser, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
UI_LANGS = ("en", "fr")


def check_pages(browser: Browser, base_url: str, source: str) -> list[dict[str, Any]]:
    """One summary per (page, viewport, UI language)."""
    rows = []
    for viewport, options in VIEWPORTS.items():
        for hl in UI_LANGS:
            context = browser.new_context(locale=LOCALE, bypass_csp=True, **options)
            page = context.new_page()
            for name, (path, expected) in PAGES.items():
                url = with_ui_lang(path, hl)
                response = page.goto(base_url + url)
                status = response.status if response else None
                rows.append(
                    {
                        "page": name,
                        "path": url,
                        "viewport": viewport,
                        "ui_lang": hl,
                        "html_lang": page.evaluate("document.documentElement.lang"),
                        "status": status,
                        "expected_status": expected,
                        **summarize(run_axe(page, source)),
                    }
                )
            context.close()
    return rows


def build_report(work: Path) -> dict[str, Any]:
    source = axe_source()
    with run_server(build_index(work), work / "server.log") as url, sync_playwright() as pw:
        browser = launch_chromium(pw)
        try:
            rows = check_pages(browser, url, source)
            page = browser.new_page()
            page.add_script_tag(content=source)
            axe_version = page.evaluate("axe.version")
            chromium = browser.version
        finally:
            browser.close()
    totals = {impact: sum(r["counts"].get(impact, 0) for r in rows) for impact in IMPACTS}
    return {
        "generated_by": "python tests/browser/axe_report.py",
        "axe_core": axe_version,
        "chromium": chromium,
        "rules": "axe.run() defaults (WCAG 2.0/2.1/2.2 A and AA and best practices)",
        "fails_tests": ["critical", "serious"],
        "totals_rules_violated": totals,
        "pages": rows,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "doc" / "axe-results.json")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="manchette-axe-") as work:
        report = build_report(Path(work))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    for row in report["pages"]:
        counts = ", ".join(f"{k} {v}" for k, v in row["counts"].items() if v) or "none"
        print(f"{row['page']:17} {row['viewport']:7} {row['ui_lang']} {row['status']}: {counts}")
    print(f"totals (rules violated): {report['totals_rules_violated']} -> {args.out}")
    blocking = (
        report["totals_rules_violated"]["critical"] + report["totals_rules_violated"]["serious"]
    )
    return 1 if blocking else 0


if __name__ == "__main__":
    sys.exit(main())
