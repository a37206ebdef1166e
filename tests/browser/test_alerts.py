"""``/alerts`` in a real browser: reached from the site navigation, saved searches listed with
their queries shown as text, links to their search pages and feeds, no addresses, French and
phone-sized too.

Contract with web/: ``#alerts-link`` in the site navigation, ``table#alerts-table`` with one
``tr#alert-<name>`` per saved search, ``a.alert-search`` and ``a.alert-feed`` in each.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from xml.etree import ElementTree as ET

from harness import HOSTILE_WORD, SAVED_SEARCHES, arrive, ran_nothing
from playwright.sync_api import Page, expect
from test_language_and_feeds import french

ATOM = "{http://www.w3.org/2005/Atom}"


def test_saved_searches_are_listed_and_lead_to_their_search_and_feed(
    server: str, page: Page
) -> None:
    page.goto(server + "/")
    page.locator("#alerts-link").click()
    arrive(page, re.compile(r"/alerts$"))
    expect(page.locator("h1")).to_have_text("Saved searches")
    rows = page.locator("#alerts-table tbody tr")
    expect(rows).to_have_count(len(SAVED_SEARCHES))
    hostile = page.locator("#alert-hostile-giraffes")
    expect(hostile.locator("a.alert-search")).to_have_text(
        f"<script>alert(3)</script> {HOSTILE_WORD}"
    )
    expect(hostile).to_contain_text("1 recipient")
    expect(page.locator("#alert-obama")).to_contain_text("2 recipients")
    assert "@example.org" not in page.content()
    ran_nothing(page)

    feed_href = page.locator("#alert-obama a.alert-feed").get_attribute("href")
    feed = page.request.get(server + feed_href)
    assert feed.ok and feed.headers["content-type"].startswith("application/atom+xml")
    entries = ET.fromstring(feed.body()).findall(f"{ATOM}entry")
    assert entries, "the Obama feed has articles"

    page.locator("#alert-obama a.alert-search").click()
    arrive(page, re.compile(r"/search\?q=Obama&sort=newest&lang=en$"))
    expect(page.get_by_label("Search the news", exact=True)).to_have_value("Obama")
    first_entry = entries[0].find(f"{ATOM}title").text
    expect(page.locator("li.hit h2").first).to_have_text(first_entry)  # the feed's newest

    page.go_back()
    arrive(page, re.compile(r"/alerts$"))
    page.locator("#alert-hostile-giraffes a.alert-search").click()
    arrive(page, re.compile(r"/search\?"))
    expect(page.locator("li.hit").first).to_contain_text("giraffes")
    ran_nothing(page)


def test_in_french_on_a_phone(server: str, new_page: Callable[..., Page]) -> None:
    page = new_page("mobile")
    page.goto(server + "/alerts?hl=fr")
    expect(page.locator("h1")).to_have_text(french("Saved searches"))
    expect(page.locator("#alert-obama")).to_contain_text("2 destinataires")
    expect(page.locator("#alert-obama a.alert-feed")).to_be_in_viewport()
    widths = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert widths[1] == 375 and widths[0] <= widths[1], widths
