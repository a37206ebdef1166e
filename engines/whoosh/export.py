"""Every hit of a query as export rows, from the Whoosh index."""

from __future__ import annotations

import math
from collections.abc import Iterator

from whoosh.searching import Searcher

from engines.whoosh.collect import rank
from engines.whoosh.compat import release_mapped_pages
from engines.whoosh.compile import compile_request
from search.daterange import DateSpan
from search.export import MAX_EXPORT_ROWS, ExportRow
from search.request import SearchRequest

RELEASE_EVERY = 2_000  # rows between two returns of the mapped pages an export read


def export_rows(
    searcher: Searcher,
    request: SearchRequest,
    span: DateSpan | None = None,
    limit: int | None = MAX_EXPORT_ROWS,
) -> Iterator[ExportRow]:
    """The request's hits in its order (collapsed like the page), up to ``limit`` (None: all).

    Only the matching document numbers and scores are collected up front (two numbers per
    match, in arrays); each row's stored fields are read when the row is consumed, so memory
    stays flat however many rows are written. The walk has no time budget: an export is
    complete or fails, never silently cut.
    """
    compiled = compile_request(searcher, request, span)
    ranked = rank(
        searcher,
        compiled.query,
        compiled.filter,
        sort=request.sort,
        collapse=request.collapse,
        budget=math.inf,
    )
    shown = ranked.shown if limit is None else ranked.shown[:limit]
    scored = request.sort == "relevance"
    for count, position in enumerate(shown, 1):
        if count % RELEASE_EVERY == 0:  # resident memory flat, whatever the export's length
            release_mapped_pages(searcher)
        fields = searcher.stored_fields(int(ranked.ids[position]))
        yield ExportRow.from_fields(fields, float(ranked.scores[position]) if scored else 0.0)
