"""Complete exports: every match, in the page's order, with no cap unless one is asked for."""

from __future__ import annotations

import json

import pytest

from engines.whoosh.engine import WhooshEngine
from search.export import EXPORT_COLUMNS, JSONL_KEYS, export_lines
from search.request import SearchRequest


@pytest.fixture(scope="module")
def engine(sample_index):
    opened = WhooshEngine(sample_index)
    yield opened
    opened.close()


@pytest.mark.parametrize("sort", ["relevance", "newest", "oldest"])
@pytest.mark.parametrize("collapse", [True, False])
def test_every_match_once_in_the_pages_order(engine, sort: str, collapse: bool):
    request = SearchRequest(q="the OR la", sort=sort, collapse=collapse, limit=100)
    result = engine.search(request)
    rows = list(engine.export_rows(request, limit=None))
    assert len(rows) == result.total > 100
    assert len({r.id for r in rows}) == len(rows)
    assert [r.id for r in rows[:100]] == [h.id for h in result.hits]


def test_a_limit_cuts_the_same_order(engine):
    request = SearchRequest(q="the OR la")
    every = [r.id for r in engine.export_rows(request, limit=None)]
    assert [r.id for r in engine.export_rows(request, limit=7)] == every[:7]


def test_json_lines_have_the_documented_keys(engine):
    rows = list(engine.export_rows(SearchRequest(q="otan"), limit=None))
    lines = list(export_lines(iter(rows), "jsonl"))
    assert len(lines) == len(rows) and all(line.endswith("\n") for line in lines)
    first = json.loads(lines[0])
    assert tuple(first) == JSONL_KEYS and first["id"] == rows[0].id
    table = list(export_lines(iter(rows), "csv"))
    assert table[0] == ",".join(EXPORT_COLUMNS) + "\r\n" and len(table) == len(rows) + 1
