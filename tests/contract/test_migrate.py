"""``manchette migrate --to opensearch`` on the bundled sample: the same archive afterwards."""

from __future__ import annotations

from pathlib import Path

import pytest

from builders import SAMPLE_DIR
from engines import index_paths
from engines.opensearch.engine import OpenSearchEngine
from engines.whoosh.engine import WhooshEngine
from index.cli import main
from search.request import SearchRequest
from tests.contract.conftest import opensearch_store
from tests.opensearch.cluster import LocalCluster

QUERIES = ["otan", "Crimee", "manifestations", '"conseil de sécurité"', "election", "nasa -mars"]


def test_migrated_archive_answers_like_the_original(
    opensearch_node: LocalCluster, tmp_path: Path, runner, monkeypatch: pytest.MonkeyPatch
):
    index_dir = tmp_path / "index"
    built = index_paths([SAMPLE_DIR], index_dir, parse_workers=0)
    store = opensearch_store(opensearch_node)
    monkeypatch.setenv("MANCHETTE_OPENSEARCH_URL", ",".join(store.config.hosts))
    monkeypatch.setenv("MANCHETTE_OPENSEARCH_INDEX", store.config.alias)
    try:
        result = runner.invoke(
            main, ["migrate", "--to", "opensearch", "--index-dir", str(index_dir)]
        )
        assert result.exit_code == 0, result.output
        assert f"{built.added} of {built.added} articles copied" in result.output
        whoosh, remote = WhooshEngine(index_dir), OpenSearchEngine(index_dir, store)
        assert remote.doc_count() == whoosh.doc_count() == built.added
        for q in QUERIES:
            request = SearchRequest(q, limit=100, collapse=False)
            mine, theirs = whoosh.search(request), remote.search(request)
            assert {h.id for h in theirs.hits} == {h.id for h in mine.hits}, q
        # the next run on OpenSearch finds every file unchanged
        monkeypatch.setenv("MANCHETTE_BACKEND", "opensearch")
        again = index_paths([SAMPLE_DIR], index_dir, parse_workers=0)
        assert (again.added, again.updated, again.files_skipped) == (0, 0, built.files)
    finally:
        store.client.indices.delete(index=store.config.pattern)


def test_the_sample_indexed_directly_answers_like_whoosh(
    opensearch_node: LocalCluster, tmp_path: Path
):
    """The whole job on the bundled sample, directly on OpenSearch."""
    built = index_paths([SAMPLE_DIR], tmp_path / "whoosh", parse_workers=1)
    store = opensearch_store(opensearch_node)
    try:
        remote = OpenSearchEngine(tmp_path / "state", store).index_paths([SAMPLE_DIR])
        assert (remote.added, remote.relearned, remote.rejected) == (
            built.added,
            built.relearned,
            built.rejected,
        )
        whoosh = WhooshEngine(tmp_path / "whoosh")
        for q in QUERIES:
            request = SearchRequest(q, limit=100)
            mine, theirs = (
                whoosh.search(request),
                OpenSearchEngine(tmp_path / "state", store).search(request),
            )
            assert {h.id for h in theirs.hits} == {h.id for h in mine.hits}, q
            assert {h.id: h.cluster_size for h in theirs.hits} == {
                h.id: h.cluster_size for h in mine.hits
            }, q
    finally:
        store.client.indices.delete(index=store.config.pattern)


def test_migrating_a_missing_archive_fails_cleanly(tmp_path: Path, runner):
    result = runner.invoke(main, ["migrate", "--to", "opensearch", "--index-dir", str(tmp_path)])
    assert result.exit_code == 3
    assert "nothing switched: no index in" in result.output
