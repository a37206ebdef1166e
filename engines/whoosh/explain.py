"""Why a hit ranks where it does: each ranking rule's contribution to its score (Whoosh)."""

from __future__ import annotations

from collections import defaultdict

from whoosh import query as wq
from whoosh.searching import Searcher

from index.schema import ID_FIELD
from search.ranking import rule_of_field

COPIES_RULE = "copies.margin"
SAME_SCORE = 1e-6  # relative: the vectorised path and Whoosh's matchers differ by rounding


def _leaves(q: wq.Query) -> list[wq.Query]:
    """The scoring leaves of a query (terms, phrases, prefixes), skipping negations."""
    if isinstance(q, wq.AndNot):
        return _leaves(q.a)
    if isinstance(q, wq.Not):
        return []
    if isinstance(q, wq.Term | wq.Phrase | wq.Prefix):
        return [q]
    return [leaf for child in q.children() for leaf in _leaves(child)]


def _fieldname(q: wq.Query) -> str:
    return getattr(q, "fieldname", "") or ""


def explain_hit(
    searcher: Searcher, query: wq.Query, article_id: str, score: float | None = None
) -> dict[str, float]:
    """Score each ranking rule contributes to one article for this query; with the hit's
    ``score``, also what ``copies.margin`` (search/copies.py) gave or took when it moved the
    article among copies of its story."""
    only = wq.Term(ID_FIELD, article_id)
    contributions: dict[str, float] = defaultdict(float)
    for leaf in _leaves(query):
        results = searcher.search(leaf, filter=only, limit=1)
        if results:
            contributions[rule_of_field(_fieldname(leaf))] += results[0].score or 0.0
    if score is not None:
        whole = searcher.search(query, filter=only, limit=1)
        own = (whole[0].score or 0.0) if whole else score
        if abs(score - own) > SAME_SCORE * max(1.0, abs(own)):
            contributions[COPIES_RULE] += score - own
    return {name: round(score, 4) for name, score in sorted(contributions.items())}
