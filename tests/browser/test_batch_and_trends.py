"""Batch search and trends in a real browser: paste a list, read the table, follow a query;
go from a search to its trend, add a query, read the chart and its table. axe checks the
batch results (a POSTed page the axe page list cannot reach) in both viewports."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from a11y import blocking, describe, run_axe
from harness import arrive, ran_nothing
from playwright.sync_api import Page, expect

NAMES = "Obama\nsaid\n# a comment line\n\nxyzzyquux\n<img src=x onerror=alert(1)>"


def paste_and_send(page: Page, server: str) -> None:
    page.goto(server + "/batch")
    page.get_by_label("Queries, one per line").fill(NAMES)
    page.get_by_role("button", name="Search every line").click()
    arrive(page, re.compile(r"/batch$"))


def test_paste_a_list_and_follow_a_query(server: str, page: Page) -> None:
    paste_and_send(page, server)
    rows = page.locator("#batch-results tbody tr")
    expect(rows).to_have_count(4)
    expect(page.locator("#batch-summary")).to_contain_text("4 queries searched")
    first = rows.nth(0)
    expect(first.locator("th a")).to_have_text("Obama")
    expect(rows.nth(2).locator("td.num")).to_have_text("0")
    expect(rows.nth(3).locator("th a")).to_have_text("<img src=x onerror=alert(1)>")
    total = int(first.locator("td.num").inner_text().replace(",", ""))
    assert total > 0
    first.locator("th a").click()
    arrive(page, re.compile(r"/search\?q=Obama$"))
    expect(page.locator("p.summary")).to_contain_text(f"{total} result")
    ran_nothing(page)


def test_the_batch_form_can_download_csv(server: str, page: Page) -> None:
    page.goto(server + "/batch")
    page.get_by_label("Queries, one per line").fill("Obama\nsaid")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download as CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.splitlines()[0].startswith("query,total,first_date")
    assert [line.split(",")[0] for line in text.splitlines()[1:]] == ["Obama", "said"]


def test_from_a_search_to_its_trend(server: str, page: Page) -> None:
    page.goto(server + "/search?q=said")
    page.get_by_role("link", name="Trend", exact=True).click()
    arrive(page, re.compile(r"/trends\?q=said$"))
    expect(page.locator("#trend-svg polyline")).to_have_count(1)
    expect(page.locator("#trend-table tbody tr").first).to_be_visible()
    page.get_by_label("Query 2").fill("Obama")
    page.get_by_role("button", name="Show the trend").click()
    arrive(page, re.compile(r"/trends\?q=said&q=Obama"))
    expect(page.locator("#trend-svg polyline")).to_have_count(2)
    expect(page.locator("#trend-legend li")).to_have_text(["said", "Obama"])
    expect(page.locator("#trend-table thead th")).to_have_count(4)
    ran_nothing(page)


@pytest.mark.parametrize("viewport", ["desktop", "mobile"])
def test_batch_results_pass_axe(
    server: str, new_page: Callable[..., Page], axe_js: str, viewport: str
) -> None:
    page = new_page(viewport, bypass_csp=True)
    paste_and_send(page, server)
    expect(page.locator("#batch-results")).to_be_visible()
    violations = blocking(run_axe(page, axe_js))
    assert not violations, describe(violations, f"/batch results ({viewport})")
