"""The contract between the vectorised executor and Whoosh's matchers, as a check to run.

For one request, both paths are run on the query and filter ``run_search`` would build; they
must give the same documents and, when ranked, the same scores within ``RELATIVE``.
``tests/search/test_vectorized.py`` and ``bench/vectorized_check.py`` use it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from whoosh.searching import Searcher

from engines.whoosh import vectorized
from engines.whoosh.collect import walk
from engines.whoosh.compile import compile_request
from engines.whoosh.execute import with_recency
from search.daterange import DateSpan
from search.request import SearchRequest

RELATIVE = 1e-6
NO_BUDGET = 3600.0  # the reference walk must not stop early


@dataclass
class Outcome:
    vectorised: bool  # False: the executor declined (the matchers answer)
    matches: int
    problem: str | None = None  # what differs, when something does


def compare(searcher: Searcher, request: SearchRequest, span: DateSpan | None = None) -> Outcome:
    """Both paths on one validated request; ``problem`` says how they differ, if they do."""
    if request.recency and request.sort == "relevance":
        searcher = with_recency(searcher)
    compiled = compile_request(searcher, request, span)
    query, filter = compiled.query, compiled.filter
    scored = request.sort == "relevance"
    fast = vectorized.matches(searcher, query, filter, scored=scored)
    ids, scores, partial = walk(searcher, query, filter, scored, NO_BUDGET)
    assert not partial
    if fast is None:
        return Outcome(False, len(ids))
    fast_ids, fast_scores = fast
    if not np.array_equal(ids, fast_ids):
        extra = np.setdiff1d(fast_ids, ids)[:5].tolist()
        missing = np.setdiff1d(ids, fast_ids)[:5].tolist()
        return Outcome(
            True,
            len(ids),
            f"{request.q!r}: {len(fast_ids)} matches, not {len(ids)}; "
            f"extra {extra}, missing {missing}",
        )
    scale = np.maximum(np.abs(scores), np.abs(fast_scores))
    off = np.abs(scores - fast_scores) > RELATIVE * scale
    if off.any():
        at = int(np.flatnonzero(off)[0])
        return Outcome(
            True,
            len(ids),
            f"{request.q!r}: document {int(ids[at])} scores {fast_scores[at]!r}, "
            f"not {scores[at]!r} ({int(off.sum())} differ)",
        )
    return Outcome(True, len(ids))
