"""Hostile markup from articles and from the query shows as text and never runs.

Each test runs twice: with the page's Content-Security-Policy enforced (what a reader gets), and
with it bypassed, which proves the escaping itself holds (the CSP is a second wall, not the
only one). ``ran_nothing`` checks dialogs, calls to alert & co. and CSP violation reports.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import quote

import pytest
from harness import HOSTILE_META, HOSTILE_WORD, arrive, ran_nothing
from playwright.sync_api import Page, expect

from builders import XSS_ARTICLE

HOSTILE_QUERY = (
    '"><img src=x onerror=alert(1)><script>window.__pwned.push("script")</script>'
    "<svg onload=alert(2)>"
)
# Every URL a reader can follow, load or submit to is http(s); the empty favicon (data:,) that
# base.html declares to spare a request is the one exception.
LINKS_ARE_WEB = """() => [...document.querySelectorAll(
    "[href]:not(link[rel~=icon][href='data:,']), [src], [action], [formaction]")]
  .map(e => e.href || e.src || e.action || e.formAction)
  .filter(u => u && !/^https?:/i.test(u))"""


@pytest.fixture(params=["csp-enforced", "csp-bypassed"])
def page(request: pytest.FixtureRequest, new_page: Callable[..., Page]) -> Page:
    return new_page(bypass_csp=request.param == "csp-bypassed")


def no_markup_in(page: Page, scope: str) -> None:
    hostile = f"{scope} :is(script, img, b, i, iframe, [onerror], [onload])"
    expect(page.locator(hostile)).to_have_count(0)
    assert page.evaluate(LINKS_ARE_WEB) == []  # no javascript: (or data:) link, src or action
    expect(page.locator('[href*="javascript:" i], [src*="javascript:" i]')).to_have_count(0)


def test_hostile_titles_and_snippets_in_results(server: str, page: Page) -> None:
    for word, title in [("zebras", XSS_ARTICLE["title"]), (HOSTILE_WORD, "Hostile <script>")]:
        page.goto(server + f"/search?q={word}")
        hit = page.locator("li.hit").first
        expect(hit.locator("h2")).to_contain_text(title)
        expect(hit.locator(".source")).to_contain_text("<")
        no_markup_in(page, "#hits")
        ran_nothing(page)


def test_hostile_article_pages(server: str, page: Page) -> None:
    page.goto(server + f"/articles/{XSS_ARTICLE['id']}")
    article = page.locator("article")
    expect(page.locator("h1")).to_have_text(XSS_ARTICLE["title"])
    expect(article).to_contain_text('<img src=x onerror="alert(2)">')
    expect(article).to_contain_text("<b>bold</b>")
    # its URL is javascript:, so its source is text, not a link
    expect(article.locator(".source")).to_have_text("<b>Evil</b> Source")
    expect(article.locator("a.source")).to_have_count(0)
    no_markup_in(page, "article")
    ran_nothing(page)

    page.goto(server + f"/search?q={HOSTILE_WORD}")
    page.locator("li.hit h2 a").first.click()
    arrive(page, re.compile(r"/articles/"))
    expect(page.locator("h1")).to_have_text("Hostile <script>alert(3)</script> giraffes headline")
    expect(article.locator(".credit")).to_contain_text("<img src=x onerror=alert(4)> Photo Agency")
    expect(article.locator(".body")).to_contain_text('<img src=x onerror="alert(6)">')
    related = page.locator("aside.related li a")
    expect(related).to_have_text(
        ["<script>alert(7)</script> giraffes <img src=x onerror=alert(8)> related story"]
    )
    expect(article.locator(".source")).to_have_text(HOSTILE_META["source"])
    expect(article.locator("a.source")).to_have_count(0)
    no_markup_in(page, "article")
    ran_nothing(page)

    related.click()  # a "read also" link searches for its (hostile) title
    arrive(page, re.compile(r"/search\?q="))
    expect(page.get_by_label("Search the news")).to_have_value(re.compile(r"^\"<script>"))
    ran_nothing(page)


def test_hostile_query_is_echoed_as_text(server: str, page: Page) -> None:
    page.goto(server + "/")
    box = page.get_by_label("Search the news")
    box.fill(HOSTILE_QUERY)
    box.press("Enter")
    arrive(page, re.compile(r"/search\?q="))
    expect(page.get_by_label("Search the news")).to_have_value(HOSTILE_QUERY)
    expect(page.locator("#summary strong")).to_have_text(HOSTILE_QUERY)
    expect(page).to_have_title(re.compile(re.escape(HOSTILE_QUERY)))
    no_markup_in(page, "main")
    ran_nothing(page)


def test_hostile_parameter_on_the_error_page(server: str, page: Page) -> None:
    response = page.goto(server + "/search?q=otan&sort=" + quote(HOSTILE_QUERY))
    assert response is not None and response.status == 400
    expect(page.locator("h1")).to_be_visible()
    no_markup_in(page, "main")
    ran_nothing(page)


def test_the_watch_catches_a_script_that_runs(server: str, new_page: Callable[..., Page]) -> None:
    """The checks above can fail: markup that does run is seen by ``ran_nothing``."""
    page = new_page(bypass_csp=True)
    page.route(
        server + "/watch-self-test",
        lambda route: route.fulfill(
            content_type="text/html", body='<img src=x onerror="alert(1)"><p>hello</p>'
        ),
    )
    page.goto(server + "/watch-self-test")
    expect(page.locator("p")).to_have_text("hello")
    with pytest.raises(AssertionError):
        ran_nothing(page)
    assert page.dialogs == ["1"]  # type: ignore[attr-defined]
    assert page.evaluate("window.__pwned") == ["alert(1)"]
