"""The interface in French and back, and a search taken away as an Atom feed or a CSV file.

Contract with web/: a nav with links ``?hl=fr`` / ``?hl=en`` (``hreflang``, ``aria-current`` on
the current one), ``<html lang>`` following the UI language, and on results ``#feed-link``
(``/search.atom`` for the same query) and ``#csv-link``.
"""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import parse_qs, urljoin, urlsplit
from xml.etree import ElementTree as ET

from harness import ARTICLE_ID, arrive
from playwright.sync_api import Locator, Page, expect

from web.i18n import TRANSLATIONS_DIR, load_catalog

ATOM = "{http://www.w3.org/2005/Atom}"


def french(english: str) -> str:
    """The French catalogue's translation, which must exist (an untranslated string fails)."""
    text = load_catalog(TRANSLATIONS_DIR / "fr" / "LC_MESSAGES" / "messages.po").gettext(english)
    assert text != english, f"no French for {english!r}"
    return text


def ui_link(page: Page, code: str) -> Locator:
    return page.locator(f'a[hreflang="{code}"][href*="hl={code}"]')


def hit_titles(page: Page) -> list[str]:
    return [" ".join(t.split()) for t in page.locator("li.hit h2").all_inner_texts()]


def test_switch_to_french_persists_and_switches_back(server: str, page: Page) -> None:
    page.goto(server + "/search?q=Obama")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "en")
    english_button = page.locator("form.search button").inner_text()
    expect(ui_link(page, "en")).to_have_attribute("aria-current", re.compile(r"^(true|page)$"))
    expect(page.locator('a[hreflang="fr"][aria-current]')).to_have_count(0)
    titles = hit_titles(page)

    ui_link(page, "fr").click()
    arrive(page, re.compile(r"[?&]hl=fr\b"))
    expect(html).to_have_attribute("lang", "fr")
    expect(page).to_have_url(re.compile(r"[?&]q=Obama\b"))  # the same search, in French
    expect(page.locator("#summary")).to_contain_text("résultats pour")
    expect(page.locator("form.search button")).not_to_have_text(english_button)
    expect(page.get_by_label(french("Search the news"), exact=True)).to_have_value("Obama")
    expect(page.locator("form.search button")).to_have_text(french("Search"))
    expect(ui_link(page, "fr")).to_have_attribute("aria-current", re.compile(r"^(true|page)$"))
    expect(page.locator('a[hreflang="en"][aria-current]')).to_have_count(0)
    assert hit_titles(page) == titles  # the articles stay as written

    page.locator(f'li.hit h2 a[href$="/articles/{ARTICLE_ID}"]').click()  # next page, no hl=
    arrive(page, re.compile(rf"/articles/{ARTICLE_ID}$"))
    expect(html).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", name=french("More like this"))).to_be_visible()

    ui_link(page, "en").click()
    arrive(page, re.compile(r"[?&]hl=en\b"))
    expect(html).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="More like this")).to_be_visible()
    page.goto(server + "/")  # the cookie now says English (the browser asks for English too)
    expect(html).to_have_attribute("lang", "en")


def test_feed_link_is_the_atom_feed_of_the_same_search(server: str, page: Page) -> None:
    page.goto(server + "/search?q=Obama&lang=en")
    titles = hit_titles(page)
    assert titles
    feed = page.locator("#feed-link")
    expect(feed).to_be_visible()
    href = urljoin(page.url, feed.get_attribute("href") or "")
    url = urlsplit(href)
    assert url.path == "/search.atom"
    query = parse_qs(url.query)
    assert query["q"] == ["Obama"] and query["lang"] == ["en"], query

    response = page.request.get(href)
    assert response.ok
    assert response.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(response.body())
    assert root.tag == f"{ATOM}feed"
    entries = [e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry")]
    assert sorted(entries) == sorted(titles)


def test_csv_link_downloads_the_same_hits(server: str, page: Page) -> None:
    page.goto(server + "/search?q=Obama")
    titles = hit_titles(page)
    link = page.locator("#csv-link")
    expect(link).to_be_visible()
    href = urljoin(page.url, link.get_attribute("href") or "")
    assert urlsplit(href).path == "/search.csv"
    assert parse_qs(urlsplit(href).query)["q"] == ["Obama"]
    response = page.request.get(href)
    assert response.ok
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text())))
    assert sorted(r["title"] for r in rows) == sorted(titles)
