"""Every hit of a query as export rows, from the Whoosh index."""

from __future__ import annotations

from collections.abc import Iterator

from whoosh.searching import Searcher

from engines.whoosh.collect import collect
from engines.whoosh.compile import compile_request
from index.schema import ID_FIELD
from search.daterange import DateSpan
from search.export import MAX_EXPORT_ROWS, ExportRow
from search.request import SearchRequest


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
    compiled = compile_request(searcher, request, span)
    found = collect(
        searcher,
        compiled.query,
        compiled.filter,
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
