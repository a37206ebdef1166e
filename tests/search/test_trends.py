"""Trends: counts per period that add up to the search total, and their shares."""

from __future__ import annotations

import pytest

from index.writer import open_index
from search.daterange import DateSpan
from search.execute import run_search
from search.periods import month_counts
from search.request import InvalidRequest, SearchRequest
from search.trends import by_period, period_labels, run_trends


@pytest.fixture(scope="module")
def searcher(tools_index):
    with open_index(tools_index).searcher() as s:
        yield s


@pytest.mark.parametrize("collapse", [True, False])
@pytest.mark.parametrize("interval", [None, "month", "year"])
def test_counts_add_up_to_the_dated_search_total(searcher, collapse: bool, interval):
    base = SearchRequest(q="", collapse=collapse)
    queries = ["flood", "museum", "river authority", "nothing"]
    trends = run_trends(searcher, queries, base, interval=interval)
    for series in trends.series:
        request = SearchRequest(q=series.query, collapse=collapse)
        assert sum(p.count for p in series.points) == series.total
        assert series.total + series.undated == run_search(searcher, request).total
        dated_only = run_search(searcher, request, DateSpan("1000", "2999")).total
        assert series.total == dated_only


def test_shares_divide_by_everything_published_in_the_period(searcher):
    trends = run_trends(searcher, ["nothing", "rain gauge"], SearchRequest(q=""), interval="year")
    assert trends.interval == "year" and trends.periods == ["2018", "2019", "2020", "2021"]
    nothing, rain = trends.series
    every = by_period(month_counts(searcher, SearchRequest(q=""), everything=True).months, "year")
    for point in nothing.points + rain.points:
        assert point.share == round(point.count / every[point.period], 6)
    assert [p.count for p in nothing.points] == [1, 0, 0, 1]
    assert [p.share for p in rain.points] == [0.0, 0.0, 1.0, 0.0]


def test_the_interval_is_months_over_a_short_span_else_years(searcher):
    short = run_trends(searcher, ["rain gauge"], SearchRequest(q=""))
    assert short.interval == "month" and short.periods == period_labels(
        "2020-01", "2020-12", "month"
    )
    long = run_trends(searcher, ["nothing"], SearchRequest(q=""))  # 2018 to 2021
    assert long.interval == "year"


def test_filters_apply_to_counts_and_to_the_shares(searcher):
    trends = run_trends(searcher, ["pluie"], SearchRequest(q="", lang="fr"), interval="month")
    assert [(p.period, p.count, p.share) for p in trends.series[0].points] == [("2021-05", 1, 1.0)]
    spanned = run_trends(
        searcher, ["rain gauge"], SearchRequest(q=""), DateSpan("2020-03", "2020-04")
    )
    assert [(p.period, p.count) for p in spanned.series[0].points] == [
        ("2020-03", 1), ("2020-04", 1)
    ]  # fmt: skip


def test_every_series_has_every_period(searcher):
    trends = run_trends(
        searcher, ["river authority", "rain gauge"], SearchRequest(q=""), interval="month"
    )
    assert trends.periods == period_labels("2019-01", "2020-12", "month")
    assert all(len(s.points) == 24 for s in trends.series)


def test_at_most_four_queries_and_a_known_interval(searcher):
    with pytest.raises(InvalidRequest):
        run_trends(searcher, ["a", "b", "c", "d", "e"], SearchRequest(q=""))
    with pytest.raises(InvalidRequest):
        run_trends(searcher, ["a"], SearchRequest(q=""), interval="week")


def test_json_keys(searcher):
    data = run_trends(searcher, ["flood"], SearchRequest(q=""), interval="year").to_dict()
    assert set(data) == {"interval", "series"}
    series = data["series"][0]
    assert {"query", "total", "points", "undated"} <= set(series)
    assert list(series["points"][0]) == ["period", "count", "share"]
