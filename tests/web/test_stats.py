"""/stats and /stats.json: what the index holds and what the last indexing run did."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import lxml.html
from markupsafe import escape

from engines import index_paths
from index.layout import live_dir


def test_stats_json_counts_languages_sources_and_size(client, sample_index):
    data = client.get("/stats.json").get_json()
    assert data["articles"] == client.get("/healthz").get_json()["articles"] == 192
    assert data["by_lang"] == {"fr": 101, "en": 91}
    assert sum(data["by_source"].values()) == 192
    on_disk = sum(p.stat().st_size for p in live_dir(sample_index).iterdir() if p.is_file())
    assert data["size_bytes"] == on_disk > 0


def test_stats_json_is_exactly_the_cli_json(client, runner, sample_index):
    from index.cli import main

    cli = runner.invoke(main, ["stats", "--index-dir", str(sample_index), "--json"])
    assert client.get("/stats.json").get_json() == json.loads(cli.stdout)


def test_stats_page_shows_counts_and_the_last_run(client, sample_index):
    page = client.get("/stats")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<dd id="stats-articles">192</dd>' in html
    assert "French</a> (fr)</th><td>101</td>" in html
    assert "Wikinews (fr)" in html
    run = json.loads((sample_index / "last_run.json").read_text())
    assert f'<time datetime="{run["finished_at"]}">' in html
    assert f'<dd id="last-run-added">{run["added"]}</dd>' in html
    assert '<dd id="last-run-rejected">0</dd>' in html


def test_stats_page_lists_rejected_inputs(tmp_path: Path):
    from web import create_app

    src = tmp_path / "news.jsonl"
    src.write_text(
        '{"id": "ok", "lang": "en", "title": "Fine", "text": "A fine story."}\n'
        '{"id": "bad", "title": <b>not json\n',
        encoding="utf-8",
    )
    report = index_paths([src], tmp_path / "ix")
    assert len(report.rejected) == 1
    client = create_app({"INDEX_DIR": str(tmp_path / "ix"), "TESTING": True}).test_client()
    html = client.get("/stats").get_data(as_text=True)
    assert '<dd id="last-run-rejected">1</dd>' in html
    assert "news.jsonl" in html and "<b>not json" not in html
    rejected = client.get("/stats.json").get_json()["last_run"]["rejected"]
    assert rejected[0]["path"].endswith("news.jsonl#L2")
    assert str(escape(rejected[0]["reason"])) in html


def test_stats_without_an_index_is_a_503(tmp_path: Path):
    from web import create_app

    client = create_app({"INDEX_DIR": str(tmp_path / "none")}).test_client()
    assert client.get("/stats").status_code == 503
    assert client.get("/stats.json").get_json()["status"] == 503


def test_every_link_on_the_stats_page_leads_to_results(client):
    """Issue 16.2: the language links were ``/search?q=*&lang=fr``, and ``*`` found nothing."""
    by_lang = client.get("/stats.json").get_json()["by_lang"]
    page = lxml.html.document_fromstring(client.get("/stats").get_data(as_text=True))
    links = [a.get("href") for a in page.xpath("//main//a[@href]")]
    searches = [href for href in links if href.startswith("/search?")]
    assert len(searches) == len(by_lang)
    for href in links:
        response = client.get(href)
        assert response.status_code == 200, href
        if href.startswith("/search?"):
            lang = parse_qs(urlsplit(href).query)["lang"][0]
            found = client.get(href.replace("/search?", "/search.json?")).get_json()
            assert found["total"] == by_lang[lang] > 0, href
            assert "0 results" not in response.get_data(as_text=True)


def test_a_star_alone_means_every_article_everywhere(client):
    total = client.get("/stats.json").get_json()["articles"]
    assert client.get("/search.json?q=*").get_json()["total"] == total
    assert client.get("/search.json?q=*&lang=en").get_json()["total"] == 91
    assert client.get("/search.json?q=* -otan").get_json()["total"] == total - 3
    feed = client.get("/search.atom?q=*&lang=fr")
    assert feed.status_code == 200 and feed.data.count(b"<entry>") > 0
    rows = client.get("/search.csv?q=*&lang=fr").get_data(as_text=True).splitlines()
    assert len(rows) == 1 + 101
