"""Failure tests on a real 3-node OpenSearch cluster (run by ``make chaos``, not ``make test``).

One node is killed (SIGKILL, a crash) while searches run and while ``manchette index`` writes.
With one replica per shard no acknowledged article may be lost, every search must answer
(saying so when results are partial), and an indexing run must report what it could not write
and write it on the next run.

This file is not named ``test_*.py`` so that ``pytest`` does not collect it by default; run it
with ``pytest tests/opensearch/chaos_cluster.py``.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from engines.opensearch.engine import OpenSearchEngine
from engines.opensearch.settings import OpenSearchConfig
from engines.opensearch.store import OpenSearchStore
from search.request import SearchRequest
from tests.opensearch.cluster import LocalCluster

WORDS = [
    "harbour", "council", "minister", "river", "market", "school", "storm", "election",
    "budget", "village", "bridge", "festival", "museum", "railway", "hospital", "ferry",
    "lighthouse", "tide", "fishermen", "quay",
]  # fmt: skip
MANCHETTE = str(Path(sys.executable).parent / "manchette")
ROOT = Path(__file__).resolve().parents[2]
RESULTS: dict[str, dict] = {}
pytestmark = pytest.mark.opensearch  # what each trial saw: chaos-cluster.json ($CHAOS_RESULTS)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalCluster]:
    cluster = LocalCluster(tmp_path_factory.mktemp("cluster"), size=3).start()
    cluster.wait_for("wait_for_status=green", 60)
    try:
        yield cluster
    finally:
        cluster.close()
        folder = ROOT / (os.environ.get("CHAOS_RESULTS") or "var/chaos-results")
        folder.mkdir(parents=True, exist_ok=True)  # as tests/chaos/chaoslib.results_dir
        out = folder / "chaos-cluster.json"
        out.write_text(json.dumps(RESULTS, indent=1) + "\n", encoding="utf-8")


@pytest.fixture
def healthy(cluster: LocalCluster) -> LocalCluster:
    """All three nodes up and every shard copy assigned before the test breaks one."""
    for n in range(cluster.size):
        cluster.start_node(n)
    cluster.wait_for(f"wait_for_nodes={cluster.size}&wait_for_status=green", 120)
    return cluster


def config(cluster: LocalCluster, alias: str) -> OpenSearchConfig:
    return OpenSearchConfig(hosts=tuple(cluster.urls), alias=alias, shards=3, replicas=1)


def write_corpus(folder: Path, files: int, per_file: int, seed: int) -> int:
    rng = random.Random(seed)
    folder.mkdir(parents=True)
    for f in range(files):
        with open(folder / f"part{f:03d}.jsonl", "w", encoding="utf-8") as out:
            for a in range(per_file):
                words = " ".join(rng.choice(WORDS) for _ in range(60))
                record = {
                    "id": f"s{seed}-{f}-{a}",
                    "lang": "en",
                    "source": rng.choice(["Gazette", "Courier", "Herald"]),
                    "date": f"20{rng.randint(10, 24)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                    "title": f"Story {f} {a} " + " ".join(rng.sample(WORDS, 3)),
                    "text": f"Story {f}-{a} of seed {seed}. {words}.",
                }
                out.write(json.dumps(record) + "\n")
    return files * per_file


def run_index(cluster: LocalCluster, alias: str, corpus: Path, state: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "MANCHETTE_BACKEND": "opensearch",
        "MANCHETTE_OPENSEARCH_URL": ",".join(cluster.urls),
        "MANCHETTE_OPENSEARCH_INDEX": alias,
        "MANCHETTE_OPENSEARCH_SHARDS": "3",
        "MANCHETTE_OPENSEARCH_REPLICAS": "1",
    }
    command = [
        MANCHETTE,
        "index",
        str(corpus),
        "--index-dir",
        str(state),
        "--report",
        str(state.parent / f"{state.name}.json"),
    ]
    return subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def acknowledged_ids(state: Path) -> set[str]:
    """The ids of the files the job remembers as written (``INDEX_DIR/opensearch/files.json``)."""
    manifest = json.loads((state / "opensearch" / "files.json").read_text(encoding="utf-8"))
    return {i for entry in manifest.values() for i in entry["ids"]}


def present(store: OpenSearchStore, ids: set[str]) -> set[str]:
    found: set[str] = set()
    wanted = sorted(ids)
    for start in range(0, len(wanted), 1000):
        body = {"ids": wanted[start : start + 1000]}
        docs = store.client.mget(index=store.config.alias, body=body, params={"_source": "false"})
        found |= {d["_id"] for d in docs["docs"] if d.get("found")}
    return found


def test_searches_keep_answering_when_a_node_dies(healthy: LocalCluster, tmp_path: Path):
    alias = "chaos-search"
    total = write_corpus(tmp_path / "corpus", files=4, per_file=150, seed=1)
    store = OpenSearchStore(config(healthy, alias))
    indexer = run_index(healthy, alias, tmp_path / "corpus", tmp_path / "state")
    _out, err = indexer.communicate(timeout=300)
    assert indexer.returncode == 0, err
    backend = OpenSearchEngine(tmp_path / "state", store)
    expected = backend.search(SearchRequest("harbour", collapse=False)).total
    assert 0 < expected < total
    answers: list[tuple[int, str | None]] = []
    errors: list[BaseException] = []
    stop = threading.Event()

    def load() -> None:
        while not stop.is_set():
            try:
                result = backend.search(SearchRequest("harbour", collapse=False, limit=5))
                answers.append((result.total, result.notice))
            except BaseException as exc:  # every failure counts against the cluster
                errors.append(exc)

    threads = [threading.Thread(target=load) for _ in range(3)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 60
    while len(answers) < 20 and not errors and time.monotonic() < deadline:
        time.sleep(0.1)
    before = len(answers)
    healthy.stop_node(2, kill=True)
    deadline = time.monotonic() + 60
    while len(answers) < before + 50 and time.monotonic() < deadline:
        time.sleep(0.1)
    stop.set()
    for thread in threads:
        thread.join(30)
    RESULTS["search"] = {
        "nodes": 3, "shards": 3, "replicas": 1, "articles": total, "killed": "node 2 (SIGKILL)",
        "answers_before_kill": before, "answers_after_kill": len(answers) - before,
        "full_answers": sum(1 for found, _ in answers if found == expected),
        "partial_notices": sum(1 for _, notice in answers if notice), "errors": len(errors),
    }  # fmt: skip
    print(f"search under a node kill: {RESULTS['search']}")
    assert not errors, errors[:3]
    assert before > 0 and len(answers) > before + 10  # it kept answering after the crash
    for found, notice in answers:
        assert found == expected or (notice and "Partial results" in notice), (found, notice)
    assert backend.doc_count() == total
    assert backend.health().status == "degraded"


def test_a_new_index_has_every_replica_started_before_the_job_writes_to_it(healthy: LocalCluster):
    """A write acknowledged while a shard's replica is still being set up lives on the primary
    alone: the job's new index must come back with every copy started, so that one node
    dying can never take an acknowledged article with it."""
    store = OpenSearchStore(config(healthy, "chaos-fresh"))
    assert store.copies() == 2
    index = store.create_index()
    try:
        shards = store.client.cat.shards(index=index, format="json")
        assert len(shards) == 6, shards  # 3 primaries, 3 replicas
        assert {shard["state"] for shard in shards} == {"STARTED"}, shards
    finally:
        store.delete_index(index)


def test_no_acknowledged_article_is_lost_when_a_node_dies_during_indexing(
    healthy: LocalCluster, tmp_path: Path
):
    alias = "chaos-index"
    corpus, state = tmp_path / "corpus", tmp_path / "state"
    total = write_corpus(corpus, files=30, per_file=150, seed=2)
    store = OpenSearchStore(config(healthy, alias))
    indexer = run_index(healthy, alias, corpus, state)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # kill a node once articles are arriving
        if store.live_index() and store.client.count(index=alias)["count"] > 0:
            break
        time.sleep(0.05)
    healthy.stop_node(1, kill=True)
    _out, err = indexer.communicate(timeout=600)
    # 0: everything written despite the crash; 1: some files refused, listed, kept for later
    assert indexer.returncode in (0, 1), err
    report = json.loads((tmp_path / "state.json").read_text(encoding="utf-8"))
    assert (indexer.returncode == 1) == bool(report["rejected"]), report["rejected"][:3]
    acknowledged = acknowledged_ids(state)
    print(
        f"first run: exit {indexer.returncode}, {report['added']} added, "
        f"{len(report['rejected'])} rejected, {len(acknowledged)} acknowledged of {total}"
    )
    store.refresh()
    lost = acknowledged - present(store, acknowledged)
    assert not lost, sorted(lost)[:5]  # nothing acknowledged is lost
    # the next run (the node still down) writes what the first could not
    again = run_index(healthy, alias, corpus, state)
    _out, err = again.communicate(timeout=600)
    assert again.returncode == 0, err
    store.refresh()
    RESULTS["index"] = {
        "nodes": 3, "shards": 3, "replicas": 1, "articles": total, "killed": "node 1 (SIGKILL)",
        "first_run_exit": indexer.returncode, "first_run_added": report["added"],
        "first_run_rejected_files": len(report["rejected"]),
        "acknowledged": len(acknowledged), "acknowledged_lost": len(lost),
        "second_run_exit": again.returncode,
        "final_count": store.client.count(index=alias)["count"],
    }  # fmt: skip
    assert store.client.count(index=alias)["count"] == total
    assert len(acknowledged_ids(state)) == total


def test_healthz_says_degraded_when_a_node_dies_and_503_when_the_cluster_cannot_answer(
    healthy: LocalCluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """One node of three killed: every shard still has a copy, /healthz answers 200 with
    status "degraded"; a second one killed: no cluster manager or a missing primary, 503."""
    from web import create_app

    alias = "chaos-health"
    total = write_corpus(tmp_path / "corpus", files=1, per_file=60, seed=3)
    store = OpenSearchStore(config(healthy, alias))
    OpenSearchEngine(tmp_path / "state", store).index_paths([tmp_path / "corpus"])
    healthy.wait_for("wait_for_status=green", 60)
    monkeypatch.setenv("MANCHETTE_BACKEND", "opensearch")
    monkeypatch.setenv("MANCHETTE_OPENSEARCH_URL", ",".join(healthy.urls))
    monkeypatch.setenv("MANCHETTE_OPENSEARCH_INDEX", alias)
    client = create_app({"INDEX_DIR": str(tmp_path / "state"), "TESTING": True}).test_client()
    answer = client.get("/healthz")
    assert (answer.status_code, answer.get_json()["status"]) == (200, "ok")
    healthy.stop_node(2, kill=True)
    seen = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # until the cluster notices the node is gone
        answer = client.get("/healthz")
        seen.append((answer.status_code, answer.get_json()["status"]))
        if seen[-1][1] != "ok":
            break
        time.sleep(0.5)
    assert seen[-1] == (200, "degraded"), seen
    data = answer.get_json()
    assert data["articles"] == total and data["detail"]["number_of_nodes"] == 2
    healthy.stop_node(1, kill=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        answer = client.get("/healthz")
        if answer.status_code != 200:
            break
        time.sleep(0.5)
    assert answer.status_code == 503 and answer.get_json()["status"] in ("red", "unavailable")
    RESULTS["healthz"] = {
        "nodes": 3, "shards": 3, "replicas": 1, "one_killed": seen[-1],
        "two_killed": (answer.status_code, answer.get_json()["status"]),
    }  # fmt: skip
