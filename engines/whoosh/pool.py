"""A Whoosh segment writer that pools postings in compact arrays and sorts them with numpy.

Whoosh's ``SegmentWriter`` keeps every posting as a Python tuple in a ``PostingPool``, sorts
them with a pure-Python external merge at commit, then hands them to the field writer one by
one; a merge re-pools every posting of the merged segments the same way. ``PooledWriter``
writes the same index content (``tests/engines/test_whoosh_pool.py`` compares both, term by
term) with:

- **pooling** in per-field arrays (``FieldPool``): term bytes → term id in a dict, then term
  ids, weights and value lengths in ``array``s and each document's values joined in one
  bytes object; a document whose postings were computed ahead (``Analysed``) costs a few
  list operations per field, not a method call per posting;
- **sorting** with numpy at flush: term ids ranked by term bytes, postings ordered by
  (term, document) with one stable argsort, and each term's postings handed over whole: to
  ``add_term_arrays`` when the field writer has it (``engines.whoosh.codec``), else to
  ``compat.write_term_arrays`` (Whoosh 3's posting blocks filled whole), else posting by
  posting;
- **merging** segment by segment, term by term (``add_reader``): a term's arrays read at
  once (``term_arrays`` of a terms reader that has it, else Whoosh 3's blocks), document
  numbers remapped through the deletions with one array lookup.

The pool lives in memory until the commit. It counts its bytes as it grows (``nbytes``: about
16 bytes a posting plus the values and each distinct term), and the indexing job commits when
they reach ``commit_mb`` (32 MB), every 10,000 documents or every ``commit_seconds``, which
bounds it whatever the articles; sorting it at flush allocates about 24 bytes a posting of the
field being written (``FieldPool.sorted_terms``).
"""

from __future__ import annotations

import os
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import count
from typing import cast

import numpy as np
from whoosh.util import fib
from whoosh.writing import SegmentWriter

from engines.whoosh import compat
from engines.whoosh.merge import document_lengths, merge_segments, streamable
from engines.whoosh.runs import TermPostings
from engines.whoosh.schema import Analysed

POOL_ENV = "MANCHETTE_WHOOSH_POOL"  # "0": Whoosh's own SegmentWriter (for paired measurements)
TERMS_PER_BATCH = 65_536  # postings turned into Python objects at once while writing a field
# postings encoded at once by the codec's ``add_terms``: its temporaries take ~300 bytes a
# posting (262,144 at once: +80 MB at every flush of the exact field; 65,536: +27 MB over the
# pooled postings, which set the full corpus's peak; 16,384: +9 MB, and flush as fast)
POSTINGS_PER_BATCH = 16_384
_EMPTY = np.zeros(0, dtype=np.int64)
# What ``FieldPool.size`` counts: a posting's term id, weight and value length; a chunk's
# document number, count and blob object; a distinct term's dict entry and bytes object.
POSTING_BYTES = 16
CHUNK_BYTES = 12 + 33
TERM_BYTES = 33 + 80


def pool_enabled() -> bool:
    return os.environ.get(POOL_ENV, "1") != "0"


class FieldPool:
    """One field's postings since the last flush, in insertion order (documents ascending).

    ``size`` counts the bytes it holds as it grows (``POSTING_BYTES`` a posting, the values,
    ``CHUNK_BYTES`` a chunk, ``TERM_BYTES`` plus the term's bytes a distinct term): the job
    flushes the pool by that count (``ArrayPool.nbytes``), not by documents."""

    __slots__ = ("blob", "counts", "docs", "next_id", "size", "terms", "tids", "vlens", "weights")

    def __init__(self) -> None:
        self.terms: dict[bytes, int] = {}  # term bytes → term id (increasing, not contiguous)
        self.next_id = 0
        self.tids = array("I")  # per posting
        self.weights = array("d")  # per posting
        self.vlens = array("I")  # per posting: its value's length in the chunk's blob
        self.docs = array("q")  # per chunk (a document's postings, or one term of a merge)
        self.counts = array("I")  # per chunk: how many postings
        # every posting's value, one after the other: grown in place (a big buffer is a
        # mapping that ``realloc`` moves without copying), never joined into a second copy
        self.blob = bytearray()
        self.size = 0  # bytes held (see the class's docstring)

    def __len__(self) -> int:
        return len(self.tids)

    def _ids(self, tbytes: Sequence[bytes]) -> list[int]:
        """The terms' ids, new terms given fresh ones (no Python loop: ids are not
        contiguous, ``sorted_terms`` ranks them)."""
        known = len(self.terms)
        ids = list(map(self.terms.setdefault, tbytes, count(self.next_id)))
        self.next_id += len(tbytes)
        new = len(self.terms) - known
        if new:  # the new terms' own bytes, estimated from this document's terms
            self.size += new * TERM_BYTES + sum(map(len, tbytes)) * new // len(tbytes)
        return ids

    def add_document(
        self,
        docnum: int,
        tbytes: Sequence[bytes],
        weights: Sequence[float],
        values: Sequence[bytes | None],
    ) -> None:
        """One document's postings in this field (terms unique)."""
        self.tids.extend(self._ids(tbytes))
        self.weights.extend(weights)
        given = [v or b"" for v in values] if None in values else cast(Sequence[bytes], values)
        self.vlens.extend(map(len, given))
        blob = b"".join(given)
        self.blob += blob
        self.docs.append(docnum)
        self.counts.append(len(tbytes))
        self.size += POSTING_BYTES * len(tbytes) + len(blob) + CHUNK_BYTES

    def add_packed(self, docnum: int, found: Analysed, boost: float = 1.0) -> None:
        """One document's postings in this field, as the parsing process packed them."""
        weights = found.weights
        if boost != 1.0:
            weights = (np.frombuffer(weights, dtype=np.float64) * boost).tobytes()
        self.tids.extend(self._ids(found.terms))
        self.weights.frombytes(weights)
        self.vlens.frombytes(found.value_lengths)
        self.blob += found.blob
        self.docs.append(docnum)
        self.counts.append(len(found.terms))
        self.size += POSTING_BYTES * len(found.terms) + len(found.blob) + CHUNK_BYTES

    def add_term(
        self, tbytes: bytes, docnums: np.ndarray, weights: np.ndarray, values: Sequence[bytes]
    ) -> None:
        """One term's postings of a merged segment (document numbers ascending, above all the
        pool holds)."""
        size = len(docnums)
        known = len(self.terms)
        tid = self.terms.setdefault(tbytes, self.next_id)
        self.next_id += 1
        self.tids.extend(array("I", [tid]) * size)
        self.weights.frombytes(np.ascontiguousarray(weights, dtype=np.float64).tobytes())
        self.vlens.extend(map(len, values))
        blob = b"".join(values)
        self.blob += blob
        self.docs.extend(docnums.tolist())
        self.counts.extend(array("I", [1]) * size)
        self.size += (POSTING_BYTES + CHUNK_BYTES) * size + len(blob)
        if len(self.terms) > known:
            self.size += TERM_BYTES + len(tbytes)

    def nbytes(self) -> int:
        return self.size

    def _sorted(self) -> _Sorted | None:
        """The postings ordered by (term bytes, document), gathered a batch at a time.

        What it allocates besides the pool stays small: per posting a 32-bit term rank (freed
        once sorted), document number, sort order and value offset (64-bit only for a pool
        of 2**31 postings or value bytes); ``_Sorted.batch`` gathers a batch's postings
        through the order as it is handed over."""
        total = len(self.tids)
        if not total:
            return None
        names = sorted(self.terms)  # a term's rank: its index here
        rank_of = np.zeros(self.next_id, dtype=np.int32)  # term id → rank
        rank_of[np.fromiter(map(self.terms.__getitem__, names), np.int64, len(names))] = np.arange(
            len(names), dtype=np.int32
        )
        keys = rank_of[np.frombuffer(self.tids, dtype=np.uint32)]
        del rank_of
        order = np.argsort(keys, kind="stable")  # documents were added in ascending order
        if total < 2**31:
            order = order.astype(np.int32)
        bounds = np.zeros(len(names) + 1, dtype=np.int64)
        np.cumsum(np.bincount(keys, minlength=len(names)), out=bounds[1:])
        del keys
        chunk_docs = np.frombuffer(self.docs, dtype=np.int64)
        narrow = np.int32 if int(chunk_docs.max()) < 2**31 else np.int64
        docs = np.repeat(chunk_docs.astype(narrow), np.frombuffer(self.counts, dtype=np.uint32))
        vlens = np.frombuffer(self.vlens, dtype=np.uint32)
        offset = np.int32 if len(self.blob) < 2**31 else np.int64
        starts = np.zeros(total, dtype=offset)
        np.cumsum(vlens[:-1], dtype=offset, out=starts[1:])
        weights = np.frombuffer(self.weights, dtype=np.float64)
        return _Sorted(names, bounds, order, docs, weights, starts, vlens, self.blob)

    def sorted_terms(self) -> Iterable[tuple[bytes, np.ndarray, np.ndarray, list[bytes]]]:
        """Each term in byte order with its postings: (term, document numbers ascending,
        weights, values), in batches of about ``TERMS_PER_BATCH`` postings."""
        found = self._sorted()
        if found is None:
            return
        names, bounds, blob = found.terms, found.bounds, found.blob
        term = 0
        while term < len(names):
            last = int(np.searchsorted(bounds, bounds[term] + TERMS_PER_BATCH, side="right"))
            last = min(max(last - 1, term + 1), len(names))
            batch_docs, batch_weights, vstarts, vlens = found.batch(term, last)
            cuts = (bounds[term : last + 1] - bounds[term]).tolist()
            spans = zip(vstarts.tolist(), (vstarts + vlens).tolist(), strict=True)
            values = [bytes(blob[s:e]) for s, e in spans]
            for i in range(last - term):
                a, b = cuts[i], cuts[i + 1]
                yield names[term + i], batch_docs[a:b], batch_weights[a:b], values[a:b]
            term = last

    def sorted_postings(
        self, lengths: np.ndarray | None, batch: int = POSTINGS_PER_BATCH
    ) -> Iterable[TermPostings]:
        """The terms in byte order with their postings, as ``TermPostings`` of about
        ``batch`` postings each (whole terms); ``lengths``: each document's field length."""
        found = self._sorted()
        if found is None:
            return
        bounds = found.bounds
        values = np.frombuffer(found.blob, dtype=np.uint8) if any(self.vlens) else None
        term = 0
        while term < len(found.terms):
            last = int(np.searchsorted(bounds, bounds[term] + batch, side="right")) - 1
            last = min(max(last, term + 1), len(found.terms))
            lo = int(bounds[term])
            docs, weights, vstarts, vlens64 = found.batch(term, last)
            gathered = vlens = None
            if values is not None:
                vlens = vlens64
                packed = np.cumsum(vlens) - vlens  # where each value lands in the batch
                size = int(vlens.sum())
                # each value byte's offset in the pool, in the offsets' own width (a batch's
                # values can be megabytes: three 64-bit temporaries of that were 24 MB)
                at = np.repeat((vstarts - packed).astype(vstarts.dtype), vlens)
                at += np.arange(size, dtype=vstarts.dtype)
                gathered = values[at]
            yield TermPostings(
                found.terms[term:last],
                bounds[term : last + 1] - lo,
                docs,
                weights,
                gathered,
                vlens,
                None if lengths is None else lengths[docs],
            )
            term = last


@dataclass
class _Sorted:
    """A field pool's postings ordered by (term bytes, document): term ``i`` is
    ``terms[i]``, its postings the sorted positions ``bounds[i]:bounds[i + 1]``; sorted
    position ``k`` is the pool's posting ``order[k]``, whose value lies at ``vstarts`` (``vlens``
    bytes) in ``blob``."""

    terms: list[bytes]
    bounds: np.ndarray
    order: np.ndarray
    docs: np.ndarray
    weights: np.ndarray
    vstarts: np.ndarray
    vlens: np.ndarray
    blob: bytes | bytearray

    def batch(self, first: int, last: int) -> tuple[np.ndarray, ...]:
        """Terms ``first:last``'s postings in order: documents, weights, value starts and
        lengths (all 64-bit), checked for a document pooled twice under one term."""
        lo, hi = int(self.bounds[first]), int(self.bounds[last])
        picked = self.order[lo:hi]
        docs = self.docs[picked].astype(np.int64)
        firsts = np.zeros(hi - lo, dtype=bool)
        firsts[self.bounds[first:last] - lo] = True
        if np.any(~firsts[1:] & (docs[1:] <= docs[:-1])):
            raise ValueError("postings out of order: a document was pooled twice")
        return docs, self.weights[picked], self.vstarts[picked], self.vlens[picked].astype(np.int64)


class ArrayPool:
    """Every field's ``FieldPool``; also takes Whoosh's pool items one by one (``add``), so
    that what reaches the pool through Whoosh's own code still lands here."""

    def __init__(self) -> None:
        self.fields: dict[str, FieldPool] = {}

    def field(self, fieldname: str) -> FieldPool:
        found = self.fields.get(fieldname)
        if found is None:
            found = self.fields[fieldname] = FieldPool()
        return found

    def add(self, item: tuple) -> None:
        fieldname, tbytes, docnum, weight, vbytes = item
        self.field(fieldname).add_document(docnum, (tbytes,), (weight,), (vbytes,))

    def nbytes(self) -> int:
        return sum(pool.nbytes() for pool in self.fields.values())

    def cleanup(self) -> None:
        self.fields.clear()


def write_field(fieldwriter, fieldname: str, fieldobj, pool: FieldPool, lengths: np.ndarray):
    """Hand one field's pooled postings to a field writer, term by term in byte order."""
    fieldwriter.start_field(fieldname, fieldobj)
    many = getattr(fieldwriter, "add_terms", None)
    if many is not None:  # the codec's: every term of a batch encoded at once
        for postings in pool.sorted_postings(lengths):
            many(postings)
        fieldwriter.finish_field()
        return
    whole = getattr(fieldwriter, "add_term_arrays", None)
    blocks = compat.term_arrays_writer(fieldwriter) if whole is None else None
    no_values = not any(pool.vlens)
    for tbytes, docnums, weights, values in pool.sorted_terms():
        term_lengths = lengths[docnums]
        if whole is not None:
            whole(tbytes, docnums, weights, None if no_values else values, term_lengths)
        elif blocks is not None:
            blocks(tbytes, docnums, weights, values, term_lengths)
        else:
            fieldwriter.start_term(tbytes)
            add = fieldwriter.add
            for posting in zip(
                docnums.tolist(), weights.tolist(), values, term_lengths.tolist(), strict=True
            ):
                add(*posting)
            fieldwriter.finish_term()
    fieldwriter.finish_field()


def segment_postings(reader) -> Iterable[tuple[str, bytes, np.ndarray, np.ndarray, Sequence]]:
    """Every term of a segment with its postings (deletions included): through the terms
    reader's ``term_arrays`` when it has one (``engines.whoosh.codec``), else Whoosh 3's
    posting lists read whole (``compat.segment_postings``), else each term's matcher."""
    terms = compat.segment_terms(reader)
    whole = getattr(terms, "term_arrays", None)
    if whole is None:
        walked = compat.segment_postings(reader)
        if walked is not None:
            yield from walked
            return
    schema = reader.schema
    for fieldname, tbytes in reader.all_terms():
        if whole is not None:
            docnums, weights, values = whole(fieldname, tbytes, True)
            docnums = np.asarray(docnums, dtype=np.int64)
            weights = np.asarray(weights, dtype=np.float64)
            if values is None:
                values = [b""] * len(docnums)
        else:
            if terms is None:
                raise LookupError("this segment reader has no terms reader")
            format_ = schema[fieldname].format
            docnums, weights, values = compat.matcher_arrays(
                terms.matcher(fieldname, tbytes, format_)
            )
        yield fieldname, tbytes, docnums, weights, values


class PooledWriter(SegmentWriter):
    """``SegmentWriter`` with ``ArrayPool`` for its pool (see the module's docstring)."""

    def __init__(self, ix, **kwargs) -> None:
        super().__init__(ix, **kwargs)
        if any(field.separate_spelling() for _, field in self.schema.items()):
            self.cancel()
            raise ValueError("PooledWriter does not write separate spelling fields")
        self.pool.cleanup()  # type: ignore[has-type]  # Whoosh's PostingPool: nothing in it yet, no files
        self.pool = ArrayPool()

    def add_document(self, **fields) -> None:
        """Whoosh's ``add_document`` (stored values, ``_stored_`` overrides, columns, vectors,
        lengths), pooling each field's postings whole, once the document is complete."""
        self._check_state()
        perdocwriter = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        docboost = self._doc_boost(fields)
        fieldnames = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, fieldnames)
        pooled = []
        packed: list[tuple[str, Analysed, float]] = []  # computed ahead (``Analysed``)
        perdocwriter.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields.get(fieldname)
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                if field.indexed and isinstance(value, Analysed):
                    if value.terms:
                        boost = self._field_boost(fields, fieldname, docboost)
                        if field.scorable:
                            length = value.length
                        packed.append((fieldname, value, boost))
                elif field.indexed:
                    boost = self._field_boost(fields, fieldname, docboost)
                    items = field.index(value)
                    if not isinstance(items, list):  # not analysed ahead: terms may repeat
                        items = list(items)
                        if len({item[0] for item in items}) < len(items):
                            raise ValueError(f"{fieldname}: a term twice in one document")
                    if items:
                        tbytes, freqs, weights, values = zip(*items, strict=True)
                        if boost != 1.0:
                            weights = tuple(w * boost for w in weights)
                        if field.scorable:
                            length = sum(freqs)
                        pooled.append((fieldname, tbytes, weights, values))
                vformat = field.vector
                if vformat:
                    found = vformat.word_values(value, field.analyzer, mode="index")
                    vitems = sorted((text, weight, vbytes) for text, _, weight, vbytes in found)
                    perdocwriter.add_vector_items(fieldname, field, vitems)
                customval = fields.get(f"_stored_{fieldname}", value)
                perdocwriter.add_field(
                    fieldname, field, customval if field.stored else None, length
                )
                column = field.column_type
                if column and customval is not None:
                    perdocwriter.add_column_value(
                        fieldname, column, field.to_column_value(customval)
                    )
        except Exception:
            perdocwriter.cancel_doc()
            raise
        perdocwriter.finish_doc()
        field_pool = self.pool.field
        for fieldname, found, boost in packed:
            field_pool(fieldname).add_packed(docnum, found, boost)
        for fieldname, tbytes, weights, values in pooled:
            field_pool(fieldname).add_document(docnum, tbytes, weights, values)
        self._added = True
        self.docnum += 1

    def add_postings_to_pool(self, reader, startdoc, docmap) -> None:
        """A merged segment's postings, term by term (Whoosh's: posting by posting)."""
        if not reader.is_atomic() or compat.segment_terms(reader) is None:
            super().add_postings_to_pool(reader, startdoc, docmap)
            return
        newdocs = None
        if docmap is not None:  # deletions: their old numbers map to -1
            newdocs = np.full(reader.doc_count_all(), -1, dtype=np.int64)
            if docmap:
                newdocs[np.fromiter(docmap.keys(), dtype=np.int64, count=len(docmap))] = (
                    np.fromiter(docmap.values(), dtype=np.int64, count=len(docmap))
                )
        schema = self.schema
        for fieldname, tbytes, docnums, weights, values in segment_postings(reader):
            if fieldname not in schema:
                continue
            if newdocs is None:
                docnums = docnums + startdoc
            else:
                docnums = newdocs[docnums]
                kept = docnums >= 0
                if not kept.all():
                    docnums, weights = docnums[kept], weights[kept]
                    values = [v for v, k in zip(values, kept.tolist(), strict=True) if k]
                if not len(docnums):
                    continue
            self.pool.field(fieldname).add_term(tbytes, docnums, weights, values)

    def commit(self, mergetype=None, optimize=None, merge=None) -> None:
        """Whoosh's commit; with ``merge_tiered`` on segments of Manchette's codec, the new
        segment is written first, then ``streaming_merges`` of all the segments (the new one
        included) are merged by ``engines.whoosh.merge`` (not through the pool)."""
        if mergetype is not merge_tiered or not streamable(self.segments):
            super().commit(mergetype=mergetype, optimize=optimize, merge=merge)
            return
        self._check_state()
        segments = list(self.segments)
        own = None
        if self._added:
            own = self._finalize_segment()
            segments.append(own)
        else:
            self._close_segment()
        chosen = streaming_merges(segments)
        if worth_merging(chosen):
            # the new documents first, as Whoosh's merges number them
            ordered = sorted(chosen, key=lambda s: s is not own)
            merged = merge_segments(self.storage, self.schema, self.codec, self.indexname, ordered)
            dropped = set(map(id, chosen))
            segments = [s for s in segments if id(s) not in dropped]
            if merged is not None:
                segments.append(merged)
        self._commit_toc(segments)
        self._finish()

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        perdoc = self.per_document_reader() if self.codec.length_stats else None
        doccount = self.docnum
        fieldwriter = self.fieldwriter
        for fieldname in sorted(self.pool.fields):
            pool = self.pool.fields[fieldname]
            if not len(pool) or fieldname not in self.schema:
                continue
            lengths = document_lengths(perdoc, fieldname, doccount)
            write_field(fieldwriter, fieldname, self.schema[fieldname], pool, lengths)
            self.pool.fields[fieldname] = FieldPool()  # its memory back before the next field
        fieldwriter.close()
        if perdoc is not None:
            perdoc.close()


FAN_IN = 10  # segments of one size class merged together
FLOOR_DOCS = 1_000  # segments below this are all of one size class
PURGE_DELETED = 0.5  # a segment with this share of its documents deleted is rewritten
# A merge takes the smallest segments of a full size class up to this many documents (half a
# job's batch): the pool holds a merge whole, so it bounds the merge's memory (a 10,000-article
# merge peaked at 655 MB RSS, the job's own batches at 450).
MAX_MERGE_DOCS = 5_000


def size_class(docs: int) -> int:
    """A segment's size class: the number of decimal digits of its document count, segments
    under ``FLOOR_DOCS`` counted as that many."""
    return len(str(max(docs, FLOOR_DOCS)))


def tiered_merges(segments: Sequence) -> list:
    """Which segments a merging commit merges (``merge_tiered``): when a size class holds
    ``FAN_IN`` segments, the smallest of it and of the smaller classes up to
    ``MAX_MERGE_DOCS`` documents (at least two); segments mostly deleted; and what Whoosh's
    ``MERGE_SMALL`` merges (many tiny segments). Segments are
    left alone until enough of their size gather: a small edit rewrites little, and a search
    opens few segments per size class."""
    chosen = set()
    by_class: dict[int, list] = {}
    for segment in segments:
        by_class.setdefault(size_class(segment.doc_count_all()), []).append(segment)
        if segment.deleted_count() >= PURGE_DELETED * segment.doc_count_all():
            chosen.add(id(segment))
    full = [c for c, members in by_class.items() if len(members) >= FAN_IN]
    if full:
        top = max(full)
        gathered = sorted(
            (s for c, members in by_class.items() if c <= top for s in members),
            key=lambda s: s.doc_count_all(),
        )
        total = 0
        for count, segment in enumerate(gathered):
            total += segment.doc_count_all()
            if total > MAX_MERGE_DOCS and count >= 2:
                break  # the pool holds a merge whole: its memory stays bounded
            chosen.add(id(segment))
    chosen.update(map(id, whoosh_small_merges(segments)))
    return [s for s in segments if id(s) in chosen]


STREAM_FAN_IN = 4  # segments of one size class merged together by a streaming merge


def streaming_merges(segments: Sequence) -> list:
    """Which segments a merging commit merges when the merge streams (``engines.whoosh.merge``:
    its memory does not grow with the merge, so no ``MAX_MERGE_DOCS``): when a size class holds
    ``STREAM_FAN_IN`` segments, every segment of it and of the smaller classes, again with the
    merged segment counted in its class until no class is full; segments mostly deleted; and
    what Whoosh's ``MERGE_SMALL`` merges. A full build's segments end as one; a small edit
    adds a segment that is merged once ``STREAM_FAN_IN`` of its size gathered."""
    chosen = {id(s) for s in segments if s.deleted_count() >= PURGE_DELETED * s.doc_count_all()}
    chosen.update(map(id, whoosh_small_merges(segments)))
    while True:
        merged = sum(s.doc_count() for s in segments if id(s) in chosen)
        classes = [size_class(s.doc_count_all()) for s in segments if id(s) not in chosen]
        if merged:
            classes.append(size_class(merged))
        full = [c for c in set(classes) if classes.count(c) >= STREAM_FAN_IN]
        if not full:
            break
        top = max(full)
        chosen.update(
            id(s) for s in segments if id(s) not in chosen and size_class(s.doc_count_all()) <= top
        )
    return [s for s in segments if id(s) in chosen]


def worth_merging(chosen: Sequence) -> bool:
    """Whether a merge policy's choice rewrites anything: two segments or more, or one that
    holds deleted documents."""
    return len(chosen) > 1 or any(s.has_deletions() for s in chosen)


def merge_due(segments: Sequence) -> bool:
    """Whether a merging ``commit`` of ``segments`` with nothing new would merge any (always
    assumed with ``MANCHETTE_WHOOSH_POOL=0``: Whoosh's own policy decides)."""
    if not pool_enabled():
        return True
    policy = streaming_merges if streamable(segments) else tiered_merges
    return worth_merging(policy(segments))


def whoosh_small_merges(segments: Sequence) -> list:
    """What Whoosh's ``MERGE_SMALL`` merges: the smallest segments up to the first position
    ``i > 3`` where they hold fewer than ``fib(i + 5)`` documents (many tiny segments), cut to
    ``MAX_MERGE_DOCS`` documents. Uncut, twenty segments of any size pass the test (``fib``
    outgrows any archive), and a small edit's commit rewrote the whole index in the pool."""
    ordered = sorted(segments, key=lambda s: s.doc_count_all())
    total = 0
    for i, segment in enumerate(ordered):
        total += max(segment.doc_count_all(), 0)
        if i > 3 and total < fib(i + 5):
            sizes = np.cumsum([max(s.doc_count_all(), 0) for s in ordered[: i + 1]])
            fitting = int(np.searchsorted(sizes, MAX_MERGE_DOCS, side="right"))
            return ordered[:fitting] if fitting >= 2 else []
    return []


def merge_tiered(writer: SegmentWriter, segments: list) -> list:
    """A Whoosh merge policy (``commit(mergetype=...)``): merge ``tiered_merges`` into the
    writer's new segment, keep the others."""
    from whoosh.reading import SegmentReader

    merged = tiered_merges(segments)
    for segment in merged:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    merged_ids = set(map(id, merged))
    return [s for s in segments if id(s) not in merged_ids]


def commit(writer: SegmentWriter, merge: bool) -> None:
    """Commit, merging (when asked) by ``merge_tiered``; with ``MANCHETTE_WHOOSH_POOL=0``,
    by Whoosh's own ``MERGE_SMALL``."""
    if merge and pool_enabled():
        writer.commit(mergetype=merge_tiered)
    else:
        writer.commit(merge=merge)


def open_pooled(ix, **kwargs) -> SegmentWriter:
    """A writer on ``ix``: ``PooledWriter``, or Whoosh's own when ``MANCHETTE_WHOOSH_POOL=0``."""
    if pool_enabled():
        return PooledWriter(ix, **kwargs)
    return SegmentWriter(ix, **kwargs)
