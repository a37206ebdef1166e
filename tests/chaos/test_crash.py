"""Crash safety, the fast part (``bench/chaos/kill_index.py`` runs 30+ kills under ``make chaos``).

Real ``manchette index`` processes are SIGKILLed: from outside while their parsing worker
runs, and by themselves at named crash points inside a commit and inside a rebuild's swap.
"""

from __future__ import annotations

import json
import os
import signal
import time
from dataclasses import replace
from pathlib import Path

import pytest
from chaoslib import (
    check_index,
    children_of,
    copy_index,
    kill_corpus,
    run_manchette,
    run_reference,
    run_trial,
    start_indexer,
    wait_gone,
    write_corpus,
)

from engines.whoosh.check import content_digest
from engines.whoosh.writer import open_index


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("crash")


def test_a_killed_job_leaves_no_process_and_does_not_block_the_next(work: Path):
    """The parsing worker dies with the job, so its inherited locks do not outlive it."""
    corpus = work / "worker-corpus"
    write_corpus(corpus, 1500, per_file=100, tag="w")
    index_dir = work / "worker-ix"
    proc = start_indexer([corpus], index_dir)
    deadline = time.monotonic() + 60
    while not (family := children_of(proc.pid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert family, "the parsing worker never started"
    time.sleep(0.5)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    proc.stderr.close()
    survivors = wait_gone(family, timeout=5)
    for pid in survivors:
        os.kill(pid, signal.SIGKILL)
    assert survivors == [], "the parsing worker outlived the killed job"
    again = run_manchette("index", str(corpus), "--index-dir", str(index_dir), "--quiet")
    assert again.returncode == 0, again.stderr
    assert "did not finish" in again.stderr  # the dead job's lock record was found, cleared
    assert check_index(index_dir)["articles"] == 1500


@pytest.fixture(scope="module")
def scenario(work: Path):
    return replace(kill_corpus(work, base_articles=100, new_articles=300), batch_docs=100)


@pytest.fixture(scope="module")
def incremental(scenario, work: Path):
    return run_reference(scenario, work)


@pytest.mark.parametrize(
    "point", ["commit.toc:2", pytest.param("commit.end:1", marks=pytest.mark.chaos)]
)
def test_kill_inside_a_commit_leaves_the_last_committed_state(scenario, work, incremental, point):
    assert len(incremental.states) >= 4  # the run commits several times
    result = run_trial(scenario, work, incremental, kind="point", point=point)
    assert result.killed
    assert result.problems == []
    assert result.state == result.allowed[0]
    assert result.stale_cleared and result.final_ok and result.rerun_code == 0


@pytest.mark.chaos
def test_kill_inside_the_rebuild_swap_keeps_the_old_index(scenario, work: Path):
    rebuild = replace(scenario, args=("--rebuild",))
    reference = run_reference(rebuild, work)
    result = run_trial(rebuild, work, reference, kind="point", point="swap.link:1")
    assert result.killed
    assert result.problems == []
    assert result.state == "S0" and result.final_ok


def test_check_passes_on_a_sound_index_and_fails_on_damage(work: Path, scenario):
    sound = check_index(work / "base")
    assert sound["exit_code"] == 0 and sound["ok"], sound
    assert sound["articles"] == 100
    assert sound["digest"] == content_digest(open_index(work / "base"))
    for damage in ("flip", "truncate", "delete"):
        broken = copy_index(work / "base", work / f"broken-{damage}")
        segment = next(broken.glob("builds/*/*.seg"))
        if damage == "flip":
            data = bytearray(segment.read_bytes())
            middle = len(data) // 2
            data[middle : middle + 4096] = os.urandom(4096)
            segment.write_bytes(bytes(data))
        elif damage == "truncate":
            os.truncate(segment, segment.stat().st_size // 3)
        else:
            segment.unlink()
        verdict = check_index(broken)
        assert verdict["exit_code"] == 3 and verdict["problems"], (damage, verdict)


def test_check_text_output_and_missing_index(tmp_path: Path, work: Path):
    done = run_manchette("check", "--index-dir", str(work / "base"))
    assert done.returncode == 0 and "sound" in done.stdout
    missing = run_manchette("check", "--index-dir", str(tmp_path / "none"), "--json")
    assert missing.returncode == 3
    assert "manchette index" in json.loads(missing.stdout)["problems"][0]
