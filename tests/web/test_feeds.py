"""Atom feeds of a search (news alerts) and the CSV export, read back by real parsers."""

from __future__ import annotations

import csv
import io
from xml.etree import ElementTree as ET

import feedparser
from web_corpus import HOSTILE_TITLES

from builders import XSS_ARTICLE
from web import create_app
from web.feeds import csv_cell

ATOM = "{http://www.w3.org/2005/Atom}"


def test_atom_feed_is_valid_and_newest_first(client):
    response = client.get("/search.atom", query_string={"q": "said"})
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    feed = feedparser.parse(response.data)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert "said" in feed.feed.title
    links = {link["rel"]: link["href"] for link in feed.feed.links}
    assert links["self"].startswith("http://localhost/search.atom?") and "q=said" in links["self"]
    assert "/search?" in links["alternate"] and "sort=newest" in links["alternate"]
    entries = feed.entries
    assert 1 < len(entries) <= 20
    dates = [e.updated_parsed for e in entries]
    assert dates == sorted(dates, reverse=True)
    api = client.get("/search.json", query_string={"q": "said", "sort": "newest"}).get_json()
    assert entries[0].link == f"http://localhost/articles/{api['hits'][0]['id']}"
    assert entries[0].title == api["hits"][0]["title"]
    for entry in entries:
        assert entry.id and entry.summary and entry.updated


def test_atom_feed_has_the_required_elements(client):
    root = ET.fromstring(client.get("/search.atom", query_string={"q": "otan"}).data)
    assert root.tag == f"{ATOM}feed"
    for tag in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{tag}") is not None, tag
    entries = root.findall(f"{ATOM}entry")
    assert entries
    for entry in entries:
        for tag in ("id", "title", "updated", "link", "summary"):
            assert entry.find(f"{ATOM}{tag}") is not None, tag


def test_atom_feed_carries_the_filters(client):
    feed = feedparser.parse(
        client.get("/search.atom", query_string={"q": "said OR otan", "lang": "fr"}).data
    )
    assert feed.entries and not feed.bozo
    page = client.get("/search", query_string={"q": "said OR otan", "lang": "fr"})
    html = page.get_data(as_text=True)
    assert (
        '<link rel="alternate" type="application/atom+xml" title="Manchette: said OR otan"\n'
        '      href="/search.atom?q=said+OR+otan&amp;lang=fr">' in html
    )
    assert 'id="feed-link" href="/search.atom?q=said+OR+otan&amp;lang=fr"' in html


def test_hostile_article_stays_text_in_the_feed(client):
    data = client.get("/search.atom", query_string={"q": "zebras"}).data
    feed = feedparser.parse(data)
    assert not feed.bozo
    entry = next(e for e in feed.entries if e.link.endswith(XSS_ARTICLE["id"]))
    assert "<script>" in entry.title  # shown as text by the reader
    assert b"<script>" not in data  # escaped in the XML itself
    assert "javascript:" not in data.decode()  # the non-http URL is not linked


def test_feed_of_nothing_is_still_a_valid_feed(client):
    feed = feedparser.parse(client.get("/search.atom", query_string={"q": "qqqxqqq"}).data)
    assert not feed.bozo and feed.entries == [] and feed.feed.updated


def test_feed_and_csv_errors_are_plain_text(client):
    for path in ("/search.atom", "/search.csv"):
        response = client.get(path, query_string={"q": "x" * 1001})
        assert response.status_code == 400 and response.mimetype == "text/plain"
        assert client.get(path).status_code == 400
        assert b"Traceback" not in response.data


def _rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def test_csv_export_streams_every_hit_with_a_header(client):
    response = client.get("/search.csv", query_string={"q": "said"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.is_streamed
    assert "attachment" in response.headers["Content-Disposition"]
    rows = _rows(response)
    assert rows[0] == ["id", "date", "lang", "source", "title", "url", "score"]
    total = client.get("/search.json", query_string={"q": "said"}).get_json()["total"]
    assert len(rows) - 1 == total > 10  # every hit, not one page
    assert len({r[0] for r in rows[1:]}) == total


def test_csv_follows_sort_and_date_range(small):
    rows = _rows(small.get("/search.csv", query_string={"q": "kumquat", "sort": "oldest"}))
    dates = [r[1] for r in rows[1:]]
    assert dates[-1] == ""  # undated last
    assert dates[:-1] == sorted(dates[:-1]) and dates[0] == "2015-01-10"
    ranged = _rows(small.get("/search.csv", query_string={"q": "kumquat", "from": "2016-03"}))
    assert {r[1][:7] for r in ranged[1:]} == {f"2016-{m:02d}" for m in range(3, 13)}


def test_csv_cells_cannot_become_formulas(small):
    rows = _rows(small.get("/search.csv", query_string={"q": "kumquat"}))
    titles = {r[4] for r in rows[1:]}
    for title in HOSTILE_TITLES:
        assert "'" + title in titles
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    assert csv_cell("\tcmd") == "'\tcmd" and csv_cell("\rcmd") == "'\rcmd"
    assert csv_cell("plain") == "plain"


def test_csv_stops_at_the_row_cap(small_index):
    app = create_app({"INDEX_DIR": str(small_index), "TESTING": True, "CSV_MAX_ROWS": 5})
    rows = _rows(app.test_client().get("/search.csv", query_string={"q": "kumquat"}))
    assert len(rows) == 1 + 5


def test_csv_has_no_cap_unless_max_export_rows_sets_one(small_index, monkeypatch):
    every = _rows(
        create_app({"INDEX_DIR": str(small_index), "TESTING": True})
        .test_client()
        .get("/search.csv", query_string={"q": "kumquat"})
    )
    assert create_app({"INDEX_DIR": str(small_index)}).config["MAX_EXPORT_ROWS"] is None
    monkeypatch.setenv("MANCHETTE_MAX_EXPORT_ROWS", "4")
    app = create_app({"INDEX_DIR": str(small_index), "TESTING": True})
    capped = _rows(app.test_client().get("/search.csv", query_string={"q": "kumquat"}))
    assert len(every) > 1 + 4 and capped == every[: 1 + 4]
