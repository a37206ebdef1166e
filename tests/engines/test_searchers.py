"""A server's index handle sees new commits and rebuilds without being restarted."""

from __future__ import annotations

import threading
from pathlib import Path

from builders import write_jsonl
from engines import index_paths
from engines.whoosh.searchers import IndexHandle
from engines.whoosh.writer import IndexMissing


def record(i: str, word: str) -> dict:
    return {"id": i, "lang": "en", "title": f"About {word}", "text": f"A story about {word}."}


def test_handle_sees_commits_and_rebuilds(tmp_path: Path):
    src = write_jsonl(tmp_path / "a.jsonl", [record("1", "otters")])
    index_paths([src], tmp_path / "ix")
    handle = IndexHandle(tmp_path / "ix", refresh_seconds=0)
    assert handle.searcher().doc_count() == 1

    write_jsonl(tmp_path / "a.jsonl", [record("1", "otters"), record("2", "beavers")])
    index_paths([src], tmp_path / "ix")
    assert handle.searcher().doc_count() == 2

    write_jsonl(tmp_path / "a.jsonl", [record("3", "herons")])
    index_paths([src], tmp_path / "ix", rebuild=True)
    searcher = handle.searcher()
    assert searcher.doc_count() == 1 and searcher.document(id="3") is not None


def test_each_thread_gets_its_own_searcher(tmp_path: Path):
    src = write_jsonl(tmp_path / "a.jsonl", [record("1", "otters")])
    index_paths([src], tmp_path / "ix")
    handle = IndexHandle(tmp_path / "ix")
    seen = []
    worker = threading.Thread(target=lambda: seen.append(handle.searcher()))
    worker.start()
    worker.join()
    assert seen[0] is not handle.searcher()
    assert handle.searcher() is handle.searcher()


def test_a_failed_reopen_keeps_serving_the_open_commit(tmp_path: Path):
    src = write_jsonl(tmp_path / "a.jsonl", [record("1", "otters")])
    index_paths([src], tmp_path / "ix")
    handle = IndexHandle(tmp_path / "ix", refresh_seconds=0)
    first = handle.searcher()
    live = (tmp_path / "ix" / "current").resolve()

    # the live build vanishes under the server (swapped and cleaned at that very moment)
    (tmp_path / "ix" / "current").unlink()
    (tmp_path / "ix" / "current").symlink_to(tmp_path / "nowhere")
    searcher = handle.searcher()
    assert searcher is first and searcher.document(id="1") is not None

    # a thread that never had a searcher is told the index is missing
    fresh_thread: list = []

    def open_one() -> None:
        try:
            handle.searcher()
        except IndexMissing as exc:
            fresh_thread.append(exc)

    worker = threading.Thread(target=open_one)
    worker.start()
    worker.join()
    assert len(fresh_thread) == 1

    # once a build is live again, the next check opens it
    (tmp_path / "ix" / "current").unlink()
    (tmp_path / "ix" / "current").symlink_to(live)
    write_jsonl(tmp_path / "a.jsonl", [record("1", "otters"), record("2", "beavers")])
    index_paths([src], tmp_path / "ix")
    assert handle.searcher().doc_count() == 2
