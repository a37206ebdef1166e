"""A person in a real browser: search, refine, sort, page through, read, and go on reading."""

from __future__ import annotations

import re

from harness import ARTICLE_ID, arrive
from playwright.sync_api import Locator, Page, expect

SUMMARY = re.compile(r"^\s*([\d,]+)\s+results?\s+for\s+(.+?)\s+\((\d+) ms\)\s*$", re.S)


def total(page: Page) -> int:
    """The result count the page announces ("59 results for said (12 ms)")."""
    summary = page.locator("p.summary")
    expect(summary).to_have_text(SUMMARY)
    match = SUMMARY.match(summary.inner_text())
    assert match, summary.inner_text()
    return int(match.group(1).replace(",", ""))


def hit_ids(page: Page) -> list[str]:
    links = page.locator("li.hit h2 a")
    return [href.rsplit("/", 1)[-1] for href in links.evaluate_all("as => as.map(a => a.href)")]


def hit_dates(page: Page) -> list[str]:
    return page.locator("li.hit time").evaluate_all("ts => ts.map(t => t.getAttribute('datetime'))")


def facet(page: Page, heading: str) -> Locator:
    return page.locator("section.facet").filter(has=page.get_by_role("heading", name=heading))


def test_type_a_query_see_highlights_count_and_time(server: str, page: Page) -> None:
    page.goto(server + "/")
    box = page.get_by_label("Search the news")
    box.fill("Crimee")
    box.press("Enter")
    arrive(page, re.compile(r"/search\?q=Crimee"))
    assert total(page) >= 1
    expect(page.locator("p.summary")).to_contain_text("for Crimee (")
    expect(page.get_by_label("Search the news")).to_have_value("Crimee")
    first = page.locator("li.hit").first
    expect(first.locator("h2")).to_contain_text("coopération")
    # the accent-less query is highlighted as the article writes it
    assert "Crimée" in first.locator("p.snippet mark").all_inner_texts()
    expect(first.locator("p.snippet mark").first).not_to_have_css(
        "background-color", "rgba(0, 0, 0, 0)"
    )
    first.locator("h2 a").click()
    arrive(page, re.compile(r"/articles/"))
    expect(page.locator("h1")).to_have_text(re.compile(r"^«Pas de coopération»"))
    expect(page.locator("aside.related li")).to_have_count(2)
    expect(page.locator("div.body")).to_contain_text("Stoltenberg")


def test_facet_narrows_and_both_ways_back_restore(server: str, page: Page) -> None:
    page.goto(server + "/search?q=Obama")
    everything = total(page)
    languages = facet(page, "Language")
    en = languages.locator('a[href*="lang=en"]')
    en_count = int(en.locator("xpath=following-sibling::span[1]").inner_text().replace(",", ""))
    assert 0 < en_count < everything
    before = hit_ids(page)

    en.click()
    arrive(page, re.compile(r"[?&]lang=en\b"))
    assert total(page) == en_count
    expect(languages.locator("a[aria-current=true]")).to_have_attribute(
        "href", re.compile("lang=en")
    )
    clear = languages.locator("a.clear")
    expect(clear).to_be_visible()
    expect(clear).to_contain_text("en")
    expect(page.locator("li.hit")).to_have_count(en_count)
    assert set(page.locator("li.hit p.snippet").evaluate_all("ps => ps.map(p => p.lang)")) == {"en"}
    expect(page.locator("form.search select#lang")).to_have_value("en")

    clear.click()  # the remove-filter link
    arrive(page, re.compile(r"/search\?q=Obama$"))
    assert total(page) == everything
    expect(languages.locator("a[aria-current]")).to_have_count(0)
    assert hit_ids(page) == before

    languages.locator('a[href*="lang=en"]').click()
    arrive(page, re.compile(r"[?&]lang=en\b"))
    assert total(page) == en_count
    page.go_back()  # the browser's Back button
    expect(page).not_to_have_url(re.compile(r"lang=en"))
    assert total(page) == everything
    expect(languages.locator("a[aria-current]")).to_have_count(0)
    assert hit_ids(page) == before


def test_sort_newest_and_oldest_order_hits_by_date(server: str, page: Page) -> None:
    page.goto(server + "/search?q=said")
    relevance = hit_dates(page)
    sort = page.get_by_label("Sort by")
    apply_sort = page.locator("form:has(select[name=sort]) [type=submit]")

    sort.select_option("newest")
    apply_sort.click()
    arrive(page, re.compile(r"[?&]sort=newest\b"))
    expect(page.get_by_label("Sort by")).to_have_value("newest")
    newest = hit_dates(page)
    assert len(newest) == 10 and newest == sorted(newest, reverse=True)

    page.get_by_label("Sort by").select_option("oldest")
    apply_sort.click()
    arrive(page, re.compile(r"[?&]sort=oldest\b"))
    oldest = hit_dates(page)
    assert len(oldest) == 10 and oldest == sorted(oldest)
    assert oldest[0] < newest[-1] and relevance not in (newest, oldest)
    expect(page.get_by_label("Search the news")).to_have_value("said")


def test_paging_continues_and_ends(server: str, page: Page) -> None:
    page.goto(server + "/search?q=said")
    count = total(page)
    pages = -(-count // 10)
    assert pages >= 3
    nav = page.get_by_role("navigation", name="Result pages")
    expect(nav).to_contain_text(f"Page 1 of {pages}")
    expect(nav.get_by_role("link", name=re.compile("Previous"))).to_have_count(0)
    first = hit_ids(page)
    expect(page.locator("ol.hits")).to_have_attribute("start", "1")

    nav.get_by_role("link", name=re.compile("Next")).click()
    arrive(page, re.compile(r"[?&]page=2\b"))
    expect(nav).to_contain_text(f"Page 2 of {pages}")
    expect(page.locator("ol.hits")).to_have_attribute("start", "11")
    second = hit_ids(page)
    assert len(second) == 10 and not set(first) & set(second)
    expect(page.get_by_label("Search the news")).to_have_value("said")

    nav.get_by_role("link", name=re.compile("Previous")).click()
    expect(nav).to_contain_text(f"Page 1 of {pages}")
    assert hit_ids(page) == first

    page.goto(server + f"/search?q=said&page={pages}")  # a deep link to the last page
    expect(nav).to_contain_text(f"Page {pages} of {pages}")
    expect(nav.get_by_role("link", name=re.compile("Next"))).to_have_count(0)
    expect(page.locator("ol.hits")).to_have_attribute("start", str((pages - 1) * 10 + 1))
    expect(page.locator("li.hit")).to_have_count(count - (pages - 1) * 10)


def test_article_page_shows_title_source_lead_and_body(server: str, page: Page) -> None:
    page.goto(server + "/search?q=Obama")
    hit = page.locator(f'li.hit h2 a[href$="/articles/{ARTICLE_ID}"]')
    title = " ".join(hit.inner_text().split())
    hit.click()
    arrive(page, re.compile(rf"/articles/{ARTICLE_ID}$"))
    expect(page.locator("h1")).to_have_text(title)
    expect(page).to_have_title(re.compile(re.escape(title)))
    source = page.locator("article a.source")
    expect(source).to_have_text("Wikinews (fr)")
    expect(source).to_have_attribute("href", re.compile(r"^https?://fr\.wikinews\.org/"))
    expect(page.locator("article time")).to_have_attribute("datetime", "2012-09-04")
    expect(page.locator("article p.lead")).to_contain_text("4 septembre 2012")
    expect(page.locator("article div.body p")).to_have_count(2)
    expect(page.locator("article")).to_have_attribute("lang", "fr")


def test_more_like_this_leads_to_another_article(server: str, page: Page) -> None:
    page.goto(server + f"/articles/{ARTICLE_ID}")
    similar = page.get_by_role("complementary", name="More like this").get_by_role("link")
    expect(similar.first).to_be_visible()
    assert similar.count() >= 2
    target = similar.nth(1)
    title = " ".join(target.inner_text().split())
    href = target.get_attribute("href") or ""
    assert not href.endswith(f"/articles/{ARTICLE_ID}")
    target.click()
    arrive(page, re.compile(re.escape(href) + "$"))
    expect(page.locator("h1")).to_have_text(title)
    expect(page.locator("article p.lead")).not_to_be_empty()
