"""The Whoosh schema pickles its field classes by import path: moving one bumps SCHEMA_VERSION."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from builders import write_jsonl
from engines import index_paths
from engines.base import RebuildRequired
from engines.whoosh.schema import AnalysedText
from engines.whoosh.writer import VERSION_FILE, open_index
from index.analysis import ANALYSIS_VERSION
from index.layout import live_dir
from index.schema import SCHEMA_VERSION

STORY = {"id": "s1", "lang": "en", "title": "Harbour", "text": "Ships in the harbour."}


def test_the_schema_pickles_the_field_class_where_it_lives(tmp_path: Path):
    index_paths([write_jsonl(tmp_path / "a.jsonl", [STORY])], tmp_path / "ix")
    tocs = list(live_dir(tmp_path / "ix").glob("_MAIN_*.toc"))
    assert tocs and AnalysedText.__module__.encode() in tocs[0].read_bytes()
    assert AnalysedText.__module__ == "engines.whoosh.schema" and SCHEMA_VERSION >= 7


def test_an_index_of_the_previous_schema_asks_for_a_rebuild(tmp_path: Path, runner):
    from index.cli import main

    source = write_jsonl(tmp_path / "a.jsonl", [STORY])
    index_paths([source], tmp_path / "ix")
    old = {"schema_version": 6, "analysis_version": ANALYSIS_VERSION}  # index.schema's classes
    (live_dir(tmp_path / "ix") / VERSION_FILE).write_text(json.dumps(old))
    with pytest.raises(RebuildRequired, match=r"schema_version': 6.*rebuild required"):
        open_index(tmp_path / "ix")
    result = runner.invoke(main, ["search", "harbour", "--index-dir", str(tmp_path / "ix")])
    assert result.exit_code == 3
    assert "rebuild required" in result.stderr and "--rebuild" in result.stderr
    assert index_paths([source], tmp_path / "ix", rebuild=True).added == 1
    assert open_index(tmp_path / "ix").doc_count() == 1
