"""Trends: how often up to four queries were published per month or year, as counts and as
shares of everything published then (Media Cloud's "normalised attention").

A point's ``share`` is its count divided by the articles (stories, when collapsed) the same
filters allow in that period, query left out. Counts come from ``search.periods``, so over the
periods they add up to the series' ``total``: ``/search.json``'s total for dated matches, the
rest reported as ``undated``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from search.daterange import DateSpan
from search.periods import MonthCounts
from search.request import InvalidRequest, SearchRequest
from search.results import month_labels

if TYPE_CHECKING:  # engines/ imports search/, never the other way at import time
    from engines.base import Engine

MAX_TREND_QUERIES = 4
INTERVALS = ("month", "year")
MONTHLY_UP_TO_YEARS = 3  # automatic interval: months when the matches span fewer years
TRENDS_CSV_COLUMNS = ("query", "period", "count", "share")


@dataclass(frozen=True)
class TrendPoint:
    period: str  # "2014" or "2014-05"
    count: int
    share: float  # count / everything published in the period (0 when nothing was)

    def to_dict(self) -> dict:
        return {"period": self.period, "count": self.count, "share": self.share}


@dataclass
class TrendSeries:
    query: str
    total: int
    undated: int
    points: list[TrendPoint] = field(default_factory=list)
    notice: str | None = None

    def to_dict(self) -> dict:
        return {
            "query": self.query,
            "total": self.total,
            "undated": self.undated,
            "points": [p.to_dict() for p in self.points],
            "notice": self.notice,
        }


@dataclass
class Trends:
    interval: str
    series: list[TrendSeries]
    published: dict[str, int]  # everything published per period (the shares' denominators)

    @property
    def periods(self) -> list[str]:
        return [p.period for p in self.series[0].points] if self.series else []

    def to_dict(self) -> dict:
        return {"interval": self.interval, "series": [s.to_dict() for s in self.series]}

    def csv_rows(self) -> list[list[str]]:
        return [
            [s.query, p.period, str(p.count), f"{p.share:.6f}"]
            for s in self.series
            for p in s.points
        ]


def check_queries(queries: list[str]) -> list[str]:
    """The non-blank queries, at most ``MAX_TREND_QUERIES`` (else InvalidRequest)."""
    kept = [q.strip() for q in queries if q.strip()]
    if len(kept) > MAX_TREND_QUERIES:
        raise InvalidRequest(f"A trend compares at most {MAX_TREND_QUERIES} queries.")
    return kept


def by_period(months: dict[str, int], interval: str) -> dict[str, int]:
    """Monthly counts as they are (``month``) or summed per year (``year``)."""
    if interval == "month":
        return dict(months)
    years: dict[str, int] = {}
    for month, count in months.items():
        years[month[:4]] = years.get(month[:4], 0) + count
    return years


def choose_interval(counts: list[MonthCounts]) -> str:
    """Months when the dated matches span fewer than ``MONTHLY_UP_TO_YEARS`` years."""
    years = {int(m[:4]) for c in counts for m in c.months}
    if years and max(years) - min(years) >= MONTHLY_UP_TO_YEARS:
        return "year"
    return "month"


def period_labels(first: str, last: str, interval: str) -> list[str]:
    """Every period from ``first`` to ``last``, both included."""
    if interval == "year":
        return [str(y) for y in range(int(first), int(last) + 1)]
    return month_labels(first, last)


def run_trends(
    engine: Engine,
    queries: list[str],
    base: SearchRequest,
    span: DateSpan | None = None,
    interval: str | None = None,
) -> Trends:
    """One series per query, with the filters (language, facets, collapse) of ``base``.

    Every series has a point for every period from the first to the last dated match of any
    series, so lines and table rows line up."""
    queries = check_queries(queries)
    if interval is not None and interval not in INTERVALS:
        raise InvalidRequest(f"The interval must be one of: {', '.join(INTERVALS)}.")
    requests = [replace(base, q=q).validate() for q in queries]
    counts = [engine.month_counts(r, span) for r in requests]
    interval = interval or choose_interval(counts)
    everything = by_period(engine.month_counts(base, span, everything=True).months, interval)
    per_series = [by_period(c.months, interval) for c in counts]
    seen = sorted({p for series in per_series for p in series})
    labels = period_labels(seen[0], seen[-1], interval) if seen else []
    series = []
    for query, found, periods in zip(queries, counts, per_series, strict=True):
        points = [
            TrendPoint(label, n, round(n / everything[label], 6) if everything.get(label) else 0.0)
            for label in labels
            for n in [periods.get(label, 0)]
        ]
        series.append(TrendSeries(query, found.dated, found.undated, points, found.notice))
    return Trends(interval, series, {label: everything.get(label, 0) for label in labels})
