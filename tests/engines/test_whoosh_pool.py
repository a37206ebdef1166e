"""The array pool writes the index Whoosh's own SegmentWriter writes: every segment's terms,
postings (ids, weights, values), term statistics, lengths, stored fields, columns, vectors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from whoosh import fields, index
from whoosh.analysis import StemmingAnalyzer
from whoosh.writing import SegmentWriter

from builders import SAMPLE_DIR, write_jsonl
from builders import PolicySegment as Segment
from engines import index_paths
from engines.whoosh import compat
from engines.whoosh import writer as writer_module
from engines.whoosh.pool import (
    FAN_IN,
    FLOOR_DOCS,
    MAX_MERGE_DOCS,
    POOL_ENV,
    FieldPool,
    PooledWriter,
    open_pooled,
    tiered_merges,
)
from engines.whoosh.writer import open_index

SAMPLE = SAMPLE_DIR / "sample.jsonl"


def segment_content(reader) -> dict:
    """Everything a segment holds, keyed so that two segments compare with ``==``."""
    schema = reader.schema
    doccount = reader.doc_count_all()
    terms = {}
    for fieldname, tbytes in reader.all_terms():
        info = reader.term_info(fieldname, tbytes)
        matcher = reader.postings(fieldname, tbytes)
        postings = []
        while matcher.is_active():
            postings.append((matcher.id(), matcher.weight(), matcher.value()))
            matcher.next()
        stats = (info.doc_frequency(), info.weight(), info.min_length(), info.max_length())
        terms[fieldname, tbytes] = (stats, info.max_weight(), postings)
    names = sorted(schema.names())
    lengths = {n: [reader.doc_field_length(d, n) for d in range(doccount)] for n in names}
    columns = {
        n: list(reader.column_reader(n, translate=False))
        for n in names
        if schema[n].column_type is not None
    }
    vectors = {}
    for docnum in range(doccount):
        for n in names:
            if schema[n].vector and reader.has_vector(docnum, n):
                vectors[docnum, n] = list(reader.vector_as("weight", docnum, n))
    stored = [reader.stored_fields(d) for d in range(doccount)]
    deleted = sorted(reader.all_doc_ids())
    return {
        "docs": doccount,
        "terms": terms,
        "lengths": lengths,
        "field_lengths": {n: reader.field_length(n) for n in names},
        "columns": columns,
        "vectors": vectors,
        "stored": stored,
        "live": deleted,
    }


def index_content(ix) -> list[dict]:
    with ix.reader() as reader:
        return [segment_content(leaf) for leaf, _ in reader.leaf_readers()]


def job_content(index_dir: Path) -> list[dict]:
    return index_content(open_index(index_dir))


def shards(records: list[dict], folder: Path, per_file: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.jsonl"):
        old.unlink()
    for start in range(0, len(records), per_file):
        path = folder / f"part-{start // per_file:03d}.jsonl"
        write_jsonl(path, records[start : start + per_file])


def generated(count: int) -> list[dict]:
    """Articles in several languages that share words (long posting lists, many blocks)."""
    lines = {
        "en": "river council budget school harbour election storm bridge",
        "fr": "fleuve conseil budget école port élection tempête pont",
        "de": "Fluss Rat Haushalt Schule Hafen Wahl Sturm Brücke",
    }
    words = {lang: line.split() for lang, line in lines.items()}
    records = []
    for i in range(count):
        lang = ("en", "fr", "de")[i % 3]
        vocab = words[lang]
        title = " ".join(vocab[(i + k) % len(vocab)] for k in range(4)) + f" {i}"
        body = " ".join(vocab[(i * k) % len(vocab)] for k in range(1, 60))
        records.append(
            {
                "id": f"gen-{i}",
                "url": f"https://example.org/{i}",
                "source": f"Source {i % 5}",
                "lang": lang,
                "title": title,
                "date": f"20{10 + i % 12:02d}-0{1 + i % 9}-1{i % 10}",
                "text": f"{body}.\n\nParagraph {i} about the {vocab[i % len(vocab)]}.",
            }
        )
    return records


def merge_all(writer, merge: bool) -> None:
    """The job's commits with every segment merged at the end (the same policy for both
    writers: the merges go through ``add_reader``)."""
    writer.commit(optimize=merge, merge=merge)


def run_both(monkeypatch, tmp_path: Path, folders: list[Path], **options) -> None:
    monkeypatch.setattr(writer_module, "commit", merge_all)
    for name, switch in (("pooled", "1"), ("stock", "0")):
        monkeypatch.setenv(POOL_ENV, switch)
        report = index_paths(folders, tmp_path / name, parse_workers=0, **options)
        assert not report.rejected, report.rejected


def test_job_with_commits_updates_deletions_and_merges(monkeypatch, tmp_path: Path) -> None:
    sample = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]
    records = sample[:50] + generated(150)
    folder = tmp_path / "in"
    shards(records, folder, per_file=50)  # a commit per file: segments to merge at the end
    run_both(monkeypatch, tmp_path, [folder], commit_seconds=0)
    first = job_content(tmp_path / "pooled")
    assert len(first) == 1 and first[0]["docs"] >= len(records)
    assert first == job_content(tmp_path / "stock")

    edited = [
        {**r, "text": r["text"] + " Edited again, with a new word: zanzibar."} if i % 7 == 0 else r
        for i, r in enumerate(records)
    ]
    shards(edited[:-60], folder, per_file=50)  # updates, and the last file's articles go
    run_both(monkeypatch, tmp_path, [folder], commit_seconds=0, prune=True)
    second = job_content(tmp_path / "pooled")
    assert second[0]["docs"] < first[0]["docs"]
    assert second == job_content(tmp_path / "stock")


def custom_schema() -> fields.Schema:
    return fields.Schema(
        key=fields.ID(stored=True, unique=True, sortable=True),
        text=fields.TEXT(stored=True, vector=True, phrase=True),
        tags=fields.KEYWORD(stored=True, scorable=True, field_boost=2.0),
        stem=fields.TEXT(analyzer=StemmingAnalyzer(), phrase=False),
        count=fields.NUMERIC(stored=True, sortable=True),
        plain=fields.STORED(),
    )


def fill(writer, start: int, count: int) -> None:
    for i in range(start, start + count):
        doc = {
            "key": f"k{i}",
            "text": f"alpha beta {'gamma ' * (i % 4)}delta {i}",
            "tags": f"t{i % 3} t{i % 5} shared",
            "stem": "running runners ran " * (1 + i % 3),
            "count": i * 7,
            "plain": {"i": i},
        }
        if i % 4 == 0:
            doc["_stored_text"] = f"shown {i}"
        if i % 5 == 0:
            doc["_boost"] = 1.5
        if i % 6 == 0:
            doc["_tags_boost"] = 3.0
        if i % 9 == 0:
            doc.pop("stem")
        writer.add_document(**doc)


def build(path: Path, make) -> list[dict]:
    path.mkdir()
    compat.install()
    ix = index.create_in(str(path), custom_schema())
    for batch in range(3):
        writer = make(ix)
        fill(writer, batch * 150, 150)
        writer.commit(merge=False)
    writer = make(ix)
    for i in range(0, 450, 11):
        writer.delete_by_term("key", f"k{i}")
    writer.update_document(key="k3", text="replaced alpha", count=3)
    fill(writer, 1000, 20)
    writer.commit(optimize=True)  # every segment merged, deletions dropped
    writer = make(ix)
    writer.delete_by_term("key", "k1")
    writer.commit(optimize=True)  # a merge with nothing added
    return index_content(ix)


def test_direct_writer_matches_whoosh(tmp_path: Path) -> None:
    pooled = build(tmp_path / "pooled", PooledWriter)
    stock = build(tmp_path / "stock", SegmentWriter)
    assert len(pooled) == 1 and pooled[0]["vectors"] and pooled[0]["columns"]
    assert pooled == stock


def test_per_posting_fallback_matches(tmp_path: Path, monkeypatch) -> None:
    """A field writer without whole-array writing gets Whoosh's start_term/add/finish_term."""
    monkeypatch.setattr(compat, "term_arrays_writer", lambda fieldwriter: None)
    pooled = build(tmp_path / "pooled", PooledWriter)
    monkeypatch.undo()
    assert pooled == build(tmp_path / "stock", SegmentWriter)


def test_switch_turns_the_pool_off(tmp_path: Path, monkeypatch) -> None:
    compat.install()
    ix = index.create_in(str(tmp_path), custom_schema())
    monkeypatch.setenv(POOL_ENV, "0")
    writer = open_pooled(ix)
    assert type(writer) is SegmentWriter
    writer.cancel()
    monkeypatch.setenv(POOL_ENV, "1")
    writer = open_pooled(ix)
    assert type(writer) is PooledWriter
    writer.cancel()


def test_separate_spelling_is_refused_and_unlocks(tmp_path: Path) -> None:
    schema = fields.Schema(text=fields.TEXT(analyzer=StemmingAnalyzer(), spelling=True))
    ix = index.create_in(str(tmp_path), schema)
    with pytest.raises(ValueError, match="spelling"):
        PooledWriter(ix)
    ix.writer().cancel()  # the lock was released


def test_a_failing_document_leaves_nothing_pooled(tmp_path: Path) -> None:
    compat.install()
    ix = index.create_in(str(tmp_path), custom_schema())
    writer = PooledWriter(ix)
    with pytest.raises(ValueError):
        writer.add_document(key="bad", text="alpha beta", count="not a number")
    assert all(not len(pool) for pool in writer.pool.fields.values())
    with pytest.raises(ValueError, match="twice"):
        writer.add_document(key="bad", count=[7, 7])  # Whoosh would pool two postings
    writer.add_document(key="good", text="alpha")
    writer.commit()
    with ix.searcher() as searcher:
        assert [d["key"] for d in searcher.documents()] == ["good"]


class ArrayFieldWriter:
    """A field writer that takes whole arrays (as ``engines.whoosh.codec``'s does): records
    what it is given."""

    def __init__(self) -> None:
        self.calls: list[tuple] = []

    def start_field(self, fieldname, fieldobj) -> None:
        self.calls.append(("start", fieldname))

    def add_term_arrays(self, tbytes, docnums, weights, values, lengths) -> None:
        self.calls.append((tbytes, docnums.tolist(), weights.tolist(), values, lengths.tolist()))

    def finish_field(self) -> None:
        self.calls.append(("finish",))


def test_whole_terms_reach_add_term_arrays_in_byte_order() -> None:
    from engines.whoosh.pool import write_field

    pool = FieldPool()
    pool.add_document(0, (b"pear", b"apple"), (2.0, 1.0), (b"\x02", b"\x01"))
    pool.add_document(3, (b"fig", b"pear"), (1.0, 5.0), (b"\x01", b"\x05"))
    lengths = np.array([7, 0, 0, 9])
    sink = ArrayFieldWriter()
    write_field(sink, "f", None, pool, lengths)
    assert sink.calls == [
        ("start", "f"),
        (b"apple", [0], [1.0], [b"\x01"], [7]),
        (b"fig", [3], [1.0], [b"\x01"], [9]),
        (b"pear", [0, 3], [2.0, 5.0], [b"\x02", b"\x05"], [7, 9]),
        ("finish",),
    ]


def test_tiered_merges_leave_segments_alone_until_a_size_class_fills() -> None:
    segments = [Segment(90_000), Segment(25_000), Segment(12_000, deleted=100)]
    segments += [Segment(FLOOR_DOCS - 1) for _ in range(FAN_IN - 1)]
    assert tiered_merges(segments) == []  # an edit's small segment would make it merge
    small = Segment(3)
    chosen = tiered_merges([*segments, small])
    fitting = (MAX_MERGE_DOCS - small.docs) // (FLOOR_DOCS - 1)  # the smallest first
    assert chosen == [*segments[-(FAN_IN - 1) :][:fitting], small]
    purged = Segment(15_000, deleted=8000)
    assert tiered_merges([*segments, purged]) == [purged]


def test_tiered_merges_gather_a_full_size_class_and_smaller() -> None:
    full = [Segment(FLOOR_DOCS + i) for i in range(FAN_IN)]
    smaller = [Segment(FLOOR_DOCS // 2)]
    larger = [Segment(MAX_MERGE_DOCS * 20)]
    chosen = tiered_merges(larger + full + smaller)
    assert chosen[-1] is smaller[0] and chosen[:-1] == full[: len(chosen) - 1]
    assert len(chosen) >= 2 and sum(s.docs for s in chosen) <= MAX_MERGE_DOCS
    assert tiered_merges(larger + full[:-2] + smaller) == []


def test_tiered_merges_take_two_segments_at_least() -> None:
    huge = [Segment(MAX_MERGE_DOCS * 3 + i) for i in range(FAN_IN)]
    assert tiered_merges(huge) == huge[:2]


def test_job_commits_merge_by_the_tiered_policy(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    shards(generated(FAN_IN * 12), folder, per_file=11)  # a commit per file, the last merges
    report = index_paths([folder], tmp_path / "index", parse_workers=0, commit_seconds=0)
    assert report.commits > FAN_IN
    segments = job_content(tmp_path / "index")
    assert len(segments) < FAN_IN


def test_tiered_merges_include_whoosh_merge_of_many_tiny_segments() -> None:
    tiny = [Segment(1) for _ in range(5)]
    assert tiered_merges([Segment(MAX_MERGE_DOCS * 3), *tiny]) == tiny
    assert tiered_merges([Segment(MAX_MERGE_DOCS * 3), *tiny[:4]]) == []


def test_many_segments_never_merge_beyond_the_merge_bound() -> None:
    """Forty mid-sized segments (a loaded job's commits by time): Whoosh's rule alone would
    merge them all in the pool at once, whatever the archive's size."""
    many = [Segment(FLOOR_DOCS + 700 + i) for i in range(40)]
    chosen = tiered_merges(many)
    assert 2 <= len(chosen) < len(many)
    assert sum(s.docs for s in chosen) <= MAX_MERGE_DOCS
    assert chosen == many[: len(chosen)]  # the smallest


def test_a_field_pool_counts_the_bytes_it_holds() -> None:
    """``nbytes`` grows with every posting and value, and with each new term only once: the
    job's ``commit_mb`` budget is checked against it."""
    pool = FieldPool()
    assert pool.nbytes() == 0
    pool.add_document(0, [b"alpha", b"beta"], [1.0, 2.0], [b"\x00\x01", b"\x02"])
    first = pool.nbytes()
    assert first >= 2 * 16 + 3 + len(b"alphabeta")
    pool.add_document(1, [b"alpha", b"beta"], [1.0, 1.0], [b"\x03", b"\x04"])
    again = pool.nbytes() - first  # the same terms: no term's cost this time
    pool.add_document(2, [b"gamma", b"delta"], [1.0, 1.0], [b"\x03", b"\x04"])
    assert pool.nbytes() - first - again > again > 0
    pool.add_term(b"alpha", np.array([3, 4]), np.array([1.0, 1.0]), [b"\x05", b"\x06"])
    assert pool.nbytes() > first + 2 * again
    assert [t for t, *_ in pool.sorted_terms()] == [b"alpha", b"beta", b"delta", b"gamma"]
