"""The index directory on disk, its job lock and the atomic swap of full rebuilds.

::

    INDEX_DIR/
      job.lock           flock(2) held by the indexing job (released by the kernel if it dies)
      current -> builds/B  the live build: a symlink replaced atomically by ``--rebuild``
      builds/B/          Whoosh files, manchette.json (versions), files.json (input manifest)
      last_run.json      the report of the last indexing run

Searchers open ``current``; a rebuild writes a fresh ``builds/`` directory, then renames a new
symlink over ``current`` (``rename(2)`` is atomic), so nobody ever sees a half-built index.

A job that is killed (SIGKILL, OOM killer, power cut of the container) loses its flock with its
process, so it never blocks the next job. It does leave its name in ``job.lock`` (written when the
lock is taken, erased when it is released): the next job finds it there, says so on stderr, and
clears what the killed job left behind (half-written builds, temporary symlinks, Whoosh's pool
files, unfinished manifests) before it starts.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import shutil
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

CURRENT = "current"
BUILDS = "builds"
LOCK_FILE = "job.lock"
LAST_RUN = "last_run.json"


log = logging.getLogger("manchette")
_held: set[IO[str]] = set()  # job locks held by this process


class IndexLocked(Exception):
    """Another indexing job holds the index directory's lock."""


def _forget_locks_in_child() -> None:
    """A forked child must not keep its parent's job lock alive after the parent dies."""
    for handle in list(_held):
        with contextlib.suppress(OSError):
            handle.close()
    _held.clear()


os.register_at_fork(after_in_child=_forget_locks_in_child)


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` in one ``rename(2)``: readers see the old or the new file."""
    tmp = Path(path).with_name(f".{Path(path).name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def live_dir(index_dir: Path) -> Path:
    """The directory holding the live Whoosh index (``current``'s target, or the dir itself)."""
    link = Path(index_dir) / CURRENT
    return link.resolve() if link.is_symlink() else Path(index_dir)


def new_build_dir(index_dir: Path) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    path = Path(index_dir) / BUILDS / f"b{stamp}-{os.getpid()}"
    path.mkdir(parents=True)
    return path


def swap_in(index_dir: Path, build: Path) -> Path | None:
    """Make ``build`` the live index atomically; return the previous build directory, if any."""
    index_dir = Path(index_dir)
    link = index_dir / CURRENT
    previous = link.resolve() if link.is_symlink() else None
    tmp = index_dir / f".{CURRENT}.{os.getpid()}"
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    tmp.symlink_to(build.relative_to(index_dir))
    os.replace(tmp, link)
    _fsync_dir(index_dir)
    return previous


def remove_build(index_dir: Path, build: Path | None) -> None:
    """Delete an old build (open searchers keep reading their files until they close them)."""
    if build is not None and build.parent == Path(index_dir).resolve() / BUILDS:
        shutil.rmtree(build, ignore_errors=True)


def remove_stale_builds(index_dir: Path) -> None:
    """Delete builds left behind by killed rebuilds (call with the job lock held)."""
    builds = Path(index_dir) / BUILDS
    if not builds.is_dir():
        return
    live = live_dir(index_dir).resolve()
    for child in builds.iterdir():
        if child.resolve() != live:
            shutil.rmtree(child, ignore_errors=True)


def leftovers(index_dir: Path) -> list[Path]:
    """What killed jobs leave behind: builds that are not live, temporary symlinks and files
    of ours, Whoosh's pool directories (``*.tmp``) in the live build. Never the live index."""
    index_dir = Path(index_dir)
    found = [p for p in index_dir.glob(f".{CURRENT}.*") if p.is_symlink()]
    found += list(index_dir.glob(".*.tmp"))
    builds = index_dir / BUILDS
    live = live_dir(index_dir).resolve()
    if builds.is_dir():
        found += [p for p in builds.iterdir() if p.resolve() != live]
    if live.is_dir() and live != index_dir.resolve():
        found += [p for p in live.iterdir() if p.name.endswith(".tmp")]
    return sorted(found)


def clear_leftovers(index_dir: Path) -> list[Path]:
    """Delete ``leftovers`` (call with the job lock held: no writer is running)."""
    removed = leftovers(index_dir)
    for path in removed:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
    return removed


def lock_holder(index_dir: Path) -> dict:
    """What the job lock file says of the job that took it last ({} once it was released)."""
    try:
        text = (Path(index_dir) / LOCK_FILE).read_text(encoding="utf-8")
        holder = json.loads(text) if text.strip() else {}
    except (OSError, ValueError):
        return {}
    return holder if isinstance(holder, dict) else {}


def _describe(holder: dict) -> str:
    return f"pid {holder.get('pid', '?')}, started {holder.get('started', '?')}"


def locked_message(holder: dict, waited: float) -> str:
    """Why a job gave up on the lock: who holds it, and how long this job waited for it."""
    busy = f"another manchette job is writing this index ({_describe(holder)})"
    if waited > 0:
        return f"{busy}; waited {waited:g} s for it to finish; try again later"
    return f"{busy}; try again later (or pass --wait SECONDS)"


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def flock_within(path: Path, wait: float, busy: Callable[[], Exception]) -> Iterator[IO[str]]:
    """Hold an exclusive flock(2) on ``path`` (created if missing), waiting up to ``wait``
    seconds, else raise ``busy()``. The kernel releases it if the holder dies."""
    deadline = time.monotonic() + max(wait, 0.0)
    with open(path, "a+", encoding="utf-8") as handle:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise busy() from None
                time.sleep(0.2)
        try:
            yield handle
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def job_lock(index_dir: Path, wait: float = 0.0) -> Iterator[None]:
    """Hold the directory's job lock, waiting up to ``wait`` seconds, else raise IndexLocked.

    flock(2) locks die with their process, so a killed job never leaves a stale lock; the
    holder's pid written in the file tells the next job that its predecessor was killed, and
    the next job clears what it left behind.
    """
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)

    def busy() -> Exception:
        return IndexLocked(locked_message(lock_holder(index_dir), wait))

    with flock_within(index_dir / LOCK_FILE, wait, busy) as handle:
        _held.add(handle)
        try:
            _recover(index_dir, handle)
            yield
        finally:  # a SIGKILL skips this: the next job then finds the holder's name
            handle.truncate(0)
            _held.discard(handle)


def _recover(index_dir: Path, handle: IO[str]) -> None:
    """With the lock just taken: clear a killed predecessor's leftovers, then sign the file."""
    stale = lock_holder(index_dir)
    if stale:
        removed = clear_leftovers(index_dir)
        log.warning(
            "manchette: the previous job (%s) did not finish; cleared %d leftover(s)%s",
            _describe(stale),
            len(removed),
            "".join(f"\n  {p}" for p in removed[:20]),
        )
    started = datetime.now(UTC).isoformat(timespec="seconds")
    handle.truncate(0)
    handle.write(json.dumps({"pid": os.getpid(), "started": started}) + "\n")
    handle.flush()
