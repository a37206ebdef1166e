"""``manchette`` run as in production, plus crash points for the kill tests.

    python tests/chaos/indexer.py index PATH... --index-dir DIR [options]

The same click command as ``.venv/bin/manchette``; environment variables only add what the
crash tests need, without changing what the job does:

- ``CHAOS_BATCH_DOCS=N``: commit every N changed articles (production: 10,000), so that a
  run of a few thousand articles has several commits to be killed in.
- ``CHAOS_MARKERS=1``: print ``@@ <event> <n>`` lines on stderr at commit begin/end and swap,
  so a harness can time its SIGKILL to land inside a commit.
- ``CHAOS_SNAPSHOTS=FILE``: after each commit, append the digest of the committed state
  (``engines.whoosh.check.content_digest``) to FILE: the states a killed run may leave behind.
- ``CHAOS_KILL_AT=<point>:<n>``: the process SIGKILLs itself the n-th time it reaches
  ``point`` (see ``POINTS``): kills inside windows too short to hit from outside, such as
  between writing a commit's table of contents and renaming it into place.
"""

from __future__ import annotations

import functools
import os
import signal
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import whoosh.filedb.filestore as filestore
import whoosh.writing as writing

import engines.whoosh.pool as whoosh_pool
import engines.whoosh.writer as whoosh_writer
import index.build as build
import index.layout as layout
from index.cli import main

POINTS = (
    "commit.begin",  # before a commit writes anything
    "commit.toc",  # segments written, table of contents not yet renamed into place
    "commit.end",  # commit done, next writer not yet open
    "swap.link",  # rebuild: new symlink made, not yet renamed over ``current``
    "swap.done",  # rebuild: ``current`` replaced, old build not yet deleted
    "remove.old",  # rebuild: old build half deleted
    "manifest.tmp",  # manifest written to its temporary file, not yet renamed
)
_seen: Counter[str] = Counter()
_kill_at = os.environ.get("CHAOS_KILL_AT", "")
_markers = os.environ.get("CHAOS_MARKERS") == "1"


def reach(point: str) -> None:
    _seen[point] += 1
    if _markers:
        print(f"@@ {point} {_seen[point]}", file=sys.stderr, flush=True)
    if _kill_at == f"{point}:{_seen[point]}":
        os.kill(os.getpid(), signal.SIGKILL)


def _around(func, before: str | None = None, after: str | None = None):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        if before:
            reach(before)
        result = func(*args, **kwargs)
        if after:
            reach(after)
        return result

    return wrapper


def _rename_file(self, oldname, newname, safe=False):
    if newname.endswith(".toc"):
        reach("commit.toc")
    return _original_rename(self, oldname, newname, safe)


def _replace(src, dst):
    if Path(dst).name == layout.CURRENT:
        reach("swap.link")
    elif Path(dst).name == "files.json":
        reach("manifest.tmp")
    _original_replace(src, dst)


def _remove_build(index_dir, old):
    if old is not None and old.is_dir():  # delete half of it, then (maybe) die
        files = sorted(p for p in old.iterdir() if p.is_file())
        for path in files[: len(files) // 2]:
            path.unlink()
        reach("remove.old")
    _original_remove_build(index_dir, old)


if os.environ.get("CHAOS_BATCH_DOCS"):
    build.BATCH_DOCS = int(os.environ["CHAOS_BATCH_DOCS"])
_original_commit = writing.SegmentWriter.commit
_snapshots = os.environ.get("CHAOS_SNAPSHOTS")


def _commit(self, *args, **kwargs):
    """A commit between two crash points; with CHAOS_SNAPSHOTS, log the committed state."""
    if _pooled_inside:  # Whoosh's commit called by the pooled writer's, already marked
        return _original_commit(self, *args, **kwargs)
    return _marked(_original_commit, self, *args, **kwargs)


_pooled_inside = False


def _pooled_commit(self, *args, **kwargs):
    """The pooled writer's commit (its merging commits never call Whoosh's), marked once."""
    global _pooled_inside
    _pooled_inside = True
    try:
        return _marked(_original_pooled_commit, self, *args, **kwargs)
    finally:
        _pooled_inside = False


def _marked(commit, self, *args, **kwargs):
    reach("commit.begin")
    folder = self.storage.folder
    commit(self, *args, **kwargs)
    reach("commit.end")
    if _snapshots:
        from whoosh.index import open_dir

        from engines.whoosh.check import content_digest

        with open(_snapshots, "a", encoding="utf-8") as log:
            log.write(content_digest(open_dir(folder)) + "\n")


writing.SegmentWriter.commit = _commit
_original_pooled_commit = whoosh_pool.PooledWriter.commit
whoosh_pool.PooledWriter.commit = _pooled_commit
_original_rename = filestore.FileStorage.rename_file
filestore.FileStorage.rename_file = _rename_file
_original_replace = os.replace
os.replace = _replace
whoosh_writer.swap_in = _around(whoosh_writer.swap_in, after="swap.done")
_original_remove_build = whoosh_writer.remove_build
whoosh_writer.remove_build = _remove_build

if __name__ == "__main__":
    main()
