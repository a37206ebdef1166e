"""Column readers kept for a searcher's lifetime instead of rebuilt on every query.

Whoosh makes a new column reader each time a facet, a sort or a collapse asks for one, and a
variable-length column's reader starts by reading the offsets of every document in the
segment: on a 10,000-article index that was a fifth of a query's time (py-spy). Segment
readers live as long as the searcher that ``IndexHandle`` keeps per thread (and ``refresh()``
reuses the unchanged ones), so each reader remembers the column readers it has made.
"""

from __future__ import annotations

from whoosh.searching import Searcher

from engines.whoosh.compat import remember_columns


def cache_columns(searcher: Searcher) -> Searcher:
    """``searcher`` with every segment reader remembering its column readers."""
    for reader, _offset in searcher.reader().leaf_readers():
        remember_columns(reader)
    return searcher
