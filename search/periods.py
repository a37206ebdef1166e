"""How many matches (or articles) were published each month: the counts trends are made of.

Collapsed, a story counts once, in the month of its oldest dated copy, so the months add up
to the number of stories with a dated copy: ``/search.json``'s total restricted to dated
articles. The rest (stories with no dated copy) is ``undated``. Uncollapsed, every article
counts in its own month.

``month_counts(searcher, request, everything=True)`` counts every article the request's
filters (language, facet values, date range) allow, whatever the query: the denominators of a
trend's shares. It needs no query syntax, so it never depends on how ``*`` parses.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
from whoosh import query as wq
from whoosh.searching import Searcher

from index.schema import MONTH_FIELD, PUBLISHED_FIELD
from search.backends.base import SearchBackend
from search.collect import column, rank, vocabulary
from search.daterange import DateSpan
from search.execute import search_filter
from search.parse import ParsedQuery, parse_query
from search.request import SearchRequest


@dataclass(frozen=True)
class MonthCounts:
    months: dict[str, int]  # "2014-05" → stories (or articles) first published that month
    undated: int  # stories (or articles) matched with no date
    notice: str | None = None  # the parser's notice about the query, if any

    @property
    def dated(self) -> int:
        return sum(self.months.values())


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


_EVERYTHING: dict[tuple, MonthCounts] = {}  # (segments, filters) → counts of every article
_EVERYTHING_LOCK = threading.Lock()
_EVERYTHING_KEPT = 64


def _segments_key(searcher: Searcher) -> tuple:
    """What the searcher sees: its segments and how many live documents each holds."""
    return tuple(
        (reader.segment().segment_id(), reader.doc_count())
        for reader, _offset in searcher.reader().leaf_readers()
    )


def month_counts(
    searcher: Searcher | SearchBackend,
    request: SearchRequest,
    span: DateSpan | None = None,
    everything: bool = False,
) -> MonthCounts:
    """The request's matches per month of publication (``everything``: every article its
    filters allow, the query left out)."""
    if isinstance(searcher, SearchBackend):  # another engine answers (search/backends)
        return searcher.month_counts(request, span, everything)
    if everything:
        key = (_segments_key(searcher), request.lang, request.filters, span, request.collapse)
        found = _EVERYTHING.get(key)
        if found is None:
            parsed = ParsedQuery(query=wq.Every(), text="")
            found = _whoosh_counts(searcher, parsed, request, span)
            with _EVERYTHING_LOCK:
                if len(_EVERYTHING) >= _EVERYTHING_KEPT:
                    _EVERYTHING.clear()
                _EVERYTHING[key] = found
        return found
    parsed = parse_query(request.q, searcher.schema, request.lang, searcher.reader())
    return _whoosh_counts(searcher, parsed, request, span)


def _whoosh_counts(
    searcher: Searcher, parsed: ParsedQuery, request: SearchRequest, span: DateSpan | None
) -> MonthCounts:
    ranked = rank(
        searcher,
        parsed.query,
        search_filter(parsed, request, span),
        sort="oldest",  # unscored: only which documents match matters
        collapse=False,
        budget=float("inf"),
    )
    ids = ranked.ids
    months = column(searcher, MONTH_FIELD)[ids]
    published = column(searcher, PUBLISHED_FIELD, numeric=True)[ids]
    clusters = ranked.clusters if request.collapse else None
    counts, undated = count_months(months, published, clusters)
    names = vocabulary(MONTH_FIELD).names
    by_month = dict(sorted((names[code], n) for code, n in counts.items()))
    return MonthCounts(by_month, undated, parsed.notice)
