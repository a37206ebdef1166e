"""Opening a searcher reads a segment in place: it does not copy the index into memory."""

from __future__ import annotations

import random
import tracemalloc
from pathlib import Path

from whoosh.filedb.compound import CompoundStorage
from whoosh.query import Term

from builders import write_jsonl
from engines import index_paths
from engines.whoosh.writer import open_index

WORDS = [f"mot{i}" for i in range(3000)]


def corpus(n: int) -> list[dict]:
    rnd = random.Random(5)
    return [
        {
            "id": str(i),
            "lang": "en",
            "title": " ".join(rnd.choices(WORDS, k=6)),
            "text": " ".join(rnd.choices(WORDS, k=300)),
        }
        for i in range(n)
    ]


def segment_bytes(live: Path) -> int:
    return sum(f.stat().st_size for f in live.glob("*.seg"))


def test_a_searcher_does_not_copy_its_segments(tmp_path: Path):
    index_paths([write_jsonl(tmp_path / "a.jsonl", corpus(400))], tmp_path / "ix")
    ix = open_index(tmp_path / "ix")
    on_disk = segment_bytes(Path(ix.storage.folder))
    assert on_disk > 1_000_000  # big enough for a copy to show

    with ix.searcher() as warm:  # imports and caches of a first search are not the point
        warm.search(Term("exact", "mot7"), limit=5)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        searcher = ix.searcher()
        hits = searcher.search(Term("exact", "mot7"), limit=5)
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert len(hits) > 0  # the postings were read (from the mapping)
    assert grown < on_disk / 10, f"opening a searcher allocated {grown} B for {on_disk} B"
    searcher.close()


def test_sub_files_read_the_same_bytes_as_the_file(tmp_path: Path):
    index_paths([write_jsonl(tmp_path / "a.jsonl", corpus(50))], tmp_path / "ix")
    ix = open_index(tmp_path / "ix")
    live = Path(ix.storage.folder)
    seg = next(live.glob("*.seg"))
    storage = CompoundStorage(ix.storage.open_file(seg.name))
    raw = seg.read_bytes()
    for name in storage.list():
        offset, length = storage.range(name)
        f = storage.open_file(name)
        assert f.read(length) == raw[offset : offset + length]
        f.seek(0)
        assert f.get(1, 5) == raw[offset + 1 : offset + 6]
        assert f.read(length + 10) == raw[offset : offset + length]  # bounded by the sub-file
    storage.close()
