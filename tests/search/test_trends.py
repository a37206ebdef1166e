"""Trends: counts per period that add up to the search total, and their shares."""

from __future__ import annotations

import pytest

from engines.whoosh.engine import WhooshEngine
from search.daterange import DateSpan
from search.request import InvalidRequest, SearchRequest
from search.trends import by_period, period_labels, run_trends


@pytest.fixture(scope="module")
def engine(tools_index):
    opened = WhooshEngine(tools_index)
    yield opened
    opened.close()


@pytest.mark.parametrize("collapse", [True, False])
@pytest.mark.parametrize("interval", [None, "month", "year"])
def test_counts_add_up_to_the_dated_search_total(engine, collapse: bool, interval):
    base = SearchRequest(q="", collapse=collapse)
    queries = ["flood", "museum", "river authority", "nothing"]
    trends = run_trends(engine, queries, base, interval=interval)
    for series in trends.series:
        request = SearchRequest(q=series.query, collapse=collapse)
        assert sum(p.count for p in series.points) == series.total
        assert series.total + series.undated == engine.search(request).total
        dated_only = engine.search(request, DateSpan("1000", "2999")).total
        assert series.total == dated_only


def test_shares_divide_by_everything_published_in_the_period(engine):
    trends = run_trends(engine, ["nothing", "rain gauge"], SearchRequest(q=""), interval="year")
    assert trends.interval == "year" and trends.periods == ["2018", "2019", "2020", "2021"]
    nothing, rain = trends.series
    every = by_period(engine.month_counts(SearchRequest(q=""), everything=True).months, "year")
    for point in nothing.points + rain.points:
        assert point.share == round(point.count / every[point.period], 6)
    assert [p.count for p in nothing.points] == [1, 0, 0, 1]
    assert [p.share for p in rain.points] == [0.0, 0.0, 1.0, 0.0]


def test_the_interval_is_months_over_a_short_span_else_years(engine):
    short = run_trends(engine, ["rain gauge"], SearchRequest(q=""))
    assert short.interval == "month" and short.periods == period_labels(
        "2020-01", "2020-12", "month"
    )
    long = run_trends(engine, ["nothing"], SearchRequest(q=""))  # 2018 to 2021
    assert long.interval == "year"


def test_filters_apply_to_counts_and_to_the_shares(engine):
    trends = run_trends(engine, ["pluie"], SearchRequest(q="", lang="fr"), interval="month")
    assert [(p.period, p.count, p.share) for p in trends.series[0].points] == [("2021-05", 1, 1.0)]
    spanned = run_trends(
        engine, ["rain gauge"], SearchRequest(q=""), DateSpan("2020-03", "2020-04")
    )
    assert [(p.period, p.count) for p in spanned.series[0].points] == [
        ("2020-03", 1), ("2020-04", 1)
    ]  # fmt: skip


def test_every_series_has_every_period(engine):
    trends = run_trends(
        engine, ["river authority", "rain gauge"], SearchRequest(q=""), interval="month"
    )
    assert trends.periods == period_labels("2019-01", "2020-12", "month")
    assert all(len(s.points) == 24 for s in trends.series)


def test_at_most_four_queries_and_a_known_interval(engine):
    with pytest.raises(InvalidRequest):
        run_trends(engine, ["a", "b", "c", "d", "e"], SearchRequest(q=""))
    with pytest.raises(InvalidRequest):
        run_trends(engine, ["a"], SearchRequest(q=""), interval="week")


def test_json_keys(engine):
    data = run_trends(engine, ["flood"], SearchRequest(q=""), interval="year").to_dict()
    assert set(data) == {"interval", "series"}
    series = data["series"][0]
    assert {"query", "total", "points", "undated"} <= set(series)
    assert list(series["points"][0]) == ["period", "count", "share"]
