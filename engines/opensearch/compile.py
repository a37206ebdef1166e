"""Our query language → OpenSearch's query DSL.

The query is parsed once, by ``search.parse`` (the same clauses, filters and notices as the
Whoosh engine); this module turns the parsed clauses into a ``bool`` query where OpenSearch
analyses the words itself, each field with the analyzer of its language:

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

from whoosh import query as wq

from index.analysis import analyze
from index.schema import (
    EXACT_FIELD,
    LANG_FIELD,
    PUBLISHED_FIELD,
    SOURCE_KEY_FIELD,
    TEXT_PARTS,
    text_field,
)
from search.parse import Clause, ParsedQuery
from search.ranking import rule

MATCH_NONE: dict = {"match_none": {}}
MATCH_ALL: dict = {"match_all": {}}


def _fields(text: str, langs: list[str], parts: list[str], suffix: str = "") -> list[str]:
    """Boosted fields of every language whose chain keeps a token of ``text``."""
    return [
        f"{text_field(part, lang)}{suffix}^{rule('boost.' + part)}"
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


def word_query(clause: Clause, langs: list[str], bonus: bool = True) -> dict | None:
    text = clause.text
    if text.endswith("*") and len(text) > 1:
        return prefix_query(text.rstrip("*"), langs)
    parts = [clause.part] if clause.part else list(TEXT_PARTS)
    fields = _fields(text, langs, parts)
    if not fields:
        return None  # only stop words
    alternatives = [_phrase(text, fields)]
    if bonus and not clause.part and analyze(text, "xx", exact=True):
        # an exact (unstemmed) match ranks above a stem-only match: a flat bonus
        exact = {"match_phrase": {EXACT_FIELD: text}}
        alternatives.append({"constant_score": {"filter": exact, "boost": rule("bonus.exact")}})
    return _any(alternatives)


def phrase_query(clause: Clause, langs: list[str]) -> dict | None:
    parts = [clause.part] if clause.part else list(TEXT_PARTS)
    fields = _fields(clause.text, langs, parts, suffix=".exact")
    if not fields:
        return None
    stemmed = word_query(Clause(clause.text, part=clause.part), langs, bonus=False)
    query: dict = {"bool": {"must": [_phrase(clause.text, fields)]}}
    if stemmed is not None:  # the exact sub-fields decide the match; the stemmed ones rank it
        query["bool"]["should"] = [stemmed]
    return query


def prefix_query(stem: str, langs: list[str]) -> dict | None:
    folded = analyze(stem, "xx", exact=True)
    if len(folded) != 1:
        return word_query(Clause(stem), langs)
    return {"prefix": {EXACT_FIELD: {"value": folded[0]}}}


def text_query(parsed: ParsedQuery) -> dict:
    """The clauses combined as ``search.parse.parse_query`` combines them."""
    positives: list[dict] = []
    negatives: list[dict] = []
    pending_or = False
    for item in parsed.clauses:
        if item == "OR":
            pending_or = bool(positives)
            continue
        assert isinstance(item, Clause)
        build = phrase_query if item.phrase else word_query
        built = build(item, parsed.langs)
        if built is None:
            continue
        if item.negated:
            negatives.append(built)
        elif pending_or:
            positives[-1] = _any([positives[-1], built])
        else:
            positives.append(built)
        pending_or = False
    if positives:
        query = positives[0] if len(positives) == 1 else {"bool": {"must": positives}}
    elif parsed.filter is not None:
        query = MATCH_ALL
    else:
        return MATCH_NONE
    if negatives:
        query = {"bool": {"must": [query], "must_not": negatives}}
    return query


def _iso(value) -> str:
    return value.isoformat()


def filter_clauses(node: wq.Query | None) -> list[dict]:
    """The parser's filter (lang, source, dates) as DSL filters."""
    if node is None:
        return []
    if isinstance(node, wq.And):
        return [f for sub in node.subqueries for f in filter_clauses(sub)]
    if isinstance(node, wq.Term) and node.fieldname == LANG_FIELD:
        return [{"term": {LANG_FIELD: node.text}}]
    if isinstance(node, wq.Term) and node.fieldname == SOURCE_KEY_FIELD:
        return [{"match_phrase": {SOURCE_KEY_FIELD: node.text}}]
    if isinstance(node, wq.Phrase) and node.fieldname == SOURCE_KEY_FIELD:
        return [{"match_phrase": {SOURCE_KEY_FIELD: " ".join(node.words)}}]
    if isinstance(node, wq.DateRange) and node.fieldname == PUBLISHED_FIELD:
        bounds: dict = {}
        if node.startdate is not None:
            bounds["gte"] = _iso(node.startdate)
        if node.enddate is not None:
            bounds["lte"] = _iso(node.enddate)
        return [{"range": {PUBLISHED_FIELD: bounds}}]
    raise ValueError(f"no OpenSearch translation for the filter {node!r}")
