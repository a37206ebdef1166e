"""Records of a changed file whose bytes did not change are not parsed again, and the index
ends as one built fresh from the same files (``index.records``, ``index.build``)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from builders import write_jsonl
from engines import index_paths
from engines.whoosh.writer import open_index, whoosh_documents
from index.layout import live_dir
from index.manifest import load_manifest

TOPICS = ["harbour", "bridge", "museum", "election", "orchestra", "rainfall", "library", "tram"]


def record(number: int, edit: str = "") -> dict:
    topic = TOPICS[number % len(TOPICS)]
    return {
        "id": f"r{number}",
        "url": f"https://example.org/{number}",
        "source": "Example",
        "lang": "en",
        "title": f"Story {number} about the {topic}",
        "date": f"2021-02-{number % 28 + 1:02d}",
        "text": f"Story {number} opens on the {topic} and what was decided there.\n\n"
        f"A second paragraph of story {number} tells the rest of the {topic} affair.{edit}",
    }


def write_gz(path: Path, records: list[dict]) -> Path:
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    return path


def documents(index_dir: Path) -> dict[str, dict]:
    """Every stored document by id: its stored fields, hashes, cluster and analysed text."""
    return {doc["id"]: doc for doc in whoosh_documents(open_index(index_dir))}


def fresh(folder: Path, tmp_path: Path) -> dict[str, dict]:
    """The documents of an index built from scratch from ``folder``."""
    target = tmp_path / f"fresh-{len(list(tmp_path.iterdir()))}"
    index_paths([folder], target, parse_workers=0)
    return documents(target)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "in"
    path.mkdir()
    write_gz(path / "a.jsonl.gz", [record(i) for i in range(10)])
    write_jsonl(path / "b.jsonl", [record(i) for i in range(10, 16)])
    return path


@pytest.mark.parametrize("workers", [0, 1])
def test_only_the_edited_record_is_parsed(folder: Path, tmp_path: Path, workers: int):
    index_paths([folder], tmp_path / "ix", parse_workers=workers)
    records = [record(i, " Edited." if i == 4 else "") for i in range(10)]
    write_gz(folder / "a.jsonl.gz", records)
    report = index_paths([folder], tmp_path / "ix", parse_workers=workers)
    assert (report.added, report.updated, report.unchanged, report.deleted) == (0, 1, 15, 0)
    assert (report.passed_over, report.files_skipped) == (9, 1)
    assert documents(tmp_path / "ix") == fresh(folder, tmp_path)
    assert documents(tmp_path / "ix")["r4"]["body"].endswith("Edited.")


@pytest.mark.parametrize(
    ("ids", "expected"),
    [
        # r12 removed: r13-r15 move up a line (their location changes: written again); r16 added
        ((10, 11, 13, 14, 15, 16), {"added": 1, "updated": 3, "deleted": 1, "passed_over": 2}),
        # r16 appended: every other line left unparsed
        (tuple(range(10, 17)), {"added": 1, "updated": 0, "passed_over": 6}),
        # reordered: the records that moved are written at their new place
        ((15, 11, 12, 13, 14, 10), {"added": 0, "updated": 2, "passed_over": 4, "deleted": 0}),
    ],
    ids=["added-and-removed", "appended", "reordered"],
)
def test_rewritten_file_writes_only_what_moved_or_changed(
    folder: Path, tmp_path: Path, ids: tuple[int, ...], expected: dict[str, int]
):
    index_paths([folder], tmp_path / "ix")
    write_jsonl(folder / "b.jsonl", [record(i) for i in ids])
    report = index_paths([folder], tmp_path / "ix")
    assert {name: getattr(report, name) for name in expected} == expected
    assert documents(tmp_path / "ix") == fresh(folder, tmp_path)


def test_blank_lines_and_line_endings(folder: Path, tmp_path: Path):
    index_paths([folder], tmp_path / "ix")
    lines = [json.dumps(record(i)) for i in range(10, 16)]
    lines[2] += "\r"  # the same record, other bytes: parsed again, unchanged
    (folder / "b.jsonl").write_text("\n".join(lines) + "\n\n", encoding="utf-8")
    report = index_paths([folder], tmp_path / "ix")
    assert (report.added, report.updated, report.unchanged, report.passed_over) == (0, 0, 16, 5)


def test_a_line_turned_broken_is_reported_and_the_others_pass(folder: Path, tmp_path: Path):
    index_paths([folder], tmp_path / "ix")
    lines = [json.dumps(record(i)) for i in range(10, 16)]
    lines[3] = lines[3][:40]
    (folder / "b.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = index_paths([folder], tmp_path / "ix")
    (rejected,) = report.rejected
    assert rejected.path.endswith("b.jsonl#L4")
    assert (report.updated, report.deleted, report.passed_over) == (0, 0, 5)
    assert "r13" in documents(tmp_path / "ix")  # a partial read deletes nothing (build.py)
    again = index_paths([folder], tmp_path / "ix")  # unchanged: listed, not reported again
    assert (again.rejected, len(again.still_rejected_inputs)) == ([], 1)


def test_a_truncated_archive_keeps_what_it_held(folder: Path, tmp_path: Path):
    index_paths([folder], tmp_path / "ix")
    data = (folder / "a.jsonl.gz").read_bytes()
    (folder / "a.jsonl.gz").write_bytes(data[: len(data) * 2 // 3])
    report = index_paths([folder], tmp_path / "ix")
    assert any("a.jsonl.gz" in r.path for r in report.rejected)
    assert (report.updated, report.deleted) == (0, 0)
    assert len(documents(tmp_path / "ix")) == 16


def test_a_json_array_passes_over_its_unchanged_records(tmp_path: Path):
    folder = tmp_path / "in"
    folder.mkdir()
    path = folder / "all.json"
    path.write_text(json.dumps({"articles": [record(i) for i in range(5)]}), encoding="utf-8")
    index_paths([folder], tmp_path / "ix")
    edited = [record(i, " Edited." if i == 2 else "") for i in range(5)]
    # the same records in another key order and spacing, one edited
    text = json.dumps({"articles": [dict(reversed(r.items())) for r in edited]}, indent=2)
    path.write_text(text, encoding="utf-8")
    report = index_paths([folder], tmp_path / "ix")
    assert (report.updated, report.passed_over) == (1, 4)
    assert documents(tmp_path / "ix") == fresh(folder, tmp_path)


def test_an_edited_copy_of_another_text_is_a_duplicate(folder: Path, tmp_path: Path):
    index_paths([folder], tmp_path / "ix")
    copy = dict(record(12), text=record(3)["text"])  # r12 now repeats r3's text
    write_jsonl(folder / "b.jsonl", [record(i) if i != 12 else copy for i in range(10, 16)])
    report = index_paths([folder], tmp_path / "ix")
    (duplicate,) = report.duplicates
    assert (duplicate.id, duplicate.duplicate_of, duplicate.reason) == ("r12", "r3", "same text")
    assert (report.deleted, report.passed_over) == (1, 5)
    assert "r12" not in documents(tmp_path / "ix")
    write_jsonl(folder / "b.jsonl", [record(i) for i in range(10, 16)])
    back = index_paths([folder], tmp_path / "ix")
    assert (back.added, back.passed_over, back.duplicates) == (1, 5, [])
    assert documents(tmp_path / "ix") == fresh(folder, tmp_path)


def test_an_id_read_earlier_in_the_run_is_parsed_again(folder: Path, tmp_path: Path):
    # r11 moves into a.jsonl.gz (read first): its line in b.jsonl, unchanged, is now a
    # duplicate of it, not an article passed over.
    index_paths([folder], tmp_path / "ix")
    write_gz(folder / "a.jsonl.gz", [record(i) for i in (*range(10), 11)])
    (folder / "b.jsonl").write_text((folder / "b.jsonl").read_text() + "\n", encoding="utf-8")
    report = index_paths([folder], tmp_path / "ix")
    (duplicate,) = report.duplicates
    assert (duplicate.id, duplicate.reason) == ("r11", "same id")
    assert duplicate.path.endswith("b.jsonl#L2")
    assert documents(tmp_path / "ix") == fresh(folder, tmp_path)


def test_the_manifest_keeps_a_digest_per_indexed_record(folder: Path, tmp_path: Path):
    index_paths([folder], tmp_path / "ix")
    manifest = load_manifest(live_dir(tmp_path / "ix"))
    (state,) = [s for key, s in manifest.items() if key.endswith("b.jsonl")]
    assert sorted(state.records) == [f"L{n}" for n in range(1, 7)]
    assert [entry.split(" ")[2] for entry in state.records.values()] == state.ids


def test_a_manifest_without_records_reads_the_file_whole_once(folder: Path, tmp_path: Path):
    index_paths([folder], tmp_path / "ix")
    target = live_dir(tmp_path / "ix") / "files.json"
    old = json.loads(target.read_text(encoding="utf-8"))
    for state in old.values():  # as an earlier version wrote it
        del state["records"], state["learned"]
    target.write_text(json.dumps(old), encoding="utf-8")
    write_jsonl(
        folder / "b.jsonl", [record(i, " Edited." if i == 10 else "") for i in range(10, 16)]
    )
    first = index_paths([folder], tmp_path / "ix")
    assert (first.updated, first.passed_over) == (1, 0)
    write_jsonl(folder / "b.jsonl", [record(i) for i in range(10, 16)])
    second = index_paths([folder], tmp_path / "ix")
    assert (second.updated, second.passed_over) == (1, 5)


def test_a_rebuild_parses_everything(folder: Path, tmp_path: Path):
    index_paths([folder], tmp_path / "ix")
    write_jsonl(
        folder / "b.jsonl", [record(i, " Edited." if i == 10 else "") for i in range(10, 16)]
    )
    report = index_paths([folder], tmp_path / "ix", rebuild=True)
    assert (report.added, report.passed_over) == (16, 0)
    assert documents(tmp_path / "ix") == fresh(folder, tmp_path)


PROMO = "Subscribe to Example for more stories like this one."


def test_boilerplate_learned_while_passing_over_records_is_cleaned_later(
    folder: Path, tmp_path: Path
):
    # r0 prints the promotion from the start; five more articles print it in the second run,
    # which learns it while r0's line, unchanged, is passed over (as an unchanged file's
    # articles are). The next change to the file parses it whole: r0 is cleaned then.
    def with_promo(number: int) -> dict:
        return dict(record(number), text=record(number)["text"] + "\n\n" + PROMO)

    write_gz(folder / "a.jsonl.gz", [with_promo(0), *map(record, range(1, 10))])
    index_paths([folder], tmp_path / "ix")
    edited = [with_promo(i) if i < 6 else record(i) for i in range(10)]
    write_gz(folder / "a.jsonl.gz", edited)
    second = index_paths([folder], tmp_path / "ix")
    # r1-r4 are written with it, then again without (learned at r5, which stays as it was)
    assert (second.updated, second.relearned, second.passed_over) == (4, 4, 5)
    assert PROMO not in documents(tmp_path / "ix")["r1"]["body"]
    write_gz(folder / "a.jsonl.gz", [*edited, record(20)])
    third = index_paths([folder], tmp_path / "ix")
    assert (third.added, third.updated, third.passed_over) == (1, 1, 0)
    assert PROMO not in documents(tmp_path / "ix")["r0"]["body"]
    fourth_input = [*edited, record(20), record(21)]
    write_gz(folder / "a.jsonl.gz", fourth_input)
    fourth = index_paths([folder], tmp_path / "ix")
    assert (fourth.added, fourth.passed_over) == (1, 11)


def test_records_written_again_after_learning_are_passed_over_next(folder: Path, tmp_path: Path):
    promoted = [dict(record(i), text=record(i)["text"] + "\n\n" + PROMO) for i in range(10)]
    write_gz(folder / "a.jsonl.gz", promoted)
    first = index_paths([folder], tmp_path / "ix")
    assert first.relearned == 4  # r0-r3, read before the promotion was learned at r4
    write_gz(folder / "a.jsonl.gz", [*promoted, record(20)])
    second = index_paths([folder], tmp_path / "ix")
    assert (second.added, second.updated, second.passed_over) == (1, 0, 10)
    assert documents(tmp_path / "ix") == fresh(folder, tmp_path)
