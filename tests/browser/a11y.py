"""axe-core in the page: inject the npm package's ``axe.min.js``, run it, read its verdict.

The pages send ``Content-Security-Policy: script-src 'self'``, which blocks an injected inline
``<script>``: the browser context that runs axe must be created with ``bypass_csp=True``
(Playwright then ignores the page's CSP in that context only). The other tests keep the CSP on.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Page

AXE_JS = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
IMPACTS = ("critical", "serious", "moderate", "minor")
BLOCKING = ("critical", "serious")

# Pages checked by the tests and by axe_report.py: name -> (path, expected HTTP status).
PAGES: dict[str, tuple[str, int]] = {
    "home": ("/", 200),
    "search": ("/search?q=Obama", 200),
    "search-filtered-page-2": ("/search?q=said&lang=en&sort=newest&page=2", 200),
    "search-no-result": ("/search?q=xyzzyquux", 200),
    "error-400": ("/search?q=otan&page=0", 400),
    "error-404": ("/articles/no-such-article", 404),
    "article": ("/articles/frwikinews-45070", 200),
    "stats": ("/stats", 200),
    "batch": ("/batch", 200),
    "trends": ("/trends?q=Obama&q=said&q=otan", 200),
    "trends-form": ("/trends", 200),
    "alerts": ("/alerts", 200),
}


class AxeMissing(RuntimeError):
    pass


def axe_source() -> str:
    """The text of axe.min.js, or a clear instruction to install it."""
    if not AXE_JS.is_file():
        raise AxeMissing(
            f"axe-core is not installed ({AXE_JS} is missing): run `make axe-core` "
            "(npm ci --prefix tests/browser)"
        )
    return AXE_JS.read_text(encoding="utf-8")


def run_axe(page: Page, source: str) -> dict[str, Any]:
    """axe.run() on the page as it is now: the full result (violations, passes, incomplete)."""
    page.add_script_tag(content=source)
    if page.evaluate("typeof window.axe") != "object":
        raise RuntimeError(
            "axe-core did not load: the context must be created with bypass_csp=True"
        )
    # Only violations carry every node; passes and incomplete keep one each (less to ship).
    return page.evaluate(
        "async () => await window.axe.run(document, {resultTypes: ['violations']})"
    )


def blocking(results: dict[str, Any]) -> list[dict[str, Any]]:
    """The violations whose impact is serious or critical."""
    return [v for v in results["violations"] if v.get("impact") in BLOCKING]


def describe(violations: list[dict[str, Any]], where: str) -> str:
    """A failure message a person can act on: rule, impact, help, each offending element."""
    lines = [f"{len(violations)} serious/critical axe violation(s) on {where}:"]
    for v in violations:
        lines.append(f"- {v['id']} [{v['impact']}] {v['help']} ({v['helpUrl']})")
        for node in v["nodes"]:
            target = " ".join(" > ".join(t) if isinstance(t, list) else t for t in node["target"])
            summary = "; ".join(
                " ".join(line.split()) for line in node.get("failureSummary", "").splitlines()
            ).replace(":;", ":")
            lines.append(f"    {target}: {summary}")
            lines.append(f"      {node['html'][:160]}")
    return "\n".join(lines)


def summarize(results: dict[str, Any]) -> dict[str, Any]:
    """Violations grouped by impact (every level), with the elements each one hits."""
    by_impact: dict[str, list[dict[str, Any]]] = {impact: [] for impact in IMPACTS}
    for v in results["violations"]:
        by_impact.setdefault(v.get("impact") or "unknown", []).append(
            {
                "rule": v["id"],
                "help": v["help"],
                "targets": [
                    " ".join(t) if isinstance(t, list) else t
                    for node in v["nodes"]
                    for t in node["target"]
                ],
            }
        )
    return {
        "violations": by_impact,
        "counts": {impact: len(rules) for impact, rules in by_impact.items()},
        "passed_rules": sorted(r["id"] for r in results["passes"]),
        "incomplete": sorted(r["id"] for r in results["incomplete"]),
    }
