"""Without a mouse, and on a phone: the skip link, the search box, focus that shows, no sideways
scrolling."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from harness import ARTICLE_ID, arrive
from playwright.sync_api import Page, expect

FOCUSED = """() => {
  const e = document.activeElement, s = getComputedStyle(e);
  return {tag: e.tagName.toLowerCase(), id: e.id, text: (e.innerText || e.value || "").trim(),
          inMain: !!e.closest("main"), outline: s.outlineStyle, width: parseFloat(s.outlineWidth)};
}"""
NO_SIDEWAYS_SCROLL = "document.scrollingElement.scrollWidth <= window.innerWidth"


def focused(page: Page) -> dict:
    return page.evaluate(FOCUSED)


def test_skip_link_is_the_first_stop_shows_and_skips_the_header(server: str, page: Page) -> None:
    page.goto(server + "/search?q=Obama")
    skip = page.locator("a.skip")
    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()  # hidden off-screen until focused
    stop = focused(page)
    assert stop["outline"] != "none" and stop["width"] > 0, stop
    page.keyboard.press("Enter")
    arrive(page, re.compile(r"#main$"))
    page.keyboard.press("Tab")  # the next stop is in the results, past the header's form
    stop = focused(page)
    assert stop["inMain"], stop


def test_tab_reaches_the_search_box_and_enter_searches(server: str, page: Page) -> None:
    page.goto(server + "/")
    box = page.get_by_label("Search the news")
    for _ in range(3):  # skip link, brand, search box
        page.keyboard.press("Tab")
        if focused(page)["id"] == "q":
            break
    expect(box).to_be_focused()
    stop = focused(page)
    assert stop["outline"] != "none" and stop["width"] > 0, stop
    page.keyboard.type("Stoltenberg")
    page.keyboard.press("Enter")
    arrive(page, re.compile(r"/search\?q=Stoltenberg"))
    expect(page.locator("li.hit mark").first).to_have_text("Stoltenberg")


@pytest.mark.parametrize("path", ["/search?q=Obama", f"/articles/{ARTICLE_ID}"])
def test_every_tab_stop_shows_its_focus(server: str, page: Page, path: str) -> None:
    page.goto(server + path)
    seen = []
    for _ in range(25):
        page.keyboard.press("Tab")
        stop = focused(page)
        if stop["tag"] == "body":
            break
        seen.append(stop)
    assert len(seen) >= 8
    hidden = [s for s in seen if s["outline"] == "none" or s["width"] == 0]
    assert not hidden, hidden


@pytest.mark.parametrize("path", ["/", "/search?q=Obama", f"/articles/{ARTICLE_ID}", "/nope"])
def test_landmarks_on_every_page(server: str, page: Page, path: str) -> None:
    page.goto(server + path)
    for role in ("banner", "main", "contentinfo", "search"):
        expect(page.get_by_role(role)).to_have_count(1)
    expect(page.locator("h1, main h2").first).to_be_visible()


@pytest.mark.parametrize(
    "path", ["/", "/search?q=Obama", "/search?q=said&page=2", f"/articles/{ARTICLE_ID}"]
)
def test_mobile_has_no_sideways_scroll(
    server: str, new_page: Callable[..., Page], path: str
) -> None:
    page = new_page("mobile")
    page.goto(server + path)
    widths = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert widths[1] == 375 and widths[0] <= widths[1], widths


def test_mobile_search_is_usable(server: str, new_page: Callable[..., Page]) -> None:
    page = new_page("mobile")
    page.goto(server + "/")
    box = page.get_by_label("Search the news")
    button = page.locator("form.search").get_by_role("button", name="Search")
    for control in (box, button):
        expect(control).to_be_in_viewport()
        area = control.bounding_box()
        assert area and area["x"] >= 0 and area["x"] + area["width"] <= 375, area
        assert area["height"] >= 24, area  # a target a finger can hit
    box.tap()
    expect(box).to_be_focused()
    box.fill("Obama")
    button.tap()
    arrive(page, re.compile(r"/search\?q=Obama"))
    expect(page.locator("li.hit").first).to_be_visible()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    page.locator("li.hit h2 a").first.tap()
    arrive(page, re.compile(r"/articles/"))
    expect(page.locator("h1")).to_be_in_viewport()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)


def test_mobile_results_show_on_the_first_screen(
    server: str, new_page: Callable[..., Page]
) -> None:
    """On a phone, a search shows its first hit without scrolling past the refine panel."""
    page = new_page("mobile")
    page.goto(server + "/search?q=Obama")
    expect(page.locator("#summary")).to_be_in_viewport()
    expect(page.locator("li.hit h2 a").first).to_be_in_viewport()
