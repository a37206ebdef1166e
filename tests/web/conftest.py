"""Fixtures of the web tests: a small hand-made index (see ``web_corpus``) and its client.

The web tests read the English interface unless they ask for French: their apps fall back to
English (``UI_LANGUAGE``); ``test_i18n`` checks the product's own fallback, French.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from web_corpus import small_records

from builders import write_jsonl
from engines import index_paths

ENGLISH = {"TESTING": True, "UI_LANGUAGE": "en"}


@pytest.fixture(scope="session")
def small_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("small")
    records = small_records()
    report = index_paths([write_jsonl(base / "small.jsonl", records)], base / "ix")
    assert report.added == len(records), report
    return base / "ix"


@pytest.fixture
def small(small_index: Path):
    """A test client on the small index."""
    from web import create_app

    return create_app({**ENGLISH, "INDEX_DIR": str(small_index)}).test_client()


@pytest.fixture
def app(sample_index: Path):
    """The sample's app, in English when the browser asks for no language."""
    from web import create_app

    return create_app({**ENGLISH, "INDEX_DIR": str(sample_index)})
