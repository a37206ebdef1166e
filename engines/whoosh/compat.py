"""Every access to Whoosh's private parts, in one place, checked against the Whoosh it was
written for.

Whoosh 2.7 is the last line of Whoosh (``whoosh-reloaded`` keeps it installable); the private
names below do not move within it, but a different release might move them. ``install()``
checks the version first and refuses a Whoosh this module was not written for
(:class:`WhooshChanged`), and ``tests/engines/test_compat.py`` fails when the installed
version changes, so an upgrade starts by re-reading this module.

What is reached here:

- **Compound segments read in place.** Whoosh assembles each segment's files (terms,
  postings, stored fields, columns, ...) into one compound file, maps it with ``mmap``, and
  then hands each sub-file out as a ``BufferFile`` over ``BytesIO(memoryview)``: a private
  copy of the whole sub-file. Every segment reader copied its segment's terms and postings
  into memory (about 10 MB per searcher on a 2,000-article index, most of the index on a large
  one); the server keeps a searcher per thread and opens a new one after every commit, and a
  merge opens every merged segment. ``install()`` makes those sub-files read from the shared
  mapping instead (``CompoundStorage.open_file`` replaced): nothing copied, the pages shared
  with the page cache and with every other reader of the segment.
- **Segments and their files**: the segments a commit refers to (``FileIndex._segments``),
  the file-name patterns of segments and tables of contents (``TOC._segment_pattern``,
  ``TOC._pattern``), an open writer's new segment and its lock (``SegmentWriter.newsegment``,
  ``writelock``), a segment reader's segment.
- **Collectors**: every match collected without Whoosh's block-quality skipping
  (``ScoredCollector._use_block_quality`` and ``_collect``).
- **Column readers remembered** per segment reader (``IndexReader.column_reader`` replaced
  on the reader instance).
- **Posting lists and length columns read whole** for the vectorised executor: a segment
  reader's terms reader (``engines.whoosh.codec`` gives the arrays), a segment's raw length
  column, BM25F's per-field ``B``; an opened sub-file's buffer (``file_buffer``), which the
  codec reads its arrays from in place.
- **Posting lists written and merged whole** (``engines.whoosh.pool``): a segment reader's
  terms reader, a per-document reader's raw length column, a Whoosh 3 term's postings read
  block by block into arrays, and Whoosh 3's posting blocks filled whole (``W3PostingsWriter``'s
  block buffer) with what its ``add_posting`` would have put there.

``install()`` is called where an index is opened or created (``engines.whoosh.writer``), never
as a side effect of importing a module.
"""

from __future__ import annotations

import mmap
import re
import zlib
from array import array
from collections.abc import Callable, Iterator, Sequence
from functools import wraps
from io import BytesIO
from pickle import dumps, load, loads
from typing import Any

import numpy as np
import whoosh
from whoosh import collectors
from whoosh.codec.whoosh3 import (
    LENGTHS_COLUMN,
    WHOOSH3_HEADER_MAGIC,
    W3FieldWriter,
    W3LeafMatcher,
    W3TermsReader,
    _lenfield,
)
from whoosh.filedb.compound import CompoundStorage, SubFile
from whoosh.filedb.structfile import BufferFile, StructFile
from whoosh.index import TOC, FileIndex
from whoosh.reading import IndexReader
from whoosh.searching import Searcher
from whoosh.util.numeric import length_to_byte
from whoosh.writing import SegmentWriter

WRITTEN_FOR = (2, 7, 5)  # whoosh-reloaded 2.7.5 (pyproject.toml pins it)
_original_open_file = CompoundStorage.open_file


class WhooshChanged(RuntimeError):
    """The installed Whoosh is not the one ``engines.whoosh.compat`` was written for."""


def whoosh_version() -> tuple[int, ...]:
    return tuple(whoosh.__version__)


def check_version() -> None:
    if whoosh_version() != WRITTEN_FOR:
        found = ".".join(map(str, whoosh_version()))
        raise WhooshChanged(
            f"Whoosh {found} is installed; engines/whoosh/compat.py was written for "
            f"{'.'.join(map(str, WRITTEN_FOR))}: check its private accesses, then update "
            "WRITTEN_FOR (or install the pinned version)"
        )


# --- compound segments read in place --------------------------------------------------------


class MappedSubFile(BufferFile):
    """One sub-file of a mapped compound file: reads and ``get()`` served from the mapping."""

    def __init__(self, source: mmap.mmap, offset: int, length: int, name: str) -> None:
        StructFile.__init__(self, SubFile(source, offset, length, name=name), name=name)
        self._buf = memoryview(source)[offset : offset + length]


def _open_file(self: CompoundStorage, name: str, *args, **kwargs):
    source = getattr(self, "_source", None)
    if source is None or self.is_closed:  # not mapped (or closed: let whoosh say so)
        return _original_open_file(self, name, *args, **kwargs)
    offset, length = self.range(name)
    return MappedSubFile(source, offset, length, name)


def install() -> None:
    """Check the Whoosh version, then route compound sub-files through the mapping
    (idempotent)."""
    check_version()
    CompoundStorage.open_file = _open_file


def installed() -> bool:
    return CompoundStorage.open_file is _open_file


def file_buffer(f: StructFile, length: int):
    """The whole content of an opened (sub-)file as a buffer: the mapping itself for a mapped
    sub-file (no copy; ``numpy.frombuffer`` reads it in place), else the bytes read once."""
    buf = getattr(f, "_buf", None)  # BufferFile (MappedSubFile included)
    if isinstance(buf, memoryview):
        return buf
    f.seek(0)
    return f.read(length)


def release_mapped_pages(searcher: Searcher) -> None:
    """Let the kernel take back the pages of the searcher's mapped segments that a long walk
    touched (an export reads every matching article's stored fields): they count in the
    process's resident size otherwise. Read-only shared mappings: a page read again comes
    back from the file, unchanged, for this thread and every other."""
    for reader, _offset in searcher.reader().leaf_readers():
        storage = getattr(reader, "_storage", None)
        compound = getattr(storage, "a", None)  # OverlayStorage(compound files, directory)
        source = getattr(compound, "_source", None)
        if isinstance(source, mmap.mmap) and not getattr(compound, "is_closed", False):
            source.madvise(mmap.MADV_DONTNEED)


# --- segments and their files ---------------------------------------------------------------


def committed_segments(ix: FileIndex) -> list:
    """The segments of the index's latest commit."""
    return ix._segments()


def committed_segment_ids(ix: FileIndex) -> set[str]:
    """The segments the index's latest commit refers to."""
    return {segment.segment_id() for segment in committed_segments(ix)}


def segment_file_pattern(ix: FileIndex) -> re.Pattern:
    """Matches a segment's file names; group 1 is the segment id."""
    return TOC._segment_pattern(ix.indexname)


def toc_file_pattern(ix: FileIndex) -> re.Pattern:
    """Matches a table of contents' file names; group 1 is its generation."""
    return TOC._pattern(ix.indexname)


def new_segment_id(writer: SegmentWriter) -> str:
    """The id of the segment an open writer is writing."""
    return writer.newsegment.segment_id()


def release_write_lock(writer: SegmentWriter) -> None:
    writer.writelock.release()


def segment_id(reader: IndexReader) -> str | None:
    """The id of a segment reader's segment (None for a reader of several)."""
    segment = reader.segment()
    return segment.segment_id() if segment is not None else None


# --- collectors -----------------------------------------------------------------------------


class EveryScoredMatch(collectors.ScoredCollector):
    """Calls ``matched(document number, score)`` for every match (no heap, and no skipping of
    blocks that cannot enter a top-N: all are kept)."""

    def matched(self, docnum: int, score: float) -> None:
        raise NotImplementedError

    def _use_block_quality(self) -> bool:
        return False

    def _collect(self, global_docnum, score):
        self.matched(global_docnum, score)
        return 0

    def results(self):
        return None


class EveryMatch(collectors.Collector):
    """Calls ``matched(document number)`` for every match, unscored."""

    def matched(self, docnum: int) -> None:
        raise NotImplementedError

    def collect(self, sub_docnum):
        self.matched(self.offset + sub_docnum)
        return 0

    def results(self):
        return None


# --- column readers remembered --------------------------------------------------------------

_MARK = "_manchette_cached_columns"


def remember_columns(reader: IndexReader) -> None:
    """Make a segment reader keep the column readers it makes (idempotent)."""
    if getattr(reader, _MARK, False) or not reader.is_atomic():
        return
    make = reader.column_reader
    made: dict[tuple, object] = {}

    @wraps(make)
    def column_reader(fieldname, column=None, reverse=False, translate=True):
        if column is not None:  # a caller's own column object: nothing to share
            return make(fieldname, column=column, reverse=reverse, translate=translate)
        key = (fieldname, reverse, translate)
        if key not in made:
            made[key] = make(fieldname, column=column, reverse=reverse, translate=translate)
        return made[key]

    reader.column_reader = column_reader
    setattr(reader, _MARK, True)


# --- posting lists and length columns read whole (engines/whoosh/vectorized.py) -------------


def terms_reader(reader: IndexReader) -> Any:
    """A segment reader's terms reader (its codec's)."""
    return reader._terms


def leaf_blocks(matcher: Any) -> Iterator[tuple[Any, Any, Any, int]]:
    """Every block of a Whoosh 3 posting list: its delta-coded ids, weights, values and
    length, each block decompressed and unpickled once (Whoosh's own reading)."""
    while True:
        matcher._read_data()
        raw_ids, raw_weights, raw_values = matcher._data
        yield raw_ids, raw_weights, raw_values, matcher._blocklength
        if matcher._lastblock:
            return
        matcher._goto(matcher._nextoffset)


def length_bytes(reader: IndexReader, fieldname: str) -> tuple[bytes, int] | None:
    """The raw length column of a field in a segment (one byte per document) and how many
    documents it covers, or None when the segment has none; ``Unsupported``-worthy readers
    raise ``LookupError``."""
    perdoc = getattr(reader, "_perdoc", None)
    if perdoc is None or not hasattr(perdoc, "_cached_reader"):
        raise LookupError("per-document reader")
    column = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if column is None:
        return None
    count = min(column._count, reader.doc_count_all())
    return column._dbfile.get(column._basepos, count), count


def bm25_b(model: Any, fieldname: str) -> float:
    """BM25F's ``B`` for one field (a per-field value, else the model's)."""
    return model._field_B.get(fieldname, model.B)


# --- posting lists written and merged whole (engines/whoosh/pool.py) ------------------------


def segment_terms(reader: IndexReader) -> Any | None:
    """A segment reader's terms reader (None for any other reader)."""
    return getattr(reader, "_terms", None) if reader.is_atomic() else None


def length_column_name(fieldname: str) -> str:
    """The name of a field's column of length bytes in a W3 segment."""
    return _lenfield(fieldname)


def perdoc_length_bytes(perdoc: Any, fieldname: str) -> bytes | None:
    """A per-document reader's raw length column of a field (one byte per document, maybe
    fewer bytes than documents: the rest are 0), or None when it has none; ``LookupError``
    for a reader this cannot read."""
    if not hasattr(perdoc, "_cached_reader"):
        raise LookupError("per-document reader")
    column = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if column is None:
        return None
    return column._dbfile.get(column._basepos, column._count)


def _block_values(raw: Any, count: int, fixed: int | None) -> Sequence[bytes | None]:
    if fixed is None or fixed < 0:
        return raw
    if fixed == 0:
        return (None,) * count
    return [raw[i : i + fixed] for i in range(0, len(raw), fixed)]


def matcher_arrays(matcher: Any) -> tuple[np.ndarray, np.ndarray, list[bytes]]:
    """A raw posting matcher's postings (deletions not applied): document numbers, weights
    (as Whoosh's reader gives them) and values (``b""`` for none), a Whoosh 3 list read block
    by block, any other walked posting by posting."""
    if type(matcher) is not W3LeafMatcher or matcher._byteids:
        ids, weights, values = [], [], []
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            values.append(matcher.value() or b"")
            matcher.next()
        return np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float64), values
    fixed = matcher._fixedsize
    id_parts, weight_parts, values = [], [], []
    for raw_ids, raw_weights, raw_values, count in leaf_blocks(matcher):
        deltas = np.array(raw_ids, dtype=np.int64)
        id_parts.append(np.cumsum(deltas))  # delta-coded from 0 in each block
        weight_parts.append(_block_weights(raw_weights, count))
        values.extend(v or b"" for v in _block_values(raw_values, count, fixed))
    return np.concatenate(id_parts), np.concatenate(weight_parts), values


def _block_weights(raw_weights: Any, count: int) -> np.ndarray:
    """A Whoosh 3 block's weights as its matcher gives them: none (all 1), one shared weight
    (through a float32 array, as Whoosh reads it) or one per posting."""
    if raw_weights is None:
        return np.ones(count)
    if isinstance(raw_weights, float):
        return np.full(count, raw_weights, dtype=np.float32).astype(np.float64)
    return np.array(raw_weights, dtype=np.float64)


def _w3_postings(postfile: Any, offset: int, fixed: int | None) -> tuple[list, list, list]:
    """A Whoosh 3 posting list's blocks read in a row (as ``W3LeafMatcher`` reads them): per
    block, its ids (delta-decoded), weights (as the matcher gives them) and values."""
    ids: list = []
    weights: list = []
    values: list = []
    position = offset + len(WHOOSH3_HEADER_MAGIC)
    while True:
        size = postfile.get_int(position)
        last = size < 0
        size = -size if last else size
        chunk = BytesIO(postfile.get(position + 4, size))
        count, _maxid, _maxweight, level, _min, _max = load(chunk)
        data = chunk.read()
        raw_ids, raw_weights, raw_values = loads(zlib.decompress(data) if level else data)
        ids.append(np.cumsum(np.array(raw_ids, dtype=np.int64)))
        weights.append(_block_weights(raw_weights, count))
        values.extend(v or b"" for v in _block_values(raw_values, count, fixed))
        if last:
            return ids, weights, values
        position += 4 + size


SegmentPostings = Iterator[tuple[str, bytes, np.ndarray, np.ndarray, list[bytes]]]


def segment_postings(reader: IndexReader) -> SegmentPostings | None:
    """Every term of a Whoosh 3 segment in order, with its postings read whole (deletions not
    applied): (field name, term bytes, document numbers, weights, values ``b""`` for none),
    the terms table walked once rather than looked up term by term. None for a reader that
    is not a Whoosh 3 segment's."""
    found = segment_terms(reader)
    if type(found) is not W3TermsReader:
        return None
    terms: Any = found
    schema = reader.schema

    def walk() -> SegmentPostings:
        postfile = terms._postfile
        fixed = {}
        for (fieldname, tbytes), info in terms.items():
            if fieldname not in schema:
                continue
            if fieldname not in fixed:
                fixed[fieldname] = schema[fieldname].format.fixed_value_size()
            if info.is_inlined():
                listed, scores, found = info.inlined_postings()
                docnums = np.array(listed, dtype=np.int64)
                shown = np.array(scores, dtype=np.float32).astype(np.float64)
                yield fieldname, tbytes, docnums, shown, [v or b"" for v in found]
                continue
            ids, weights, values = _w3_postings(postfile, info._offset, fixed[fieldname])
            yield fieldname, tbytes, np.concatenate(ids), np.concatenate(weights), values

    return walk()


TermArraysWriter = Callable[[bytes, np.ndarray, np.ndarray, Sequence[bytes], np.ndarray], None]
# A block's pickle shorter than this is written uncompressed (Whoosh 3 compresses every block,
# though it means not to below 20 bytes): zlib's set-up costs far more than a short block, which
# it barely shrinks, and most terms' only block is short (one or two postings).
COMPRESS_FROM = 96


def _write_block(block: Any, last: bool) -> None:
    """Write a ``W3PostingsWriter``'s buffered block as its ``_write_block`` does (same header,
    block info and pickled data), compressing only blocks of ``COMPRESS_FROM`` bytes or more."""
    if not block._blockcount:
        block._postfile.write(WHOOSH3_HEADER_MAGIC)
    block._terminfo.add_block(block)
    data = dumps((block._mini_ids(), block._mini_weights(), block._mini_values()), 2)
    level = block._compression if len(data) >= COMPRESS_FROM else 0
    if level:
        data = zlib.compress(data, level)
    ids = block._ids
    minlength, maxlength = length_to_byte(block._minlength), length_to_byte(block._maxlength)
    info = dumps((len(ids), ids[-1], block._maxweight, level, minlength, maxlength), 2)
    size = len(info) + len(data)
    postfile = block._postfile
    postfile.write_int(-size if last else size)
    postfile.write(info)
    postfile.write(data)
    block._blockcount += 1
    block._new_block()


def term_arrays_writer(fieldwriter: Any) -> TermArraysWriter | None:
    """For Whoosh 3's field writer, a function writing one term's postings block by block:
    each block's buffer filled as ``add_posting`` fills it, then written (``_write_block``
    above), the term finished by Whoosh. None for any other field writer."""
    if type(fieldwriter) is not W3FieldWriter:
        return None

    def write(
        tbytes: bytes,
        docnums: np.ndarray,
        weights: np.ndarray,
        values: Sequence[bytes],
        lengths: np.ndarray,
    ) -> None:
        fieldwriter.start_term(tbytes)
        block = fieldwriter._postwriter
        limit = block._blocklimit
        ids, scores, sizes = docnums.tolist(), weights.tolist(), lengths.tolist()
        count = len(ids)
        inline = count < block._inlinelimit and count <= limit  # kept in the term info
        for start in range(0, count, limit):
            end = start + limit
            block._ids = array("I", ids[start:end])
            block._weights = array("f", scores[start:end])
            block._values = [v for v in values[start:end] if v]
            block._maxweight = max(0, *scores[start:end])
            known = [n for n in sizes[start:end] if n]
            block._minlength = min(known) if known else None
            block._maxlength = max(known, default=0)
            if not inline:
                _write_block(block, last=end >= count)
        fieldwriter.finish_term()

    return write
