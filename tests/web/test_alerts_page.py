"""``/alerts``: the saved searches, read-only, without their recipients' addresses; its JSON
twin; and each saved search as an Atom feed equal to ``/search.atom`` for its query."""

from __future__ import annotations

import re
from pathlib import Path

import feedparser
import pytest

from index.layout import live_dir
from search.alerts.saved import SavedSearch, save_searches
from web import create_app

FRENCH = {"Accept-Language": "fr-FR,fr;q=0.9"}
ENGLISH = {"Accept-Language": "en-GB,en;q=0.9"}
SEARCHES = {
    "obama-en": SavedSearch("obama-en", "Obama", ("desk@example.org", "chief@example.org"), "en"),
    "hostile": SavedSearch(
        "hostile", '<script>alert("q")</script> zebras', ("secret-person@example.org",)
    ),
}


def own_index_dir(sample_index: Path, base: Path) -> Path:
    """An index directory of its own (for its alerts folder) serving the sample's build."""
    (base / "ix").mkdir()
    (base / "ix" / "current").symlink_to(live_dir(sample_index))
    return base / "ix"


@pytest.fixture
def alerts_client(sample_index: Path, tmp_path: Path):
    index_dir = own_index_dir(sample_index, tmp_path)
    save_searches(index_dir, SEARCHES)
    return create_app({"INDEX_DIR": str(index_dir), "TESTING": True}).test_client()


def test_the_page_lists_each_saved_search_without_addresses(alerts_client):
    page = alerts_client.get("/alerts", headers=ENGLISH).get_data(as_text=True)
    assert "@example.org" not in page
    rows = re.findall(r'<tr id="alert-([\w-]+)">(.*?)</tr>', page, re.S)
    assert [name for name, _ in rows] == ["hostile", "obama-en"]
    hostile, obama = (row for _, row in rows)
    assert "&lt;script&gt;alert(&#34;q&#34;)&lt;/script&gt; zebras" in hostile
    assert "<script>" not in page
    assert "All languages" in hostile and "1 recipient<" in hostile
    assert "English" in obama and "2 recipients" in obama
    assert 'href="/search?q=Obama&amp;sort=newest&amp;lang=en"' in obama
    assert 'href="/alerts/obama-en.atom"' in obama
    assert 'id="alerts-link"' in page  # the site navigation leads here


def test_the_json_twin(alerts_client):
    data = alerts_client.get("/alerts.json").get_json()
    assert "@example.org" not in repr(data)
    assert [a["name"] for a in data["alerts"]] == ["hostile", "obama-en"]
    obama = data["alerts"][1]
    assert obama == {
        "name": "obama-en",
        "query": "Obama",
        "lang": "en",
        "recipients": 2,
        "created": "",
        "search_url": "/search?q=Obama&sort=newest&lang=en",
        "feed_url": "/alerts/obama-en.atom",
    }


def test_a_saved_search_feed_is_its_search_feed(alerts_client):
    response = alerts_client.get("/alerts/obama-en.atom", headers=ENGLISH)
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    feed = feedparser.parse(response.data)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.title == "Manchette alert: obama-en"
    links = {link["rel"]: link["href"] for link in feed.feed.links}
    assert links["self"] == "http://localhost/alerts/obama-en.atom"
    same = feedparser.parse(
        alerts_client.get("/search.atom", query_string={"q": "Obama", "lang": "en"}).data
    )
    assert len(feed.entries) > 1
    assert [e.id for e in feed.entries] == [e.id for e in same.entries]


@pytest.mark.parametrize(
    "path", ["/alerts/nope.atom", "/alerts/..%2Fsearches.atom", "/alerts/a.b.atom", "/alerts/.atom"]
)
def test_only_saved_names_have_feeds(alerts_client, path: str):
    response = alerts_client.get(path)
    assert response.status_code == 404 and response.mimetype == "text/plain"


def test_in_french_and_when_nothing_is_saved(alerts_client, client):
    french = alerts_client.get("/alerts", headers=FRENCH).get_data(as_text=True)
    assert "<h1>Recherches enregistrées</h1>" in french and "2 destinataires" in french
    missing = alerts_client.get("/alerts/nope.atom", headers=FRENCH).get_data(as_text=True)
    assert "Aucune recherche enregistrée ne s’appelle 'nope'." in missing
    empty = client.get("/alerts").get_data(as_text=True)  # the sample index: none saved
    assert 'id="alerts-none"' in empty and "alerts-table" not in empty
    assert client.get("/alerts.json").get_json() == {"alerts": []}


def test_the_list_follows_the_file_without_a_restart(sample_index: Path, tmp_path: Path):
    index_dir = own_index_dir(sample_index, tmp_path)
    client = create_app({"INDEX_DIR": str(index_dir), "TESTING": True}).test_client()
    assert client.get("/alerts.json").get_json() == {"alerts": []}
    save_searches(index_dir, {"obama-en": SEARCHES["obama-en"]})
    assert [a["name"] for a in client.get("/alerts.json").get_json()["alerts"]] == ["obama-en"]
    assert client.get("/alerts/obama-en.atom").status_code == 200


@pytest.mark.parametrize("route", ["/alerts", "/alerts.json", "/alerts/obama-en.atom"])
def test_a_damaged_saved_searches_file_gets_a_clear_503_not_a_crash(
    sample_index: Path, tmp_path: Path, route: str
):
    index_dir = own_index_dir(sample_index, tmp_path)
    save_searches(index_dir, SEARCHES)
    searches = index_dir / "alerts" / "searches.json"
    searches.write_text(searches.read_text(encoding="utf-8")[:40], encoding="utf-8")  # cut short
    client = create_app({"INDEX_DIR": str(index_dir), "TESTING": True}).test_client()
    response = client.get(route, headers=ENGLISH)
    assert response.status_code == 503
    text = response.get_data(as_text=True)
    assert "saved searches file cannot be read" in text
    assert "manchette alerts list" in text
    assert "JSONDecodeError" not in text and "Traceback" not in text
    assert secret_free(text)


def secret_free(text: str) -> bool:
    return "@example.org" not in text
