"""The streaming merge (``engines.whoosh.merge``): the segment it writes holds what Whoosh's own
merge writes, and an index it merged answers every query as a fresh build does."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest
from test_vectorized import SEED, queries, variants, vocabulary
from test_whoosh_pool import custom_schema, fill, generated, index_content, shards
from whoosh import fields, index

from builders import SAMPLE_DIR, write_jsonl
from builders import PolicySegment as Segment
from engines import index_paths
from engines.whoosh import compat, pool, vectorized
from engines.whoosh.codec import ArrayCodec
from engines.whoosh.collect import walk
from engines.whoosh.compile import compile_request
from engines.whoosh.pool import (
    FLOOR_DOCS,
    STREAM_FAN_IN,
    PooledWriter,
    merge_tiered,
    streaming_merges,
)
from engines.whoosh.searchers import IndexHandle
from search.request import SearchRequest

SAMPLE = SAMPLE_DIR / "sample.jsonl"


def everything(segments: list) -> list:
    return list(segments)


def without_vectors() -> fields.Schema:
    """``custom_schema`` without its vectors (the streaming merge copies stored fields raw
    when no field has vectors, as Manchette's schema has none)."""
    schema = custom_schema()
    schema._fields["text"] = fields.TEXT(stored=True, phrase=True)
    return schema


def build(path: Path, streaming: bool, monkeypatch, schema=custom_schema) -> list[dict]:
    """Three segments, deletions and an update, then one merging commit: by the streaming
    merge (every segment chosen), or by Whoosh's ``optimize`` through the pool."""
    path.mkdir()
    compat.install()
    ix = index.create_in(str(path), schema())
    for batch in range(3):
        writer = PooledWriter(ix, codec=ArrayCodec())
        fill(writer, batch * 150, 150)
        writer.commit(merge=False)
    writer = PooledWriter(ix, codec=ArrayCodec())
    for i in range(0, 450, 11):
        writer.delete_by_term("key", f"k{i}")
    writer.update_document(key="k3", text="replaced alpha", count=3)
    fill(writer, 1000, 20)
    if streaming:
        monkeypatch.setattr(pool, "streaming_merges", everything)
        writer.commit(mergetype=merge_tiered)
    else:
        writer.commit(optimize=True)
    writer = PooledWriter(ix, codec=ArrayCodec())
    writer.delete_by_term("key", "k1")
    if streaming:
        writer.commit(mergetype=merge_tiered)  # nothing added: the deletion rewrites
    else:
        writer.commit(optimize=True)
    monkeypatch.undo()
    return index_content(ix)


@pytest.mark.parametrize("schema", [custom_schema, without_vectors])
def test_streaming_merge_writes_what_whoosh_merge_writes(tmp_path: Path, monkeypatch, schema):
    """Terms, postings (ids, weights, values), term statistics, lengths, stored fields,
    columns and vectors, deleted documents dropped, documents in Whoosh's order."""
    streamed = build(tmp_path / "streamed", True, monkeypatch, schema)
    pooled = build(tmp_path / "pooled", False, monkeypatch, schema)
    assert len(streamed) == 1 and streamed[0]["columns"] and streamed[0]["stored"]
    assert bool(streamed[0]["vectors"]) is (schema is custom_schema)
    assert streamed[0]["docs"] == 450 + 20 - len(range(0, 450, 11)) - 1
    assert streamed == pooled


def test_a_merge_of_deleted_documents_only_leaves_no_segment(tmp_path: Path) -> None:
    compat.install()
    ix = index.create_in(str(tmp_path), custom_schema())
    writer = PooledWriter(ix, codec=ArrayCodec())
    fill(writer, 0, 30)
    writer.commit(merge=False)
    writer = PooledWriter(ix, codec=ArrayCodec())
    for i in range(30):
        writer.delete_by_term("key", f"k{i}")
    writer.commit(mergetype=merge_tiered)  # a segment all deleted is purged
    assert ix.doc_count_all() == 0 and compat.committed_segment_ids(ix) == set()
    assert not [n for n in ix.storage.list() if n.endswith((".seg", ".mpo", ".mtd"))]


def test_a_full_build_merges_into_one_segment_and_an_edit_waits() -> None:
    build = [Segment(7_000 + i) for i in range(9)] + [Segment(3_000)]
    assert streaming_merges(build) == build  # whatever the total: no cap
    merged = Segment(sum(s.docs for s in build))
    edits = [Segment(600 + i) for i in range(STREAM_FAN_IN - 1)]
    assert streaming_merges([merged, *edits]) == []
    one_more = Segment(FLOOR_DOCS // 2)
    assert streaming_merges([merged, *edits, one_more]) == [*edits, one_more]
    purged = Segment(200_000, deleted=150_000)
    assert streaming_merges([merged, purged, *edits]) == [purged]
    purged_small = Segment(20_000, deleted=19_000)  # what it keeps fills the edits' class
    assert streaming_merges([merged, purged_small, *edits]) == [purged_small, *edits]


def test_merged_segments_cascade_into_their_new_size_class() -> None:
    larger = [Segment(20_000 + i) for i in range(STREAM_FAN_IN - 1)]
    small = [Segment(2_000 + i) for i in range(STREAM_FAN_IN * 3)]  # merged: 24,000+ documents
    assert streaming_merges([*larger, *small]) == [*larger, *small]
    assert streaming_merges([*larger, *small[: STREAM_FAN_IN - 1]]) == []


def matched(handle: IndexHandle, request: SearchRequest) -> dict[str, float]:
    """Each matching article's id and score (both paths must agree)."""
    searcher = handle.searcher()
    compiled = compile_request(searcher, request, None)
    scored = request.sort == "relevance"
    ids, scores, partial = walk(searcher, compiled.query, compiled.filter, scored, 3600.0)
    assert not partial
    fast = vectorized.matches(searcher, compiled.query, compiled.filter, scored=scored)
    if fast is not None:
        assert np.array_equal(np.sort(fast[0]), np.sort(ids))
    names = [searcher.stored_fields(int(d))["id"] for d in ids]
    return dict(zip(names, np.asarray(scores, dtype=float).tolist(), strict=True))


@pytest.fixture(scope="module")
def fresh_and_merged(tmp_path_factory: pytest.TempPathFactory):
    """The same articles: indexed at once, and in commits of 40 whose segments the last
    commit streams into one."""
    base = tmp_path_factory.mktemp("merge")
    records = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]
    records += generated(120)
    fresh = base / "fresh"
    (base / "all").mkdir()
    write_jsonl(base / "all" / "all.jsonl", records)
    assert not index_paths([base / "all"], fresh, parse_workers=0).rejected
    folder = base / "in"
    shards(records, folder, per_file=40)
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setattr(pool, "STREAM_FAN_IN", 2)
    report = index_paths([folder], base / "merged", parse_workers=0, commit_seconds=0)
    monkeypatch.undo()
    assert report.commits > 5
    return IndexHandle(fresh), IndexHandle(base / "merged")


def test_a_streamed_index_answers_as_a_fresh_build(fresh_and_merged) -> None:
    fresh, merged = fresh_and_merged
    reader = merged.searcher().reader()
    assert len(reader.leaf_readers()) == 1 and not reader.has_deletions()
    assert reader.doc_count() == fresh.searcher().reader().doc_count()
    rng = random.Random(SEED)
    found = 0
    for text in queries(vocabulary(fresh), 120):
        for request in variants(text, rng):
            want, got = matched(fresh, request), matched(merged, request)
            assert want.keys() == got.keys(), request
            for name, score in want.items():
                assert got[name] == pytest.approx(score, rel=1e-9), (request, name)
            found += bool(want)
    assert found > 200  # the queries find things: not a comparison of empty sets
