"""Answers remembered on an index reader, or on its segments, for as long as they live.

A reader never changes (a commit or a rebuild opens a new one, with empty memos), so what a
reader answers about its vocabulary can be kept on it: the web process asks the same
questions on every page (which languages the archive holds, whether a word is known). Each
server thread opens its own reader of the same segments: ``segments_memo`` is shared by them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from whoosh.reading import IndexReader

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
MAX_TERMS = 100_000  # (field, term) answers kept for the same segments


def term_lookup(reader: IndexReader) -> Callable[[str, str], bool]:
    """``has(fieldname, text)``: whether any segment of ``reader`` lists ``text`` in
    ``fieldname`` (remembered per segments, shared by the server's threads: a query asks
    about each of its words in every field of every language, each a lookup in every
    segment, and most are in none)."""
    memo = segments_memo(reader, _TERMS)

    def has(fieldname: str, text: str) -> bool:
        key = f"{fieldname}\0{text}"
        found = memo.get(key)
        if found is None:
            found = (fieldname, text) in reader
            if len(memo) >= MAX_TERMS:
                memo.clear()
            memo[key] = found
        return found

    return has
