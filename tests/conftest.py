"""Shared fixtures: real indexes on disk built by the real indexer, a real app, a CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from builders import SAMPLE_DIR, XSS_ARTICLE, write_jsonl
from engines import index_paths


@pytest.fixture(scope="session")
def sample_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample (190 Wikinews articles + the seed) plus one hostile article."""
    base = tmp_path_factory.mktemp("sample")
    extra = write_jsonl(base / "xss.jsonl", [XSS_ARTICLE])
    index_dir = base / "index"
    # one commit at the end whatever the machine's load (commit-by-time would cut a slow
    # build into two segments, and tests on one segment's reader rely on one)
    report = index_paths([SAMPLE_DIR, extra], index_dir, commit_seconds=3600)
    assert not report.rejected, report.rejected
    return index_dir


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def app(sample_index: Path):
    from web import create_app

    return create_app({"INDEX_DIR": str(sample_index), "TESTING": True})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def tools_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The batch/trends/exports corpus (``tools_corpus``): a story copied across months."""
    from tools_corpus import build_tools_index

    return build_tools_index(tmp_path_factory.mktemp("tools"))
