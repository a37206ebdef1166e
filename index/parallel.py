"""Parsing in a worker process while the main process writes the index.

Whoosh has one writer, and its own multiprocessing writer measured slower than a single one on
2 cores; but reading and splitting files (decoding, boilerplate removal, language detection)
is independent of writing. One worker process parses the files in order, lets the engine
prepare each new article (the Whoosh engine analyses its text fields into postings: two thirds
of what the writer did per document), computes its SimHash, and streams the items through a
bounded queue (memory stays flat), so both cores work and the writer only pools and writes
postings.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing as mp
import os
import queue as queue_mod
import signal
from collections.abc import Callable, Collection, Container, Generator, Iterator, Mapping
from multiprocessing.process import BaseProcess
from pathlib import Path

from index.analysis.postings import WRITER_MEMO_LIMIT, memo_limit
from index.article import Article
from index.dedup import simhash_ahead
from index.document import Prepare
from index.records import RecordReuse, Unchanged
from index.sources import Rejected, read_again, read_path

BATCH = 256  # items per message
QUEUE_BATCHES = 16  # bounded: the worker waits when the writer falls behind
# Fewer batches than this waiting: the writer is about to wait for the worker, so the worker
# leaves the next batch's SimHashes to the writer (``index.dedup.body_simhash``), which
# balances the two processes (on a full build the worker was the slower one by a fifth).
WRITER_STARVING = 4
Item = Article | Rejected | Unchanged


def safe_items(
    path: Path, only: Collection[str] | None = None, reuse: RecordReuse | None = None
) -> Iterator[Item]:
    """A file's articles, and a ``Rejected`` for anything that cannot be read; never raises.
    ``only``: just the articles at these locations (``index.sources.read_again``); ``reuse``:
    an ``Unchanged`` for each record that need not be parsed (``index.records``)."""
    try:
        if only is not None:
            yield from read_again(path, only)
        elif reuse is None:
            yield from read_path(path)
        else:
            yield from reuse.track(read_path(path, reuse.for_file(path)))
    except (OSError, ValueError, UnicodeError, EOFError) as exc:
        yield Rejected(str(path), str(exc) or "the file could not be read to its end")


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
    paths: list[Path],
    out: mp.Queue,
    parent: int,
    prepare: Prepare | None,
    known: Container[str],
    only: Mapping[Path, Collection[str]] | None,
    reuse: RecordReuse | None,
) -> None:
    die_with_parent(parent)
    for path in paths:
        for batch in prepared_batches(
            safe_items(path, None if only is None else only[path], reuse),
            prepare,
            known,
            lambda: writer_busy(out),
        ):
            out.put(batch)
        out.put(None)  # end of this file


def writer_busy(out: mp.Queue) -> bool:
    """Whether the writer has ``WRITER_STARVING`` batches or more waiting (True where the
    queue cannot tell)."""
    try:
        return out.qsize() >= WRITER_STARVING
    except NotImplementedError:  # macOS
        return True


def prepared_batches(
    items: Iterator[Item],
    prepare: Prepare | None,
    known: Container[str],
    busy: Callable[[], bool],
) -> Iterator[list[Item]]:
    """The items in batches of ``BATCH`` (the last one possibly short or empty), each new
    article prepared (``prepare``) and, while the writer is ``busy`` (asked before each
    batch), given its SimHash ahead (``index.dedup.simhash_ahead``)."""
    batch: list[Item] = []
    simhash = busy()
    for item in items:
        if isinstance(item, Article) and item.content_hash() not in known:
            if prepare:
                prepare(item)  # the writer process then has less to do
            if simhash:
                simhash_ahead(item)
        batch.append(item)
        if len(batch) >= BATCH:
            yield batch
            batch = []
            simhash = busy()
    yield batch


def _drain(source: mp.Queue, proc: BaseProcess) -> Iterator[Item]:
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
    paths: list[Path],
    workers: int = 1,
    prepare: Prepare | None = None,
    known: Container[str] = (),
    only: Mapping[Path, Collection[str]] | None = None,
    reuse: RecordReuse | None = None,
) -> Generator[Iterator[Item], None, None]:
    """For each path in order, an iterator of its items (consume each before the next).

    ``prepare`` runs on each article in the worker process (the engine's work done ahead),
    except on articles whose content hash is in ``known``: the index holds them already, so
    an incremental run does not prepare what it will skip. ``only`` (path → locations): read
    just those articles of each file; ``reuse``: pass over the records that need no parsing
    (``safe_items``).
    """
    if workers <= 0 or not paths:
        for path in paths:
            yield safe_items(path, None if only is None else only[path], reuse)
        return
    ctx = mp.get_context("fork")
    channel: mp.Queue = ctx.Queue(maxsize=QUEUE_BATCHES)
    proc = ctx.Process(
        target=_worker, args=(paths, channel, os.getpid(), prepare, known, only, reuse), daemon=True
    )
    proc.start()
    try:
        # the worker (forked with the whole budget) analyses the articles; this process only
        # those that learned boilerplate changes after, with a smaller memo
        with memo_limit(WRITER_MEMO_LIMIT):
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
