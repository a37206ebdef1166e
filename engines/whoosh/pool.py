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

The pool lives in memory until the commit: the indexing job commits every 10,000 documents
(or ``commit_seconds``), which bounds it (about 20 bytes per posting plus the values).
"""

from __future__ import annotations

import os
from array import array
from collections.abc import Iterable, Sequence

import numpy as np
from whoosh.util.numeric import byte_to_length
from whoosh.writing import SegmentWriter

from engines.whoosh import compat

POOL_ENV = "MANCHETTE_WHOOSH_POOL"  # "0": Whoosh's own SegmentWriter (for paired measurements)
TERMS_PER_BATCH = 65_536  # postings turned into Python objects at once while writing a field
_BYTE_TO_LENGTH = np.array([byte_to_length(b) for b in range(256)], dtype=np.int64)
_EMPTY = np.zeros(0, dtype=np.int64)


def pool_enabled() -> bool:
    return os.environ.get(POOL_ENV, "1") != "0"


class FieldPool:
    """One field's postings since the last flush, in insertion order (documents ascending)."""

    __slots__ = ("blobs", "counts", "docs", "terms", "tids", "vlens", "weights")

    def __init__(self) -> None:
        self.terms: dict[bytes, int] = {}  # term bytes → term id (ids in insertion order)
        self.tids = array("I")  # per posting
        self.weights = array("d")  # per posting
        self.vlens = array("I")  # per posting: its value's length in the chunk's blob
        self.docs = array("q")  # per chunk (a document's postings, or one term of a merge)
        self.counts = array("I")  # per chunk: how many postings
        self.blobs: list[bytes] = []  # per chunk: its values joined

    def __len__(self) -> int:
        return len(self.tids)

    def _ids(self, tbytes: Sequence[bytes]) -> list[int]:
        terms = self.terms
        ids = list(map(terms.get, tbytes))
        if None in ids:
            for i, term in enumerate(tbytes):
                if ids[i] is None:
                    ids[i] = terms.setdefault(term, len(terms))
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
        if None in values:
            values = [v or b"" for v in values]
        self.vlens.extend(map(len, values))
        self.blobs.append(b"".join(values))
        self.docs.append(docnum)
        self.counts.append(len(tbytes))

    def add_term(
        self, tbytes: bytes, docnums: np.ndarray, weights: np.ndarray, values: Sequence[bytes]
    ) -> None:
        """One term's postings of a merged segment (document numbers ascending, above all the
        pool holds)."""
        count = len(docnums)
        tid = self.terms.setdefault(tbytes, len(self.terms))
        self.tids.extend(array("I", [tid]) * count)
        self.weights.frombytes(np.ascontiguousarray(weights, dtype=np.float64).tobytes())
        self.vlens.extend(map(len, values))
        self.blobs.append(b"".join(values))
        self.docs.extend(docnums.tolist())
        self.counts.extend(array("I", [1]) * count)

    def nbytes(self) -> int:
        return (
            self.tids.itemsize * len(self.tids) * 3
            + 12 * len(self.docs)
            + sum(map(len, self.blobs))
            + 100 * len(self.terms)
        )

    def sorted_terms(self) -> Iterable[tuple[bytes, np.ndarray, np.ndarray, list[bytes]]]:
        """Each term in byte order with its postings: (term, document numbers ascending,
        weights, values), in batches of about ``TERMS_PER_BATCH`` postings."""
        total = len(self.tids)
        if not total:
            return
        names = list(self.terms)  # index = term id
        by_bytes = sorted(range(len(names)), key=names.__getitem__)
        rank = np.empty(len(names), dtype=np.int64)
        rank[by_bytes] = np.arange(len(names))
        keys = rank[np.frombuffer(self.tids, dtype=np.uint32)]
        docs = np.repeat(
            np.frombuffer(self.docs, dtype=np.int64), np.frombuffer(self.counts, dtype=np.uint32)
        )
        order = np.argsort(keys, kind="stable")  # documents were added in ascending order
        keys, docs = keys[order], docs[order]
        same_term = keys[1:] == keys[:-1]
        if np.any(same_term & (docs[1:] <= docs[:-1])):
            raise ValueError("postings out of order: a document was pooled twice")
        weights = np.frombuffer(self.weights, dtype=np.float64)[order]
        vlens = np.frombuffer(self.vlens, dtype=np.uint32).astype(np.int64)
        starts = np.cumsum(vlens) - vlens
        vstarts, vends = starts[order], (starts + vlens)[order]
        blob = b"".join(self.blobs)
        bounds = np.concatenate(([0], np.flatnonzero(~same_term) + 1, [total]))
        term = 0
        while term < len(names):
            last = int(np.searchsorted(bounds, bounds[term] + TERMS_PER_BATCH, side="right"))
            last = min(max(last - 1, term + 1), len(names))
            lo, hi = int(bounds[term]), int(bounds[last])
            cuts = (bounds[term : last + 1] - lo).tolist()
            spans = zip(vstarts[lo:hi].tolist(), vends[lo:hi].tolist(), strict=True)
            values = [blob[s:e] for s, e in spans]
            batch_docs, batch_weights = docs[lo:hi], weights[lo:hi]
            for i in range(last - term):
                a, b = cuts[i], cuts[i + 1]
                yield names[by_bytes[term + i]], batch_docs[a:b], batch_weights[a:b], values[a:b]
            term = last


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


def _lengths(perdoc, fieldname: str, doccount: int) -> np.ndarray:
    """Each document's length in a field as Whoosh's flush reads it back (the length byte's
    value; 0 when none), from the new segment's per-document reader."""
    if perdoc is None:
        return np.zeros(doccount, dtype=np.int64)
    raw = compat.perdoc_length_bytes(perdoc, fieldname)
    if raw is None:
        lengths = [perdoc.doc_field_length(d, fieldname) or 0 for d in range(doccount)]
        return np.array(lengths, dtype=np.int64)
    found = _BYTE_TO_LENGTH[np.frombuffer(raw, dtype=np.uint8)]
    if len(found) < doccount:
        found = np.concatenate((found, np.zeros(doccount - len(found), dtype=np.int64)))
    return found


def write_field(fieldwriter, fieldname: str, fieldobj, pool: FieldPool, lengths: np.ndarray):
    """Hand one field's pooled postings to a field writer, term by term in byte order."""
    whole = getattr(fieldwriter, "add_term_arrays", None)
    blocks = compat.term_arrays_writer(fieldwriter) if whole is None else None
    no_values = not any(pool.vlens)
    fieldwriter.start_field(fieldname, fieldobj)
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


def _segment_term_arrays(reader, fieldname: str, tbytes: bytes, fieldobj):
    """One term's postings in a segment, deletions included: (document numbers, weights,
    values)."""
    terms = compat.segment_terms(reader)
    whole = getattr(terms, "term_arrays", None)
    if whole is not None:
        docnums, weights, values = whole(fieldname, tbytes, True)
        return np.asarray(docnums, dtype=np.int64), np.asarray(weights, dtype=np.float64), values
    matcher = terms.matcher(fieldname, tbytes, fieldobj.format)
    return compat.matcher_arrays(matcher)


class PooledWriter(SegmentWriter):
    """``SegmentWriter`` with ``ArrayPool`` for its pool (see the module's docstring)."""

    def __init__(self, ix, **kwargs) -> None:
        super().__init__(ix, **kwargs)
        if any(field.separate_spelling() for _, field in self.schema.items()):
            self.cancel()
            raise ValueError("PooledWriter does not write separate spelling fields")
        self.pool.cleanup()  # Whoosh's PostingPool: nothing in it yet, no files
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
        perdocwriter.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields.get(fieldname)
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                if field.indexed:
                    boost = self._field_boost(fields, fieldname, docboost)
                    items = field.index(value)
                    if not isinstance(items, list):
                        items = list(items)
                    if items:
                        tbytes, freqs, weights, values = zip(*items, strict=True)
                        if boost != 1.0:
                            weights = [w * boost for w in weights]
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
        for fieldname, tbytes in reader.all_terms():
            fieldobj = schema[fieldname]
            docnums, weights, values = _segment_term_arrays(reader, fieldname, tbytes, fieldobj)
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

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        perdoc = self.per_document_reader() if self.codec.length_stats else None
        doccount = self.docnum
        fieldwriter = self.fieldwriter
        for fieldname in sorted(self.pool.fields):
            pool = self.pool.fields[fieldname]
            if not len(pool) or fieldname not in self.schema:
                continue
            lengths = _lengths(perdoc, fieldname, doccount)
            write_field(fieldwriter, fieldname, self.schema[fieldname], pool, lengths)
            self.pool.fields[fieldname] = FieldPool()  # its memory back before the next field
        fieldwriter.close()
        if perdoc is not None:
            perdoc.close()


def open_pooled(ix, **kwargs) -> SegmentWriter:
    """A writer on ``ix``: ``PooledWriter``, or Whoosh's own when ``MANCHETTE_WHOOSH_POOL=0``."""
    if pool_enabled():
        return PooledWriter(ix, **kwargs)
    return SegmentWriter(ix, **kwargs)
