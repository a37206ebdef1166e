"""Batch search: one summary row per query, in order, with the totals a search shows."""

from __future__ import annotations

import pytest

from engines.whoosh.engine import WhooshEngine
from search.batch import MAX_BATCH_QUERIES, TOP_HITS, TooManyQueries, read_queries, run_batch
from search.daterange import DateSpan
from search.request import InvalidRequest, SearchRequest


@pytest.fixture(scope="module")
def engine(tools_index):
    opened = WhooshEngine(tools_index)
    yield opened
    opened.close()


def test_read_queries_skips_blank_lines_and_comments():
    lines = ["# names to check\n", "flood\n", "   \n", "  museum  \n", "#museum\n", "pluie"]
    assert read_queries(lines) == ["flood", "museum", "pluie"]


def test_more_than_five_thousand_queries_is_refused():
    assert len(read_queries(["q"] * MAX_BATCH_QUERIES)) == MAX_BATCH_QUERIES
    with pytest.raises(TooManyQueries):
        read_queries(["q"] * (MAX_BATCH_QUERIES + 1))


QUERIES = ["museum", "flood", "nothing here at all", "pluie", "rain", "gates -rain"]


@pytest.mark.parametrize(
    ("lang", "span"), [(None, None), ("en", None), (None, DateSpan("2019", "2020-06"))]
)
def test_rows_follow_the_input_and_totals_match_the_search(engine, lang, span):
    result = run_batch(engine, QUERIES, lang, span)
    assert [row.query for row in result.rows] == QUERIES
    for row in result.rows:
        searched = engine.search(SearchRequest(q=row.query, lang=lang), span)
        assert row.total == searched.total, row.query
        assert [s.to_dict() for s in row.top_sources] == [
            f.to_dict() for f in searched.facets["source"][: len(row.top_sources)]
        ]
        best = [r.id for r in engine.export_rows(SearchRequest(q=row.query, lang=lang), span)]
        assert [h.id for h in row.top_hits] == best[:TOP_HITS]


def test_first_and_last_dates_are_the_oldest_and_newest_matches(engine):
    flood, museum, nothing = run_batch(engine, ["river authority", "museum", "zzzq"]).rows
    assert (flood.first_date, flood.last_date) == ("2019-01-30", "2019-03-02")
    assert (museum.total, museum.first_date, museum.last_date) == (1, None, None)
    assert (nothing.total, nothing.top_hits, nothing.top_sources) == (0, [], [])
    rain = run_batch(engine, ["rain gauge"]).rows[0]
    assert (rain.first_date, rain.last_date) == ("2020-01-15", "2020-12-15")
    assert len(rain.top_hits) == TOP_HITS


def test_a_refused_query_gets_a_row_with_its_notice(engine):
    rows = run_batch(engine, ["flood", "x" * 2000, "museum"]).rows
    assert [r.total > 0 for r in rows] == [True, False, True]
    assert "too long" in rows[1].notice
    assert rows[1].to_dict()["top_hits"] == []


def test_the_result_has_the_documented_keys(engine):
    data = run_batch(engine, ["flood"]).to_dict()
    assert set(data) == {"queries", "took_ms"}
    row = data["queries"][0]
    assert list(row) == [
        "query", "total", "first_date", "last_date", "top_sources", "top_hits", "notice"
    ]  # fmt: skip
    assert set(row["top_hits"][0]) == {"id", "title", "url", "date"}
    assert set(row["top_sources"][0]) == {"value", "count"}


def test_a_bad_language_fails_the_whole_batch(engine):
    with pytest.raises(InvalidRequest):
        run_batch(engine, ["flood"], lang="not a language")
