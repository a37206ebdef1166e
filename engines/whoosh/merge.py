"""A streaming segment merge: segments merged into a new one, field by field and term by term,
without the posting pool.

The pool's merge (``PooledWriter.add_reader``) gathers every posting of the merged segments
in memory before sorting them, so its memory grows with the merge, and merges were capped at
``pool.MAX_MERGE_DOCS`` documents. ``merge_segments`` writes the new segment directly:

- **documents**: each live document's stored fields, lengths, vectors and columns copied in
  segment order (what Whoosh's ``write_per_doc`` does), which gives each segment's map from
  old to new document numbers (deleted documents: -1);
- **postings**: per field, the segments' dictionary blocks are read side by side
  (``ArrayTermsReader.field_blocks``), a window of at least ``WINDOW_TERMS`` terms or
  ``WINDOW_POSTINGS`` postings of each; every term up to the smallest last term of the
  windows is decoded at once (``runs.decode_runs``), renumbered through the maps, ordered by
  (term, segment) with one stable sort and written by the codec's batched encoder
  (``ArrayFieldWriter.add_terms``).

What it holds is one window per segment, one batch of decoded postings and the documents'
field lengths of the new segment: not the merge. The mapped pages it read are handed back to
the kernel after every batch (they count in the process's resident size).
"""

from __future__ import annotations

import functools
import mmap
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from whoosh import columns
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, STORED_COLUMN
from whoosh.reading import SegmentReader
from whoosh.util.numeric import byte_to_length

from engines.whoosh import compat
from engines.whoosh.codec import ArrayCodec, ArrayTermsReader
from engines.whoosh.runs import TermPostings, decode_runs

# What the segments' windows read ahead, together (each window its share, at least a block):
# a batch decodes about this many terms or postings of every segment together.
WINDOW_TERMS = 4_096
# zlib level of the merged values sections worth deflating: the flush's 6 made the merge's
# deflating a fifth of its time; 1 is several times faster, the sections a little larger
MERGE_LEVEL = 1
STORED = "_stored"  # W3's column of stored fields
WINDOW_POSTINGS = 65_536  # a batch's decoding and encoding take ~300 bytes a posting

_BYTE_TO_LENGTH = np.array([byte_to_length(b) for b in range(256)], dtype=np.int64)


def streamable(segments: Sequence) -> bool:
    """Whether every segment was written by Manchette's codec (a streaming merge reads its
    dictionary blocks and runs)."""
    return all(isinstance(getattr(s, "_codec", None), ArrayCodec) for s in segments)


def copy_documents(pdw, reader, schema, docnum: int) -> tuple[np.ndarray, int]:
    """Copy a segment's live documents to the per-document writer ``pdw`` from number
    ``docnum`` on: what Whoosh's ``write_per_doc`` writes (stored fields, vectors, length
    bytes, column values), the lengths and columns a column at a time rather than a
    document and a field at a time (Whoosh asks the file system whether a length column
    exists for every document and field). Returns the segment's map from old to new numbers
    (-1: deleted) and the next number."""
    fieldnames = set(schema.names()) | {n for n in reader.indexed_field_names() if n in schema}
    vectors = sorted(n for n in fieldnames if schema[n].vector)
    newdocs = np.full(reader.doc_count_all(), -1, dtype=np.int64)
    perdoc = reader._perdoc
    if not vectors and perdoc.has_column(STORED):
        # stored fields copied as they are stored (deflated pickles): not re-encoded
        raw = perdoc.column_reader(STORED, columns.VarBytesColumn())
        add_raw = _raw_stored(pdw)
        for old in reader.all_doc_ids():
            newdocs[old] = docnum
            pdw.start_doc(docnum)
            pdw.finish_doc()
            value = raw[old]
            if value:
                add_raw(docnum, value)
            docnum += 1
    else:
        for old, stored in reader.iter_docs():
            newdocs[old] = docnum
            pdw.start_doc(docnum)
            for name, value in stored.items():
                if name in schema:
                    pdw.add_field(name, schema[name], value, 0)
            for name in vectors:
                if reader.has_vector(old, name):
                    pdw.add_vector_matcher(
                        name, schema[name], reader.vector(old, name, schema[name].vector)
                    )
            pdw.finish_doc()
            docnum += 1
    live = np.flatnonzero(newdocs >= 0)
    for name in sorted(fieldnames):
        raw = compat.perdoc_length_bytes(perdoc, name)
        if raw:
            found = np.frombuffer(raw, dtype=np.uint8)[live[live < len(raw)]]
            kept = live[: len(found)][found > 0]
            add = _column(pdw, compat.length_column_name(name), LENGTHS_COLUMN)
            for old, byte in zip(kept.tolist(), found[found > 0].tolist(), strict=True):
                add(int(newdocs[old]), byte)
        coltype = schema[name].column_type
        if coltype and reader.has_column(name):
            values = reader.column_reader(name, coltype)
            if isinstance(values, columns.TranslatingColumnReader):
                values = values.raw_column()
            add = _column(pdw, name, coltype)
            for old in live.tolist():
                add(int(newdocs[old]), values[old])
    return newdocs, docnum


def _raw_stored(pdw) -> Callable[[int, bytes], None]:
    """``add(docnum, raw)`` of the writer's stored-fields column below its pickling and
    deflating (W3's ``PickleColumn(CompressedBytesColumn())``): ``raw`` as another segment
    stored it."""
    if not pdw._has_column(STORED):
        pdw._create_column(STORED, STORED_COLUMN)
    deflating = pdw._get_column(STORED)._child
    if not isinstance(deflating, columns.CompressedBytesColumn.Writer):
        raise TypeError("stored fields are not in a deflated column")
    return functools.partial(columns.VarBytesColumn.Writer.add, deflating)


def _column(pdw, name: str, column) -> Callable[[int, object], None]:
    """The ``add(docnum, value)`` of the writer's column ``name`` (created when missing)."""
    if not pdw._has_column(name):
        pdw._create_column(name, column)
    return pdw._get_column(name).add


def field_totals(readers: list, maps: list[np.ndarray]) -> dict[str, int]:
    """Each field's total length over the merged documents: the segments' totals, less their
    deleted documents' lengths. Summing the documents' stored lengths (Whoosh's merge) would
    add up their one-byte approximations; the totals are exact, and the deleted documents'
    lengths only are approximated, so that a merge without deletions scores as a fresh
    build does."""
    totals: dict[str, int] = {}
    for reader, newdocs in zip(readers, maps, strict=True):
        deleted = np.flatnonzero(newdocs < 0).tolist()
        for name, total in reader.segment()._fieldlengths.items():
            gone = sum(reader.doc_field_length(d, name) or 0 for d in deleted)
            totals[name] = totals.get(name, 0) + max(total - gone, 0)
    return totals


class _Window:
    """One segment's terms of a field, read a dictionary block at a time."""

    def __init__(
        self, terms: ArrayTermsReader, fieldname: str, newdocs: np.ndarray, share: int
    ) -> None:
        self.blocks = terms.field_blocks(fieldname)
        self.min_terms = WINDOW_TERMS // share
        self.min_postings = WINDOW_POSTINGS // share
        self.data = np.frombuffer(terms.postings, dtype=np.uint8)
        self.newdocs = newdocs
        self.terms: list[bytes] = []
        self.columns: list[dict[str, np.ndarray]] = []
        self.postings = 0
        self.done = False

    def fill(self) -> None:
        while (
            not self.done and len(self.terms) < self.min_terms and self.postings < self.min_postings
        ):
            block = next(self.blocks, None)
            if block is None:
                self.done = True
                break
            self.terms.extend(block[0])
            self.columns.append(block[1])
            self.postings += int(block[1]["df"].sum())

    def last(self) -> bytes | None:
        return self.terms[-1] if self.terms else None

    def take(self, bound: bytes | None) -> tuple[list[bytes], dict[str, np.ndarray]] | None:
        """The window's terms up to ``bound`` (all when None) and their records."""
        if not self.terms:
            return None
        cut = len(self.terms) if bound is None else bisect_right(self.terms, bound)
        if not cut:
            return None
        merged = {k: np.concatenate([c[k] for c in self.columns]) for k in self.columns[0]}
        taken = self.terms[:cut]
        self.terms = self.terms[cut:]
        rest = {k: v[cut:] for k, v in merged.items()}
        self.columns = [rest] if self.terms else []
        self.postings = int(rest["df"].sum()) if self.terms else 0
        return taken, {k: v[:cut] for k, v in merged.items()}


@dataclass
class _Part:
    """One segment's share of a batch: per posting its term's rank in the batch, new document
    number, weight, and value (``vstart``/``vlens`` into ``blob``)."""

    keys: np.ndarray
    docs: np.ndarray
    weights: np.ndarray
    vlens: np.ndarray | None
    vstart: np.ndarray | None
    blob: np.ndarray | None


def _part(window: _Window, terms: list[bytes], records: dict, rank: dict) -> _Part:
    found = decode_runs(
        window.data,
        records["df"],
        records["first"],
        records["kind"],
        records["value_size"],
        records["offset"],
        True,
    )
    ranks = np.fromiter(map(rank.__getitem__, terms), dtype=np.int64, count=len(terms))
    keys = np.repeat(ranks, records["df"])
    docs = window.newdocs[found.docnums]
    weights, vlens, blob = found.weights, found.value_lengths, found.values
    vstart = None if vlens is None else np.cumsum(vlens) - vlens
    kept = docs >= 0
    if not kept.all():
        keys, docs, weights = keys[kept], docs[kept], weights[kept]
        if vlens is not None and vstart is not None:
            vlens, vstart = vlens[kept], vstart[kept]
    return _Part(keys, docs, weights, vlens, vstart, blob)


def _batch(parts: list[_Part], names: list[bytes], lengths: np.ndarray) -> TermPostings | None:
    keys = np.concatenate([p.keys for p in parts])
    if not len(keys):
        return None
    order = np.argsort(keys, kind="stable")  # segments in order: documents ascending per term
    counts = np.bincount(keys, minlength=len(names))
    present = np.flatnonzero(counts)
    bounds = np.zeros(len(present) + 1, dtype=np.int64)
    np.cumsum(counts[present], out=bounds[1:])
    docs = np.concatenate([p.docs for p in parts])[order]
    weights = np.concatenate([p.weights for p in parts])[order]
    values = vlens = None
    if any(p.blob is not None for p in parts):
        blobs, lens, starts, at = [], [], [], 0
        for p in parts:
            size = len(p.keys)
            if p.blob is None or p.vlens is None or p.vstart is None:
                lens.append(np.zeros(size, dtype=np.int64))
                starts.append(np.zeros(size, dtype=np.int64))
                continue
            blobs.append(p.blob)
            lens.append(p.vlens)
            starts.append(p.vstart + at)
            at += len(p.blob)
        joined = np.concatenate(blobs) if len(blobs) > 1 else blobs[0]
        vlens = np.concatenate(lens)[order]
        vstarts = np.concatenate(starts)[order]
        packed = np.cumsum(vlens) - vlens
        values = joined[np.arange(int(vlens.sum())) + np.repeat(vstarts - packed, vlens)]
    chosen = names if len(present) == len(names) else [names[i] for i in present.tolist()]
    return TermPostings(chosen, bounds, docs, weights, values, vlens, lengths[docs])


def merged_postings(
    windows: list[_Window], lengths: np.ndarray, release: Callable[[], None] | None = None
) -> Iterator[TermPostings]:
    """One field's postings of every segment, merged, as batches for ``add_terms``."""
    while True:
        for window in windows:
            window.fill()
        open_ = [w for w in windows if not w.done]
        lasts = [w.last() for w in open_]
        bound = min((t for t in lasts if t is not None), default=None) if open_ else None
        taken = [(w, t) for w in windows if (t := w.take(bound)) is not None]
        if not taken:
            if all(w.done and not w.terms for w in windows):
                return
            continue
        if len(taken) == 1:
            names = taken[0][1][0]
        else:
            names = sorted(set().union(*(t[0] for _, t in taken)))
        rank = dict(zip(names, range(len(names)), strict=True))
        parts = [_part(w, terms, records, rank) for w, (terms, records) in taken]
        found = _batch(parts, names, lengths)
        if found is not None:
            yield found
        if release is not None:
            release()


def _terms(reader) -> ArrayTermsReader:
    found = compat.segment_terms(reader)
    if not isinstance(found, ArrayTermsReader):
        raise TypeError("a streaming merge reads segments of Manchette's codec only")
    return found


def _release(readers: list) -> None:
    """Hand the mapped pages of the merged segments back to the kernel."""
    for reader in readers:
        compound = getattr(getattr(reader, "_storage", None), "a", None)
        source = getattr(compound, "_source", None)
        if isinstance(source, mmap.mmap) and not getattr(compound, "is_closed", False):
            source.madvise(mmap.MADV_DONTNEED)


def document_lengths(perdoc, fieldname: str, doccount: int) -> np.ndarray:
    """Each document's length in a field as Whoosh's flush reads it back (the length byte's
    value; 0 when none), from the new segment's per-document reader."""
    if perdoc is None:
        return np.zeros(doccount, dtype=np.int64)
    try:
        raw = compat.perdoc_length_bytes(perdoc, fieldname)
    except LookupError:  # not a W3 reader: document by document
        lengths = [perdoc.doc_field_length(d, fieldname) or 0 for d in range(doccount)]
        return np.array(lengths, dtype=np.int64)
    if raw is None:  # no length column: every length is 0
        return np.zeros(doccount, dtype=np.int64)
    found = _BYTE_TO_LENGTH[np.frombuffer(raw, dtype=np.uint8)]
    if len(found) < doccount:
        found = np.concatenate((found, np.zeros(doccount - len(found), dtype=np.int64)))
    return found


def merge_segments(storage, schema, codec, indexname: str, segments: Sequence):
    """Merge ``segments`` (``streamable``) into a new segment of ``codec`` and return it
    (None when none of their documents is live): stored fields, lengths, vectors, columns
    and postings, deleted documents dropped, documents numbered in segment order."""
    readers = [SegmentReader(storage, schema, s) for s in segments]
    newsegment = codec.new_segment(storage, indexname)
    try:
        pdw = codec.per_document_writer(storage, newsegment)
        maps, docnum = [], 0
        for reader in readers:
            newdocs, docnum = copy_documents(pdw, reader, schema, docnum)
            maps.append(newdocs)
            # its stored fields were read through the mapping: handed back segment by
            # segment, else a full build's final merge held all of them at once (~100 MB)
            _release([reader])
        pdw.close()
        newsegment._fieldlengths = field_totals(readers, maps)
        _release(readers)
        newsegment.set_doc_count(docnum)
        if not docnum:
            for name in newsegment.list_files(storage):
                storage.delete_file(name)
            return None
        perdoc = codec.per_document_reader(storage, newsegment)
        fieldwriter = codec.field_writer(storage, newsegment)
        sources = [(_terms(r), m) for r, m in zip(readers, maps, strict=True)]
        fieldnames = sorted({n for terms, _ in sources for n in terms.indexed_field_names()})
        for fieldname in fieldnames:
            if fieldname not in schema:
                continue
            field = schema[fieldname]
            lengths = document_lengths(perdoc, fieldname, docnum)
            windows = [_Window(terms, fieldname, m, len(sources)) for terms, m in sources]
            fieldwriter.start_field(fieldname, field)
            for batch in merged_postings(windows, lengths, lambda: _release(readers)):
                fieldwriter.add_terms(batch, MERGE_LEVEL)
            fieldwriter.finish_field()
        fieldwriter.close()
        perdoc.close()
        if newsegment.should_assemble():
            newsegment.create_compound_file(storage)
    finally:
        _release(readers)
        for reader in readers:
            reader.close()
    return newsegment
