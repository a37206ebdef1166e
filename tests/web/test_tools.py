"""The /batch and /trends pages and their twins, and /search.jsonl, through the test client."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from web import create_app


@pytest.fixture
def tools(tools_index):
    return create_app({"INDEX_DIR": str(tools_index), "TESTING": True}).test_client()


def _token(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def _total(client, **params) -> int:
    return client.get("/search.json", query_string=params).get_json()["total"]


# -- batch -------------------------------------------------------------------------------


def test_batch_form_needs_its_csrf_token(tools):
    page = tools.get("/batch")
    assert page.status_code == 200 and 'name="queries"' in page.text
    sent = {"queries": "river authority\n\n# skip\nmuseum"}
    assert tools.post("/batch", data=sent).status_code == 400
    assert tools.post("/batch", data={**sent, "csrf_token": "forged"}).status_code == 400
    other = create_app({"INDEX_DIR": tools.application.config["INDEX_DIR"]}).test_client()
    assert tools.post("/batch", data={**sent, "csrf_token": _token(other.get("/batch").text)})
    answered = tools.post("/batch", data={**sent, "csrf_token": _token(page.text)})
    assert answered.status_code == 200
    rows = re.findall(r'<th scope="row"><a href="([^"]+)">([^<]+)</a>', answered.text)
    assert [q for _href, q in rows] == ["river authority", "museum"]
    assert rows[0][0] == "/search?q=river+authority"


def test_batch_page_escapes_queries_and_keeps_the_filters_in_links(tools):
    token = _token(tools.get("/batch").text)
    sent = {
        "queries": "<script>x</script>\nflood",
        "lang": "en",
        "from": "2019",
        "csrf_token": token,
    }
    page = tools.post("/batch", data=sent).text
    assert "<script>x" not in page and "&lt;script&gt;x&lt;/script&gt;" in page
    assert 'href="/search?q=flood&amp;lang=en&amp;from=2019"' in page


def test_batch_json_totals_equal_search_json(tools):
    queries = ["flood", "museum", "rain gauge", "nothing", "zzzq"]
    for options in ({}, {"lang": "en"}, {"from": "2020-02", "to": "2021"}):
        data = tools.post("/batch.json", json={"queries": queries, **options}).get_json()
        assert [r["query"] for r in data["queries"]] == queries and data["took_ms"] >= 0
        for row in data["queries"]:
            assert row["total"] == _total(tools, q=row["query"], **options), (row, options)


def test_batch_json_bad_input(tools):
    assert tools.post("/batch.json", json={"queries": "flood"}).status_code == 400
    assert tools.post("/batch.json", json={"queries": []}).status_code == 400
    assert tools.post("/batch.json", json={"queries": ["a"], "from": "soon"}).status_code == 400
    assert tools.post("/batch.json", json={"queries": ["a"] * 5001}).status_code == 400
    bad = tools.post("/batch.json", data="flood", content_type="text/plain")
    assert bad.status_code == 415 and "error" in bad.get_json()
    assert tools.get("/batch.json").status_code == 405
    one_bad = tools.post("/batch.json", json={"queries": ["flood", "x" * 1500]}).get_json()
    assert one_bad["queries"][1]["notice"] and one_bad["queries"][1]["total"] == 0


def test_batch_accepts_a_body_over_the_apps_usual_limit(tools):
    lines = [f"# comment line {i:04d}, skipped like a blank one" for i in range(4997)]
    body = json.dumps({"queries": [*lines, "flood", "", "museum"]}).encode()
    assert len(body) > 64 * 1024  # more than the app's limit for other requests
    answered = tools.post("/batch.csv", data=body, content_type="application/json")
    assert answered.status_code == 200 and len(answered.text.splitlines()) == 1 + 2
    assert tools.post("/search.json", data=body).status_code in (405, 413)


def test_batch_csv(tools):
    answered = tools.post("/batch.csv", json={"queries": ["river authority", "=cmd"]})
    rows = list(csv.reader(io.StringIO(answered.text)))
    assert answered.mimetype == "text/csv" and rows[0][0] == "query"
    assert rows[1][:4] == ["river authority", "1", "2019-01-30", "2019-03-02"]
    assert rows[2][0] == "'=cmd"  # never a spreadsheet formula


# -- trends ------------------------------------------------------------------------------


@pytest.mark.parametrize("collapse", ["1", "0"])
def test_trends_json_totals_follow_search_json(tools, collapse: str):
    params = {"q": ["river authority", "museum", "rain gauge"], "collapse": collapse}
    data = tools.get("/trends.json", query_string=params).get_json()
    assert data["interval"] in ("month", "year")
    for series in data["series"]:
        total = _total(tools, q=series["query"], collapse=collapse)
        dated = _total(tools, q=series["query"], collapse=collapse, **{"from": "1000"})
        assert series["total"] == dated == total - series["undated"]
        assert sum(p["count"] for p in series["points"]) == series["total"]


def test_trends_page_has_a_chart_a_legend_and_a_table(tools):
    page = tools.get("/trends", query_string={"q": ["rain gauge", "river authority"]}).text
    assert page.count('<polyline class="line series-') == 2
    assert re.search(r'<ul class="legend".*rain gauge.*river authority', page, re.S)
    assert 'id="trend-table"' in page and '<th scope="row">2020-12</th>' in page
    assert 'role="img"' in page and '<title id="trend-title">' in page


def test_trends_page_without_a_query_shows_the_form(tools):
    page = tools.get("/trends")
    assert page.status_code == 200 and 'id="trends-form"' in page.text
    assert 'id="trend-chart"' not in page.text


def test_trends_errors(tools):
    five = {"q": ["a", "b", "c", "d", "e"]}
    assert tools.get("/trends.json", query_string=five).status_code == 400
    assert tools.get("/trends.json", query_string={"q": "a", "interval": "week"}).status_code == 400
    assert tools.get("/trends.json").status_code == 400
    assert tools.get("/trends.csv").status_code == 400


def test_trends_csv(tools):
    answered = tools.get("/trends.csv", query_string={"q": "rain gauge", "interval": "year"})
    assert answered.text.splitlines() == ["query,period,count,share", "rain gauge,2020,12,1.000000"]


def test_every_search_page_links_to_its_trend(tools):
    page = tools.get("/search", query_string={"q": "flood", "lang": "en", "from": "2019"}).text
    assert 'id="trend-link" href="/trends?q=flood&amp;lang=en&amp;from=2019"' in page
    nothing = tools.get("/search", query_string={"q": "zzzq"}).text
    assert 'id="trend-link"' in nothing


def test_pages_are_translated(tools):
    assert "Recherche par lot" in tools.get("/batch?hl=fr").text
    assert "Tendances" in tools.get("/trends?hl=fr&q=flood").text


# -- complete exports --------------------------------------------------------------------


def test_search_jsonl_streams_every_match(client):
    params = {"q": "the OR la"}
    total = _total(client, **params)
    answered = client.get("/search.jsonl", query_string=params)
    assert answered.mimetype == "application/x-ndjson" and answered.is_streamed
    rows = [json.loads(line) for line in answered.text.splitlines()]
    assert len(rows) == total and len({r["id"] for r in rows}) == total
    assert list(rows[0]) == ["id", "title", "url", "source", "lang", "date", "score"]
    first_page = client.get("/search.json", query_string={**params, "limit": 20}).get_json()
    assert [r["id"] for r in rows[:20]] == [h["id"] for h in first_page["hits"]]


def test_search_jsonl_follows_max_export_rows(sample_index):
    app = create_app({"INDEX_DIR": str(sample_index), "TESTING": True, "MAX_EXPORT_ROWS": 3})
    assert len(app.test_client().get("/search.jsonl?q=the").text.splitlines()) == 3
    assert app.test_client().get("/search.jsonl").status_code == 400
