"""Answers to repeated identical requests, kept for one index generation.

Off unless ``MANCHETTE_RESULT_CACHE`` gives how many answers to keep (benchmarks run with it
off). A request's answer is kept under the segments the searcher reads and their deletions,
so a commit or a rebuild (new segments, new deletions) makes every older answer unreachable,
and they are dropped as soon as a request sees the new generation.
"""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import replace

from whoosh.searching import Searcher

from search.daterange import DateSpan
from search.request import SearchRequest
from search.results import SearchResult


def configured_size() -> int:
    """``MANCHETTE_RESULT_CACHE``: answers kept (0, the default, turns the cache off)."""
    try:
        return max(0, int(os.environ.get("MANCHETTE_RESULT_CACHE", "0")))
    except ValueError:
        return 0


def generation(searcher: Searcher) -> tuple:
    """What a searcher reads: its segments and how many documents each has deleted."""
    return tuple(
        (reader.segment().segment_id(), reader.segment().deleted_count())
        for reader, _offset in searcher.reader().leaf_readers()
    )


class ResultCache:
    def __init__(self, size: int) -> None:
        self.size = size
        self.generation: tuple | None = None
        self.answers: OrderedDict[tuple, SearchResult] = OrderedDict()
        self.hits = 0  # answers served from the cache
        self.lock = threading.Lock()

    def answer(
        self,
        searcher: Searcher,
        request: SearchRequest,
        span: DateSpan | None,
        run: Callable[[Searcher, SearchRequest, DateSpan | None], SearchResult],
    ) -> SearchResult:
        started = time.perf_counter()
        current = generation(searcher)
        key = (request, span)
        with self.lock:
            if current != self.generation:
                self.answers.clear()
                self.generation = current
            kept = self.answers.get(key)
            if kept is not None:
                self.answers.move_to_end(key)
                self.hits += 1
        if kept is not None:
            return replace(kept, took_ms=(time.perf_counter() - started) * 1000)
        result = run(searcher, request, span)
        with self.lock:
            if current == self.generation:
                self.answers[key] = result
                while len(self.answers) > self.size:
                    self.answers.popitem(last=False)
        return result
