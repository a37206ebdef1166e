"""The process-wide caches of segment data, pruned to the segments a server still reads.

Decoded posting lists (``vectorized.CACHE``), joined field arrays (``vectorized``), column
codes (``collect``), dictionary blocks (``codec``) and vocabulary answers (``memo``) are
kept per segment, or per set of segments, for every thread of the process. A commit makes
a new set (one new segment, or a merge), a rebuild a whole new one, and the entries of the
sets no reader opens any more would otherwise stay until their cache's budget is full: a
server fed by cron jobs grows for hours. ``keep_live`` is told, by each ``IndexHandle``
that opens a new searcher, which segments it now reads; every cache then drops the entries
that name another segment (of no live handle). A thread still reading an older commit
decodes again what it asks for, and its entries go at the next pruning.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterable

from engines.whoosh import codec, collect, memo, vectorized

_LIVE: dict[int, frozenset[str]] = {}  # id of a handle → the segments its newest searcher reads
_LOCK = threading.Lock()


def keep_live(owner: object, segment_ids: Iterable[str]) -> None:
    """``owner`` (a handle) now reads ``segment_ids``: drop cached data of any segment that
    no live owner reads."""
    ids = frozenset(segment_ids)
    with _LOCK:
        key = id(owner)
        if _LIVE.get(key) == ids:
            return
        if key not in _LIVE:
            weakref.finalize(owner, _forget, key)
        _LIVE[key] = ids
        live = frozenset().union(*_LIVE.values())
    prune(live)


def _forget(key: int) -> None:
    with _LOCK:
        _LIVE.pop(key, None)


def prune(live: frozenset[str]) -> None:
    """Drop, from every process-wide cache, what names a segment not in ``live``."""
    vectorized.retain_segments(live)
    collect.retain_segments(live)
    codec.retain_segments(live)
    memo.retain_segments(live)
