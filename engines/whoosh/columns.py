"""Column readers kept for a searcher's lifetime instead of rebuilt on every query.

Whoosh makes a new column reader each time a facet, a sort or a collapse asks for one, and a
variable-length column's reader starts by reading the offsets of every document in the
segment: on a 10,000-article index that was a fifth of a query's time (py-spy). Segment
readers live as long as the searcher that ``IndexHandle`` keeps per thread (and ``refresh()``
reuses the unchanged ones), so each reader remembers the column readers it has made.
"""

from __future__ import annotations

from functools import wraps

from whoosh.reading import IndexReader
from whoosh.searching import Searcher

_MARK = "_manchette_cached_columns"


def _cache_reader(reader: IndexReader) -> None:
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


def cache_columns(searcher: Searcher) -> Searcher:
    """``searcher`` with every segment reader remembering its column readers."""
    for reader, _offset in searcher.reader().leaf_readers():
        _cache_reader(reader)
    return searcher
