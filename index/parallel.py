"""Parsing in a worker process while the main process writes the index.

Whoosh has one writer, and its own multiprocessing writer measured slower than a single one on
2 cores; but reading and splitting files (decoding, boilerplate removal, language detection)
is independent of writing. One worker process parses the files in order, analyses each
article's text fields into postings (``index.writer.analyse_ahead``: two thirds of what the
writer did per document), and streams the items through a bounded queue (memory stays flat),
so both cores work and the writer only pools and writes postings.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing as mp
import os
import queue as queue_mod
import signal
from collections.abc import Collection, Iterator
from pathlib import Path

from index.article import Article
from index.sources import Rejected

BATCH = 256  # items per message
QUEUE_BATCHES = 16  # bounded: the worker waits when the writer falls behind
Item = Article | Rejected


def _safe_items(path: Path) -> Iterator[Item]:
    from index.build import safe_items

    return safe_items(path)


def die_with_parent(parent: int) -> None:
    """Let the kernel kill this forked process when its parent dies (``PR_SET_PDEATHSIG``).

    A parse worker that outlived a SIGKILLed job would keep the job's locks (their
    descriptors are inherited through fork) and block every later run with exit 75; a server
    worker would keep serving with nobody to stop it.
    """
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the job died before the line above ran
        os._exit(1)


def _worker(
    paths: list[Path], out: mp.Queue, parent: int, analyse: bool, known: Collection[str]
) -> None:
    die_with_parent(parent)
    from index.schema import build_schema
    from index.writer import analyse_ahead

    schema = build_schema()
    for path in paths:
        batch: list[Item] = []
        for item in _safe_items(path):
            if analyse and isinstance(item, Article) and item.content_hash() not in known:
                analyse_ahead(item, schema)  # the writer process then only pools postings
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


def parsed_files(
    paths: list[Path], workers: int = 1, analyse: bool = True, known: Collection[str] = ()
) -> Iterator[Iterator[Item]]:
    """For each path in order, an iterator of its items (consume each before the next).

    ``analyse`` computes the Whoosh postings ahead (not wanted when OpenSearch indexes),
    except for articles whose content hash is in ``known``: the index holds them already, so
    an incremental run does not analyse what it will skip.
    """
    if workers <= 0 or not paths:
        for path in paths:
            yield _safe_items(path)
        return
    ctx = mp.get_context("fork")
    channel: mp.Queue = ctx.Queue(maxsize=QUEUE_BATCHES)
    proc = ctx.Process(
        target=_worker, args=(paths, channel, os.getpid(), analyse, known), daemon=True
    )
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
