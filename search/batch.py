"""Batch search: a list of queries (names, typically) each answered by one summary row.

A row holds what a journalist checks first: how many stories match, the first and last
publication dates, the sources that publish most about it and the best hits. Every number
comes from the engine's ``search`` and ``export_rows``, so ``total`` is what ``/search.json``
shows for the same query and filters, on either engine. A query the engine refuses (too
long) gets a row with its notice: one bad line never fails the batch.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from search.daterange import DateSpan
from search.request import InvalidRequest, SearchRequest
from search.results import Facet

if TYPE_CHECKING:  # engines/ imports search/, never the other way at import time
    from engines.base import Engine

MAX_BATCH_QUERIES = 5_000
TOP_SOURCES = 5
TOP_HITS = 3
BATCH_CSV_COLUMNS = (
    "query",
    "total",
    "first_date",
    "last_date",
    "top_sources",
    "top_hits",
    "notice",
)


class TooManyQueries(InvalidRequest):
    """A batch of more than ``MAX_BATCH_QUERIES`` queries."""


@dataclass(frozen=True)
class TopHit:
    id: str
    title: str
    url: str | None
    date: str | None

    def to_dict(self) -> dict:
        return {"id": self.id, "title": self.title, "url": self.url, "date": self.date}


@dataclass
class BatchRow:
    query: str
    total: int = 0
    first_date: str | None = None
    last_date: str | None = None
    top_sources: list[Facet] = field(default_factory=list)
    top_hits: list[TopHit] = field(default_factory=list)
    notice: str | None = None

    def to_dict(self) -> dict:
        return {
            "query": self.query,
            "total": self.total,
            "first_date": self.first_date,
            "last_date": self.last_date,
            "top_sources": [s.to_dict() for s in self.top_sources],
            "top_hits": [h.to_dict() for h in self.top_hits],
            "notice": self.notice,
        }

    def values(self) -> list[str]:
        """The row as CSV cells: sources as ``name (count)``, hits as ids, ``; ``-separated."""
        return [
            self.query,
            str(self.total),
            self.first_date or "",
            self.last_date or "",
            "; ".join(f"{s.value} ({s.count})" for s in self.top_sources),
            "; ".join(h.id for h in self.top_hits),
            self.notice or "",
        ]


@dataclass
class BatchResult:
    rows: list[BatchRow]
    took_ms: float

    def to_dict(self) -> dict:
        return {"queries": [r.to_dict() for r in self.rows], "took_ms": round(self.took_ms, 2)}


def read_queries(lines: Iterable[str]) -> list[str]:
    """One query per line, blank lines and ``#`` comments left out; more than
    ``MAX_BATCH_QUERIES`` raises TooManyQueries."""
    queries = []
    for line in lines:
        text = line.strip()
        if text and not text.startswith("#"):
            queries.append(text)
    if len(queries) > MAX_BATCH_QUERIES:
        raise TooManyQueries(
            f"A batch holds at most {MAX_BATCH_QUERIES:,} queries, not {len(queries):,}."
        )
    return queries


def batch_row(
    engine: Engine,
    query: str,
    lang: str | None = None,
    span: DateSpan | None = None,
) -> BatchRow:
    """The summary row of one query (a notice instead of numbers when it is refused)."""
    try:
        oldest = SearchRequest(q=query, lang=lang, sort="oldest", limit=1).validate()
        result = engine.search(oldest, span)
    except (InvalidRequest, ValueError) as exc:
        return BatchRow(query, notice=str(exc))
    row = BatchRow(query, total=result.total, notice=result.notice)
    if not result.total:
        return row
    row.first_date = result.hits[0].date if result.hits else None
    row.top_sources = result.facets.get("source", [])[:TOP_SOURCES]
    only = result.hits[0] if result.total == 1 and result.hits else None
    if only is not None and only.cluster_size == 1:  # one article: it is every answer
        row.last_date = only.date
        row.top_hits = [TopHit(only.id, only.title, only.url, only.date)]
        return row
    if row.first_date is not None:  # undated matches sort last: none is dated otherwise
        newest = next(iter(engine.export_rows(replace(oldest, sort="newest"), span, 1)), None)
        row.last_date = newest.date if newest is not None else None
    best = engine.export_rows(replace(oldest, sort="relevance"), span, TOP_HITS)
    row.top_hits = [TopHit(h.id, h.title, h.url, h.date) for h in best]
    return row


def run_batch(
    engine: Engine,
    queries: list[str],
    lang: str | None = None,
    span: DateSpan | None = None,
) -> BatchResult:
    """One row per query, in the order given."""
    if len(queries) > MAX_BATCH_QUERIES:
        raise TooManyQueries(f"A batch holds at most {MAX_BATCH_QUERIES:,} queries.")
    SearchRequest(q="", lang=lang).validate()  # a bad language fails the batch, not each row
    started = time.perf_counter()
    rows = [batch_row(engine, query, lang, span) for query in queries]
    return BatchResult(rows, (time.perf_counter() - started) * 1000)
