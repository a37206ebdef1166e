"""A long-lived handle on an index for servers: one searcher per thread, refreshed cheaply.

Whoosh searchers see the index as of when they were opened. ``IndexHandle.searcher()`` returns
this thread's searcher, calling ``refresh()`` at most every ``refresh_seconds`` so that a
running server sees what a cron job committed without reopening the index on every request.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from whoosh.index import FileIndex
from whoosh.searching import Searcher

from index.writer import open_index
from search.ranking import weighting


class IndexHandle:
    def __init__(self, index_dir: Path, refresh_seconds: float = 1.0) -> None:
        self.index_dir = Path(index_dir)
        self.refresh_seconds = refresh_seconds
        self._ix: FileIndex | None = None
        self._lock = threading.Lock()
        self._local = threading.local()

    def index(self) -> FileIndex:
        """The opened index (raises IndexMissing / RebuildRequired until there is a good one)."""
        with self._lock:
            if self._ix is None:
                self._ix = open_index(self.index_dir)
            return self._ix

    def searcher(self) -> Searcher:
        local = self._local
        now = time.monotonic()
        current: Searcher | None = getattr(local, "searcher", None)
        if current is None:
            local.searcher = self.index().searcher(weighting=weighting())
            local.checked = now
        elif now - local.checked >= self.refresh_seconds:
            local.searcher = current.refresh()
            local.checked = now
        return local.searcher
