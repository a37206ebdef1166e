"""A server fed by cron jobs keeps in its process-wide caches only the segments it reads: a
commit or a rebuild lets the older segments' decoded data go (a long-running server's memory
stayed flat only until then)."""

from __future__ import annotations

from pathlib import Path

from builders import write_jsonl
from engines import index_paths
from engines.whoosh import codec, collect, memo, vectorized
from engines.whoosh.compat import segment_id
from engines.whoosh.execute import run_search
from engines.whoosh.searchers import IndexHandle
from search.request import SearchRequest


def articles(prefix: str, count: int) -> list[dict]:
    return [
        {
            "id": f"{prefix}{i}",
            "lang": "en",
            "title": f"Harbour ferry timetable {prefix} {i}",
            "text": f"The harbour ferry {prefix}{i} sails at dawn across the bay, article {i}.",
            "date": f"2021-03-{10 + i:02d}",
        }
        for i in range(count)
    ]


def cached_segments() -> set[str]:
    """Every segment id named by a key of the process-wide caches."""
    named: set[str] = set()
    for key in list(vectorized.CACHE.items):
        named.update(key[0])
    for key in list(vectorized._SEGMENT_ARRAYS):
        named.update(key[0])
    named.update(key[0] for key in list(collect._SEGMENTS))
    named.update(key[0].partition("/")[2] for key in list(codec._BLOCKS.items))
    for key in list(memo._SHARED):
        named.update(key[1])
    return named


def search_all(handle: IndexHandle) -> set[str]:
    searcher = handle.searcher()
    for words in ("harbour", "ferry dawn", '"harbour ferry"', "timetable"):
        run_search(searcher, SearchRequest(q=words, sort="newest"))
    return {segment_id(r) or "" for r, _ in searcher.reader().leaf_readers()}


def test_a_commit_and_a_rebuild_let_the_older_segments_cached_data_go(tmp_path: Path) -> None:
    folder, index_dir = tmp_path / "in", tmp_path / "index"
    folder.mkdir()
    write_jsonl(folder / "a.jsonl", articles("a", 6))
    index_paths([folder], index_dir, parse_workers=0)
    handle = IndexHandle(index_dir, refresh_seconds=0)
    first = search_all(handle)
    assert first <= cached_segments()

    write_jsonl(folder / "b.jsonl", articles("b", 4))  # a commit: one more segment
    index_paths([folder], index_dir, parse_workers=0)
    second = search_all(handle)
    assert second != first
    assert second <= cached_segments()

    index_paths([folder], index_dir, parse_workers=0, rebuild=True)  # a new build
    third = search_all(handle)
    assert not third & (first | second)
    named = cached_segments()
    assert third <= named
    assert not named & ((first | second) - third), "a dead segment's data is still cached"
    handle.close()
