"""A permanently broken file is reported once (issue 16.9): later runs skip it silently while
it is unchanged, and ``manchette stats`` still lists it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from builders import write_jsonl
from engines import index_paths
from engines.whoosh.writer import known_hashes, open_index
from index.cli import main


def record(number: int, **changes: str) -> dict:
    return {
        "id": f"r{number}",
        "url": f"https://example.org/r/{number}",
        "source": "Example",
        "lang": "en",
        "title": f"Ferry timetable number {number}",
        "date": "2022-05-06",
        "text": f"The ferry {number} leaves at noon.\n\nTickets {number} are sold on board.",
        **changes,
    }


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    write_jsonl(folder / "good.jsonl", [record(1), record(2)])
    partly = write_jsonl(folder / "partly.jsonl", [record(3)])
    with partly.open("a", encoding="utf-8") as handle:
        handle.write("{this line is not json\n")
    (folder / "broken.jsonl.gz").write_bytes(b"not gzip at all")
    return folder


def index(runner, folder: Path, ix_dir: Path, *options: str):
    return runner.invoke(main, ["index", str(folder), "--index-dir", str(ix_dir), *options])


def test_a_broken_file_is_reported_once_then_skipped_silently(runner, inputs, tmp_path: Path):
    ix_dir = tmp_path / "ix"
    first = index(runner, inputs, ix_dir, "--quiet")
    assert first.exit_code == 1
    reported = [line for line in first.stderr.splitlines() if line.startswith("rejected: ")]
    assert len(reported) == 2
    assert any("broken.jsonl.gz" in line for line in reported)
    assert any("partly.jsonl#L2" in line for line in reported)
    again = index(runner, inputs, ix_dir, "--quiet")
    assert (again.exit_code, again.output) == (0, "")
    assert set(known_hashes(open_index(ix_dir))) == {"r1", "r2", "r3"}


def test_stats_still_lists_what_was_rejected(runner, inputs, tmp_path: Path):
    ix_dir = tmp_path / "ix"
    index(runner, inputs, ix_dir, "--quiet")
    index(runner, inputs, ix_dir, "--quiet")
    stats = json.loads(runner.invoke(main, ["stats", "--index-dir", str(ix_dir), "--json"]).stdout)
    run = stats["last_run"]
    assert (run["rejected_count"], run["still_rejected"], run["files_still_rejected"]) == (0, 2, 2)
    listed = {Path(item["path"]).name: item["reason"] for item in run["still_rejected_inputs"]}
    assert set(listed) == {"broken.jsonl.gz", "partly.jsonl#L2"} and all(listed.values())
    text = runner.invoke(main, ["stats", "--index-dir", str(ix_dir)]).stdout
    assert "still rejected: 2 input(s) of 2 unchanged file(s)" in text
    assert "partly.jsonl#L2" in text


def test_a_changed_file_is_read_and_reported_again(runner, inputs, tmp_path: Path):
    ix_dir = tmp_path / "ix"
    index(runner, inputs, ix_dir, "--quiet")
    write_jsonl(inputs / "partly.jsonl", [record(3), record(4)])  # repaired
    (inputs / "broken.jsonl.gz").write_bytes(b"still not gzip, but other bytes")
    third = index(runner, inputs, ix_dir, "--quiet")
    assert third.exit_code == 1
    reported = [line for line in third.stderr.splitlines() if line.startswith("rejected: ")]
    assert len(reported) == 1 and "broken.jsonl.gz" in reported[0]
    assert "r4" in known_hashes(open_index(ix_dir))
    fourth = index(runner, inputs, ix_dir, "--quiet")
    assert (fourth.exit_code, fourth.output) == (0, "")


def test_a_partial_read_deletes_nothing(tmp_path: Path):
    src = write_jsonl(tmp_path / "a.jsonl", [record(1), record(2)])
    index_paths([src], tmp_path / "ix")
    src.write_text(json.dumps(record(1)) + "\n{truncated\n", encoding="utf-8")
    report = index_paths([src], tmp_path / "ix")
    assert len(report.rejected) == 1 and report.deleted == 0
    assert set(known_hashes(open_index(tmp_path / "ix"))) == {"r1", "r2"}
    write_jsonl(src, [record(1)])  # read cleanly: now the article is gone for good
    assert index_paths([src], tmp_path / "ix").deleted == 1


def test_the_summary_counts_files_then_records(runner, inputs, tmp_path: Path):
    ix_dir = tmp_path / "ix"
    first = index(runner, inputs, ix_dir).stdout.strip().splitlines()[-1]
    assert re.fullmatch(
        r"3 files: 3 read, 0 unchanged, 2 rejected; records: 3 added, 0 updated, "
        r"0 unchanged, 0 deleted, 0 duplicates, 2 rejected in [\d.]+s",
        first,
    ), first
    again = index(runner, inputs, ix_dir).stdout.strip().splitlines()[-1]
    assert re.fullmatch(
        r"3 files: 0 read, 3 unchanged, 0 rejected, 2 still rejected \(unchanged, not "
        r"reported again\); records: 0 added, 0 updated, 3 unchanged, 0 deleted, "
        r"0 duplicates, 0 rejected in [\d.]+s",
        again,
    ), again
