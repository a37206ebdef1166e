"""Private Whoosh access (engines/whoosh/compat.py): the Whoosh it was written for, installed
explicitly; a searcher reads its segments in place instead of copying them into memory."""

from __future__ import annotations

import random
import tracemalloc
from pathlib import Path

import pytest
from whoosh.filedb.compound import CompoundStorage
from whoosh.query import Term

from builders import write_jsonl
from engines import index_paths
from engines.whoosh import compat
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


def test_the_installed_whoosh_is_the_one_compat_was_written_for():
    """An upgrade of Whoosh fails here first: re-read compat.py, then move WRITTEN_FOR."""
    import whoosh

    assert compat.whoosh_version() == compat.WRITTEN_FOR == tuple(whoosh.__version__)
    compat.check_version()


def test_another_whoosh_is_refused_before_anything_is_patched(monkeypatch):
    import whoosh

    monkeypatch.setattr(whoosh, "__version__", (2, 7, 6))
    monkeypatch.setattr(CompoundStorage, "open_file", compat._original_open_file)
    with pytest.raises(compat.WhooshChanged, match=r"written for 2\.7\.5"):
        compat.install()
    assert not compat.installed()


def test_installed_when_an_index_is_opened_not_when_imported(tmp_path: Path):
    import subprocess
    import sys

    index_paths([write_jsonl(tmp_path / "a.jsonl", corpus(3))], tmp_path / "ix")
    script = (
        "import sys, engines.whoosh.engine, web\n"
        "from engines.whoosh import compat\n"
        "from engines.whoosh.writer import open_index\n"
        "before = compat.installed()\n"
        "open_index(sys.argv[1])\n"
        "print(before, compat.installed())"
    )
    run = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "ix")], capture_output=True, text=True
    )
    assert run.stdout.split() == ["False", "True"], run.stderr


def _resident_kb_of(path: Path) -> int:
    """Resident kilobytes of this process's mappings of ``path`` (/proc/self/smaps)."""
    total, inside = 0, False
    for line in Path("/proc/self/smaps").read_text().splitlines():
        if line[:1].isdigit() or line[:1] in "abcdef":
            inside = line.rstrip().endswith(str(path))
        elif inside and line.startswith("Rss:"):
            total += int(line.split()[1])
    return total


def test_released_pages_leave_the_resident_size_and_read_back_the_same(tmp_path: Path):
    """An export reads every stored article; releasing the mapped pages it touched takes them
    out of the process's resident size, and what is read again is unchanged."""
    index_paths([write_jsonl(tmp_path / "a.jsonl", corpus(400))], tmp_path / "ix")
    ix = open_index(tmp_path / "ix")
    with ix.searcher() as searcher:
        first = [searcher.stored_fields(n) for n in range(searcher.doc_count_all())]
        (segment,) = Path(ix.storage.folder).glob("*.seg")
        touched = _resident_kb_of(segment)
        compat.release_mapped_pages(searcher)
        released = _resident_kb_of(segment)
        again = [searcher.stored_fields(n) for n in range(searcher.doc_count_all())]
    assert touched > 100 and released < touched / 4, (touched, released)
    assert again == first
