"""Parsing in a worker process while the main process writes the index.

Whoosh has one writer, and its own multiprocessing writer measured slower than a single one on
2 cores; but reading and splitting files (decoding, boilerplate removal, language detection)
is independent of writing. One worker process parses the files in order and streams their
items through a bounded queue (memory stays flat), so both cores work.
"""

from __future__ import annotations

import multiprocessing as mp
import queue as queue_mod
from collections.abc import Iterator
from pathlib import Path

from index.article import Article
from index.sources import Rejected

BATCH = 256  # items per message
QUEUE_BATCHES = 16  # bounded: the worker waits when the writer falls behind
Item = Article | Rejected


def _safe_items(path: Path) -> Iterator[Item]:
    from index.build import safe_items

    return safe_items(path)


def _worker(paths: list[Path], out: mp.Queue) -> None:
    for path in paths:
        batch: list[Item] = []
        for item in _safe_items(path):
            batch.append(item)
            if len(batch) >= BATCH:
                out.put(batch)
                batch = []
        out.put(batch)
        out.put(None)  # end of this file


def _drain(source: mp.Queue, proc: mp.Process) -> Iterator[Item]:
    while True:
        try:
            batch = source.get(timeout=1.0)
        except queue_mod.Empty:
            if not proc.is_alive():
                raise RuntimeError("the parsing process died; nothing was committed") from None
            continue
        if batch is None:
            return
        yield from batch


def parsed_files(paths: list[Path], workers: int = 1) -> Iterator[Iterator[Item]]:
    """For each path in order, an iterator of its items (consume each before the next)."""
    if workers <= 0 or not paths:
        for path in paths:
            yield _safe_items(path)
        return
    ctx = mp.get_context("fork")
    channel: mp.Queue = ctx.Queue(maxsize=QUEUE_BATCHES)
    proc = ctx.Process(target=_worker, args=(paths, channel), daemon=True)
    proc.start()
    try:
        for _ in paths:
            items = _drain(channel, proc)
            yield items
            for _rest in items:  # if the caller stopped early, keep the stream aligned
                pass
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()
        channel.close()
        channel.join_thread()
