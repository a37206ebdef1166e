"""Vectorised query execution on Whoosh's own index: posting lists as numpy arrays.

Whoosh's matchers walk a query posting by posting in Python and score each match as they go
(about 7 µs a posting). Here each segment's posting list of a term is read whole from the
codec's arrays (``engines.whoosh.codec``): document numbers and weights. The query tree is
evaluated bottom-up as sorted arrays (``And`` an intersection, ``Or`` a union, ``AndNot`` a
difference, scores summed as Whoosh's matchers sum them), and BM25F is computed over whole
arrays with the same formula, idf, average field length and length bytes as
``whoosh.scoring.BM25F``. Phrases are checked on positions for the documents that hold every
word only.

``matches`` returns what Whoosh's collector pass would have produced (every match's document
number and score, after the filter and the weighting's final factor), or None when the query
or the weighting holds anything this module does not know: the caller then walks Whoosh's
matchers, which stay the reference (``tests/search/test_vectorized.py`` and
``bench/vectorized_check.py`` pin both paths to the same hits and scores). Filters are only
needed as sets of documents: a filter node this module does not know is asked for its
documents through Whoosh (``Query.docs``), which is exact.

Decoded posting lists are cached per segment and term (segments never change; deletions are
applied at query time), bounded by the number of postings kept.
"""

from __future__ import annotations

import copy
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import reduce

import numpy as np
from whoosh import query as wq
from whoosh import scoring
from whoosh.reading import IndexReader
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

from engines.whoosh import compat
from engines.whoosh.codec import ArrayTermsReader
from engines.whoosh.scoring import MISSING_DATE, Ranking
from index.schema import PUBLISHED_FIELD

# MANCHETTE_VECTORIZED=0 turns the executor off: every query walks Whoosh's matchers.
ENABLED = os.environ.get("MANCHETTE_VECTORIZED", "1") != "0"
MAX_CACHED_POSTINGS = 2_000_000  # postings kept decoded (ids + weights: 16 bytes each)

_NO_IDS = np.empty(0, dtype=np.int64)
_NO_SCORES = np.empty(0, dtype=np.float64)
_LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)


class Unsupported(Exception):
    """A query node, weighting or index layout this module does not execute."""


@dataclass(frozen=True)
class Postings:
    """One term's postings in one segment, deleted documents included."""

    ids: np.ndarray  # int64, ascending
    weights: np.ndarray  # float64, as Whoosh's matcher returns them
    values: tuple[bytes, ...] | None  # encoded positions, when asked for

    @property
    def cost(self) -> int:
        return 1 + len(self.ids) * (3 if self.values is not None else 1)


@dataclass
class Hits:
    """Sorted local document numbers and their scores (None when unscored)."""

    ids: np.ndarray
    scores: np.ndarray | None

    def take(self, index: np.ndarray) -> Hits:
        return Hits(self.ids[index], None if self.scores is None else self.scores[index])


# --- decoding, cached ----------------------------------------------------------------------


class _PostingCache:
    """Least recently used decoded posting lists, bounded by their postings, for all threads."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.used = 0
        self.items: OrderedDict[tuple, Postings | None] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple) -> tuple[bool, Postings | None]:
        with self.lock:
            if key not in self.items:
                return False, None
            self.items.move_to_end(key)
            return True, self.items[key]

    def put(self, key: tuple, postings: Postings | None) -> None:
        cost = postings.cost if postings is not None else 1  # an absent term counts too
        if cost > self.budget:
            return
        with self.lock:
            if key in self.items:
                old = self.items.pop(key)
                self.used -= old.cost if old is not None else 1
            self.used += cost
            self.items[key] = postings
            while self.used > self.budget and self.items:
                _, dropped = self.items.popitem(last=False)
                self.used -= dropped.cost if dropped is not None else 1

    def clear(self) -> None:
        with self.lock:
            self.items.clear()
            self.used = 0


CACHE = _PostingCache(MAX_CACHED_POSTINGS)


def _decode(reader: IndexReader, fieldname: str, tbytes: bytes, values: bool) -> Postings:
    """One term's whole posting list, as the codec stores it (``engines.whoosh.codec``): its
    arrays read in place from the mapped segment, no per-posting Python."""
    terms = compat.terms_reader(reader)
    if not isinstance(terms, ArrayTermsReader):  # a segment of another codec: matchers answer
        raise Unsupported(f"posting reader {type(terms).__name__}")
    ids, weights, found = terms.term_arrays(fieldname, tbytes, values)
    if values and found is None:
        found = (b"",) * len(ids)
    return Postings(ids, weights, found)


def postings(
    reader: IndexReader, fieldname: str, tbytes: bytes, values: bool, segment: str | None = None
) -> Postings | None:
    """One term's decoded postings in a segment (None when the segment lacks the term)."""
    key = (segment or reader.segment().segment_id(), fieldname, tbytes)
    found, cached = CACHE.get(key)
    if found and (cached is None or not values or cached.values is not None):
        return cached
    made = _decode(reader, fieldname, tbytes, values) if (fieldname, tbytes) in reader else None
    CACHE.put(key, made)
    return made


_SEGMENT_ARRAYS: dict[tuple, np.ndarray | None] = {}
_SEGMENT_LOCK = threading.Lock()
MAX_SEGMENT_ARRAYS = 4096


def _segment_array(key: tuple, make) -> np.ndarray | None:
    if key in _SEGMENT_ARRAYS:  # None is a value too (the segment has no such array)
        return _SEGMENT_ARRAYS[key]
    made = make()
    with _SEGMENT_LOCK:
        if len(_SEGMENT_ARRAYS) >= MAX_SEGMENT_ARRAYS:
            _SEGMENT_ARRAYS.clear()
        _SEGMENT_ARRAYS[key] = made
    return made


def field_lengths(reader: IndexReader, fieldname: str) -> np.ndarray | None:
    """Each document's length byte in a field (``_LENGTH_OF_BYTE`` gives the length Whoosh
    reads from it), or None when the segment has no length column (Whoosh then uses 1)."""

    def make() -> np.ndarray | None:
        try:
            found = compat.length_bytes(reader, fieldname)
        except LookupError as exc:
            raise Unsupported(str(exc)) from exc
        if found is None:
            return None
        data, count = found
        raw = np.frombuffer(data, dtype=np.uint8)
        codes = np.zeros(reader.doc_count_all(), dtype=np.uint8)
        codes[:count] = raw
        return codes

    codes = _segment_array((reader.segment().segment_id(), "len", fieldname), make)
    return codes


def published(reader: IndexReader) -> np.ndarray:
    """The raw publication date column of a segment (Whoosh's missing-date sentinel kept)."""

    def make() -> np.ndarray:
        if not reader.has_column(PUBLISHED_FIELD):
            raise Unsupported("a segment without a date column")
        column = reader.column_reader(PUBLISHED_FIELD, translate=False)
        return np.fromiter(iter(column), dtype=np.uint64, count=reader.doc_count_all())

    found = _segment_array((reader.segment().segment_id(), "published"), make)
    assert found is not None
    return found


def _alive(reader: IndexReader) -> np.ndarray | None:
    """False for the segment's deleted documents (None when there are none)."""
    deleted = reader.deleted_docs_set if reader.has_deletions() else None
    if not deleted:
        return None
    alive = np.ones(reader.doc_count_all(), dtype=bool)
    alive[np.fromiter(deleted, dtype=np.int64, count=len(deleted))] = False
    return alive


# --- set operations on sorted arrays ---------------------------------------------------------


def _common(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions in ``a`` and in ``b`` of the values both hold (both sorted, unique)."""
    if len(a) > len(b):
        ib, ia = _common(b, a)
        return ia, ib
    if not len(a):
        return _NO_IDS, _NO_IDS
    at = np.searchsorted(b, a)
    at[at == len(b)] = len(b) - 1
    hit = b[at] == a
    return np.flatnonzero(hit), at[hit]


def _intersect(a: Hits, b: Hits) -> Hits:
    ia, ib = _common(a.ids, b.ids)
    scores = None if a.scores is None or b.scores is None else a.scores[ia] + b.scores[ib]
    return Hits(a.ids[ia], scores)


def _within(hits: Hits, within: np.ndarray | None) -> Hits:
    if within is None:
        return hits
    keep, _ = _common(hits.ids, within)
    return hits.take(keep)


def _union(parts: list[Hits], scored: bool) -> Hits:
    parts = [p for p in parts if len(p.ids)]
    if not parts:
        return Hits(_NO_IDS, _NO_SCORES if scored else None)
    if len(parts) == 1:
        return parts[0]
    ids = np.concatenate([p.ids for p in parts])
    if not scored:
        return Hits(np.unique(ids), None)
    unique, inverse = np.unique(ids, return_inverse=True)
    scores = np.bincount(inverse, weights=np.concatenate([p.scores for p in parts]))
    return Hits(unique, scores)


# --- evaluation, per segment -----------------------------------------------------------------


def _field_model(weighting: scoring.WeightingModel, fieldname: str) -> scoring.WeightingModel:
    if isinstance(weighting, scoring.MultiWeighting):
        return weighting.weightings.get(fieldname, weighting.default)
    return weighting


class _Segment:
    """Evaluates query nodes on one segment, as Whoosh's matchers on its sub-searcher would."""

    def __init__(self, top: Searcher, sub: Searcher, scored: bool, phrased: set[int]) -> None:
        self.top = top
        self.phrased = phrased  # ids of the nodes that hold a phrase
        self.reader = sub.reader()
        self.schema = top.schema
        self.scored = scored
        self.weighting = top.weighting
        self.alive = _alive(self.reader)
        self.segment = self.reader.segment().segment_id()
        self.doccount = self.reader.doc_count_all()

    def unscored(self) -> _Segment:
        twin = copy.copy(self)
        twin.scored = False
        return twin

    def empty(self) -> Hits:
        return Hits(_NO_IDS, _NO_SCORES if self.scored else None)

    def run(self, q: wq.Query, within: np.ndarray | None = None) -> Hits:
        """``q``'s matches (within ``within`` when given) and their scores."""
        kind = type(q)
        if kind is wq.Term:
            return self.term(q.fieldname, q.text, q.boost, within, q.minquality)
        if kind is wq.And or kind is wq.Or:
            subs = q.subqueries
            if not subs:
                return self.empty()
            if len(subs) == 1:  # Whoosh uses the only child's matcher as is (boost unused)
                return self.run(subs[0], within)
            found = self.conjunction(subs, within) if kind is wq.And else self.union(q, within)
            return self.boosted(found, q.boost)
        if kind is wq.AndNot:
            found = self.run(q.a, within)
            if not len(found.ids):
                return found
            if len(self.unscored().run(q.b, found.ids).ids):
                # Whoosh's AndNotMatcher does not always exclude: built (or rebuilt by the
                # collector's ``replace``) while its negative side sits before the positive
                # side's document, it keeps that document unchecked. Its answer is only known
                # when there is nothing to exclude; otherwise the matchers answer.
                raise Unsupported("AndNot that excludes documents")
            return found
        if kind is wq.Phrase:
            return self.phrase(q, within)
        if kind is wq.Every and q.fieldname in (None, "", "*"):
            ids = np.arange(self.doccount, dtype=np.int64)
            if self.alive is not None:
                ids = ids[self.alive]
            score = float(q.boost) if q.boost else 1.0  # Whoosh's ListMatcher: a 0 weight is 1
            hits = Hits(ids, np.full(len(ids), score) if self.scored else None)
            return _within(hits, within)
        if q is wq.NullQuery:
            return self.empty()
        raise Unsupported(kind.__name__)

    def boosted(self, hits: Hits, boost: float) -> Hits:
        if boost != 1.0 and hits.scores is not None:
            return Hits(hits.ids, hits.scores * boost)
        return hits

    def union(self, q: wq.Or, within: np.ndarray | None) -> Hits:
        if q.scale or q.minmatch:
            raise Unsupported("Or with a coordination scale or a minimum match")
        return _union([self.run(sub, within) for sub in q.subqueries], self.scored)

    def conjunction(self, subs: list[wq.Query], within: np.ndarray | None) -> Hits:
        # Phrases last: their positions are then read for the surviving documents only.
        ordered = sorted(subs, key=lambda sub: id(sub) in self.phrased)
        found: Hits | None = None
        for sub in ordered:
            narrowed = within if found is None else found.ids
            part = self.run(sub, narrowed)
            found = part if found is None else _intersect(found, part)
            if not len(found.ids):
                return self.empty()
        assert found is not None
        return found

    def _postings(self, fieldname: str, tbytes: bytes, values: bool = False) -> Postings | None:
        found = postings(self.reader, fieldname, tbytes, values, self.segment)
        if found is None or self.alive is None:
            return found
        keep = self.alive[found.ids]
        if keep.all():
            return found
        kept = None if found.values is None else tuple(np.array(found.values, dtype=object)[keep])
        return Postings(found.ids[keep], found.weights[keep], kept)

    def _tbytes(self, fieldname: str, text: str | bytes) -> bytes | None:
        try:
            return self.schema[fieldname].to_bytes(text)
        except ValueError:
            return None

    def term(
        self,
        fieldname: str,
        text: str | bytes,
        boost: float,
        within: np.ndarray | None,
        minquality: float | None = None,
    ) -> Hits:
        if minquality:
            raise Unsupported("Term with a minimum quality")
        if fieldname not in self.schema:
            return self.empty()
        tbytes = self._tbytes(fieldname, text)
        found = self._postings(fieldname, tbytes) if tbytes is not None else None
        if tbytes is None or found is None:
            return self.empty()
        ids, weights = found.ids, found.weights
        if within is not None:
            keep, _ = _common(ids, within)
            ids, weights = ids[keep], weights[keep]
        if not self.scored:
            return Hits(ids, None)
        scores = self.term_scores(fieldname, tbytes, ids, weights)
        return self.boosted(Hits(ids, scores), boost)

    def term_scores(
        self, fieldname: str, tbytes: bytes, ids: np.ndarray, weights: np.ndarray
    ) -> np.ndarray:
        """What the weighting's scorer gives each posting (``BM25FScorer._score`` over arrays)."""
        model = _field_model(self.weighting, fieldname)
        if type(model) is not scoring.BM25F:
            raise Unsupported(f"weighting {type(model).__name__}")
        if not self.schema[fieldname].scorable:
            return weights.copy()  # BM25F hands unscorable fields to a WeightScorer
        top = self.top
        idf = top.idf(fieldname, tbytes)
        avgfl = top.avg_field_length(fieldname) or 1
        b = compat.bm25_b(model, fieldname)
        k1 = model.K1
        codes = field_lengths(self.reader, fieldname)
        if codes is None:
            lengths = np.ones(len(ids))
        else:
            picked = codes[ids]
            if len(picked) and not picked.min():
                raise Unsupported("a matching document without a field length")
            lengths = _LENGTH_OF_BYTE[picked]
        return idf * ((weights * (k1 + 1)) / (weights + k1 * ((1 - b) + b * lengths / avgfl)))

    def phrase(self, q: wq.Phrase, within: np.ndarray | None) -> Hits:
        fieldname = q.fieldname
        if q.slop != 1 or not q.words:
            raise Unsupported("Phrase with a slop")
        if fieldname not in self.schema:
            return self.empty()
        field = self.schema[fieldname]
        if not field.format or not field.format.supports("positions"):
            raise Unsupported("Phrase on a field without positions")  # Whoosh raises
        typed = [self._tbytes(fieldname, w) for w in q.words]
        words = [w for w in typed if w is not None]
        if len(words) < len(typed):
            return self.empty()
        found = [self._postings(fieldname, w, values=True) for w in words]
        lists = [p for p in found if p is not None]
        if len(lists) < len(found):
            return self.empty()
        values: list = [p.values for p in lists]  # asked for: never None
        candidates = reduce(lambda a, b: a[_common(a, b)[0]], [p.ids for p in lists])
        if within is not None:
            candidates = candidates[_common(candidates, within)[0]]
        at = [np.searchsorted(p.ids, candidates) for p in lists]
        decode = field.format.decoder("positions")
        keep = np.zeros(len(candidates), dtype=bool)
        for j in range(len(candidates)):
            starts = set(decode(values[0][at[0][j]]))
            for k in range(1, len(lists)):
                starts.intersection_update(p - k for p in decode(values[k][at[k][j]]))
                if not starts:
                    break
            keep[j] = bool(starts)
        ids = candidates[keep]
        if not self.scored:
            return Hits(ids, None)
        total = np.zeros(len(ids))
        for word, p, where in zip(words, lists, at, strict=True):  # Whoosh sums each word's
            total += self.term_scores(fieldname, word, ids, p.weights[where[keep]])
        return self.boosted(Hits(ids, total), q.boost)


def _phrase_holders(q: wq.Query, found: set[int]) -> bool:
    """Adds to ``found`` the id of every node of ``q`` that is or holds a phrase."""
    holds = type(q) is wq.Phrase
    for child in q.children():
        holds = _phrase_holders(child, found) or holds
    if holds:
        found.add(id(q))
    return holds


# --- the whole query -------------------------------------------------------------------------


def _filter_docs(segment: _Segment, sub: Searcher, q: wq.Query) -> np.ndarray:
    """The segment's documents that match a filter: vectorised where known, else Whoosh's own
    ``docs`` (a set of documents needs no scores, so any node can be asked)."""
    kind = type(q)
    if kind is wq.And and len(q.subqueries) > 1:
        parts = [_filter_docs(segment, sub, s) for s in q.subqueries]
        return reduce(lambda a, b: a[_common(a, b)[0]], parts)
    if kind is wq.Or and len(q.subqueries) > 1 and not q.scale and not q.minmatch:
        return np.unique(np.concatenate([_filter_docs(segment, sub, s) for s in q.subqueries]))
    if kind in (wq.Term, wq.Phrase, wq.And, wq.Or):
        try:
            return segment.run(q).ids
        except Unsupported:
            pass
    found = np.fromiter(q.docs(sub), dtype=np.int64)
    return np.unique(found)


def matches(
    searcher: Searcher, query: wq.Query, filter: wq.Query | None, *, scored: bool
) -> tuple[np.ndarray, np.ndarray] | None:
    """Every match's global document number and score (zeros when unscored), as Whoosh's
    collector pass over ``query`` with ``filter`` would give them, in document order; None
    when this module does not execute the query (the caller walks the matchers instead)."""
    if not ENABLED:
        return None
    weighting = searcher.weighting
    if scored and weighting.use_final and type(weighting) is not Ranking:
        return None
    phrased: set[int] = set()
    for tree in (query, filter):
        if tree is not None:
            _phrase_holders(tree, phrased)
    try:
        ids_parts, score_parts = [], []
        for sub, offset in searcher.leaf_searchers():
            segment = _Segment(searcher, sub, scored, phrased)
            found = segment.run(query)
            if filter is not None and len(found.ids):
                allowed = _filter_docs(segment.unscored(), sub, filter)
                found = found.take(_common(found.ids, allowed)[0])
            ids_parts.append(found.ids + offset)
            if scored:
                assert found.scores is not None
                scores = found.scores
                if weighting.use_final:
                    scores = _recency(weighting, sub.reader(), found.ids, scores)
                score_parts.append(scores)
    except Unsupported:
        return None
    ids = np.concatenate(ids_parts) if ids_parts else _NO_IDS
    scores = np.concatenate(score_parts) if scored and score_parts else np.zeros(len(ids))
    return ids, scores


def _recency(weighting: Ranking, reader: IndexReader, ids: np.ndarray, scores: np.ndarray):
    """``Ranking.final`` over arrays: ``score × (1 + weight × 0.5 ** (age / half_life))``."""
    if weighting.newest is None or not len(ids):
        return scores
    values = published(reader)[ids]
    dated = values < MISSING_DATE
    age = np.maximum(weighting.newest - values[dated].astype(np.int64), 0)
    out = scores.copy()
    out[dated] = scores[dated] * (1 + weighting.weight * 0.5 ** (age / weighting.half_life))
    return out
