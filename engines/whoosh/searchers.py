"""A long-lived handle on an index for servers: one searcher per thread, refreshed cheaply.

Whoosh searchers see the index as of when they were opened. ``IndexHandle.searcher()`` returns
this thread's searcher, checking at most every ``refresh_seconds`` whether a job committed
(``refresh()``) or a rebuild swapped in a new build directory (reopen), so a running server
sees new articles within seconds without reopening the index on every request.

A reopen that fails (the live build swapped or cleaned at that very moment, a file gone, a
full file table) does not fail the request when the thread already has a searcher: it keeps
serving the commit it has, logs why, and tries again at the next check. Only a thread with
no searcher at all (no index yet) sees the error (a 503 in the web app).
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from whoosh.index import FileIndex
from whoosh.searching import Searcher

from engines.whoosh.caches import keep_live
from engines.whoosh.columns import cache_columns
from engines.whoosh.compat import segment_id
from engines.whoosh.scoring import weighting
from engines.whoosh.writer import open_index
from index.layout import live_dir

log = logging.getLogger("manchette")


class IndexHandle:
    def __init__(self, index_dir: Path, refresh_seconds: float = 1.0) -> None:
        self.index_dir = Path(index_dir)
        self.refresh_seconds = refresh_seconds
        self._ix: FileIndex | None = None
        self._live: Path | None = None
        self._generation = 0
        self._lock = threading.Lock()
        self._local = threading.local()

    def _current(self) -> tuple[FileIndex, int]:
        """The opened index and its generation, reopened when a rebuild was swapped in."""
        with self._lock:
            live = live_dir(self.index_dir)
            if self._ix is None or live != self._live:
                self._ix = open_index(self.index_dir)
                self._live = live
                self._generation += 1
            return self._ix, self._generation

    def searcher(self) -> Searcher:
        local = self._local
        now = time.monotonic()
        current: Searcher | None = getattr(local, "searcher", None)
        if current is not None and now - local.checked < self.refresh_seconds:
            return current
        try:
            ix, generation = self._current()
            if current is None or local.generation != generation or not current.up_to_date():
                # a commit gets a fresh searcher: whoosh's refresh() reuses segment readers with
                # their old deleted-documents sets, so an updated article matched in both versions
                fresh = cache_columns(ix.searcher(weighting=weighting()))
                if current is not None:
                    current.close()
                segments = (segment_id(r) for r, _offset in fresh.reader().leaf_readers())
                keep_live(self, (s for s in segments if s is not None))
                local.searcher = current = fresh
                local.generation = generation
        except Exception as exc:
            if current is None:
                raise
            log.warning("index not reopened (%s); serving the commit already open", exc)
        local.checked = now
        return current

    def close(self) -> None:
        """Close this thread's searcher (other threads' close with their thread)."""
        current: Searcher | None = getattr(self._local, "searcher", None)
        if current is not None:
            current.close()
            del self._local.searcher
