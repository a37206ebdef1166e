"""Injection, checked over HTTP on the running server: every payload stored in the archive
(titles, bodies, sources, credits, "read also" titles, ids, ``javascript:`` URLs) and every
payload typed in the query comes back inert in HTML, JSON, Atom and CSV.

(That no script runs in a real browser is checked by ``tests/browser``.)
"""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from urllib.parse import quote
from xml.etree import ElementTree

import pytest
from chaoslib import Server
from conftest import FORMULAS


class ActiveContent(HTMLParser):
    """What in a page could run: <script> elements other than our own static files, event
    handler attributes, javascript: URLs, frames, objects, <base>."""

    URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "data")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and not (values.get("src") or "").startswith("/static/"):
            self.found.append(f"<script {attrs}>")
        if tag in ("iframe", "object", "embed", "base", "frame"):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            url = (value or "").strip().lower().replace("\t", "").replace("\n", "")
            if name in self.URL_ATTRIBUTES and url.startswith(("javascript:", "vbscript:")):
                self.found.append(f"<{tag} {name}={value}>")


def assert_inert_html(html: str, where: str) -> None:
    parser = ActiveContent()
    parser.feed(html)
    parser.close()
    assert parser.found == [], (where, parser.found)


def _get(server: Server, path: str) -> tuple[int, dict[str, str], str]:
    status, headers, body = server.get(path)
    return status, headers, body.decode("utf-8", "replace")


PAGES = [
    "/search?q=zebra",
    "/search?q=zebra&page=2&limit=5",
    "/search?q=harbour",
    "/search?q=" + quote("<script>alert('q')</script> zebra"),
    "/search?q=" + quote("\"><img src=x onerror=alert('q')>"),
    "/search?q=" + quote("javascript:alert('q')"),
    "/search?q=zebra&lang=" + quote("<b>x"),
    "/search?q=zebra&source=" + quote("<script>alert('s')</script>"),
    "/articles/inj-1",
    "/articles/" + quote("inj-2\"><script>alert('id')</script>", safe=""),
    "/articles/" + quote("<script>alert('404')</script>", safe=""),
    "/search?q=OTAN",
    "/",
]


@pytest.mark.parametrize("path", PAGES)
def test_html_pages_are_inert(server: Server, path: str):
    status, headers, html = _get(server, path)
    assert status < 500
    assert headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert_inert_html(html, path)


def test_the_payloads_are_shown_as_text(server: Server):
    _, _, html = _get(server, "/articles/inj-1")
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;" in html or (
        "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;" in html
    )
    _, _, seed = _get(server, "/search?q=OTAN")
    assert "alert(" not in seed or "&lt;" in seed
    article_id = next(h["id"] for h in _json(server, "/search.json?q=OTAN+Stoltenberg")["hits"])
    _, _, page = _get(server, "/articles/" + quote(article_id, safe=""))
    assert "&lt;svg onload=alert(" in page  # the credit, escaped
    assert "&lt;script&gt;alert(" in page  # the "read also" title, escaped


def _json(server: Server, path: str) -> dict:
    status, headers, body = _get(server, path)
    assert status == 200 and headers["content-type"].startswith("application/json"), body[:300]
    return json.loads(body)


def test_json_snippets_hold_no_markup_but_mark(server: Server):
    for query in ("zebra", "alert", "script", "onerror"):
        data = _json(server, f"/search.json?q={query}")
        for hit in data["hits"]:
            for name in ("snippet", "title_snippet"):
                html = re.sub(r"</?mark>", "", hit.get(name) or "")
                assert "<" not in html, (query, name, html)
    echo = _json(server, "/search.json?q=" + quote("<script>alert('q')</script>"))
    assert echo["query"] == "<script>alert('q')</script>"  # data, served as JSON


def test_atom_feed_is_inert(server: Server):
    status, headers, body = _get(server, "/search.atom?q=zebra")
    if status == 404:
        pytest.skip("no /search.atom")
    assert status == 200 and "xml" in headers["content-type"]
    feed = ElementTree.fromstring(body.encode("utf-8"))
    atom = "{http://www.w3.org/2005/Atom}"
    links = [link.get("href") or "" for link in feed.iter(f"{atom}link")]
    assert links and all(href.startswith(("http://", "https://")) for href in links), links
    for element in feed.iter():
        assert not element.tag.endswith("script")
        if element.tag in (f"{atom}summary", f"{atom}title", f"{atom}content"):
            assert element.get("type", "text") == "text"  # shown as text, never as HTML
    assert "alert('title')" in body  # the payload is there, as text


def test_csv_cells_cannot_be_formulas(server: Server):
    status, headers, body = _get(server, "/search.csv?q=zebra")
    if status == 404:
        pytest.skip("no /search.csv")
    assert status == 200 and headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(body)))
    cells = [cell for row in rows[1:] for cell in row]
    assert any("zebra formula" in c for c in cells)
    dangerous = [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert dangerous == [], dangerous
    for formula in FORMULAS:
        assert any(formula in c for c in cells), formula  # kept, but made inert
