"""Write the README's screenshots: the search, article, trends and batch pages, desktop and
mobile.

    .venv/bin/python tests/browser/screenshots.py [--out doc/screenshots]

Starts ``manchette serve`` on the sample index (as the browser tests do) and drives Debian's
headless Chromium; writes search-, article-, trends- and batch-{desktop,mobile}.png.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from harness import (
    ARTICLE_ID,
    LOCALE,
    VIEWPORTS,
    build_index,
    launch_chromium,
    run_server,
)
from playwright.sync_api import Browser, expect, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
QUERY = "Obama"
TREND = "/trends?q=Obama&q=Sarkozy&q=Iran&interval=year"
NAMES = "Obama\nSarkozy\nMerkel\nStoltenberg\nPoutine\nHollande"
SCALE = {"desktop": 1, "mobile": 2}  # a phone's pixel density


def take(browser: Browser, base_url: str, out: Path) -> list[Path]:
    written = []
    for viewport, options in VIEWPORTS.items():
        context = browser.new_context(locale=LOCALE, device_scale_factor=SCALE[viewport], **options)
        page = context.new_page()
        page.goto(base_url + "/")
        page.get_by_label("Search the news").fill(QUERY)
        page.get_by_label("Search the news").press("Enter")
        expect(page.locator("li.hit mark").first).to_be_visible()
        written.append(out / f"search-{viewport}.png")
        page.screenshot(path=written[-1])
        page.locator(f'li.hit h2 a[href$="/articles/{ARTICLE_ID}"]').click()
        expect(page.locator("h1")).to_be_visible()
        page.mouse.move(0, 0)
        written.append(out / f"article-{viewport}.png")
        page.screenshot(path=written[-1])
        page.goto(base_url + TREND)
        expect(page.locator("#trend-svg polyline").first).to_be_visible()
        written.append(out / f"trends-{viewport}.png")
        page.screenshot(path=written[-1], full_page=True)
        page.goto(base_url + "/batch")
        page.get_by_label("Queries, one per line").fill(NAMES)
        page.get_by_role("button", name="Search every line").click()
        expect(page.locator("#batch-results")).to_be_visible()
        written.append(out / f"batch-{viewport}.png")
        page.screenshot(path=written[-1], full_page=True)
        context.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "doc" / "screenshots")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="manchette-shots-") as work:
        index_dir = build_index(Path(work))
        with run_server(index_dir, Path(work) / "server.log") as url, sync_playwright() as pw:
            browser = launch_chromium(pw)
            try:
                for path in take(browser, url, args.out):
                    print(path)
            finally:
                browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
