"""A server's index handle sees new commits and rebuilds without being restarted."""

from __future__ import annotations

import threading
from pathlib import Path

from builders import write_jsonl
from index.build import index_paths
from search.searchers import IndexHandle


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
