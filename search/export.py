"""Every hit of a query as plain rows, read one at a time (the CSV export streams them)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from whoosh.searching import Searcher

from index.schema import ID_FIELD
from search.backends.base import SearchBackend
from search.collect import collect
from search.daterange import DateSpan
from search.execute import search_filter
from search.parse import parse_query
from search.request import SearchRequest

MAX_EXPORT_ROWS = 10_000
EXPORT_COLUMNS = ("id", "date", "lang", "source", "title", "url", "score")


@dataclass(frozen=True)
class ExportRow:
    id: str
    date: str | None
    lang: str
    source: str
    title: str
    url: str | None
    score: float

    def values(self) -> list[str]:
        return [
            self.id,
            self.date or "",
            self.lang,
            self.source,
            self.title,
            self.url or "",
            f"{self.score:.4f}",
        ]


def export_rows(
    searcher: Searcher,
    request: SearchRequest,
    span: DateSpan | None = None,
    limit: int = MAX_EXPORT_ROWS,
) -> Iterator[ExportRow]:
    """The request's hits in its order (collapsed like the page), up to ``limit``.

    Only the matching document numbers are collected up front; each row's stored fields are
    read when the row is consumed, so memory stays flat however many rows are written.
    """
    if isinstance(searcher, SearchBackend):  # another engine answers (search/backends)
        yield from searcher.export_rows(request, span, limit)
        return
    parsed = parse_query(request.q, searcher.schema, request.lang, searcher.reader())
    found = collect(
        searcher,
        parsed.query,
        search_filter(parsed, request, span),
        page=1,
        pagelen=limit,
        sort=request.sort,
        collapse=request.collapse,
    )
    for docnum, score in found.page:
        fields = searcher.stored_fields(docnum)
        yield ExportRow(
            id=fields[ID_FIELD],
            date=fields.get("date"),
            lang=fields.get("lang") or "",
            source=fields.get("source") or "",
            title=fields.get("title") or "",
            url=fields.get("url"),
            score=score,
        )
