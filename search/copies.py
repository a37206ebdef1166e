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

from datetime import datetime

import numpy as np

from index.document import parse_published
from search.ranking import rule

UNDATED = np.iinfo(np.int64).max  # the ``when`` of an undated copy: after every dated one
_EPOCH = datetime(1970, 1, 1)


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
    members = order[places]  # the copies holding them, best first
    stories = clusters[members]
    held = places[np.lexsort((places, stories))]  # each story's places, best first
    # each story's copies, earliest first; equal dates keep the engine's order
    by_age = members[np.lexsort((places, when[members], stories))]
    order, scores = order.copy(), scores.copy()
    earned = scores[order[held]]
    order[held] = by_age
    scores[by_age] = earned
    return order, scores


def when_of(date: str | None) -> int:
    """An article's ISO date as ``originals_first`` orders copies (seconds; ``UNDATED``)."""
    published = parse_published(date)
    return UNDATED if published is None else int((published - _EPOCH).total_seconds())


def originals_first_of(
    scores: list[float], clusters: list[str], dates: list[str | None]
) -> list[tuple[int, float]]:
    """The rule on a few hits already in the engine's order (an OpenSearch page): the
    position of each hit in the new order, with the score of the place it takes."""
    codes: dict[str, int] = {}
    cluster_codes = np.array([codes.setdefault(c, len(codes)) for c in clusters], dtype=np.int64)
    when = np.array([when_of(d) for d in dates], dtype=np.int64)
    order, placed = originals_first(
        np.arange(len(scores)), np.array(scores, dtype=float), cluster_codes, when
    )
    return [(int(i), float(placed[i])) for i in order]
