"""A person in a real browser: type a query, see highlights, open the article, stay safe."""

from __future__ import annotations

from builders import XSS_ARTICLE


def test_type_a_query_and_follow_a_hit(server, page):
    page.goto(server + "/")
    page.get_by_label("Search the news").fill("Crimee")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?*")
    first = page.locator("li.hit").first
    assert "Crimée" in first.locator("p.snippet mark").all_inner_texts()
    assert "coopération" in first.locator("h2").inner_text()
    first.locator("h2 a").click()
    page.wait_for_url("**/articles/**")
    assert page.locator("h1").inner_text().startswith("«Pas de coopération»")
    assert page.locator("aside.related li").count() == 2
    assert "Stoltenberg" in page.locator("div.body").inner_text()


def test_hostile_markup_shows_as_text_and_never_runs(server, page):
    page.goto(server + "/search?q=zebras")
    hit = page.locator("li.hit").first
    assert "<script>alert(1)</script>" in hit.locator("h2").inner_text()
    page.goto(server + f"/articles/{XSS_ARTICLE['id']}")
    assert "<script>alert(1)</script>" in page.locator("h1").inner_text()
    assert "onerror" in page.locator("article").inner_text()
    assert page.locator("article script, article img, article b").count() == 0
    page.wait_for_timeout(300)
    assert page.dialogs == []


def test_mobile_viewport_has_no_horizontal_scroll(server, browser):
    context = browser.new_context(viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.goto(server + "/search?q=OTAN")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    context.close()
