"""Matches per month of publication on the Whoosh index (``search.periods``): one unscored
pass over the matches, then numpy over the month, date and cluster columns."""

from __future__ import annotations

import threading

import numpy as np
from whoosh import query as wq
from whoosh.searching import Searcher

from engines.whoosh.collect import column, rank, vocabulary
from engines.whoosh.compile import compile_filters, compile_request
from index.schema import MONTH_FIELD, PUBLISHED_FIELD
from search.daterange import DateSpan
from search.filters import request_filters
from search.periods import MonthCounts
from search.request import SearchRequest
from search.tree import QueryTree

_EVERYTHING: dict[tuple, MonthCounts] = {}  # (segments, filters) → counts of every article
_EVERYTHING_LOCK = threading.Lock()
_EVERYTHING_KEPT = 64


def count_months(
    months: np.ndarray, published: np.ndarray, clusters: np.ndarray | None
) -> tuple[dict[int, int], int]:
    """Matches per month code (0 = undated): with ``clusters``, each cluster once, in the month
    of its oldest dated copy. Returns the counts per month code and the undated count."""
    dated = months != 0
    if clusters is None:
        counts = np.bincount(months[dated]) if dated.any() else np.empty(0, np.int64)
        return _nonzero(counts), int((~dated).sum())
    stories = len(np.unique(clusters))
    if not dated.any():
        return {}, stories
    d_months, d_published, d_clusters = months[dated], published[dated], clusters[dated]
    order = np.lexsort((d_published, d_clusters))  # per cluster, oldest first
    _, first = np.unique(d_clusters[order], return_index=True)
    counts = np.bincount(d_months[order][first])
    return _nonzero(counts), stories - len(first)


def _nonzero(counts: np.ndarray) -> dict[int, int]:
    return {code: int(n) for code, n in enumerate(counts) if n and code}


def _segments_key(searcher: Searcher) -> tuple:
    """What the searcher sees: its segments and how many live documents each holds."""
    return tuple(
        (reader.segment().segment_id(), reader.doc_count())
        for reader, _offset in searcher.reader().leaf_readers()
    )


def month_counts(
    searcher: Searcher,
    request: SearchRequest,
    span: DateSpan | None = None,
    everything: bool = False,
) -> MonthCounts:
    """The request's matches per month of publication (``everything``: every article its
    filters allow, the query left out; kept while the index does not change)."""
    if not everything:
        compiled = compile_request(searcher, request, span)
        return _counts(searcher, compiled.query, compiled.filter, request, compiled.tree.notice)
    key = (_segments_key(searcher), request.lang, request.filters, span, request.collapse)
    found = _EVERYTHING.get(key)
    if found is None:
        allowed = compile_filters(request_filters(QueryTree(text=""), request, span))
        found = _counts(searcher, wq.Every(), allowed, request, None)
        with _EVERYTHING_LOCK:
            if len(_EVERYTHING) >= _EVERYTHING_KEPT:
                _EVERYTHING.clear()
            _EVERYTHING[key] = found
    return found


def _counts(
    searcher: Searcher,
    query: wq.Query,
    allowed: wq.Query | None,
    request: SearchRequest,
    notice: str | None,
) -> MonthCounts:
    # unscored, uncollapsed, no time budget: every match counts
    ranked = rank(searcher, query, allowed, sort="oldest", collapse=False, budget=float("inf"))
    ids = ranked.ids
    months = column(searcher, MONTH_FIELD)[ids]
    published = column(searcher, PUBLISHED_FIELD, numeric=True)[ids]
    counts, undated = count_months(months, published, ranked.clusters if request.collapse else None)
    names = vocabulary(MONTH_FIELD).names
    by_month = dict(sorted((names[code], n) for code, n in counts.items()))
    return MonthCounts(by_month, undated, notice)
