"""Contention: two indexing jobs at once, and indexing under a server's load.

The second of two jobs exits 75 at once (or, with ``--wait``, waits and then completes).
A server hammered by concurrent clients while a job commits answers every request and
serves the new commit without a restart (``bench/chaos/load.py`` does the same with ``wrk``
for minutes under ``make chaos``).
"""

from __future__ import annotations

import subprocess
import threading
import time
from pathlib import Path

import pytest
from chaoslib import (
    MANCHETTE,
    check_index,
    index_env,
    run_manchette,
    serve,
    start_indexer,
    write_corpus,
)

from index.layout import lock_holder


def test_the_second_job_exits_75_and_a_waiting_one_completes(tmp_path: Path):
    corpus = tmp_path / "in"
    write_corpus(corpus, 1200, per_file=100, tag="c")
    index_dir = tmp_path / "ix"
    first = start_indexer([corpus], index_dir)
    deadline = time.monotonic() + 60
    while lock_holder(index_dir).get("pid") != first.pid and time.monotonic() < deadline:
        time.sleep(0.05)
    assert lock_holder(index_dir).get("pid") == first.pid, "the first job never took the lock"
    started = time.monotonic()
    second = run_manchette("index", str(corpus), "--index-dir", str(index_dir))
    assert second.returncode == 75, second.stderr
    assert f"pid {first.pid}" in second.stderr  # says who holds the lock
    assert time.monotonic() - started < 15
    third = subprocess.Popen(
        [MANCHETTE, "index", str(corpus), "--index-dir", str(index_dir), "--wait", "300"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=index_env(),
    )
    assert first.wait(timeout=300) == 0
    first.stderr.close()
    out, err = third.communicate(timeout=300)
    assert third.returncode == 0, err
    assert "0 added" in out and "1200 unchanged" in out  # it ran after the first, not with it
    assert check_index(index_dir)["articles"] == 1200


@pytest.mark.chaos
def test_a_server_under_load_serves_a_new_commit_without_failing(tmp_path: Path):
    corpus = tmp_path / "in"
    write_corpus(corpus, 600, per_file=200, tag="base")
    index_dir = tmp_path / "ix"
    assert run_manchette("index", str(corpus), "--index-dir", str(index_dir)).returncode == 0
    with serve(index_dir) as server:
        stop = threading.Event()
        results: list[int] = []

        def hammer() -> None:
            paths = ["/search?q=harbour", "/search.json?q=river&page=2", "/healthz"]
            number = 0
            while not stop.is_set():
                number += 1
                try:
                    results.append(server.get(paths[number % len(paths)], timeout=60)[0])
                except OSError as exc:  # a refused or dropped connection is a failure too
                    results.append(-1)
                    print(exc)

        clients = [threading.Thread(target=hammer) for _ in range(6)]
        for client in clients:
            client.start()
        write_corpus(corpus / "new", 200, tag="fresh", seed=99)
        for args in ([], ["--rebuild"]):  # a commit, then a swap of the whole build
            job = run_manchette("index", str(corpus), "--index-dir", str(index_dir), *args)
            assert job.returncode == 0, job.stderr
            deadline = time.monotonic() + 30
            while server.json("/search.json?q=fresh")["total"] == 0:
                assert time.monotonic() < deadline, "the new commit was never served"
                time.sleep(0.2)
        stop.set()
        for client in clients:
            client.join()
    failed = [status for status in results if status != 200]
    assert results and failed == [], (len(results), failed[:10])
