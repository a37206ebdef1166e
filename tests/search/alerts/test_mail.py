"""The alert e-mail: two parts with every article's title, source, date, snippet and links;
article text escaped in HTML, only http(s) URLs linked."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email import message_from_bytes, policy

from hypothesis import given, settings
from hypothesis import strategies as st

from search.alerts.mail import AlertItem, Links, build_message, web_url
from search.alerts.saved import SavedSearch
from search.results import StoredArticle
from search.snippets import Snippet

SAVED = SavedSearch("giraffes", "giraffe", ("a@example.org", "b@example.org"), "en")
LINKS = Links("https://manchette.example.org")
NOW = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)
CALM = AlertItem(
    "g/1",
    "Giraffes counted",
    "https://news.example.org/g-1",
    "Example Wire",
    "en",
    "2021-03-01",
    Snippet("Rangers counted giraffes this week.", [(16, 24)]),
)
HOSTILE = AlertItem(
    "x-1",
    "Hostile <script>alert(1)</script> giraffes",
    "javascript:alert(document.cookie)",
    "<i>Evil</i> Wire",
    "en",
    None,
    Snippet('giraffes <img src=x onerror="alert(2)"> & more', [(0, 8)]),
)


def parts(items, pending=0):
    message = build_message(SAVED, items, pending, "alerts@example.org", LINKS, NOW)
    parsed = message_from_bytes(message.as_bytes(), policy=policy.default)
    plain = parsed.get_body(("plain",)).get_content()
    html = parsed.get_body(("html",)).get_content()
    return parsed, plain, html


def test_headers_and_both_parts():
    parsed, plain, html = parts([CALM])
    assert parsed["Subject"] == "[Manchette] giraffes: 1 new article"
    assert parsed["From"] == "alerts@example.org"
    assert parsed["To"] == "a@example.org, b@example.org"
    assert parsed["Auto-Submitted"] == "auto-generated"
    assert parsed["Message-ID"].endswith("@example.org>")
    assert parsed.get_content_type() == "multipart/alternative"
    for text in (plain, html):
        assert "Giraffes counted" in text and "Example Wire" in text and "2021-03-01" in text
        assert "https://manchette.example.org/articles/g/1" in text
        assert "https://news.example.org/g-1" in text
        assert "https://manchette.example.org/search?q=giraffe&sort=newest&lang=en" in text.replace(
            "&amp;", "&"
        )
        assert "https://manchette.example.org/alerts/giraffes.atom" in text
    assert "Rangers counted giraffes this week." in plain
    assert "Rangers counted <mark>giraffes</mark> this week." in html


def test_article_text_is_escaped_in_html_and_only_web_urls_are_links():
    _, plain, html = parts([HOSTILE, CALM])
    assert "<script" not in html and "<img" not in html and "<i>" not in html
    assert "Hostile &lt;script&gt;alert(1)&lt;/script&gt; giraffes" in html
    assert "&lt;i&gt;Evil&lt;/i&gt; Wire" in html
    assert "<mark>giraffes</mark> &lt;img src=x onerror=&quot;alert(2)&quot;&gt; &amp; more" in html
    assert "javascript:" not in html and "javascript:" not in plain
    assert re.findall(r'href="([^"]+)"', html) == [
        "https://manchette.example.org/articles/x-1",
        "https://manchette.example.org/articles/g/1",
        "https://news.example.org/g-1",
        "https://manchette.example.org/search?q=giraffe&amp;sort=newest&amp;lang=en",
        "https://manchette.example.org/alerts/giraffes.atom",
    ]
    assert "Hostile <script>alert(1)</script> giraffes" in plain  # plain text is shown as text


def test_items_keep_their_order_and_pending_ones_are_announced():
    parsed, plain, html = parts([HOSTILE, CALM], pending=3)
    assert parsed["Subject"] == "[Manchette] giraffes: 2 new articles"
    assert plain.index("1. Hostile") < plain.index("2. Giraffes counted")
    assert "3 more will follow in the next e-mail." in plain
    assert "3 more will follow in the next e-mail." in html


def test_an_article_without_highlights_shows_its_lead_shortened():
    article = StoredArticle(
        id="g-9",
        title="T",
        lead="",
        body="word " * 200,
        related=[],
        credit="",
        source="S",
        url=None,
        lang="en",
        date=None,
        path="",
    )
    item = AlertItem.from_article(article)
    assert item.snippet.spans == [] and item.snippet.text.endswith(" …")
    assert len(item.snippet.text) <= 242 and item.snippet.text.startswith("word word")


def test_web_url():
    assert web_url(" https://x.example/a ") == "https://x.example/a"
    assert web_url("HTTP://x.example") == "HTTP://x.example"
    for bad in (None, "", "javascript:alert(1)", "data:text/html,x", "//x.example", "http://[x"):
        assert web_url(bad) is None


OUR_TAGS = re.compile(
    r"<!doctype html>|</?(html|head|body|meta|title|h1|h2|p|ol|li|a|mark|strong)\b[^<>]*>"
)


@settings(max_examples=60, deadline=None)
@given(title=st.text(max_size=40), source=st.text(max_size=20), text=st.text(max_size=80))
def test_no_raw_markup_from_an_article_reaches_the_html_part(title, source, text):
    spans = [(0, min(3, len(text)))] if text else []
    item = AlertItem(
        "id-1", title, "https://x.example/<b>", source, "en", None, Snippet(text, spans)
    )
    message = build_message(SAVED, [item], 0, "alerts@example.org", LINKS, NOW)
    html = message.get_body(("html",)).get_content()
    assert "<" not in OUR_TAGS.sub("", html)
