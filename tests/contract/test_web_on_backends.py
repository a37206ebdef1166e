"""The web front end, unchanged, on either backend: ``MANCHETTE_BACKEND`` picks the engine."""

from __future__ import annotations

import json

import pytest

from index.cli import main
from tests.contract.archives import Archive
from web import create_app


@pytest.fixture
def client(archive: Archive, monkeypatch: pytest.MonkeyPatch):
    if archive.store is not None:
        monkeypatch.setenv("MANCHETTE_BACKEND", "opensearch")
        monkeypatch.setenv("MANCHETTE_OPENSEARCH_URL", ",".join(archive.store.config.hosts))
        monkeypatch.setenv("MANCHETTE_OPENSEARCH_INDEX", archive.store.config.alias)
    else:
        monkeypatch.setenv("MANCHETTE_BACKEND", "whoosh")
    app = create_app({"INDEX_DIR": str(archive.index_dir), "TESTING": True})
    return app.test_client()


def test_search_json(client):
    data = client.get("/search.json?q=l%E2%80%99OTAN").get_json()
    assert [h["id"] for h in data["hits"]] == ["fr-otan"]
    assert data["hits"][0]["title_html"] == "L’<mark>OTAN</mark> renforce sa présence à l’Est"


def test_search_page_and_article(client):
    page = client.get("/search?q=port&sort=newest")
    assert page.status_code == 200 and "Un manifestant interpellé" in page.get_data(as_text=True)
    article = client.get("/articles/fr-crimee.json").get_json()
    assert article["title"] == "La Crimée sous tension"
    assert client.get("/articles/nope.json").status_code == 404


def test_csv_export(client):
    rows = client.get("/search.csv?q=port&sort=oldest").get_data(as_text=True).splitlines()
    assert [r.split(",")[0] for r in rows[1:]] == [
        "fr-crimee",
        "fr-otan",
        "en-nato",
        "fr-manifestant",
        "en-undated",
    ]


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert {k: response.get_json()[k] for k in ("status", "articles")} == {
        "status": "ok",
        "articles": 8,
    }


def test_healthz_says_degraded_while_copies_are_missing(archive: Archive, client):
    """Whoosh has no copies to lose; on OpenSearch, a replica no node can hold (one node)
    leaves the index yellow: /healthz still answers 200, saying "degraded"."""
    if archive.store is None:
        assert client.get("/healthz").get_json()["status"] == "ok"
        return
    indices = archive.store.client.indices
    live = archive.store.live_index()
    indices.put_settings(index=live, body={"index.number_of_replicas": 1})
    try:
        response = client.get("/healthz")
        assert response.status_code == 200
        assert response.get_json()["status"] == "degraded"
        assert response.get_json()["detail"]["unassigned_shards"] == 1
    finally:
        indices.put_settings(index=live, body={"index.number_of_replicas": 0})
    assert client.get("/healthz").get_json()["status"] == "ok"


def test_stats_command(archive: Archive, client, runner):
    """``manchette stats`` in the same environment as the web app (``client`` sets it)."""
    result = runner.invoke(main, ["stats", "--json", "--index-dir", str(archive.index_dir)])
    assert result.exit_code == 0, result.output
    stats = json.loads(result.output)
    assert stats["articles"] == 8 and stats["by_lang"] == {"en": 5, "fr": 3}
    assert stats["by_source"]["Reuters"] == 3 and stats["size_bytes"] > 0
    assert stats["last_run"]["added"] == 8


DIGESTS: dict[str, str] = {}  # what each engine's check read back, to compare the two


def test_check_command_reads_every_article_back(archive: Archive, client, runner):
    """``manchette check`` on either engine: sound, every article read back, and the same
    digest of (id, content hash) pairs on both (the engine that runs second compares)."""
    result = runner.invoke(main, ["check", "--json", "--index-dir", str(archive.index_dir)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert (report["ok"], report["articles"], report["problems"]) == (True, 8, [])
    assert DIGESTS.setdefault("digest", report["digest"]) == report["digest"]


def test_search_and_show_commands(archive: Archive, client, runner):
    """``manchette search`` and ``show`` in the same environment as the web app."""
    where = ["--index-dir", str(archive.index_dir)]
    result = runner.invoke(main, ["search", "Crimee", "--json", *where])
    assert result.exit_code == 0, result.output
    assert [h["id"] for h in json.loads(result.output)["hits"]] == ["fr-crimee"]
    result = runner.invoke(main, ["show", "fr-otan", "--json", *where])
    assert json.loads(result.output)["source"] == "Libération"


def test_batch_trends_and_jsonl_routes(client):
    """The tools' routes answer the same on either engine: totals as /search.json's."""
    queries = ["port", "crimée", "zebra", "otan OR nato"]
    rows = client.post("/batch.json", json={"queries": queries}).get_json()["queries"]
    totals = [
        client.get("/search.json", query_string={"q": q}).get_json()["total"] for q in queries
    ]
    assert [r["total"] for r in rows] == totals
    assert rows[0]["first_date"] == "2014-03-01" and rows[2]["top_hits"] == []
    trends = client.get("/trends.json", query_string={"q": ["port", "zebra"]}).get_json()
    assert trends["interval"] == "month"  # port: 2014 to 2016, under three years
    port = trends["series"][0]
    assert port["total"] + port["undated"] == totals[0]
    assert sum(p["count"] for p in port["points"]) == port["total"]
    lines = client.get("/search.jsonl?q=port&sort=oldest").get_data(as_text=True).splitlines()
    assert [json.loads(line)["id"] for line in lines][:2] == ["fr-crimee", "fr-otan"]
    assert len(lines) == totals[0]


def test_batch_trends_and_export_commands(archive: Archive, client, runner, tmp_path):
    """``manchette batch``, ``trends`` and ``export`` in the same environment as the web app."""
    where = ["--index-dir", str(archive.index_dir)]
    names = tmp_path / "names.txt"
    names.write_text("port\n# skipped\nzebra\n", encoding="utf-8")
    result = runner.invoke(main, ["batch", str(names), "--json", *where])
    assert result.exit_code == 0, result.output
    total = client.get("/search.json?q=port").get_json()["total"]
    assert [r["total"] for r in json.loads(result.output)["queries"]] == [total, 0]
    result = runner.invoke(main, ["trends", "port", "--interval", "year", "--json", *where])
    series = json.loads(result.output)["series"][0]
    assert series["total"] + series["undated"] == total
    result = runner.invoke(main, ["export", "port", *where])
    assert len(result.output.splitlines()) == total


def test_search_explain_on_whoosh_and_a_usage_error_on_opensearch(archive: Archive, client, runner):
    where = ["--index-dir", str(archive.index_dir)]
    result = runner.invoke(main, ["search", "Crimee", "--explain", "--json", *where])
    if archive.store is None:
        assert result.exit_code == 0, result.output
        (hit,) = json.loads(result.output)["hits"]
        assert hit["id"] == "fr-crimee" and "bonus.exact" in hit["explain"]
    else:
        assert result.exit_code == 2
        assert "--explain shows Whoosh's ranking rules" in result.stderr
