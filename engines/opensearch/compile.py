"""Our query language → OpenSearch's query DSL.

The query is parsed once, by ``search.parse``, into the tree of ``search.tree`` (the same
clauses, caps, filters and notices as the Whoosh engine); this module compiles the tree into a
``bool`` query where OpenSearch analyses the words itself, each field with the analyzer of its
language:

    word         multi_match (type phrase: a word the chain splits stays one unit) across the
                 title/lead/body fields of every language whose chain keeps a token, with our
                 field boosts; plus the exact-match bonus (constant score on ``exact``)
    "a phrase"   multi_match type phrase on the ``.exact`` sub-fields (must), ranked by the
                 stemmed fields (should)
    otan*        prefix on the folded, unstemmed ``exact`` field
    OR, -word    bool should / must_not
    lang:, source:, date:, after:, before:, facet filters   bool filter (term, match_phrase, range)
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from index import schema
from index.analysis import analyze
from search.ranking import rule
from search.tree import AnyOf, DateRange, FieldIs, LangIs, Phrase, Prefix, SourceIs

if TYPE_CHECKING:
    from search.tree import Clause, Filter, QueryTree

MATCH_NONE: dict = {"match_none": {}}
MATCH_ALL: dict = {"match_all": {}}


def _fields(text: str, langs: list[str], parts: list[str], suffix: str = "") -> list[str]:
    """Boosted fields of every language whose chain keeps a token of ``text``."""
    return [
        f"{schema.text_field(part, lang)}{suffix}^{rule('boost.' + part)}"
        for lang in langs
        if analyze(text, lang, exact=bool(suffix))
        for part in parts
    ]


def _phrase(text: str, fields: list[str]) -> dict:
    return {"multi_match": {"query": text, "type": "phrase", "fields": fields}}


def _any(queries: list[dict]) -> dict:
    return (
        queries[0]
        if len(queries) == 1
        else {"bool": {"should": queries, "minimum_should_match": 1}}
    )


def word_query(text: str, part: str | None, langs: list[str], bonus: bool = True) -> dict | None:
    parts = [part] if part else list(schema.TEXT_PARTS)
    fields = _fields(text, langs, parts)
    if not fields:
        return None  # only stop words
    alternatives = [_phrase(text, fields)]
    if bonus and not part and analyze(text, "xx", exact=True):
        # an exact (unstemmed) match ranks above a stem-only match: a flat bonus
        exact = {"match_phrase": {schema.EXACT_FIELD: text}}
        alternatives.append({"constant_score": {"filter": exact, "boost": rule("bonus.exact")}})
    return _any(alternatives)


def phrase_query(node: Phrase, langs: list[str]) -> dict | None:
    parts = [node.part] if node.part else list(schema.TEXT_PARTS)
    fields = _fields(node.text, langs, parts, suffix=".exact")
    if not fields:
        return None
    stemmed = word_query(node.text, node.part, langs, bonus=False)
    query: dict = {"bool": {"must": [_phrase(node.text, fields)]}}
    if stemmed is not None:  # the exact sub-fields decide the match; the stemmed ones rank it
        query["bool"]["should"] = [stemmed]
    return query


def prefix_query(node: Prefix) -> dict:
    if node.expansions is None:
        return {"prefix": {schema.EXACT_FIELD: {"value": node.folded}}}
    if not node.expansions:
        return MATCH_NONE
    return {"terms": {schema.EXACT_FIELD: list(node.expansions)}}


def clause_query(node: Clause, langs: list[str]) -> dict | None:
    if isinstance(node, Prefix):
        return prefix_query(node)
    if isinstance(node, Phrase):
        return phrase_query(node, langs)
    return word_query(node.text, node.part, langs)


def _item(node: Clause | AnyOf, langs: list[str]) -> dict | None:
    if not isinstance(node, AnyOf):
        return clause_query(node, langs)
    combined: dict | None = None
    for option in node.options:  # nested as typed: (a OR b) OR c
        built = clause_query(option, langs)
        if built is not None:
            combined = built if combined is None else _any([combined, built])
    return combined


def text_query(tree: QueryTree) -> dict:
    """The tree's clauses: every ``must`` item, none of the ``must_not`` ones."""
    positives = [q for q in (_item(n, tree.langs) for n in tree.must) if q is not None]
    negatives = [q for q in (clause_query(n, tree.langs) for n in tree.must_not) if q]
    if positives:
        query = positives[0] if len(positives) == 1 else {"bool": {"must": positives}}
    elif tree.filters:
        query = MATCH_ALL
    else:
        return MATCH_NONE
    if negatives:
        query = {"bool": {"must": [query], "must_not": negatives}}
    return query


def _iso(value: datetime) -> str:
    return value.isoformat()


def filter_clause(node: Filter) -> dict:
    """One filter (lang, source, a facet value, dates) as a DSL filter."""
    if isinstance(node, LangIs):
        return {"term": {schema.LANG_FIELD: node.code}}
    if isinstance(node, SourceIs):
        return {"match_phrase": {schema.SOURCE_KEY_FIELD: " ".join(node.words)}}
    if isinstance(node, FieldIs):
        return {"term": {node.field: node.value}}
    assert isinstance(node, DateRange)
    bounds: dict = {}
    if node.start is not None:
        bounds["gte"] = _iso(node.start)
    if node.end is not None:
        bounds["lte"] = _iso(node.end)
    return {"range": {schema.PUBLISHED_FIELD: bounds}}


def filter_clauses(filters: list[Filter]) -> list[dict]:
    return [filter_clause(f) for f in filters]
