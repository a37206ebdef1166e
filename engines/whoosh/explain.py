"""Why a hit ranks where it does: each ranking rule's contribution to its score (Whoosh)."""

from __future__ import annotations

from collections import defaultdict

from whoosh import query as wq
from whoosh.searching import Searcher

from index.schema import ID_FIELD
from search.ranking import rule_of_field


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


def explain_hit(searcher: Searcher, query: wq.Query, article_id: str) -> dict[str, float]:
    """Score each ranking rule contributes to one article for this query."""
    only = wq.Term(ID_FIELD, article_id)
    contributions: dict[str, float] = defaultdict(float)
    for leaf in _leaves(query):
        results = searcher.search(leaf, filter=only, limit=1)
        if results:
            contributions[rule_of_field(_fieldname(leaf))] += results[0].score or 0.0
    return {name: round(score, 4) for name, score in sorted(contributions.items())}
