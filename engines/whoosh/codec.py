"""Manchette's posting codec: Whoosh 3's per-document side, our own terms and postings.

Whoosh's ``W3Codec`` stores each term's statistics pickled in an on-disk hash table (about
90 bytes a term) and its postings as pickled, zlib'd blocks (about 27 bytes a posting), and
writes them posting by posting in Python. :class:`ArrayCodec` keeps W3's stored fields,
lengths, columns and vectors, and replaces the inverted side by two files per segment:

- ``.mpo``, the postings: per field, each term's run (``engines.whoosh.runs``: gaps, weights,
  values as plain little-endian arrays) one after the other;
- ``.mtd``, the term dictionary: per field, blocks of ``BLOCK`` terms in byte order (their
  bytes and records: document frequency, first and last document, total and largest weight,
  shortest and longest field length, run kind, values' size, where its run starts), each block
  deflated; then the field's sparse index (every block's first term and offset); then the
  CRC-32 of every term of the field, sorted (``<u4``); then a JSON directory with a CRC-32 of
  every field's blocks and runs (``verify`` checks them, and ``manchette check``).

A reader maps both files (``compat.file_buffer``), loads a field's sparse index on first use,
binary-searches it, and decodes the few blocks a query touches (kept in a cache shared by every
reader of the process). A term whose hash the field lacks is known absent without a block:
most lookups are of absent terms (a query asks for each word's stems in every language's
fields, in every segment). A segment written before the hashes (no ``hashes`` in its field's
directory entry) is read as before. ``term_arrays``
gives a term's postings as numpy arrays (the vectorised executor and the array-wise merge
read them); ``matcher`` wraps the same arrays in a ``ListMatcher`` for Whoosh's own paths.

Writing takes Whoosh's ``start_term/add/finish_term`` calls, and ``add_term_arrays`` for a
whole term at once (the numpy posting pool). The class path is pickled into every table of
contents: ``engines.whoosh.codec.ArrayCodec`` stays where it is, or ``SCHEMA_VERSION`` is
bumped.
"""

from __future__ import annotations

import itertools
import json
import struct
import sys
import threading
import zlib
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Iterator, Sequence

import numpy as np
from whoosh.codec import base
from whoosh.codec.whoosh3 import W3Codec
from whoosh.matching import ListMatcher, ReadTooFar
from whoosh.reading import TermInfo, TermNotFound
from whoosh.util.numeric import byte_to_length, length_to_byte

from engines.whoosh import compat
from engines.whoosh.runs import (
    VALUES_LEVEL,
    PackedValues,
    Run,
    TermPostings,
    decode_packed,
    decode_run,
    encode_run,
    encode_runs,
)

FORMAT = 2
BLOCK = 64  # terms per dictionary block
# zlib level of the dictionary blocks: 1 compresses the blocks of 3,000 articles in 55 % of
# level 6's time, 6 % larger (the blocks are a tenth of a segment)
BLOCK_LEVEL = 1
TERMS_MAGIC = b"MTD1"
POSTS_MAGIC = b"MPO1"
_FOOTER = struct.Struct("<Q4s")  # directory offset, magic
_HEADER = struct.Struct("<IQ")  # terms in the block, postings offset of its first run
# A block's records, column by column (zlib packs a column of small numbers well).
_COLUMNS = (
    ("df", "<u4"),
    ("first", "<u4"),
    ("last", "<u4"),
    ("weight", "<f4"),
    ("max_weight", "<f4"),
    ("min_length", "u1"),
    ("max_length", "u1"),
    ("kind", "<u2"),
    ("value_size", "<u4"),
    ("offset", "<u4"),  # where the term's run starts, from the block's first run
)
MAX_CACHED_BLOCKS = 4096  # decoded blocks kept for lookups, all readers (~8 KB each)


class MissingTerm(TermNotFound, KeyError):
    """No such term in the segment (a ``KeyError`` too: Whoosh's readers catch that)."""


class DamagedIndex(ValueError):
    """A segment's terms or postings file does not read back as written."""


def term_hash(tbytes: bytes) -> int:
    """A term's hash in the dictionary's hash section (CRC-32: computed in C, and a term
    absent from a field of a million terms shares a hash with one of them once in 4,000)."""
    return zlib.crc32(tbytes)


def term_hashes(terms: Sequence[bytes]) -> np.ndarray:
    return np.fromiter(map(zlib.crc32, terms), dtype=np.uint32, count=len(terms))


# --- writing ---------------------------------------------------------------------------------


# A term's record while its block is being gathered: ``_COLUMNS`` but the offset, which is
# kept absolute (where the run starts in the postings file) until the block is written.
_RECORD = np.dtype([*(c for c in _COLUMNS if c[0] != "offset"), ("at", "<u8")])


class _FieldBuilder:
    """One field's records, gathered into blocks as the terms come."""

    def __init__(self, terms_start: int, posts_start: int) -> None:
        self.terms_start = terms_start
        self.posts_start = posts_start
        self.terms: list[bytes] = []  # of the block being gathered
        self.records: list[np.ndarray] = []  # of the block being gathered, in chunks
        self.single: list[tuple] = []  # records of terms written one by one, not yet chunked
        self.firsts: list[bytes] = []
        self.block_offsets: list[int] = []
        self.hashes: list[np.ndarray] = []  # each written block's term hashes
        self.count = 0
        self.postings = 0
        self.last: bytes | None = None


class ArrayFieldWriter(base.FieldWriter):
    """Writes the ``.mtd`` and ``.mpo`` files of a new segment."""

    def __init__(self, storage, segment) -> None:
        self._terms_file = segment.create_file(storage, ArrayCodec.TERMS_EXT)
        self._posts_file = segment.create_file(storage, ArrayCodec.POSTS_EXT)
        self._terms_file.write(TERMS_MAGIC)
        self._posts_file.write(POSTS_MAGIC)
        self._terms_at = len(TERMS_MAGIC)
        self._posts_at = len(POSTS_MAGIC)
        self._posts_pending: list[bytes] = []
        self._pending_size = 0
        self._fields: dict[str, dict] = {}
        self._field: _FieldBuilder | None = None
        self._fieldname: str | None = None
        self._terms_crc = 0
        self._posts_crc = 0
        self._text: bytes | None = None
        self.is_closed = False

    # Whoosh's per-posting interface

    def start_field(self, fieldname: str, fieldobj) -> None:
        if self._field is not None:
            raise ValueError(f"start_field({fieldname!r}) inside field {self._fieldname!r}")
        if fieldname in self._fields:
            raise ValueError(f"field {fieldname!r} written twice in one segment")
        self._flush_posts()
        self._fieldname = fieldname
        self._field = _FieldBuilder(self._terms_at, self._posts_at)
        self._terms_crc = self._posts_crc = 0

    def start_term(self, text: bytes) -> None:
        self._text = text
        self._ids: list[int] = []
        self._weights: list[float] = []
        self._values: list[bytes] = []
        self._lengths: list[int] = []

    def add(self, docnum: int, weight: float, vbytes: bytes | None, length: int | None) -> None:
        self._ids.append(docnum)
        self._weights.append(weight)
        self._values.append(vbytes or b"")
        if length:
            self._lengths.append(length)

    def finish_term(self) -> None:
        if self._text is None:
            raise ValueError("finish_term without start_term")
        if self._ids:
            run = encode_run(self._ids, self._weights, self._values)
            lengths = self._lengths
            self._add_run(self._text, run, min(lengths, default=0), max(lengths, default=0))
        self._text = None

    # The array interfaces: one term, or many terms at once

    def add_term_arrays(
        self,
        tbytes: bytes,
        docnums: np.ndarray,
        weights: np.ndarray,
        values: Sequence[bytes] | None,
        lengths: np.ndarray | None,
    ) -> None:
        """Write a whole term between ``start_field`` and ``finish_field``: its document
        numbers (ascending, unique), weights, encoded values (or None) and each posting's
        field length (or None). Terms come in ascending byte order."""
        if not len(docnums):
            return
        run = encode_run(docnums, weights, values)
        low = high = 0
        if lengths is not None and len(lengths):
            positive = np.asarray(lengths)[np.asarray(lengths) > 0]
            if len(positive):
                low, high = int(positive.min()), int(positive.max())
        self._add_run(tbytes, run, low, high)

    def add_terms(self, postings: TermPostings, level: int = VALUES_LEVEL) -> None:
        """Write many whole terms at once between ``start_field`` and ``finish_field``
        (``runs.TermPostings``; after any terms written before, in ascending byte order):
        the same files as ``add_term_arrays`` term by term, encoded with numpy at once."""
        field = self._open_field()
        terms = postings.terms
        if not len(terms):
            return
        if field.last is not None and terms[0] <= field.last:
            raise base.OutOfOrderError(f"term {terms[0]!r} after {field.last!r}")
        if not all(itertools.starmap(bytes.__lt__, itertools.pairwise(terms))):
            raise base.OutOfOrderError("terms not in ascending byte order")
        runs = encode_runs(postings, level)
        records = np.empty(len(terms), dtype=_RECORD)
        for name, column in (
            ("df", runs.df),
            ("first", runs.first),
            ("last", runs.last),
            ("weight", runs.weight),
            ("max_weight", runs.max_weight),
            ("min_length", runs.min_length),
            ("max_length", runs.max_length),
            ("kind", runs.kind),
            ("value_size", runs.value_size),
        ):
            records[name] = column
        records["at"] = self._posts_at + np.cumsum(runs.sizes) - runs.sizes
        field.last = terms[-1]
        field.count += len(terms)
        field.postings += int(postings.bounds[-1])
        self._add_posts(runs.body)
        self._settle(field)
        field.terms.extend(terms)
        field.records.append(records)
        self._write_blocks(field)

    def _open_field(self) -> _FieldBuilder:
        if self._field is None:
            raise ValueError("a term outside start_field/finish_field")
        return self._field

    def _add_run(self, text: bytes, run: Run, low: int, high: int) -> None:
        field = self._open_field()
        if field.last is not None and text <= field.last:
            raise base.OutOfOrderError(f"term {text!r} after {field.last!r}")
        field.last = text
        field.single.append(
            (
                run.df,
                run.first,
                run.last,
                run.weight,
                run.max_weight,
                length_to_byte(low) if low else 0,
                length_to_byte(high),
                run.kind,
                run.value_size,
                self._posts_at,
            )
        )
        field.terms.append(text)
        field.count += 1
        field.postings += run.df
        self._add_posts(run.body)
        if len(field.terms) >= BLOCK:
            self._settle(field)
            self._write_blocks(field)

    def _settle(self, field: _FieldBuilder) -> None:
        """The records of terms written one by one, as a chunk."""
        if field.single:
            field.records.append(np.array(field.single, dtype=_RECORD))
            field.single = []

    def _add_posts(self, body: bytes) -> None:
        self._posts_pending.append(body)
        self._pending_size += len(body)
        self._posts_at += len(body)
        if self._pending_size > 1 << 20:
            self._flush_posts()

    def _flush_posts(self) -> None:
        if self._posts_pending:
            data = b"".join(self._posts_pending)
            self._posts_crc = zlib.crc32(data, self._posts_crc)
            self._posts_file.write(data)
            self._posts_pending = []
            self._pending_size = 0

    def _write_terms(self, data: bytes) -> int:
        at = self._terms_at
        self._terms_crc = zlib.crc32(data, self._terms_crc)
        self._terms_file.write(data)
        self._terms_at += len(data)
        return at

    def _write_blocks(self, field: _FieldBuilder, last: bool = False) -> None:
        """Write the gathered terms' full blocks (and, when ``last``, the partial one)."""
        whole = len(field.terms) if last else len(field.terms) // BLOCK * BLOCK
        if not whole:
            return
        records = np.concatenate(field.records) if len(field.records) > 1 else field.records[0]
        terms = field.terms
        for start in range(0, whole, BLOCK):
            self._write_block(field, terms[start : start + BLOCK], records[start : start + BLOCK])
        field.terms = terms[whole:]
        field.records = [records[whole:]] if whole < len(terms) else []

    def _write_block(self, field: _FieldBuilder, terms: list[bytes], records: np.ndarray) -> None:
        block_post = int(records["at"][0])
        offsets = np.zeros(len(terms) + 1, dtype="<u4")
        np.cumsum([len(t) for t in terms], out=offsets[1:])
        parts = [_HEADER.pack(len(terms), block_post), offsets.tobytes()]
        for name, dtype in _COLUMNS:
            column = records["at"] - np.uint64(block_post) if name == "offset" else records[name]
            parts.append(column.astype(dtype).tobytes())
        parts.append(b"".join(terms))
        field.firsts.append(terms[0])
        field.hashes.append(term_hashes(terms))
        packed = zlib.compress(b"".join(parts), BLOCK_LEVEL)
        field.block_offsets.append(self._write_terms(packed))

    def _write_hashes(self, hashes: list[np.ndarray]) -> int:
        """The field's term hashes, sorted, as plain ``<u4`` (read in place from the
        mapping); where they start."""
        joined = np.sort(np.concatenate(hashes)) if hashes else np.empty(0, np.uint32)
        return self._write_terms(joined.astype("<u4").tobytes())

    def finish_field(self) -> None:
        field = self._field
        if field is None:
            raise ValueError("finish_field before start_field")
        self._settle(field)
        self._write_blocks(field, last=True)
        self._flush_posts()
        blocks_end = self._terms_at
        firsts = field.firsts
        starts = np.zeros(len(firsts) + 1, dtype="<u4")
        np.cumsum([len(t) for t in firsts], out=starts[1:])
        ends = np.array([*field.block_offsets, blocks_end], dtype="<u8")
        index = zlib.compress(starts.tobytes() + ends.tobytes() + b"".join(firsts), 6)
        index_at = self._write_terms(index)
        hashes_at = self._write_hashes(field.hashes)
        if field.count and self._fieldname is not None:
            self._fields[self._fieldname] = {
                "terms": field.count,
                "postings": field.postings,
                "blocks": len(firsts),
                "index": [index_at, len(index)],
                "hashes": hashes_at,
                "term_bytes": [field.terms_start, self._terms_at],
                "post_bytes": [field.posts_start, self._posts_at],
                "terms_crc": self._terms_crc,
                "posts_crc": self._posts_crc,
            }
        self._field = None
        self._fieldname = None

    def close(self) -> None:
        if self._field is not None:
            self.finish_field()
        self._flush_posts()
        directory = json.dumps({"format": FORMAT, "fields": self._fields}).encode()
        at = self._terms_at
        self._terms_file.write(directory)
        self._terms_file.write(_FOOTER.pack(at, TERMS_MAGIC))
        self._terms_file.close()
        self._posts_file.close()
        self.is_closed = True


# --- reading ---------------------------------------------------------------------------------


class _BlockCache:
    """Decoded dictionary blocks of every reader of the process, oldest dropped first
    (segments never change: a block is keyed by its segment, field and number)."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        # (a plain dict's oldest key, after many deletions from its front, takes a scan of
        # the deleted slots to find: 100 µs a put once the cache is full)
        self.items: OrderedDict[tuple, _Block] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple) -> _Block | None:
        return self.items.get(key)

    def put(self, key: tuple, block: _Block) -> None:
        with self.lock:
            while len(self.items) >= self.budget:
                self.items.popitem(last=False)
            self.items[key] = block

    def retain(self, live: frozenset[str]) -> None:
        """Drop the blocks of segments not in ``live`` (a key names "index/segment id")."""
        with self.lock:
            for key in [k for k in self.items if k[0].partition("/")[2] not in live]:
                del self.items[key]


_BLOCKS = _BlockCache(MAX_CACHED_BLOCKS)


def retain_segments(live: frozenset[str]) -> None:
    """Keep only the dictionary blocks of segments in ``live`` (``engines.whoosh.caches``)."""
    _BLOCKS.retain(live)


class ArrayTermInfo(TermInfo):
    """A term's statistics, from its record."""

    def __init__(self, df, first, last, weight, max_weight, min_byte, max_byte) -> None:
        TermInfo.__init__(
            self,
            weight=weight,
            df=df,
            minlength=byte_to_length(min_byte),
            maxlength=byte_to_length(max_byte),
            maxweight=max_weight,
            minid=first,
            maxid=last,
        )


class _Block:
    """One decoded dictionary block: its terms, and its records' columns."""

    __slots__ = ("_columns", "_post", "terms")

    def __init__(self, raw: bytes) -> None:
        count, self._post = _HEADER.unpack_from(raw, 0)
        at = _HEADER.size
        starts = np.frombuffer(raw, "<u4", count + 1, at).tolist()
        at += 4 * (count + 1)
        columns = []
        for _, dtype in _COLUMNS:
            column = np.frombuffer(raw, dtype, count, at)
            at += column.nbytes
            columns.append(column)
        self._columns = columns
        blob = raw[at:]
        self.terms = [blob[a:b] for a, b in itertools.pairwise(starts)]

    def record(self, i: int) -> tuple:
        """Term ``i``'s record, as ``_COLUMNS`` lists it (the offset made absolute)."""
        found = [column.item(i) for column in self._columns]
        found[-1] += self._post
        return tuple(found)

    def find(self, tbytes: bytes) -> int:
        i = bisect_left(self.terms, tbytes)
        return i if i < len(self.terms) and self.terms[i] == tbytes else -1


class _FieldIndex:
    """A field's sparse index: every block's first term and extent; and its terms' hashes,
    sorted (None in a segment written without them)."""

    __slots__ = ("extents", "firsts", "hashes", "meta")

    def __init__(self, data, meta: dict) -> None:
        at, length = meta["index"]
        raw = zlib.decompress(data[at : at + length])
        blocks = meta["blocks"]
        starts = np.frombuffer(raw, "<u4", blocks + 1, 0).tolist()
        ends = np.frombuffer(raw, "<u8", blocks + 1, 4 * (blocks + 1)).tolist()
        blob = raw[12 * (blocks + 1) :]
        self.firsts = [blob[a:b] for a, b in itertools.pairwise(starts)]
        self.extents = list(itertools.pairwise(ends))
        self.meta = meta
        self.hashes = _hash_view(data, meta)

    def may_hold(self, hashed: int) -> bool:
        """False when no term of the field has this hash (``term_hash``): the term is not
        in the segment; True when one has (the term itself may still be absent)."""
        hashes = self.hashes
        if hashes is None:
            return True
        i = bisect_left(hashes, hashed)
        return i < len(hashes) and hashes[i] == hashed


def _hash_view(data, meta: dict):
    """The field's sorted term hashes, read in place (a memoryview of ``uint32``: ``bisect``
    searches it without numpy's per-call cost), or None."""
    at = meta.get("hashes")
    if at is None or sys.byteorder != "little":  # written little-endian
        return None
    return memoryview(data)[at : at + 4 * meta["terms"]].cast("I")


class ArrayTermsReader(base.TermsReader):
    """Reads a segment's ``.mtd`` and ``.mpo`` files from their mapping."""

    def __init__(self, storage, segment) -> None:
        self._files: list = []
        self._terms = self._open(storage, segment, ArrayCodec.TERMS_EXT, TERMS_MAGIC)
        self._posts = self._open(storage, segment, ArrayCodec.POSTS_EXT, POSTS_MAGIC)
        data = self._terms
        at, magic = _FOOTER.unpack_from(data, len(data) - _FOOTER.size)
        if magic != TERMS_MAGIC or at > len(data):
            raise DamagedIndex(f"segment {segment.segment_id()}: damaged term dictionary")
        directory = json.loads(bytes(data[at : len(data) - _FOOTER.size]))
        if directory.get("format") != FORMAT:
            raise DamagedIndex(f"segment {segment.segment_id()}: unknown posting format")
        self._meta: dict[str, dict] = directory["fields"]
        self._names = sorted(self._meta)
        self._indexes: dict[str, _FieldIndex] = {}
        self._segment = f"{segment.indexname}/{segment.segment_id()}"

    def _open(self, storage, segment, ext: str, magic: bytes):
        name = segment.make_filename(ext)
        f = storage.open_file(name)
        self._files.append(f)
        data = compat.file_buffer(f, storage.file_length(name))
        if bytes(data[:4]) != magic:
            raise DamagedIndex(f"{name}: not a Manchette posting file")
        return data

    # structure

    def _index(self, fieldname: str) -> _FieldIndex | None:
        found = self._indexes.get(fieldname)
        if found is None and fieldname in self._meta:
            found = self._indexes[fieldname] = _FieldIndex(self._terms, self._meta[fieldname])
        return found

    def _block(self, fieldname: str, number: int, keep: bool = True) -> _Block:
        key = (self._segment, fieldname, number)
        found = _BLOCKS.get(key)
        if found is None:
            index = self._index(fieldname)
            if index is None:
                raise KeyError(fieldname)
            start, end = index.extents[number]
            found = _Block(zlib.decompress(self._terms[start:end]))
            if keep:
                _BLOCKS.put(key, found)
        return found

    def _locate(self, fieldname: str, tbytes: bytes) -> tuple[_Block, int] | None:
        index = self._index(fieldname)
        if index is None or not index.may_hold(term_hash(tbytes)):
            return None
        number = bisect_right(index.firsts, tbytes) - 1
        if number < 0:
            return None
        block = self._block(fieldname, number)
        i = block.find(tbytes)
        return (block, i) if i >= 0 else None

    def _record(self, fieldname: str, tbytes: bytes) -> tuple[_Block, int]:
        found = self._locate(fieldname, tbytes)
        if found is None:
            raise MissingTerm(f"{fieldname}:{tbytes!r}")
        return found

    # Whoosh's terms reader

    def __contains__(self, term) -> bool:
        fieldname, tbytes = term
        return self._locate(fieldname, tbytes) is not None

    def holds(self, fieldname: str, tbytes: bytes, hashed: int) -> bool:
        """Whether the segment has the term, ``hashed`` its ``term_hash`` (computed once
        for every segment asked)."""
        return self._find(fieldname, tbytes, hashed) is not None

    def _find(self, fieldname: str, tbytes: bytes, hashed: int) -> tuple[_Block, int] | None:
        index = self._index(fieldname)
        if index is None or not index.may_hold(hashed):
            return None
        return self._locate(fieldname, tbytes)

    def term_hashes(self, fieldname: str) -> np.ndarray | None:
        """The field's term hashes, sorted (empty when the segment has no such field; None
        when it was written without them)."""
        index = self._index(fieldname)
        if index is None:
            return np.empty(0, dtype=np.uint32)
        if index.hashes is None:
            return None
        return np.frombuffer(index.hashes, dtype=np.uint32)

    def indexed_field_names(self):
        return list(self._names)

    def cursor(self, fieldname, fieldobj):
        return ArrayFieldCursor(self, fieldname, fieldobj)

    def _walk(self, fieldname: str, start: bytes | None) -> Iterator[tuple[_Block, int]]:
        """Every (block, position) of a field from ``start`` (or its first term) on."""
        index = self._index(fieldname)
        if index is None:
            return
        number = 0 if start is None else max(bisect_right(index.firsts, start) - 1, 0)
        for n in range(number, len(index.firsts)):
            block = self._block(fieldname, n, keep=False)
            first = 0 if start is None or n > number else bisect_left(block.terms, start)
            for i in range(first, len(block.terms)):
                yield block, i

    def _walk_from(self, fieldname: str, prefix: bytes) -> Iterator[tuple[str, _Block, int]]:
        """From ``prefix`` in ``fieldname`` on, then every later field (Whoosh's order)."""
        at = bisect_left(self._names, fieldname)
        for n, name in enumerate(self._names[at:]):
            start = prefix if n == 0 and name == fieldname else None
            for block, i in self._walk(name, start):
                yield name, block, i

    def terms(self):
        for name in self._names:
            for block, i in self._walk(name, None):
                yield name, block.terms[i]

    def terms_from(self, fieldname, prefix):
        for name, block, i in self._walk_from(fieldname, prefix):
            yield name, block.terms[i]

    def items(self):
        for name in self._names:
            for block, i in self._walk(name, None):
                yield (name, block.terms[i]), _info(block, i)

    def items_from(self, fieldname, prefix):
        for name, block, i in self._walk_from(fieldname, prefix):
            yield (name, block.terms[i]), _info(block, i)

    def term_info(self, fieldname, tbytes):
        block, i = self._record(fieldname, tbytes)
        return _info(block, i)

    def frequency(self, fieldname, tbytes):
        block, i = self._record(fieldname, tbytes)
        return block.record(i)[3]

    def doc_frequency(self, fieldname, tbytes):
        block, i = self._record(fieldname, tbytes)
        return block.record(i)[0]

    def field_blocks(self, fieldname: str) -> Iterator[tuple[list[bytes], dict[str, np.ndarray]]]:
        """A field's dictionary blocks in term order, each as its terms and their records'
        columns (``_COLUMNS``' names, 64-bit; ``offset`` absolute in ``postings``): what a
        streaming merge reads, block by block, without the process's block cache."""
        index = self._index(fieldname)
        if index is None:
            return
        for number in range(len(index.firsts)):
            block = self._block(fieldname, number, keep=False)
            columns = {
                name: column.astype(np.int64)
                for (name, _), column in zip(_COLUMNS, block._columns, strict=True)
                if name not in ("weight", "max_weight", "min_length", "max_length")
            }
            columns["offset"] += block._post
            yield block.terms, columns

    @property
    def postings(self):
        """The mapped postings file (the runs that ``field_blocks``' offsets point into)."""
        return self._posts

    def term_arrays(
        self, fieldname: str, tbytes: bytes, values: bool = False
    ) -> tuple[np.ndarray, np.ndarray, tuple[bytes, ...] | None]:
        """A term's document numbers (int64, ascending), weights (float64) and, when asked,
        its values (Whoosh-encoded bytes; None when the term has none)."""
        block, i = self._record(fieldname, tbytes)
        return self._decode(block, i, values)

    def arrays_if_any(
        self, fieldname: str, tbytes: bytes, hashed: int, values: bool = False
    ) -> tuple[np.ndarray, np.ndarray, tuple[bytes, ...] | None] | None:
        """``term_arrays``, or None when the segment lacks the term (``hashed``: its
        ``term_hash``, computed once for every segment asked)."""
        found = self._find(fieldname, tbytes, hashed)
        return None if found is None else self._decode(*found, values)

    def packed_if_any(
        self, fieldname: str, tbytes: bytes, hashed: int
    ) -> tuple[np.ndarray, np.ndarray, PackedValues | None] | None:
        """``arrays_if_any`` with the values, packed (``runs.decode_packed``)."""
        found = self._find(fieldname, tbytes, hashed)
        if found is None:
            return None
        df, first, _, _, _, _, _, kind, value_size, offset = found[0].record(found[1])
        return decode_packed(self._posts, offset, kind, df, first, value_size)

    def _decode(self, block: _Block, i: int, values: bool):
        df, first, _, _, _, _, _, kind, value_size, offset = block.record(i)
        return decode_run(self._posts, offset, kind, df, first, value_size, values)

    def matcher(self, fieldname, tbytes, format_, scorer=None):
        block, i = self._record(fieldname, tbytes)
        ids, weights, _ = self._decode(block, i, False)
        ones = bool((weights == 1).all())
        matcher = ArrayMatcher(
            ids.tolist(),
            None if ones else weights.tolist(),
            None,
            format_,
            scorer=scorer,
            all_weights=1.0 if ones else None,
            term=(fieldname, tbytes),
            terminfo=_info(block, i),
        )
        matcher.fetch_values = lambda: self._decode(block, i, True)[2]
        return matcher

    def verify(self) -> list[str]:
        """Problems found by checking every field's blocks and runs against their CRC-32."""
        problems = []
        for name in self._names:
            meta = self._meta[name]
            for key, data, crc in (
                ("term_bytes", self._terms, meta["terms_crc"]),
                ("post_bytes", self._posts, meta["posts_crc"]),
            ):
                start, end = meta[key]
                if end > len(data) or zlib.crc32(data[start:end]) != crc:
                    what = "term dictionary" if key == "term_bytes" else "postings"
                    problems.append(f"the {what} of field {name!r} are damaged (checksum)")
        return problems

    def close(self):
        self._indexes.clear()
        self._terms = self._posts = None
        for f in self._files:
            f.close()
        self._files = []


def _info(block: _Block, i: int) -> ArrayTermInfo:
    df, first, last, weight, max_weight, min_byte, max_byte, _, _, _ = block.record(i)
    return ArrayTermInfo(df, first, last, weight, max_weight, min_byte, max_byte)


class ArrayFieldCursor(base.FieldCursor):
    """A cursor over one field's terms (Whoosh's fuzzy matching walks it)."""

    def __init__(self, reader: ArrayTermsReader, fieldname: str, fieldobj) -> None:
        self._reader = reader
        self._fieldname = fieldname
        self._fieldobj = fieldobj
        self.first()

    def _go(self, start: bytes | None):
        self._walk = self._reader._walk(self._fieldname, start)
        return self.next()

    def first(self):
        return self._go(None)

    def find(self, term):
        if not isinstance(term, bytes):
            term = self._fieldobj.to_bytes(term)
        return self._go(term)

    def next(self):
        found = next(self._walk, None)
        if found is None:
            self._at = self._text = None
            return None
        self._at = found
        block, i = found
        self._text = self._fieldobj.from_bytes(block.terms[i])
        return self._text

    def text(self):
        return self._text

    def term_info(self):
        return None if self._at is None else _info(*self._at)

    def is_valid(self):
        return self._at is not None


class ArrayMatcher(ListMatcher):
    """A ``ListMatcher`` over a decoded run: binary-search skipping, the record's maximum
    weight as the list's (one block), and the term and its info kept by ``copy``."""

    def skip_to(self, id):
        if not self.is_active():
            raise ReadTooFar
        if id > self._ids[self._i]:
            self._i = bisect_left(self._ids, id, self._i)

    def skip_to_quality(self, minquality):
        if self.is_active() and self.block_quality() <= minquality:
            self._i = len(self._ids)  # the whole list is one block
        return 0

    def block_max_weight(self):
        return self._all_weights or self._terminfo.max_weight()

    fetch_values = None  # reads the run's values when one is first asked for

    def value(self):
        if self._values is None and self.fetch_values is not None:
            self._values = self.fetch_values() or ()
        return self._values[self._i] if self._values else b""

    def all_items(self):
        self.value()
        return zip(self._ids, self._values or [b""] * len(self._ids), strict=True)

    def copy(self):
        twin = ArrayMatcher(
            self._ids,
            self._weights,
            self._values,
            self._format,
            self._scorer,
            self._i,
            self._all_weights,
            self._term,
            self._terminfo,
        )
        twin.fetch_values = self.fetch_values
        return twin


class ArrayCodec(W3Codec):
    """Whoosh 3's codec with Manchette's terms and postings (see the module)."""

    TERMS_EXT = ".mtd"
    POSTS_EXT = ".mpo"

    def field_writer(self, storage, segment):
        return ArrayFieldWriter(storage, segment)

    def terms_reader(self, storage, segment):
        return ArrayTermsReader(storage, segment)
