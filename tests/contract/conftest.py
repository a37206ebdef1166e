"""The contract suite's fixtures: one archive per backend, built by that backend's real job.

``archive`` is parametrized over ``whoosh`` and ``opensearch``. The OpenSearch side runs on a
real single-node OpenSearch 2.19 started once per session by ``tests/opensearch/cluster.py``
(built with Maven on first use); each archive gets its own alias, so tests never share data.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from engines.opensearch.engine import OpenSearchEngine
from engines.opensearch.settings import OpenSearchConfig
from engines.opensearch.store import OpenSearchStore
from engines.whoosh.engine import WhooshEngine
from tests.contract.archives import Archive
from tests.opensearch.cluster import LocalCluster

BACKENDS = ("whoosh", "opensearch")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """``opensearch``: the tests that need a real node (deselect with -m "not opensearch")."""
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        if "opensearch_node" in getattr(item, "fixturenames", ()) or "opensearch" in (
            params.values()
        ):
            item.add_marker(pytest.mark.opensearch)


_aliases = itertools.count(1)


@pytest.fixture(scope="session")
def opensearch_node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalCluster]:
    cluster = LocalCluster(tmp_path_factory.mktemp("opensearch"), size=1).start()
    try:
        yield cluster
    finally:
        cluster.close()


def opensearch_store(node: LocalCluster) -> OpenSearchStore:
    config = OpenSearchConfig(
        hosts=tuple(node.urls), alias=f"contract{next(_aliases)}", shards=1, replicas=0
    )
    return OpenSearchStore(config)


def open_archive(name: str, base: Path, request: pytest.FixtureRequest) -> Archive:
    index_dir = base / "index"
    if name == "whoosh":
        return Archive(name, index_dir, WhooshEngine(index_dir))
    store = opensearch_store(request.getfixturevalue("opensearch_node"))
    request.addfinalizer(lambda: _drop(store))
    return Archive(name, index_dir, OpenSearchEngine(index_dir, store), store)


def _drop(store: OpenSearchStore) -> None:
    store.client.indices.delete(index=store.config.pattern, params={"ignore_unavailable": "true"})
    store.client.close()


@pytest.fixture(params=BACKENDS)
def empty_archive(request: pytest.FixtureRequest, tmp_path: Path) -> Archive:
    """A new, empty archive (for tests that write)."""
    return open_archive(request.param, tmp_path, request)


CORPUS = Path(__file__).resolve().parents[1] / "data" / "contract" / "articles.jsonl"


@pytest.fixture(scope="module", params=BACKENDS)
def archive(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Archive:
    """The contract corpus (tests/data/contract), indexed once per module and backend."""
    opened = open_archive(request.param, tmp_path_factory.mktemp(request.param), request)
    report = opened.index(CORPUS)
    assert (report.added, report.rejected) == (8, []), report
    return opened
