"""Answers remembered on an index reader, or on its segments, for as long as they live.

A reader never changes (a commit or a rebuild opens a new one, with empty memos), so what a
reader answers about its vocabulary can be kept on it: the web process asks the same
questions on every page (which languages the archive holds, whether a word is known). Each
server thread opens its own reader of the same segments: ``segments_memo`` is shared by them.
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections.abc import Callable

import numpy as np
from whoosh.reading import IndexReader

from engines.whoosh import compat
from engines.whoosh.codec import ArrayTermsReader, term_hash
from engines.whoosh.compat import segment_id

_SHARED: dict[tuple, dict] = {}  # (name, the segments' ids) → memo
_SHARED_LOCK = threading.Lock()
MAX_SHARED = 16  # memos kept; the oldest (an older commit's, usually) is dropped first


def reader_memo(reader: IndexReader, mark: str) -> dict:
    """The dict named ``mark`` kept on ``reader`` (made empty the first time)."""
    memo = getattr(reader, mark, None)
    if memo is None:
        memo = {}
        setattr(reader, mark, memo)
    return memo


def segments_memo(reader: IndexReader, name: str) -> dict:
    """The dict named ``name`` shared by every reader of the same segments, for answers that
    deletions do not change (a segment's terms stay listed until it is merged away)."""
    own = reader_memo(reader, "_manchette_segments")
    key = own.get("key")
    if key is None:
        key = own["key"] = tuple(segment_id(r) for r, _offset in reader.leaf_readers())
    found = _SHARED.get((name, key))
    if found is None:
        with _SHARED_LOCK:
            found = _SHARED.setdefault((name, key), {})
            while len(_SHARED) > MAX_SHARED:
                del _SHARED[next(iter(_SHARED))]
    return found


def retain_segments(live: frozenset[str]) -> None:
    """Keep only the memos of segment sets within ``live`` (``engines.whoosh.caches``)."""
    with _SHARED_LOCK:
        for key in [k for k in _SHARED if not live.issuperset(k[1])]:
            del _SHARED[key]


_TERMS = "terms"  # the segments' answers of ``term_lookup``
_HASHES = "term_hashes"  # field → the segments' term hashes, merged (``_field_hashes``)
MAX_TERMS = 100_000  # (field, term) answers kept for the same segments


def _segment_terms(reader: IndexReader) -> list[ArrayTermsReader] | None:
    """The terms reader of each of ``reader``'s segments (None when one is not the
    codec's: it has no term hashes)."""
    found = []
    for r, _offset in reader.leaf_readers():
        terms = compat.segment_terms(r)
        if not isinstance(terms, ArrayTermsReader):
            return None
        found.append(terms)
    return found


def _field_hashes(segments: list[ArrayTermsReader], fieldname: str) -> memoryview | None:
    """The term hashes of a field in every segment, merged and sorted (``bisect`` searches
    the view), or None when a segment was written without them."""
    arrays = [t.term_hashes(fieldname) for t in segments]
    if any(a is None for a in arrays):
        return None
    # (sorted, then deduplicated by neighbours: ``np.unique`` takes 20× as long on a million)
    joined = np.sort(np.concatenate([a for a in arrays if a is not None] or [_NO_HASHES]))
    if len(joined) > 1:
        joined = joined[np.concatenate(([True], joined[1:] != joined[:-1]))]
    return memoryview(joined.astype(np.uint32).tobytes()).cast("I")


_NO_HASHES = np.empty(0, dtype=np.uint32)


def term_lookup(reader: IndexReader) -> Callable[[str, str], bool]:
    """``has(fieldname, text)``: whether any segment of ``reader`` lists ``text`` in
    ``fieldname`` (remembered per segments, shared by the server's threads: a query asks
    about each of its words in every field of every language, each a lookup in every
    segment, and most are in none). A term is first looked for among the hashes of the
    field's terms in all the segments, merged once per field for the same segments: most
    are absent, and told so by one binary search instead of one per segment."""
    own = reader_memo(reader, "_manchette_term_lookup")  # one per reader
    if "has" not in own:
        own["has"] = _term_lookup(reader)
    return own["has"]


def _term_lookup(reader: IndexReader) -> Callable[[str, str], bool]:
    memo = segments_memo(reader, _TERMS)
    hashes = segments_memo(reader, _HASHES)
    segments = _segment_terms(reader)
    schema = reader.schema

    def lookup(fieldname: str, text: str) -> bool:
        if segments is None or fieldname not in schema:
            return (fieldname, text) in reader
        tbytes = schema[fieldname].to_bytes(text) if isinstance(text, str) else text
        hashed = term_hash(tbytes)
        if fieldname not in hashes:
            hashes[fieldname] = _field_hashes(segments, fieldname)
        merged = hashes[fieldname]
        if merged is not None:
            at = bisect_left(merged, hashed)
            if at == len(merged) or merged[at] != hashed:
                return False
        return any(t.holds(fieldname, tbytes, hashed) for t in segments)

    def has(fieldname: str, text: str) -> bool:
        key = f"{fieldname}\0{text}"
        found = memo.get(key)
        if found is None:
            found = lookup(fieldname, text)
            if len(memo) >= MAX_TERMS:
                memo.clear()
            memo[key] = found
        return found

    return has
