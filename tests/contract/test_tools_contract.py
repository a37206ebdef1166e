"""Batch search, trends and complete exports give the same answers on both engines, on the
tools corpus (``tests/tools_corpus.py``): a story whose copies were dated in three months,
undated copies, two languages."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from tools_corpus import tools_records

from builders import write_jsonl
from search.batch import TOP_HITS, run_batch
from search.daterange import DateSpan
from search.export import JSONL_KEYS, export_lines
from search.request import SearchRequest
from search.trends import run_trends
from tests.contract.archives import Archive
from tests.contract.conftest import BACKENDS, open_archive

QUERIES = ["river authority", "museum", "flood OR pluie", "rain gauge", "nothing", "zzzq"]


@pytest.fixture(scope="module", params=BACKENDS)
def tools(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Archive:
    base = tmp_path_factory.mktemp(f"tools-{request.param}")
    opened = open_archive(request.param, base, request)
    report = opened.index(write_jsonl(base / "tools.jsonl", tools_records()))
    assert report.added == len(tools_records()) and not report.rejected, report
    return opened


def _months(records: list[dict]) -> Counter:
    return Counter(r["date"][:7] for r in records if r.get("date"))


@pytest.mark.parametrize("collapse", [True, False])
@pytest.mark.parametrize("query", QUERIES)
def test_month_counts_add_up_to_the_search_total(tools: Archive, query: str, collapse: bool):
    request = SearchRequest(q=query, collapse=collapse)
    counts = tools.backend.month_counts(request)
    assert counts.dated + counts.undated == tools.backend.search(request).total
    dated_only = tools.backend.search(request, DateSpan("1000", "2999")).total
    assert counts.dated == dated_only


def test_a_story_counts_once_in_the_month_of_its_oldest_dated_copy(tools: Archive):
    copies = [r for r in tools_records() if r["id"].startswith("flood-")]
    oldest = min(r["date"] for r in copies if r.get("date"))[:7]
    collapsed = tools.backend.month_counts(SearchRequest(q="river authority"))
    assert (collapsed.months, collapsed.undated) == ({oldest: 1}, 0)
    every = tools.backend.month_counts(SearchRequest(q="river authority", collapse=False))
    assert every.months == dict(_months(copies))
    assert every.undated == sum(1 for r in copies if not r.get("date"))


def test_everything_counts_every_article_the_filters_allow(tools: Archive):
    records = tools_records()
    every = tools.backend.month_counts(SearchRequest(q="", collapse=False), everything=True)
    assert every.months == dict(sorted(_months(records).items()))
    assert every.undated == sum(1 for r in records if not r.get("date"))
    french = [r for r in records if r.get("lang") == "fr"]
    only_fr = tools.backend.month_counts(SearchRequest(q="", lang="fr"), everything=True)
    assert only_fr.months == dict(_months(french))


def test_batch_rows_match_the_search(tools: Archive):
    result = run_batch(tools.backend, QUERIES)
    assert [row.query for row in result.rows] == QUERIES
    for row in result.rows:
        request = SearchRequest(q=row.query)
        assert row.total == tools.backend.search(request).total
        best = [r.id for r in tools.backend.export_rows(request, limit=TOP_HITS)]
        assert [h.id for h in row.top_hits] == best
    flood = result.rows[0]
    assert (flood.first_date, flood.last_date) == ("2019-01-30", "2019-03-02")
    assert [s.value for s in flood.top_sources] == sorted({"Courier", "Wire", "Gazette"})


def test_trends_are_the_same_on_both_engines(tools: Archive):
    trends = run_trends(tools.backend, ["river authority", "rain gauge"], SearchRequest(q=""))
    assert trends.interval == "month"
    data = trends.to_dict()
    flood, rain = data["series"]
    assert [p["period"] for p in flood["points"] if p["count"]] == ["2019-01"]
    assert [p["count"] for p in rain["points"][-12:]] == [1] * 12
    assert sum(p["count"] for p in rain["points"]) == rain["total"] == 12
    for point in rain["points"][-12:]:
        assert point["share"] == round(1 / trends.published[point["period"]], 6)


@pytest.mark.parametrize("collapse", [True, False])
def test_a_complete_export_has_every_match_once(tools: Archive, collapse: bool, monkeypatch):
    request = SearchRequest(q="flood OR rain OR museum", collapse=collapse)
    monkeypatch.setattr("engines.opensearch.engine.EXPORT_PAGE", 3)
    rows = list(tools.backend.export_rows(request, limit=None))
    assert len(rows) == tools.backend.search(request).total == len({r.id for r in rows})
    lines = list(export_lines(iter(rows), "jsonl"))
    assert tuple(json.loads(lines[0])) == JSONL_KEYS
