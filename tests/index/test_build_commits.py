"""Commits by time (issue 14.3): a job commits as it goes, each commit a sound index whose
manifest marks done only the files whose articles it holds; a killed job keeps them."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from builders import write_jsonl
from engines import index_paths, open_engine
from engines.whoosh.writer import known_hashes, open_index
from index.cli import main
from index.layout import live_dir
from index.manifest import MANIFEST, file_key, load_manifest
from search.request import SearchRequest

MANCHETTE = str(Path(sys.executable).parent / "manchette")


def record(number: int) -> dict:
    return {
        "id": f"c{number}",
        "url": f"https://example.org/c/{number}",
        "source": "Example",
        "lang": "en",
        "title": f"Harbour story number {number}",
        "date": "2021-03-04",
        "text": f"The harbour opened berth {number} today.\n\nShips {number} came in at dawn.",
    }


def write_files(folder: Path, files: int, per_file: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [
        write_jsonl(folder / f"f{f:03d}.jsonl", [record(f * per_file + i) for i in range(per_file)])
        for f in range(files)
    ]


def committed_manifest_is_consistent(ix_dir: Path) -> set[str]:
    """The files the manifest marks done; every one of their articles is in the index."""
    manifest = load_manifest(live_dir(ix_dir))
    held = set(known_hashes(open_index(ix_dir)))
    for key, state in manifest.items():
        assert set(state.ids) <= held, f"{key} is marked done but not all its articles are in"
    return set(manifest)


def test_a_tiny_commit_interval_commits_as_it_goes(tmp_path: Path):
    write_files(tmp_path / "in", files=3, per_file=2)
    report = index_paths([tmp_path / "in"], tmp_path / "ix", commit_seconds=0)
    ix = open_index(tmp_path / "ix")
    assert ix.doc_count() == 6
    # one commit per article written, then the last one that merges their segments
    assert report.commits == ix.latest_generation() == 6 + 1
    with ix.reader() as reader:  # the intermediate commits' segments were merged at the end
        assert len(reader.leaf_readers()) < 6
    default = index_paths([tmp_path / "in"], tmp_path / "ix2")
    assert default.commits == open_index(tmp_path / "ix2").latest_generation() == 1


def test_a_small_pool_budget_commits_as_it_goes(tmp_path: Path, runner):
    """``commit_mb``: the job commits when the writer's pooled postings reach the budget,
    whatever the time; the index holds the same articles."""
    write_files(tmp_path / "in", files=3, per_file=4)
    tiny = index_paths([tmp_path / "in"], tmp_path / "ix", commit_seconds=1e9, commit_mb=1e-4)
    whole = index_paths([tmp_path / "in"], tmp_path / "ix2", commit_seconds=1e9)
    assert whole.commits == 1
    assert tiny.commits == open_index(tmp_path / "ix").latest_generation() > 6
    assert known_hashes(open_index(tmp_path / "ix")) == known_hashes(open_index(tmp_path / "ix2"))
    flag = runner.invoke(
        main, ["index", str(tmp_path / "in"), "--index-dir", str(tmp_path / "ix3"),
               "--commit-mb", "0.0001", "--commit-seconds", "1e9", "--quiet"],
    )  # fmt: skip
    assert flag.exit_code == 0, flag.output
    assert open_index(tmp_path / "ix3").latest_generation() == tiny.commits


def test_the_index_after_an_intermediate_commit_is_sound(tmp_path: Path, runner):
    files = write_files(tmp_path / "in", files=3, per_file=2)

    def stop_after_two_files(report, done, total):
        if done == 2:
            raise RuntimeError("killed")

    with pytest.raises(RuntimeError):
        index_paths(
            [tmp_path / "in"], tmp_path / "ix", commit_seconds=0, progress=stop_after_two_files
        )
    checked = runner.invoke(main, ["check", "--index-dir", str(tmp_path / "ix"), "--json"])
    verdict = json.loads(checked.stdout)
    assert checked.exit_code == 0 and verdict["ok"], verdict
    assert verdict["articles"] == 4
    assert committed_manifest_is_consistent(tmp_path / "ix") == {file_key(f) for f in files[:2]}
    again = index_paths([tmp_path / "in"], tmp_path / "ix")
    assert (again.files_skipped, again.added, again.unchanged) == (2, 2, 4)


def test_a_file_cut_by_a_commit_is_not_marked_done(tmp_path: Path):
    import index.build

    write_files(tmp_path / "in", files=1, per_file=index.build.PROGRESS_ARTICLES + 10)

    def stop_within_the_file(report, done, total):
        if report.added:  # called within the file, after some of its articles were committed
            raise RuntimeError("killed")

    with pytest.raises(RuntimeError):
        index_paths(
            [tmp_path / "in"], tmp_path / "ix", commit_seconds=0, progress=stop_within_the_file
        )
    held = len(known_hashes(open_index(tmp_path / "ix")))
    assert held == index.build.PROGRESS_ARTICLES
    assert committed_manifest_is_consistent(tmp_path / "ix") == set()
    again = index_paths([tmp_path / "in"], tmp_path / "ix")
    assert (again.unchanged, again.added) == (held, 10)


def test_a_job_killed_after_a_timed_commit_keeps_its_articles(tmp_path: Path):
    """SIGKILL, in a subprocess, once the first commit made by time is on disk."""
    # Enough articles that the job cannot finish between its first timed commit and the kill
    # (600 no longer sufficed: the job indexes them in well under a second).
    files = write_files(tmp_path / "in", files=60, per_file=50)
    total = 60 * 50
    ix_dir = tmp_path / "ix"
    env = {k: v for k, v in os.environ.items() if not k.startswith("MANCHETTE_")}
    env["MANCHETTE_COMMIT_SECONDS"] = "0.2"
    job = subprocess.Popen(
        [MANCHETTE, "index", str(tmp_path / "in"), "--index-dir", str(ix_dir), "--quiet"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while not (live_dir(ix_dir) / MANIFEST).exists() and job.poll() is None:
        assert time.monotonic() < deadline, "no commit in two minutes"
        time.sleep(0.02)
    job.send_signal(signal.SIGKILL)
    assert job.wait() == -signal.SIGKILL, "the job ended before it could be killed"
    held = len(known_hashes(open_index(ix_dir)))
    assert 0 < held < total
    found = open_engine(ix_dir).search(SearchRequest(q="harbour", collapse=False).validate())
    assert found.total == held
    done_files = committed_manifest_is_consistent(ix_dir)
    args = ["index", str(tmp_path / "in"), "--index-dir", str(ix_dir), "--quiet"]
    rerun = subprocess.run(
        [MANCHETTE, *args, "--report", str(tmp_path / "report.json")],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert rerun.returncode == 0, rerun.stderr
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["files_skipped"] == len(done_files)
    assert report["added"] == total - held
    assert len(known_hashes(open_index(ix_dir))) == total == 50 * len(files)


def test_a_job_that_fails_in_its_last_merge_keeps_what_it_read(tmp_path: Path, monkeypatch):
    """The run's last commit merges segments, and on a small run the merge is most of the
    time: what the run read is committed before it, and the next run (with nothing new to
    read) makes the merge a killed run left undone."""
    import engines.whoosh.pool

    def killed(*args, **kwargs):
        raise RuntimeError("killed in the merge")

    write_files(tmp_path / "in", files=4, per_file=3)
    with monkeypatch.context() as patch:
        patch.setattr(engines.whoosh.pool, "merge_segments", killed)
        with pytest.raises(RuntimeError):  # four commits by time, then the merge fails
            index_paths([tmp_path / "in"], tmp_path / "ix", commit_seconds=0)
        write_jsonl(tmp_path / "in" / "new.jsonl", [record(100), record(101)])
        with pytest.raises(RuntimeError):  # no commit by time: the new file's articles at the end
            index_paths([tmp_path / "in"], tmp_path / "ix", commit_seconds=1e9)
    ix = open_index(tmp_path / "ix")
    assert {"c100", "c101"} <= set(known_hashes(ix))
    assert file_key(tmp_path / "in" / "new.jsonl") in committed_manifest_is_consistent(
        tmp_path / "ix"
    )
    with ix.reader() as reader:  # the commits' segments, left unmerged
        assert len(reader.leaf_readers()) > 4
    again = index_paths([tmp_path / "in"], tmp_path / "ix")
    assert (again.added, again.files_skipped, again.commits) == (0, 5, 1)
    with open_index(tmp_path / "ix").reader() as reader:
        assert len(reader.leaf_readers()) == 1
        assert reader.doc_count() == 14
    assert index_paths([tmp_path / "in"], tmp_path / "ix").commits == 0  # nothing left to merge
