"""The Flask app through its test client, on a real index of the sample."""

from __future__ import annotations

import json
import re

import pytest

from builders import XSS_ARTICLE
from index.cli import main


def test_home_has_a_search_box(client):
    page = client.get("/")
    assert page.status_code == 200
    assert b'type="search"' in page.data and b'name="q"' in page.data


def test_search_page_shows_highlighted_hits(client):
    page = client.get("/search", query_string={"q": "Stoltenberg"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<mark>Stoltenberg</mark>" in html
    assert 'value="Stoltenberg"' in html
    assert "/articles/" in html


def test_search_json_is_exactly_the_cli_json(client, runner, sample_index):
    api = client.get("/search.json", query_string={"q": "Crimee"}).get_json()
    cli = json.loads(
        runner.invoke(main, ["search", "Crimee", "--index-dir", str(sample_index), "--json"]).stdout
    )
    for data in (api, cli):
        data.pop("took_ms")
    assert api == cli


def test_article_page_and_twin(client):
    hit = client.get("/search.json", query_string={"q": "Stoltenberg"}).get_json()["hits"][0]
    page = client.get(f"/articles/{hit['id']}").get_data(as_text=True)
    assert "Capture d&#39;écran du site www.nato.int" in page
    assert "Read also" in page and "renforce ses moyens" in page
    data = client.get(f"/articles/{hit['id']}.json").get_json()
    assert data["id"] == hit["id"] and data["body"].startswith("Le 20 avril")


def test_pagination_links_keep_the_query(client):
    html = client.get("/search", query_string={"q": "said", "lang": "en"}).get_data(as_text=True)
    assert 'rel="next"' in html and "page=2" in html and "q=said" in html


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"q": "x" * 1001}, 400),
        ({"q": "otan", "page": "0"}, 400),
        ({"q": "otan", "page": "abc"}, 400),
        ({"q": "otan", "sort": "random"}, 400),
        ({"q": "otan", "page": "99999"}, 400),
    ],
)
def test_bad_requests_get_a_helpful_400(client, params, status):
    page = client.get("/search", query_string=params)
    assert page.status_code == status
    assert b"Invalid search" in page.data and b"Traceback" not in page.data
    api = client.get("/search.json", query_string=params)
    assert api.status_code == status and "error" in api.get_json()


def test_unknown_article_is_a_404_page(client):
    page = client.get("/articles/does-not-exist")
    assert page.status_code == 404 and b"does-not-exist" in page.data


@pytest.mark.parametrize("q", ["(((", '"', "AND OR NOT", "*", "title:", "\x00", "é" * 900])
def test_odd_queries_never_500(client, q):
    assert client.get("/search", query_string={"q": q}).status_code == 200


def test_security_headers_everywhere(client):
    for path in ("/", "/search?q=otan", "/articles/nope", "/search.json?q=otan"):
        headers = client.get(path).headers
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"


def test_hostile_article_is_escaped(client):
    html = client.get("/search", query_string={"q": "zebras"}).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    page = client.get(f"/articles/{XSS_ARTICLE['id']}").get_data(as_text=True)
    assert "<script>alert" not in page and "<img src=x" not in page and "<b>Evil" not in page
    assert "javascript:" not in page  # the non-http URL does not become a link


def test_healthz(client):
    data = client.get("/healthz").get_json()
    assert data["status"] == "ok" and data["articles"] == 192


def test_missing_index_is_a_503_not_a_500(tmp_path):
    from web import create_app

    client = create_app({"INDEX_DIR": str(tmp_path / "none")}).test_client()
    assert client.get("/search?q=x").status_code == 503
    health = client.get("/healthz")
    assert health.status_code == 503 and health.get_json()["status"] == "unavailable"
    assert "no index in" in health.get_json()["error"]


def test_healthz_is_a_503_when_no_opensearch_node_answers(tmp_path, monkeypatch):
    import socket

    from web import create_app

    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("MANCHETTE_BACKEND", "opensearch")
    monkeypatch.setenv("MANCHETTE_OPENSEARCH_URL", f"http://127.0.0.1:{port}")
    client = create_app({"INDEX_DIR": str(tmp_path)}).test_client()
    health = client.get("/healthz")
    assert health.status_code == 503 and health.get_json()["status"] == "unavailable"


def test_facets_narrow_and_clear(client):
    html = client.get("/search", query_string={"q": "said OR a"}).get_data(as_text=True)
    assert 'href="/search?q=said+OR+a&amp;lang=en"' in html
    narrowed = client.get("/search.json", query_string={"q": "said OR a", "lang": "en"})
    assert {h["lang"] for h in narrowed.get_json()["hits"]} == {"en"}
    page = client.get("/search", query_string={"q": "said OR a", "lang": "en"})
    assert "All (en ✕)" in page.get_data(as_text=True)


def test_source_filter_from_a_facet(client):
    data = client.get("/search.json", query_string={"q": "a", "source": "Wikinews (fr)"})
    hits = data.get_json()["hits"]
    assert hits and {h["source"] for h in hits} == {"Wikinews (fr)"}


def test_did_you_mean_is_a_link(client):
    html = client.get("/search", query_string={"q": "Stoltenbreg"}).get_data(as_text=True)
    assert "Did you mean" in html and 'href="/search?q=Stoltenberg"' in html
    api = client.get("/search.json", query_string={"q": "Stoltenbreg"}).get_json()
    assert api["suggestion"] == "Stoltenberg"


def test_article_page_shows_more_like_this(client):
    hit = client.get("/search.json", query_string={"q": "Dragon SpaceX"}).get_json()["hits"][0]
    data = client.get(f"/articles/{hit['id']}.json").get_json()
    similar = data["more_like_this"]
    assert similar and hit["id"] not in {a["id"] for a in similar}
    page = client.get(f"/articles/{hit['id']}").get_data(as_text=True)
    assert "More like this" in page and similar[0]["id"] in page


PAGES = ("/", "/search?q=otan", "/search?q=said&from=2007", "/stats", "/articles/nope", "/nowhere")
DATA = ("/search.json?q=otan", "/stats.json", "/openapi.json", "/search.atom?q=otan")


def test_security_headers_on_every_route(client):
    for path in (*PAGES, *DATA, "/search.csv?q=otan", "/search.csv"):
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp, path
        assert "'unsafe-inline'" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"


def test_pages_have_no_inline_script_or_style_and_one_main(client):
    for path in PAGES:
        html = client.get(path, headers={"Accept-Language": "fr"}).get_data(as_text=True)
        assert "<script" not in html and "<style" not in html and " style=" not in html, path
        assert html.count("<main") == 1 and '<html lang="fr">' in html, path
        assert 'class="skip" id="skip-link" href="#main"' in html


def test_unknown_route_is_a_404_page(client):
    page = client.get("/nowhere")
    assert page.status_code == 404 and b"Not found" in page.data and b"Traceback" not in page.data


def test_a_crash_is_a_500_page_without_a_trace(app):
    def boom():
        raise RuntimeError("secret internals")

    app.add_url_rule("/boom", view_func=boom)
    app.add_url_rule("/boom.json", view_func=boom)
    client = app.test_client()
    page = client.get("/boom")
    assert page.status_code == 500 and b"Something went wrong" in page.data
    assert b"secret internals" not in page.data and b"Traceback" not in page.data
    assert client.get("/boom.json").get_json() == {
        "error": "An internal error occurred.",
        "status": 500,
    }


def test_article_links_to_its_http_original(small):
    page = small.get("/articles/k10").get_data(as_text=True)
    assert 'id="original-link" href="https://news.example/k10"' in page
    assert "Fruit Daily" in page and '<time datetime="2016-01-01">' in page


def test_stats_link_in_every_header(client):
    assert 'id="stats-link" href="/stats"' in client.get("/").get_data(as_text=True)


def test_language_menu_offers_the_archives_languages(tmp_path):
    from builders import write_jsonl
    from engines import index_paths
    from web import create_app

    texts = {
        "de": "Der Stadtrat hat am Montag den Haushalt für das kommende Jahr beschlossen.",
        "es": "El ayuntamiento aprobó el lunes el presupuesto para el próximo año.",
        "fr": "Le conseil municipal a adopté lundi le budget de l'année prochaine.",
    }
    records = [
        {"id": f"{lang}{n}", "lang": lang, "title": f"{lang} {n}", "text": f"{text} ({n * 7 + 3})"}
        for lang, text in texts.items()
        for n in range(3 if lang == "es" else 1)
    ]
    index_paths([write_jsonl(tmp_path / "a.jsonl", records)], tmp_path / "ix")
    client = create_app({"INDEX_DIR": str(tmp_path / "ix"), "TESTING": True}).test_client()
    page = client.get("/").get_data(as_text=True)
    menu = page[page.index('<select id="lang"') : page.index("</select>")]
    offered = re.findall(r'<option value="([^"]*)"', menu)
    assert offered == ["", "es", "de", "fr"]  # all, then most articles first
    assert re.search(r'value="de" lang="de"\s*>Deutsch<', menu)  # each named in itself
    chosen = client.get("/search?q=budget&lang=fr").get_data(as_text=True)
    assert re.search(r'value="fr" lang="fr"\s*selected', chosen)
    empty = create_app({"INDEX_DIR": str(tmp_path / "none")}).test_client().get("/")
    assert empty.status_code == 200 and '<select id="lang"' in empty.get_data(as_text=True)
