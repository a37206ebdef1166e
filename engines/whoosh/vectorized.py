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

The query is evaluated once over all the segments of the searcher's reader: a term's list is
decoded from every segment, joined (each segment's offset added) and cached per set of
segments and term (segments never change; deletions are applied at query time), bounded by
the memory kept; a short list keeps its postings' scores with it.
"""

from __future__ import annotations

import copy
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import reduce
from math import log

import numpy as np
from whoosh import query as wq
from whoosh import scoring
from whoosh.reading import IndexReader
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

from engines.whoosh import compat
from engines.whoosh.codec import ArrayTermsReader, term_hash
from engines.whoosh.columns import column_reader
from engines.whoosh.memo import reader_memo
from engines.whoosh.runs import PackedValues
from engines.whoosh.scoring import MISSING_DATE, Ranking
from index.schema import PUBLISHED_FIELD

# MANCHETTE_VECTORIZED=0 turns the executor off: every query walks Whoosh's matchers.
ENABLED = os.environ.get("MANCHETTE_VECTORIZED", "1") != "0"
MAX_CACHED_WORDS = 12_000_000  # 8-byte numbers kept decoded (96 MB; ``Postings.cost``)
SCORED_WHOLE = 4096  # postings of a list whose scores are kept with it (longer: as matched)

_NO_IDS = np.empty(0, dtype=np.int64)
_NO_SCORES = np.empty(0, dtype=np.float64)
_LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)


class Unsupported(Exception):
    """A query node, weighting or index layout this module does not execute."""


@dataclass(frozen=True)
class Postings:
    """One term's postings in the segments of a reader, deleted documents included."""

    ids: np.ndarray  # int64, ascending
    weights: np.ndarray  # float64, as Whoosh's matcher returns them
    values: PackedValues | None  # encoded positions, when asked for
    # Each posting's score (the scorer's parameters → scores), made at the first query that
    # scores the term: it depends on the segments only (idf and average length count
    # deleted documents too), not on the query.
    scored: dict[tuple, np.ndarray] = field(default_factory=dict, compare=False)

    @property
    def cost(self) -> int:
        """Its memory, in 8-byte numbers: document numbers, weights, the scores of a short
        list, and the values (their bytes, where each starts and ends)."""
        scores = len(self.ids) <= SCORED_WHOLE
        values = 0 if self.values is None else len(self.values.blob) // 8 + 2 * len(self.ids)
        return 1 + len(self.ids) * (2 + scores) + values


@dataclass
class Hits:
    """Sorted local document numbers and their scores (None when unscored)."""

    ids: np.ndarray
    scores: np.ndarray | None

    def take(self, index: np.ndarray) -> Hits:
        return Hits(self.ids[index], None if self.scores is None else self.scores[index])


# --- decoding, cached ----------------------------------------------------------------------


class _PostingCache:
    """Least recently used decoded posting lists, bounded by their memory, for all threads."""

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

    def retain(self, live: frozenset[str]) -> None:
        """Drop the lists of readers that read a segment not in ``live``."""
        with self.lock:
            for key in [k for k in self.items if not live.issuperset(k[0])]:
                dropped = self.items.pop(key)
                self.used -= dropped.cost if dropped is not None else 1


CACHE = _PostingCache(MAX_CACHED_WORDS)


class _Leaves:
    """A reader's segments seen as one: their readers, each with the offset of its first
    document in the reader's numbering, and a key naming the segments (a commit's unchanged
    segments keep their key, so their decoded postings stay cached)."""

    __slots__ = ("count", "key", "readers", "terms")

    def __init__(self, reader: IndexReader) -> None:
        self.readers = [(r, offset) for r, offset in reader.leaf_readers()]
        self.key = tuple(r.segment().segment_id() for r, _ in self.readers)
        self.count = reader.doc_count_all()
        self.terms: list[tuple[ArrayTermsReader, int]] | None = None

    def term_readers(self) -> list[tuple[ArrayTermsReader, int]]:
        """Each segment's terms reader and offset (``Unsupported`` for another codec's)."""
        if self.terms is None:
            found = []
            for r, offset in self.readers:
                terms = compat.terms_reader(r)
                if not isinstance(terms, ArrayTermsReader):
                    raise Unsupported(f"posting reader {type(terms).__name__}")
                found.append((terms, offset))
            self.terms = found
        return self.terms


def leaves(reader: IndexReader) -> _Leaves:
    memo = reader_memo(reader, "_manchette_leaves")
    found = memo.get("leaves")
    if found is None:
        found = memo["leaves"] = _Leaves(reader)
    return found


def _decode(reader: IndexReader, fieldname: str, tbytes: bytes, values: bool) -> Postings | None:
    """One term's whole posting list in every segment of ``reader`` (its document numbers
    the reader's), as the codec stores it (``engines.whoosh.codec``): each segment's arrays
    read in place from its mapping, no per-posting Python; None when no segment has it."""
    ids, weights, found = [], [], []
    hashed = term_hash(tbytes)
    for terms, offset in leaves(reader).term_readers():
        if values:
            packed = terms.packed_if_any(fieldname, tbytes, hashed)
            if packed is None:  # not in this segment
                continue
            some, weighed, valued = packed
            found.append(valued if valued is not None else PackedValues.empty(len(some)))
        else:
            plain = terms.arrays_if_any(fieldname, tbytes, hashed)
            if plain is None:
                continue
            some, weighed, _ = plain
        ids.append(some + offset if offset else some)
        weights.append(weighed)
    if not ids:
        return None
    if len(ids) == 1:
        made = Postings(ids[0], weights[0], found[0] if values else None)
    else:
        joined = PackedValues.join(found) if values else None
        made = Postings(np.concatenate(ids), np.concatenate(weights), joined)
    made.ids.flags.writeable = made.weights.flags.writeable = False  # shared by every query
    return made


def postings(reader: IndexReader, fieldname: str, tbytes: bytes, values: bool) -> Postings | None:
    """One term's decoded postings in all of ``reader``'s segments (a segment reader's, or
    a whole index's, numbered as the reader numbers its documents; None when no segment has
    the term), deleted documents included."""
    key = (leaves(reader).key, fieldname, tbytes)
    found, cached = CACHE.get(key)
    if found and (cached is None or not values or cached.values is not None):
        return cached
    made = _decode(reader, fieldname, tbytes, values)
    CACHE.put(key, made)
    return made


_SEGMENT_ARRAYS: dict[tuple, object] = {}
_SEGMENT_LOCK = threading.Lock()
MAX_SEGMENT_ARRAYS = 4096


def retain_segments(live: frozenset[str]) -> None:
    """Keep only what is cached of readers whose segments are all in ``live``
    (``engines.whoosh.caches``)."""
    CACHE.retain(live)
    with _SEGMENT_LOCK:
        for key in [k for k in _SEGMENT_ARRAYS if not live.issuperset(k[0])]:
            del _SEGMENT_ARRAYS[key]


def _segment_array(key: tuple, make):
    found = _SEGMENT_ARRAYS.get(key, _SEGMENT_LOCK)  # None is a value too (no such array)
    if found is not _SEGMENT_LOCK:  # (a pruning may drop the key at any time: one lookup)
        return found
    made = make()
    with _SEGMENT_LOCK:
        if len(_SEGMENT_ARRAYS) >= MAX_SEGMENT_ARRAYS:
            _SEGMENT_ARRAYS.clear()
        _SEGMENT_ARRAYS[key] = made
    return made


@dataclass(frozen=True)
class Lengths:
    """Each document's length byte in a field (``_LENGTH_OF_BYTE`` gives the length Whoosh
    reads from it), and which documents sit in a segment without a length column (Whoosh
    then uses 1)."""

    codes: np.ndarray  # uint8, one per document of the reader
    unmeasured: np.ndarray | None  # bool, True in segments without the column (None: none)


def field_lengths(reader: IndexReader, fieldname: str) -> Lengths:
    """The length bytes of a field in every segment of ``reader``, joined."""
    where = leaves(reader)

    def make() -> Lengths:
        codes = np.zeros(where.count, dtype=np.uint8)
        unmeasured = None
        for segment, offset in where.readers:
            try:
                found = compat.length_bytes(segment, fieldname)
            except LookupError as exc:
                raise Unsupported(str(exc)) from exc
            if found is None:
                if unmeasured is None:
                    unmeasured = np.zeros(where.count, dtype=bool)
                unmeasured[offset : offset + segment.doc_count_all()] = True
                continue
            data, count = found
            codes[offset : offset + count] = np.frombuffer(data, dtype=np.uint8, count=count)
        return Lengths(codes, unmeasured)

    return _segment_array((where.key, "len", fieldname), make)


def published(reader: IndexReader) -> np.ndarray:
    """The raw publication date column of every segment of ``reader``, joined (Whoosh's
    missing-date sentinel kept)."""
    where = leaves(reader)

    def make() -> np.ndarray:
        parts = []
        for segment, _offset in where.readers:
            column = column_reader(segment, PUBLISHED_FIELD, translate=False)  # or the default
            count = segment.doc_count_all()
            parts.append(np.fromiter(iter(column), dtype=np.uint64, count=count))
        return np.concatenate(parts) if parts else np.empty(0, dtype=np.uint64)

    return _segment_array((where.key, "published"), make)


def _alive(reader: IndexReader) -> np.ndarray | None:
    """False for the reader's deleted documents (None when there are none); once per reader
    (its deletions never change)."""
    memo = reader_memo(reader, "_manchette_alive")
    if "alive" not in memo:
        alive = None
        for segment, offset in leaves(reader).readers:
            deleted = segment.deleted_docs_set if segment.has_deletions() else None
            if not deleted:
                continue
            if alive is None:
                alive = np.ones(reader.doc_count_all(), dtype=bool)
            alive[np.fromiter(deleted, dtype=np.int64, count=len(deleted)) + offset] = False
        memo["alive"] = alive
    return memo["alive"]


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
    """Evaluates query nodes on all the segments of a searcher at once, numbered as its
    reader numbers them, as Whoosh's matchers on each sub-searcher would (a node's matches
    in a segment are its matches there: segments share no document)."""

    def __init__(self, top: Searcher, scored: bool, phrased: set[int]) -> None:
        self.top = top
        self.phrased = phrased  # ids of the nodes that hold a phrase
        self.reader = top.reader()
        self.schema = top.schema
        self.scored = scored
        self.weighting = top.weighting
        self.alive = _alive(self.reader)
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
        # The rarest first, each next one looked for among the documents found so far only;
        # phrases last: their positions are then read for the surviving documents only.
        ordered = sorted(subs, key=lambda sub: (id(sub) in self.phrased, self.size(sub)))
        found: Hits | None = None
        for sub in ordered:
            narrowed = within if found is None else found.ids
            part = self.run(sub, narrowed)
            found = part if found is None else _intersect(found, part)
            if not len(found.ids):
                return self.empty()
        assert found is not None
        return found

    def size(self, q: wq.Query) -> int:
        """How many documents ``q`` can match at most (for ordering a conjunction: its
        terms' lists are read now, and kept for the evaluation)."""
        kind = type(q)
        if kind is wq.Term:
            tbytes = self._tbytes(q.fieldname, q.text) if q.fieldname in self.schema else None
            found = postings(self.reader, q.fieldname, tbytes, False) if tbytes else None
            return 0 if found is None else len(found.ids)
        if kind is wq.Or:
            return sum(self.size(sub) for sub in q.subqueries)
        if kind is wq.And and q.subqueries:
            return min(self.size(sub) for sub in q.subqueries)
        if kind is wq.AndNot:
            return self.size(q.a)
        if q is wq.NullQuery:
            return 0
        return self.doccount

    def _values(self, fieldname: str, tbytes: bytes) -> PackedValues:
        """A term's values, as its postings (deleted documents included) hold them."""
        found = postings(self.reader, fieldname, tbytes, True)
        if found is None or found.values is None:
            raise Unsupported("a term without values in a field with positions")
        return found.values

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
        found = postings(self.reader, fieldname, tbytes, False) if tbytes is not None else None
        if tbytes is None or found is None:
            return self.empty()
        ids, weights = found.ids, found.weights
        # A short list's scores are kept with it; a long one is scored where it matches only.
        whole = self.scored and len(ids) <= SCORED_WHOLE
        scores = self.scores_of(fieldname, tbytes, found) if whole else None
        keep = None if self.alive is None else self.alive[ids]
        if keep is not None and not keep.all():
            ids, weights = ids[keep], weights[keep]
            scores = None if scores is None else scores[keep]
        if within is not None:
            kept, _ = _common(ids, within)
            ids, weights = ids[kept], weights[kept]
            scores = None if scores is None else scores[kept]
        if not self.scored:
            return Hits(ids, None)
        if scores is None:
            scores = self.term_scores(fieldname, tbytes, ids, weights)
        return self.boosted(Hits(ids, scores), boost)

    def scores_of(self, fieldname: str, tbytes: bytes, found: Postings) -> np.ndarray:
        """Each posting's score (``term_scores``), kept with the postings."""
        model = _field_model(self.weighting, fieldname)
        if type(model) is not scoring.BM25F:
            raise Unsupported(f"weighting {type(model).__name__}")
        if not self.schema[fieldname].scorable:
            return found.weights  # BM25F hands unscorable fields to a WeightScorer
        key = (
            self.idf(fieldname, tbytes),
            _average_length(self.top, fieldname),
            compat.bm25_b(model, fieldname),
            model.K1,
        )
        scores = found.scored.get(key)
        if scores is None:
            scores = self.term_scores(fieldname, tbytes, found.ids, found.weights)
            scores.flags.writeable = False  # shared by every query
            found.scored[key] = scores
        return scores

    def idf(self, fieldname: str, tbytes: bytes) -> float:
        """The weighting's idf of a term: Whoosh's formula (``WeightingModel.idf``) from the
        length of the term's decoded list (deleted documents included, as Whoosh's document
        frequency counts them), instead of a term lookup in every segment."""
        if type(self.weighting).idf is not scoring.WeightingModel.idf:
            return self.top.idf(fieldname, tbytes)
        found = postings(self.reader, fieldname, tbytes, False)
        return log(self.doccount / ((0 if found is None else len(found.ids)) + 1)) + 1

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
        idf = self.idf(fieldname, tbytes)
        avgfl = _average_length(top, fieldname)
        b = compat.bm25_b(model, fieldname)
        k1 = model.K1
        measured = field_lengths(self.reader, fieldname)
        picked = measured.codes[ids]
        if measured.unmeasured is None:
            if len(picked) and not picked.min():
                raise Unsupported("a matching document without a field length")
            lengths = _LENGTH_OF_BYTE[picked]
        else:
            ones = measured.unmeasured[ids]
            if (picked[~ones] == 0).any():
                raise Unsupported("a matching document without a field length")
            lengths = np.where(ones, 1.0, _LENGTH_OF_BYTE[picked])
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
        lists = [postings(self.reader, fieldname, w, False) for w in words]
        if any(p is None for p in lists):
            return self.empty()
        # The documents that hold every word (alive, within), the rarest word's first; then
        # the positions of those documents only.
        ordered = sorted((p.ids for p in lists if p is not None), key=len)
        candidates = reduce(lambda a, b: a[_common(a, b)[0]], ordered)
        if self.alive is not None and len(candidates):
            candidates = candidates[self.alive[candidates]]
        if within is not None and len(candidates):
            candidates = candidates[_common(candidates, within)[0]]
        if not len(candidates):
            return self.empty()
        at = [np.searchsorted(p.ids, candidates) for p in lists if p is not None]
        picked = [
            self._values(fieldname, w).picked(where) for w, where in zip(words, at, strict=True)
        ]
        decode = field.format.decoder("positions")
        keep = np.zeros(len(candidates), dtype=bool)
        for j in range(len(candidates)):
            starts = set(decode(picked[0][j]))
            for k in range(1, len(picked)):
                starts.intersection_update(p - k for p in decode(picked[k][j]))
                if not starts:
                    break
            keep[j] = bool(starts)
        ids = candidates[keep]
        if not self.scored:
            return Hits(ids, None)
        total = np.zeros(len(ids))
        for word, p, where in zip(words, lists, at, strict=True):  # Whoosh sums each word's
            assert p is not None
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


def _filter_docs(segment: _Segment, q: wq.Query, within: np.ndarray) -> np.ndarray:
    """The documents of ``within`` that match a filter: vectorised where known, else
    Whoosh's own ``docs`` on each segment (a set of documents needs no scores, so any node
    can be asked)."""
    kind = type(q)
    if kind is wq.And and len(q.subqueries) > 1:
        for sub in q.subqueries:
            within = _filter_docs(segment, sub, within)
        return within
    if kind is wq.Or and len(q.subqueries) > 1 and not q.scale and not q.minmatch:
        parts = [_filter_docs(segment, sub, within) for sub in q.subqueries]
        return np.unique(np.concatenate(parts))
    if kind in (wq.Term, wq.Phrase, wq.And, wq.Or):
        try:
            return segment.run(q, within).ids
        except Unsupported:
            pass
    parts = [
        np.fromiter(q.docs(sub), dtype=np.int64) + offset
        for sub, offset in segment.top.leaf_searchers()
    ]
    found = np.unique(np.concatenate(parts)) if parts else _NO_IDS
    return found[_common(found, within)[0]]


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
        segment = _Segment(searcher, scored, phrased)
        found = segment.run(query)
        if filter is not None and len(found.ids):
            allowed = _filter_docs(segment.unscored(), filter, found.ids)
            found = found.take(_common(found.ids, allowed)[0])
        if not scored:
            return found.ids, np.zeros(len(found.ids))
        assert found.scores is not None
        scores = found.scores
        if weighting.use_final:
            scores = _recency(weighting, searcher.reader(), found.ids, scores)
    except Unsupported:
        return None
    return found.ids, scores


def _average_length(searcher: Searcher, fieldname: str) -> float:
    """Whoosh's average length of a field (1 when it has none), once per reader."""
    memo = reader_memo(searcher.reader(), "_manchette_average_lengths")
    found = memo.get(fieldname)
    if found is None:
        found = memo[fieldname] = searcher.avg_field_length(fieldname) or 1
    return found


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
