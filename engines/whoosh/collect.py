"""One pass over the matches: the page, collapsed on the cluster key, and every count.

Whoosh's own path took two passes per query (a scored one grouping facets, then an unscored one
counting clusters), asked a categorizer for every facet of every match in Python, and its
``CollapseCollector`` does not collapse at all when a filter is set (``FilterCollector``
feeds it documents one by one, while collapsing lives only in its ``collect_matches``).

Collapsed, everything counts stories, not copies, as the OpenSearch backend does with a
``cardinality`` aggregation: the total is the number of clusters matched, a cluster's size is
its matching copies, and a facet value counts the clusters with a copy there (the total a
click on it would show).

Here the matcher is walked once: each allowed match's document number and score go into two
arrays. Facet values, cluster keys and dates come from per-segment arrays of small integers
(``SegmentColumns``), read once per segment and shared by every thread, since segments
never change. Collapsing, counting and ordering are then numpy operations on the arrays.
"""

from __future__ import annotations

import threading
import time
from array import array
from dataclasses import dataclass

import numpy as np
from whoosh import collectors
from whoosh import query as wq
from whoosh.reading import IndexReader
from whoosh.searching import Searcher, TimeLimit

from engines.whoosh import vectorized
from engines.whoosh.compat import EveryMatch, EveryScoredMatch, segment_id
from engines.whoosh.memo import reader_memo
from index.schema import CLUSTER_FIELD, DATED_FIELD, PUBLISHED_FIELD
from search.copies import UNDATED, originals_first

# --- columns as integer codes, per segment -------------------------------------------------


class Vocabulary:
    """Strings ↔ small integers for one field, shared by all segments and threads."""

    def __init__(self) -> None:
        self.codes: dict[str, int] = {"": 0}
        self.names: list[str] = [""]
        self.lock = threading.Lock()

    def encode(self, values: list[str]) -> np.ndarray:
        with self.lock:
            codes, names = self.codes, self.names
            out = np.empty(len(values), dtype=np.int32)
            for i, value in enumerate(values):
                code = codes.get(value)
                if code is None:
                    code = codes[value] = len(names)
                    names.append(value)
                out[i] = code
            return out


_VOCABULARIES: dict[str, Vocabulary] = {}
_SEGMENTS: dict[tuple[str, str], np.ndarray] = {}  # (segment id, field) → codes or values
_SEGMENTS_LOCK = threading.Lock()
MAX_CACHED_SEGMENTS = 4096  # field arrays kept; merged-away segments drop out past this


def retain_segments(live: frozenset[str]) -> None:
    """Keep only the column arrays of segments in ``live`` (``engines.whoosh.caches``)."""
    with _SEGMENTS_LOCK:
        for key in [k for k in _SEGMENTS if k[0] not in live]:
            del _SEGMENTS[key]


def vocabulary(fieldname: str) -> Vocabulary:
    with _SEGMENTS_LOCK:
        return _VOCABULARIES.setdefault(fieldname, Vocabulary())


def _segment_array(reader: IndexReader, fieldname: str, numeric: bool) -> np.ndarray:
    key = (segment_id(reader) or "", fieldname)
    found = _SEGMENTS.get(key)
    if found is not None:
        return found
    if reader.has_column(fieldname):
        values = list(reader.column_reader(fieldname, translate=False))
    else:
        values = [0 if numeric else ""] * reader.doc_count_all()
    if numeric:
        # Whoosh fills a missing date with the largest unsigned long: it counts as none.
        made = np.array([v if v and v < 2**63 else 0 for v in values], dtype=np.int64)
    else:
        made = vocabulary(fieldname).encode([_text(v) for v in values])
    with _SEGMENTS_LOCK:
        if len(_SEGMENTS) >= MAX_CACHED_SEGMENTS:
            _SEGMENTS.clear()
        _SEGMENTS[key] = made
    return made


def _text(value: object) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return "" if value is None else str(value)


def column(searcher: Searcher, fieldname: str, numeric: bool = False) -> np.ndarray:
    """The field's value (code, or number) of every document number of the searcher (the
    segments' arrays joined once per reader: a query asks for five or more columns)."""
    reader = searcher.reader()
    joined = reader_memo(reader, "_manchette_columns")
    key = (fieldname, numeric)
    found = joined.get(key)
    if found is None:
        parts = [_segment_array(r, fieldname, numeric) for r, _offset in reader.leaf_readers()]
        found = joined[key] = parts[0] if len(parts) == 1 else np.concatenate(parts)
    return found


# --- the pass over the matches -------------------------------------------------------------


QUERY_BUDGET_S = 3.0  # a query stops collecting after this long and says so
_CHECK_EVERY = 1024  # matches between two looks at the clock


class _Budget:
    """Stops a pass that runs past its deadline (checked every few matches: Whoosh's own
    ``TimeLimitCollector`` only checks in ``collect_matches``, which a filter bypasses)."""

    def start(self, seconds: float) -> None:
        self.deadline = time.perf_counter() + seconds
        self.countdown = _CHECK_EVERY

    def tick(self) -> None:
        self.countdown -= 1
        if not self.countdown:
            self.countdown = _CHECK_EVERY
            if time.perf_counter() > self.deadline:
                raise TimeLimit


class _Scores(_Budget, EveryScoredMatch):
    """Every match's document number and score."""

    def prepare(self, top_searcher, q, context):
        super().prepare(top_searcher, q, context)
        self.ids = array("q")
        self.scores = array("d")

    def matched(self, docnum: int, score: float) -> None:
        self.tick()
        self.ids.append(docnum)
        self.scores.append(score)


class _Ids(_Budget, EveryMatch):
    """Every match's document number, unscored (results sorted by date)."""

    def prepare(self, top_searcher, q, context):
        super().prepare(top_searcher, q, context)
        self.ids = array("q")

    def matched(self, docnum: int) -> None:
        self.tick()
        self.ids.append(docnum)


@dataclass
class Collected:
    """What a query matched, collapsed or not: the page's documents and every count."""

    page: list[tuple[int, float]]  # (document number, score) of the requested page
    total: int  # stories (clusters) when collapsed, else documents
    cluster_sizes: dict[int, int]  # document number on the page → matching copies
    facets: dict[str, dict[str, int]]  # facet → value → stories (or documents)
    partial: bool = False  # the time budget ran out: counts and page cover what was found


@dataclass
class Ranked:
    """Every match of a query in result order, as arrays (positions into ``ids``)."""

    ids: np.ndarray  # document numbers of the matches, in collection order
    scores: np.ndarray  # their scores (zeros when sorted by date)
    clusters: np.ndarray  # their cluster codes
    shown: np.ndarray  # positions into ids, best first; one per cluster when collapsed
    total: int  # stories (clusters) when collapsed, else documents
    sizes: np.ndarray | None  # matching copies per cluster code, when collapsed
    partial: bool  # the time budget ran out


def rank(
    searcher: Searcher,
    query: wq.Query,
    filter: wq.Query | None,
    *,
    sort: str = "relevance",
    collapse: bool = True,
    budget: float | None = None,
) -> Ranked:
    """Walk the matches once and order them (collapsed on the cluster key when asked)."""
    scored = sort == "relevance"
    # Vectorised (engines/whoosh/vectorized.py) when it knows every node, else the matchers.
    found = vectorized.matches(searcher, query, filter, scored=scored)
    ids, scores, partial = (
        (*found, False) if found else walk(searcher, query, filter, scored, budget)
    )
    clusters = column(searcher, CLUSTER_FIELD)[ids] if len(ids) else np.empty(0, np.int32)

    order = _order(searcher, ids, scores, sort)  # best first
    if sort == "relevance" and len(ids) > 1:
        # among copies of one story that score alike, the original first (search/copies.py)
        order, scores = originals_first(order, scores, clusters, _when(searcher, ids))
    if collapse and len(ids):
        # The best copy of each cluster, in result order; sizes count every matching copy.
        _, first = np.unique(clusters[order], return_index=True)
        shown = order[np.sort(first)]
        total = len(first)
        sizes = np.bincount(clusters, minlength=int(clusters.max()) + 1)
    else:
        shown, total, sizes = order, len(ids), None
    return Ranked(ids, scores, clusters, shown, int(total), sizes, partial)


def collect(
    searcher: Searcher,
    query: wq.Query,
    filter: wq.Query | None,
    *,
    page: int,
    pagelen: int,
    sort: str = "relevance",
    collapse: bool = True,
    facets: dict[str, str] | None = None,
    budget: float | None = None,
) -> Collected:
    ranked = rank(searcher, query, filter, sort=sort, collapse=collapse, budget=budget)
    ids, scores, clusters, sizes = ranked.ids, ranked.scores, ranked.clusters, ranked.sizes
    start = (page - 1) * pagelen
    window = ranked.shown[start : start + pagelen]
    return Collected(
        page=[(int(ids[i]), float(scores[i])) for i in window],
        total=ranked.total,
        cluster_sizes={
            int(ids[i]): int(sizes[clusters[i]]) if sizes is not None else 1 for i in window
        },
        facets={
            name: _facet(searcher, fieldname, ids, clusters if collapse else None)
            for name, fieldname in (facets or {}).items()
        },
        partial=ranked.partial,
    )


def walk(
    searcher: Searcher, query: wq.Query, filter: wq.Query | None, scored: bool, budget: float | None
) -> tuple[np.ndarray, np.ndarray, bool]:
    """Every match's document number and score, walking Whoosh's matchers within the budget."""
    base = _Scores() if scored else _Ids()
    base.start(QUERY_BUDGET_S if budget is None else budget)
    collector = collectors.FilterCollector(base, filter) if filter is not None else base
    try:
        searcher.search_with_collector(query, collector)
        partial = False
    except TimeLimit:
        partial = True
    ids = np.frombuffer(base.ids, dtype=np.int64) if len(base.ids) else np.empty(0, np.int64)
    scores = (
        np.frombuffer(base.scores, dtype=np.float64) if scored and len(ids) else np.zeros(len(ids))
    )
    return ids, scores, partial


def _order(searcher: Searcher, ids: np.ndarray, scores: np.ndarray, sort: str) -> np.ndarray:
    """Positions into ``ids``, best first: by score, or by date (undated last); ties by
    document number, as Whoosh orders them."""
    if not len(ids):
        return np.empty(0, dtype=np.int64)
    if sort == "relevance":
        return np.lexsort((ids, -scores))
    published = column(searcher, PUBLISHED_FIELD, numeric=True)[ids]
    undated = column(searcher, DATED_FIELD)[ids] == 0  # code 0 is "" in every vocabulary
    when = -published if sort == "newest" else published
    return np.lexsort((ids, when, undated))


def _when(searcher: Searcher, ids: np.ndarray) -> np.ndarray:
    """The matches' publication dates as ``originals_first`` orders them (undated last)."""
    published = column(searcher, PUBLISHED_FIELD, numeric=True)[ids]
    undated = column(searcher, DATED_FIELD)[ids] == 0
    return np.where(undated, UNDATED, published)


def _facet(
    searcher: Searcher, fieldname: str, ids: np.ndarray, clusters: np.ndarray | None
) -> dict[str, int]:
    """Matches per value of a field; stories per value when ``clusters`` is given (a value
    counts the clusters with a matching copy there: what a click on it would show)."""
    if not len(ids):
        return {}
    codes = column(searcher, fieldname)[ids]
    if clusters is not None:
        pairs = np.unique(codes.astype(np.int64) << 32 | clusters.astype(np.int64))
        codes = (pairs >> 32).astype(np.int32)
    counts = np.bincount(codes)
    names = vocabulary(fieldname).names
    return {names[code]: int(n) for code, n in enumerate(counts) if n and names[code]}
