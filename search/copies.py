"""Which copy of a story comes first when its copies score alike: the original.

A story indexed more than once (a wire dispatch sent again with a typo, a word dropped from its
headline, a figure written differently; ``index/dedup.py`` gives such copies one cluster key)
earns a place in the ranking per copy, and the copies' scores differ by what the re-send
changed, not by what the reader asked: one word fewer in a ten-word headline is a few percent
of BM25. So among the copies of one cluster that score within ``copies.margin`` of its best copy,
the places they earned are handed out again, the earliest published copy first (undated copies
after dated ones, then the order the engine had): the original before its re-sends, the same
copy on every engine and for every query. The places themselves do not move, so no other
article goes up or down, and each copy takes the score of the place it takes (``--explain``
shows the difference as ``copies.margin``). Collapsed, the story is shown by that copy.
doc/relevance.md has the measurements.
"""

from __future__ import annotations

import numpy as np

from search.ranking import rule

UNDATED = np.iinfo(np.int64).max  # the ``when`` of an undated copy: after every dated one


def originals_first(
    order: np.ndarray,
    scores: np.ndarray,
    clusters: np.ndarray,
    when: np.ndarray,
    margin: float | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """``order`` (positions into the other arrays, best first) and ``scores`` with the rule
    applied. ``clusters`` are integer cluster codes; ``when`` orders copies by publication
    (smaller is earlier; ``UNDATED`` for none). The arrays given are not changed."""
    margin = rule("copies.margin") if margin is None else margin
    if margin <= 0 or len(order) < 2:
        return order, scores
    best = np.full(int(clusters.max()) + 1, -np.inf)
    np.maximum.at(best, clusters, scores)
    alike = scores >= best[clusters] * (1.0 - margin)
    counts = np.bincount(clusters[alike], minlength=len(best))
    grouped = alike & (counts[clusters] >= 2)
    if not grouped.any():
        return order, scores
    places = np.flatnonzero(grouped[order])  # places in the ranking held by grouped copies
    members = order[places]
    order, scores = order.copy(), scores.copy()
    for code in np.unique(clusters[members]):
        own = clusters[members] == code
        held = places[own]  # this story's places, best first
        copies = members[own]
        # earliest first; ties keep the engine's order (``copies`` is in it, stable sort)
        by_age = copies[np.argsort(when[copies], kind="stable")]
        earned = scores[order[held]]
        order[held] = by_age
        scores[by_age] = earned
    return order, scores
