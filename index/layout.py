"""The index directory on disk, its job lock and the atomic swap of full rebuilds.

::

    INDEX_DIR/
      job.lock           flock(2) held by the indexing job (released by the kernel if it dies)
      current -> builds/B  the live build: a symlink replaced atomically by ``--rebuild``
      builds/B/          Whoosh files, manchette.json (versions), files.json (input manifest)
      last_run.json      the report of the last indexing run

Searchers open ``current``; a rebuild writes a fresh ``builds/`` directory, then renames a new
symlink over ``current`` (``rename(2)`` is atomic), so nobody ever sees a half-built index.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

CURRENT = "current"
BUILDS = "builds"
LOCK_FILE = "job.lock"
LAST_RUN = "last_run.json"


class IndexLocked(Exception):
    """Another indexing job holds the index directory's lock."""


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


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def job_lock(index_dir: Path, wait: float = 0.0) -> Iterator[None]:
    """Hold the directory's job lock, waiting up to ``wait`` seconds, else raise IndexLocked.

    flock(2) locks die with their process, so a killed job never leaves a stale lock.
    """
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + max(wait, 0.0)
    with open(index_dir / LOCK_FILE, "a+") as handle:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise IndexLocked(
                        "another manchette job is writing this index; try again later "
                        "(or pass --wait SECONDS)"
                    ) from None
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
