"""Manchette's posting codec (engines/whoosh/codec.py, runs.py): what is written reads back,
through the arrays and through Whoosh's own reading paths, and damage is reported."""

from __future__ import annotations

import functools
import itertools
import json
import random
from pathlib import Path

import numpy as np
import pytest
from whoosh import fields
from whoosh.codec.base import OutOfOrderError
from whoosh.filedb.compound import CompoundStorage
from whoosh.filedb.filestore import FileStorage
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length, length_to_byte

from builders import write_jsonl
from engines import index_paths
from engines.base import RebuildRequired
from engines.whoosh.check import check_index
from engines.whoosh.codec import ArrayCodec, ArrayTermsReader, term_hash
from engines.whoosh.runs import (
    TermPostings,
    decode_run,
    decode_runs,
    encode_run,
    encode_runs,
    length_bytes,
)
from engines.whoosh.writer import VERSION_FILE, open_index
from index.analysis import ANALYSIS_VERSION
from index.layout import live_dir

POSITIONS = fields.TEXT(phrase=True).format
FREQUENCY = fields.TEXT(phrase=False).format
EXISTENCE = fields.ID().format


def random_postings(rng: random.Random, count: int, span: int, kind: str):
    """``count`` postings among ``span`` documents, with weights and values of ``kind``."""
    ids = np.array(sorted(rng.sample(range(span), count)), dtype=np.int64)
    if kind == "float":
        weights = np.array([rng.uniform(0.1, 9.0) for _ in ids])
    elif kind == "ones":
        weights = np.ones(count)
    else:
        weights = np.array([float(rng.choice([1, 1, 2, 3, 300, 70_000])) for _ in ids])
    if kind == "positions":
        values = [POSITIONS.encode(sorted(rng.sample(range(500), int(w) % 7 + 1))) for w in weights]
    elif kind == "frequency":
        values = [_freq(w) for w in weights]
    elif kind == "mixed":
        values = [
            rng.choice([b"", b"x", bytes(rng.randrange(256) for _ in range(120))]) for _ in ids
        ]
    else:
        values = None
    return ids, weights, values


def _freq(weight: float) -> bytes:
    return int(weight).to_bytes(4, "big")  # Whoosh's Frequency encoding (pack_uint)


KINDS = ["positions", "frequency", "mixed", "ones", "float", "counts"]


def expected_weights(weights: np.ndarray, kind: str) -> np.ndarray:
    return weights.astype(np.float32).astype(np.float64) if kind == "float" else weights


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("count", [1, 2, 23, 24, 1000])
def test_a_run_reads_back_what_was_encoded(kind: str, count: int):
    rng = random.Random(count * 31 + len(kind))
    ids, weights, values = random_postings(rng, count, 5_000_000, kind)
    for given in (ids, ids.tolist()):  # the numpy path and the small-list path
        run = encode_run(given, weights if given is ids else weights.tolist(), values)
        data = b"\0" * 3 + run.body  # a run is read wherever it lies in the file
        got_ids, got_weights, got_values = decode_run(
            data, 3, run.kind, run.df, run.first, run.value_size, values=True
        )
        assert got_ids.dtype == np.int64 and got_ids.tolist() == ids.tolist()
        assert got_weights.tolist() == expected_weights(weights, kind).tolist()
        if values is None or not b"".join(values):
            assert got_values is None
        else:
            assert list(got_values) == values
        assert (run.first, run.last, run.df) == (ids[0], ids[-1], count)
        assert run.max_weight == max(got_weights)


def test_runs_are_compact():
    ids = np.arange(0, 200_000, 3, dtype=np.int64)  # gaps of 3: one byte each
    run = encode_run(ids, np.ones(len(ids)), None)
    assert len(run.body) == len(ids) - 1
    counts = encode_run(ids, np.full(len(ids), 2.0), [_freq(2)] * len(ids))
    assert len(counts.body) == (len(ids) - 1) + len(ids)  # frequency values: from the weights
    wide = np.array([7, 70_000, 4_000_000_000], dtype=np.int64)  # gaps of 32 bits
    run = encode_run(wide, np.ones(3), None)
    assert len(run.body) == 8
    assert decode_run(run.body, 0, run.kind, 3, 7, 0, values=False)[0].tolist() == wide.tolist()
    with pytest.raises(ValueError, match="ascending"):
        encode_run(np.array([3, 3]), np.ones(2), None)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_runs_decoded_at_once_are_each_terms_decode_run(seed: int):
    """Runs of every kind (gaps of each width, weights ones, counts or floats, values raw,
    deflated or frequencies, or none) decoded together, against ``decode_run`` term by term."""
    rng = random.Random(seed)
    table = []
    for n in range(120):
        kind = rng.choice(KINDS)
        count = rng.choice([1, 2, 3, 30, 400])
        ids, weights, values = random_postings(rng, count, rng.choice([500, 5_000_000]), kind)
        table.append((b"t%04d" % n, (ids, weights, values, np.ones(count, dtype=np.int64))))
    runs = encode_runs(term_postings(table))
    data = np.frombuffer(b"\0" * 5 + runs.body, dtype=np.uint8)
    offset = 5 + np.cumsum(runs.sizes) - runs.sizes
    got = decode_runs(data, runs.df, runs.first, runs.kind, runs.value_size, offset, True)
    assert got.values is not None and got.value_lengths is not None
    starts = (np.cumsum(got.value_lengths) - got.value_lengths).tolist()
    kinds = set()
    for t in range(len(table)):
        a, b = int(got.bounds[t]), int(got.bounds[t + 1])
        args = (runs.kind[t], runs.df[t], runs.first[t], runs.value_size[t])
        ids, weights, values = decode_run(data, int(offset[t]), *map(int, args), values=True)
        assert got.docnums[a:b].tolist() == ids.tolist()
        assert got.weights[a:b].tolist() == weights.tolist()
        lengths = got.value_lengths[a:b].tolist()
        mine = [got.values[s : s + n].tobytes() for s, n in zip(starts[a:b], lengths, strict=True)]
        assert mine == list(values or [b""] * (b - a))
        kinds.add(int(runs.kind[t]) >> 5 & 7)
    assert kinds == {0, 1, 2, 3}  # no values, frequencies, raw and deflated were all decoded
    plain = decode_runs(data, runs.df, runs.first, runs.kind, runs.value_size, offset, False)
    assert plain.values is None and plain.docnums.tolist() == got.docnums.tolist()


FIELDS = {"body": POSITIONS, "counts": FREQUENCY, "key": EXISTENCE, "mixed": POSITIONS}


def term_postings(table: list[tuple]) -> TermPostings:
    """``(term, (ids, weights, values, lengths))`` in byte order, as one ``TermPostings``."""
    columns = [postings for _, postings in table]
    joined = [v for ids, _, values, _ in columns for v in (values or [b""] * len(ids))]
    any_values = any(values is not None for _, _, values, _ in columns)
    return TermPostings(
        [tbytes for tbytes, _ in table],
        np.cumsum([0] + [len(ids) for ids, _, _, _ in columns]),
        np.concatenate([ids for ids, _, _, _ in columns]),
        np.concatenate([weights for _, weights, _, _ in columns]),
        np.frombuffer(b"".join(joined), dtype=np.uint8) if any_values else None,
        np.array([len(v) for v in joined]) if any_values else None,
        np.concatenate([lengths for _, _, _, lengths in columns]),
    )


def write_segment(folder: Path, terms: dict, arrays: bool | str):
    """A segment of the codec in ``folder``: its storage, segment and field names.
    ``arrays``: True (``add_term_arrays``), False (per posting) or "many" (``add_terms``,
    the field's terms in a few uneven batches)."""
    storage = FileStorage(str(folder)).create()
    codec = ArrayCodec()
    segment = codec.new_segment(storage, "T")
    writer = codec.field_writer(storage, segment)
    for fieldname in sorted(terms):
        writer.start_field(fieldname, fields.TEXT())
        if arrays == "many":
            table = sorted(terms[fieldname].items())
            for start, end in itertools.pairwise([0, 1, 70, 71, 200, len(table)]):
                writer.add_terms(term_postings(table[start:end]))
            writer.finish_field()
            continue
        for tbytes, (ids, weights, values, lengths) in sorted(terms[fieldname].items()):
            if arrays:
                writer.add_term_arrays(tbytes, ids, weights, values, lengths)
                continue
            writer.start_term(tbytes)
            for n, docnum in enumerate(ids.tolist()):
                value = values[n] if values is not None else None
                writer.add(docnum, float(weights[n]), value, int(lengths[n]))
            writer.finish_term()
        writer.finish_field()
    writer.close()
    return storage, segment


@functools.cache
def make_terms(seed: int) -> dict:
    rng = random.Random(seed)
    kinds = {"body": "positions", "counts": "frequency", "key": "ones", "mixed": "mixed"}
    terms: dict = {}
    for fieldname, kind in kinds.items():
        words = {f"w{rng.randrange(10**6)}".encode() for _ in range(300)}
        words |= {b"", b"\xff" * 3, "é".encode()}
        terms[fieldname] = {}
        for word in words:
            count = rng.choice([1, 1, 1, 2, 5, 40, 700])
            ids, weights, values = random_postings(rng, count, 100_000, kind)
            lengths = np.array([rng.randrange(1, 900) for _ in ids])
            terms[fieldname][word] = (ids, weights, values, lengths)
    return terms


@pytest.mark.parametrize(
    "arrays", [True, False, "many"], ids=["add_term_arrays", "per posting", "add_terms"]
)
def test_a_segment_reads_back_every_posting(tmp_path: Path, arrays: bool | str):
    terms = make_terms(7)
    storage, segment = write_segment(tmp_path, terms, arrays)
    reader = ArrayCodec().terms_reader(storage, segment)
    assert reader.indexed_field_names() == sorted(terms)
    for fieldname, table in terms.items():
        for tbytes, (ids, weights, values, lengths) in table.items():
            got_ids, got_weights, got_values = reader.term_arrays(fieldname, tbytes, values=True)
            assert got_ids.tolist() == ids.tolist()
            assert got_weights.tolist() == weights.tolist()
            assert (got_values is None) == (values is None or not b"".join(values))
            if got_values is not None:
                assert list(got_values) == list(values)
            info = reader.term_info(fieldname, tbytes)
            assert info.doc_frequency() == len(ids) == reader.doc_frequency(fieldname, tbytes)
            assert (
                info.weight() == pytest.approx(weights.sum()) == reader.frequency(fieldname, tbytes)
            )
            assert (info.min_id(), info.max_id()) == (ids[0], ids[-1])
            assert info.max_weight() == weights.max()
            low, high = (byte_to_length(length_to_byte(n)) for n in (lengths.min(), lengths.max()))
            assert (info.min_length(), info.max_length()) == (low, high)
            matcher = reader.matcher(fieldname, tbytes, FIELDS[fieldname])
            assert list(matcher.all_ids()) == ids.tolist()
            walked = []
            while matcher.is_active():
                walked.append((matcher.id(), matcher.weight(), matcher.value()))
                matcher.next()
            assert [w for _, w, _ in walked] == weights.tolist()
            if values is not None:
                assert [v for _, _, v in walked] == values
    assert (b"body", b"nothere") not in reader and ("body", b"nothere") not in reader
    with pytest.raises(TermNotFound):
        reader.term_info("body", b"nothere")
    with pytest.raises(KeyError):  # what Whoosh's readers catch
        reader.doc_frequency("nofield", b"w1")
    reader.close()


def test_absent_terms_are_told_by_the_hashes_without_a_block(tmp_path: Path):
    terms = make_terms(7)
    storage, segment = write_segment(tmp_path, terms, "many")
    reader = ArrayCodec().terms_reader(storage, segment)
    absent = [f"w{n}".encode() for n in range(2000)]
    for fieldname, table in terms.items():
        index = reader._index(fieldname)
        assert index.hashes is not None and len(index.hashes) == len(table)
        assert list(index.hashes) == sorted(term_hash(t) for t in table)
        for tbytes in table:
            assert reader.holds(fieldname, tbytes, term_hash(tbytes))
        missing = [t for t in absent if t not in table]
        assert not any(reader.holds(fieldname, t, term_hash(t)) for t in missing)
        told = [t for t in missing if not index.may_hold(term_hash(t))]
        assert len(told) == len(missing)  # no CRC-32 of these 2,000 collides with 300 terms
    reader.close()


def test_a_segment_written_without_hashes_is_read_by_its_blocks(tmp_path: Path):
    terms = make_terms(7)
    storage, segment = write_segment(tmp_path, terms, True)
    reader = ArrayCodec().terms_reader(storage, segment)
    for meta in reader._meta.values():
        del meta["hashes"]  # as an older writer left the directory
    for fieldname, table in terms.items():
        assert reader._index(fieldname).hashes is None
        assert all((fieldname, t) in reader for t in table)
        assert (fieldname, b"nothere") not in reader
    reader.close()


def test_every_writing_interface_writes_the_same_files(tmp_path: Path):
    terms = make_terms(7)
    ways = (True, False, "many")
    for arrays in ways:
        write_segment(tmp_path / str(arrays), terms, arrays)
    for ext in (ArrayCodec.TERMS_EXT, ArrayCodec.POSTS_EXT):
        one, *others = (next((tmp_path / str(a)).glob(f"*{ext}")).read_bytes() for a in ways)
        assert len(one) > 1000 and all(other == one for other in others)


@pytest.mark.parametrize("kind", [*KINDS, "no values"])
def test_runs_of_many_terms_are_each_terms_run(kind: str):
    """``encode_runs`` gives, term by term, ``encode_run``'s bytes and record."""
    rng = random.Random(len(kind))
    table = []
    for n in range(200):
        count = rng.choice([1, 1, 2, 3, 23, 24, 25, 90, 700])
        span = 5_000_000 if n % 2 else 300_000  # gaps of every width
        ids, weights, values = random_postings(rng, count, span, kind.replace("no values", "ones"))
        lengths = np.array([rng.choice([0, rng.randrange(1, 200_000)]) for _ in ids])
        table.append((b"t%04d" % n, (ids, weights, values, lengths)))
    runs = encode_runs(term_postings(table))
    ends = np.cumsum(runs.sizes).tolist()
    for n, (_, (ids, weights, values, lengths)) in enumerate(table):
        one = encode_run(ids, weights, values)
        body = runs.body[ends[n] - int(runs.sizes[n]) : ends[n]]
        positive = lengths[lengths > 0]
        low, high = (int(positive.min()), int(positive.max())) if len(positive) else (0, 0)
        assert (body, int(runs.kind[n]), int(runs.value_size[n])) == (
            one.body,
            one.kind,
            one.value_size,
        )
        assert (int(runs.df[n]), int(runs.first[n]), int(runs.last[n])) == (
            one.df,
            one.first,
            one.last,
        )
        assert (float(runs.weight[n]), float(runs.max_weight[n])) == (one.weight, one.max_weight)
        assert (int(runs.min_length[n]), int(runs.max_length[n])) == (
            length_to_byte(low) if low else 0,
            length_to_byte(high),
        )
    with pytest.raises(ValueError, match="ascending"):
        encode_runs(term_postings([(b"a", (np.array([4, 4]), np.ones(2), None, np.ones(2)))]))


def test_length_bytes_are_whooshs():
    lengths = np.arange(0, 120_000, 7)
    assert length_bytes(lengths).tolist() == [length_to_byte(n) for n in lengths.tolist()]


def test_terms_come_in_whooshs_order(tmp_path: Path):
    terms = make_terms(7)
    storage, segment = write_segment(tmp_path, terms, True)
    reader = ArrayCodec().terms_reader(storage, segment)
    expected = sorted((f, t) for f, table in terms.items() for t in table)
    assert list(reader.terms()) == expected
    assert [term for term, _ in reader.items()] == expected
    middle = expected[len(expected) // 2]
    after = [t for t in expected if t >= middle]
    assert list(reader.terms_from(*middle)) == after  # on into the later fields
    assert [term for term, _ in reader.items_from(*middle)] == after
    gap = (middle[0], middle[1] + b"\0")  # not a term: starts at the next one
    assert list(reader.terms_from(*gap)) == after[1:]
    assert list(reader.terms_from("a", b"")) == expected
    assert list(reader.terms_from("zzz", b"")) == []
    cursor = reader.cursor("key", fields.ID())
    assert cursor.text() == expected_text(expected, "key", 0)
    cursor.find("w5")
    assert cursor.is_valid() and cursor.text() >= "w5"
    reader.close()


def expected_text(expected: list, fieldname: str, n: int) -> str:
    return [t for f, t in expected if f == fieldname][n].decode()


def test_terms_out_of_order_are_refused(tmp_path: Path):
    storage = FileStorage(str(tmp_path)).create()
    codec = ArrayCodec()
    writer = codec.field_writer(storage, codec.new_segment(storage, "T"))
    writer.start_field("body", fields.TEXT())
    writer.add_term_arrays(b"b", np.array([1]), np.ones(1), None, None)
    with pytest.raises(OutOfOrderError):
        writer.add_term_arrays(b"a", np.array([1]), np.ones(1), None, None)
    one = (np.array([1]), np.ones(1), None, np.ones(1))
    with pytest.raises(OutOfOrderError):
        writer.add_terms(term_postings([(b"a", one)]))  # before the last term written
    with pytest.raises(OutOfOrderError):
        writer.add_terms(term_postings([(b"d", one), (b"c", one)]))
    writer.close()


STORIES = [
    {
        "id": f"s{i}",
        "lang": "en",
        "title": f"Harbour story {i}",
        "text": f"Ships {i} in the harbour.",
    }
    for i in range(30)
]


def test_the_indexer_writes_the_codec_and_whoosh_reads_it(tmp_path: Path):
    index_paths([write_jsonl(tmp_path / "a.jsonl", STORIES)], tmp_path / "ix")
    tocs = list(live_dir(tmp_path / "ix").glob("_MAIN_*.toc"))
    assert b"engines.whoosh.codec" in tocs[0].read_bytes() and b"ArrayCodec" in tocs[0].read_bytes()
    ix = open_index(tmp_path / "ix")
    with ix.searcher() as searcher:
        reader = searcher.reader()
        leaf = reader.leaf_readers()[0][0]
        assert isinstance(leaf._terms, ArrayTermsReader)
        assert b"harbour" in list(reader.lexicon("exact"))
        assert list(reader.expand_prefix("exact", "harb")) == [b"harbour"]
        assert reader.doc_frequency("exact", "harbour") == 30
        assert "hash" not in reader.indexed_field_names()  # a column only
        assert reader.column_reader("hash")[0]


def test_a_damaged_segment_is_reported_by_check(tmp_path: Path):
    index_paths([write_jsonl(tmp_path / "a.jsonl", STORIES)], tmp_path / "ix")
    assert check_index(tmp_path / "ix").problems == []
    seg = next(live_dir(tmp_path / "ix").glob("*.seg"))
    storage = CompoundStorage(FileStorage(str(seg.parent)).open_file(seg.name))
    name = next(n for n in storage.list() if n.endswith(ArrayCodec.POSTS_EXT))
    offset, length = storage.range(name)
    storage.close()
    raw = bytearray(seg.read_bytes())
    raw[offset + length // 2] ^= 0x5A
    seg.write_bytes(bytes(raw))
    problems = check_index(tmp_path / "ix").problems
    assert any("damaged" in p for p in problems), problems


def test_an_index_of_whoosh_3_postings_asks_for_a_rebuild(tmp_path: Path):
    index_paths([write_jsonl(tmp_path / "a.jsonl", STORIES[:1])], tmp_path / "ix")
    old = {"schema_version": 8, "analysis_version": ANALYSIS_VERSION}  # W3Codec's postings
    (live_dir(tmp_path / "ix") / VERSION_FILE).write_text(json.dumps(old))
    with pytest.raises(RebuildRequired, match=r"schema_version': 8.*rebuild required"):
        open_index(tmp_path / "ix")
