"""Column readers kept for a searcher's lifetime instead of rebuilt on every query, and a
whole index's column read right when some segments lack it.

Whoosh makes a new column reader each time a facet, a sort or a collapse asks for one, and a
variable-length column's reader starts by reading the offsets of every document in the
segment: on a 10,000-article index that was a fifth of a query's time (py-spy). Segment
readers live as long as the searcher that ``IndexHandle`` keeps per thread (and ``refresh()``
reuses the unchanged ones), so each reader remembers the column readers it has made.

A job reads five columns of every document when it starts (``writer.load_state``):
``column_values`` reads a segment's variable-length column in one piece and cuts it, about
ten times faster than asking for each document's value.

A segment has no file for a column none of its documents has a value in (a commit of undated
articles has no ``published`` column). Whoosh's ``MultiReader.column_reader`` then leaves the
segment out, and its documents are read from another segment's column: wrong values, or
``struct.error`` past that column's end. ``column_reader`` gives such a segment the column's
default value instead (what Whoosh itself gives a document without one).
"""

from __future__ import annotations

from typing import Any

from whoosh import columns
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from engines.whoosh.compat import remember_columns


def cache_columns(searcher: Searcher) -> Searcher:
    """``searcher`` with every segment reader remembering its column readers."""
    for reader, _offset in searcher.reader().leaf_readers():
        remember_columns(reader)
    return searcher


def column_reader(reader: IndexReader, fieldname: str, translate: bool = True) -> Any:
    """``reader``'s column ``fieldname``, every document read from its own segment (the
    column's default in a segment without it)."""
    if reader.is_atomic():
        if reader.has_column(fieldname):
            return reader.column_reader(fieldname, translate=translate)
        fieldobj = reader.schema[fieldname]
        empty = columns.EmptyColumnReader(
            fieldobj.column_type.default_value(False), reader.doc_count_all()
        )
        if translate:
            return columns.TranslatingColumnReader(empty, fieldobj.from_column_value)
        return empty
    parts, offsets = [], []
    for segment, offset in reader.leaf_readers():
        parts.append(column_reader(segment, fieldname, translate))
        offsets.append(offset)
    return columns.MultiColumnReader(parts, offsets)


def column_values(reader: IndexReader, fieldname: str) -> list:
    """Every document's value in the column ``fieldname`` of one segment (``reader`` is
    atomic), read at once, as ``column_reader`` gives them one by one."""
    raw = column_reader(reader, fieldname, translate=False)
    count = reader.doc_count_all()
    if isinstance(raw, columns.VarBytesColumn.Reader) and count:
        offsets, lengths = raw._offsets, raw._lengths
        data = raw._dbfile.get(raw._basepos, offsets[-1] + lengths[-1])
        values = [data[start : start + size] for start, size in zip(offsets, lengths, strict=True)]
    else:
        values = [raw[docnum] for docnum in range(count)]
    translate = reader.schema[fieldname].from_column_value
    return [translate(value) for value in values]
