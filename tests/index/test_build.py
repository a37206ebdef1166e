"""The indexing job against a real on-disk Whoosh index."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from builders import write_jsonl

from index.build import index_paths
from index.writer import (
    VERSION_FILE,
    IndexLocked,
    RebuildRequired,
    create_or_open,
    known_hashes,
    open_index,
    open_writer,
)

RECORDS = [
    {
        "id": f"a{i}",
        "url": f"https://example.org/{i}",
        "source": "Example",
        "lang": "en",
        "title": f"Story number {i} about harbours",
        "date": f"2020-01-0{i + 1}",
        "text": f"Paragraph one of story {i} about the harbour.\n\nParagraph two, ships {i}.",
    }
    for i in range(4)
]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    (folder / "nested").mkdir(parents=True)
    write_jsonl(folder / "one.jsonl", RECORDS[:2])
    write_jsonl(folder / "nested" / "two.jsonl", RECORDS[2:])
    return folder


def test_first_run_adds_every_article_from_nested_folders(corpus: Path, tmp_path: Path):
    report = index_paths([corpus], tmp_path / "ix")
    assert (report.files, report.added, report.updated, report.unchanged) == (2, 4, 0, 0)
    assert report.committed
    assert set(known_hashes(open_index(tmp_path / "ix"))) == {"a0", "a1", "a2", "a3"}


def test_rerun_on_unchanged_input_changes_nothing(corpus: Path, tmp_path: Path):
    index_paths([corpus], tmp_path / "ix")
    generation = open_index(tmp_path / "ix").latest_generation()
    report = index_paths([corpus], tmp_path / "ix")
    assert (report.added, report.updated, report.unchanged) == (0, 0, 4)
    assert not report.committed
    assert open_index(tmp_path / "ix").latest_generation() == generation


def test_changed_article_is_updated_not_duplicated(corpus: Path, tmp_path: Path):
    index_paths([corpus], tmp_path / "ix")
    changed = [dict(RECORDS[0], title="A new title"), RECORDS[1]]
    write_jsonl(corpus / "one.jsonl", changed)
    report = index_paths([corpus], tmp_path / "ix")
    assert (report.added, report.updated, report.unchanged) == (0, 1, 3)
    ix = open_index(tmp_path / "ix")
    assert ix.doc_count() == 4
    with ix.searcher() as s:
        assert s.document(id="a0")["title"] == "A new title"


def test_broken_file_is_reported_and_the_rest_is_indexed(corpus: Path, tmp_path: Path):
    (corpus / "broken.jsonl.gz").write_bytes(b"this is not gzip at all")
    report = index_paths([corpus, tmp_path / "missing.jsonl"], tmp_path / "ix")
    assert report.added == 4
    reasons = {Path(r.path.split("#")[0]).name: r.reason for r in report.rejected}
    assert set(reasons) == {"broken.jsonl.gz", "missing.jsonl"}
    assert all(reasons.values())


def test_same_id_twice_in_one_run_is_indexed_once(tmp_path: Path):
    src = write_jsonl(tmp_path / "dup.jsonl", [RECORDS[0], dict(RECORDS[0], title="Other")])
    report = index_paths([src], tmp_path / "ix")
    assert (report.added, report.duplicates) == (1, 1)
    assert open_index(tmp_path / "ix").doc_count() == 1


def test_a_second_writer_is_refused_at_once(corpus: Path, tmp_path: Path):
    ix = create_or_open(tmp_path / "ix")
    holder = open_writer(ix)
    try:
        with pytest.raises(IndexLocked, match="another manchette job"):
            index_paths([corpus], tmp_path / "ix")
    finally:
        holder.cancel()
    assert index_paths([corpus], tmp_path / "ix").added == 4


def test_failure_mid_run_leaves_the_last_commit(corpus: Path, tmp_path: Path, monkeypatch):
    index_paths([corpus], tmp_path / "ix")
    write_jsonl(corpus / "three.jsonl", [dict(RECORDS[0], id="new", title="Brand new")])

    def explode(report):
        raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError):
        index_paths([corpus], tmp_path / "ix", progress=explode)
    ix = open_index(tmp_path / "ix")
    assert ix.doc_count() == 4
    assert "new" not in known_hashes(ix)
    assert index_paths([corpus], tmp_path / "ix").added == 1  # the lock was released


def test_index_from_another_version_requires_a_rebuild(corpus: Path, tmp_path: Path):
    index_paths([corpus], tmp_path / "ix")
    (tmp_path / "ix" / VERSION_FILE).write_text(json.dumps({"schema_version": 0}))
    with pytest.raises(RebuildRequired, match="rebuild required"):
        open_index(tmp_path / "ix")
