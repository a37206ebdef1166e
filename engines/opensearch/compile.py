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
    otan*        prefix on the folded, unstemmed ``exact`` field, or the word itself
    coop*ration  wildcard / fuzzy on the ``.exact`` sub-fields (folded, unstemmed)
    a NEAR/N b   span_near (in_order false, slop N) on each ``.exact`` sub-field, its parts
                 span_term, span_multi (prefix, wildcard, fuzzy) or nested span_near
    OR, -word    bool should / must_not
    lang:, source:, date:, after:, before:, facet filters   bool filter (term, match_phrase, range)
"""

from __future__ import annotations

from datetime import datetime

from index import schema
from index.analysis import analyze
from index.schema import (
    EXACT_FIELD,
    TEXT_PARTS,
    text_field,
)
from search.parse import FUZZY_PREFIX, MAX_EXPANSIONS, elided_articles
from search.ranking import rule
from search.suggest import near_words
from search.tree import (
    AnyOf,
    Clause,
    DateRange,
    FieldIs,
    Filter,
    Fuzzy,
    LangIs,
    Near,
    Phrase,
    Prefix,
    QueryTree,
    SourceIs,
    Wildcard,
    Word,
)

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
        # the word as typed, in the text and in the title, scored by BM25 over fields shared
        # by every language (search/ranking.py: bonus.exact, bonus.exact_title)
        alternatives.append(
            {"match_phrase": {schema.EXACT_FIELD: {"query": text, "boost": rule("bonus.exact")}}}
        )
        title = {"query": text, "operator": "and", "boost": rule("bonus.exact_title")}
        alternatives.append({"match": {schema.EXACT_TITLE_FIELD: title}})
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


def _regexp_literal(text: str) -> str:
    """``text`` matched literally in a Lucene regular expression."""
    return "".join(ch if ch.isalnum() else "\\" + ch for ch in text)


def prefix_query(node: Prefix, langs: list[str]) -> dict:
    """The words starting with the prefix, and the prefix as a whole word (stemmed, its
    elided article stripped: ``otan*`` finds all that ``otan`` finds, ``l'OTAN`` too)."""
    word = word_query(node.stem, None, langs, bonus=False)
    if node.expansions is None:
        expanded: dict = {"prefix": {EXACT_FIELD: {"value": node.folded}}}
        if "'" not in node.folded and (articles := elided_articles(langs)):
            elided = f"({'|'.join(articles)})'{_regexp_literal(node.folded)}.*"
            expanded = _any([expanded, {"regexp": {EXACT_FIELD: {"value": elided}}}])
    elif node.expansions:
        expanded = {"terms": {EXACT_FIELD: list(node.expansions)}}
    else:
        return word or MATCH_NONE
    return expanded if word is None else _any([expanded, word])


def _exact_fields(langs: list[str]) -> list[tuple[str, float]]:
    """Each language's ``.exact`` sub-fields (they keep positions), with their boosts."""
    return [
        (f"{text_field(part, lang)}.exact", rule("boost." + part))
        for lang in langs
        for part in TEXT_PARTS
    ]


def _multi_term(node: Prefix | Wildcard | Fuzzy, field: str, **options: object) -> dict:
    """The term-level query of a prefix, wildcard or fuzzy word on one field (its
    expansions capped as the parser caps them)."""
    options["rewrite"] = f"top_terms_{MAX_EXPANSIONS}"
    if isinstance(node, Prefix):
        return {"prefix": {field: {"value": node.folded, **options}}}
    if isinstance(node, Wildcard):
        return {"wildcard": {field: {"value": node.pattern, **options}}}
    fuzzy = {"value": node.folded, "fuzziness": node.distance, "prefix_length": FUZZY_PREFIX}
    return {"fuzzy": {field: {**fuzzy, "max_expansions": MAX_EXPANSIONS, **options}}}


def pattern_query(node: Wildcard | Fuzzy, langs: list[str]) -> dict:
    """A wildcard or fuzzy word on every language's ``.exact`` sub-fields (or its
    expansions, when the parser had the vocabulary)."""
    if node.expansions == ():
        return MATCH_NONE
    queries = [
        {"terms": {field: list(node.expansions), "boost": boost}}
        if node.expansions is not None
        else _multi_term(node, field, boost=boost)
        for field, boost in _exact_fields(langs)
    ]
    return _any(queries) if queries else MATCH_NONE


def _span(node: Clause, field: str, lang: str) -> dict | None:
    """A part of a proximity as a span query on one ``.exact`` sub-field (None: nothing of
    it is searchable there)."""
    if isinstance(node, Near):
        clauses = [_span(part, field, lang) for part in node.parts]
        if any(c is None for c in clauses):
            return None
        return {"span_near": {"clauses": clauses, "slop": node.slop, "in_order": False}}
    if isinstance(node, Word | Phrase):
        tokens = analyze(node.text, lang, exact=True)
        terms = [{"span_term": {field: token}} for token in tokens]
        if len(terms) < 2:
            return terms[0] if terms else None
        return {"span_near": {"clauses": terms, "slop": 0, "in_order": True}}
    if node.expansions is not None and not isinstance(node, Prefix):
        if not node.expansions:
            return None
        terms = [{"span_term": {field: t}} for t in node.expansions]
        return terms[0] if len(terms) == 1 else {"span_or": {"clauses": terms}}
    return {"span_multi": {"match": _multi_term(node, field)}}


def near_query(node: Near, langs: list[str]) -> dict:
    """Every part within ``slop`` words of the others, in any order, in one field."""
    queries = []
    for lang in langs:
        for part in TEXT_PARTS:
            field = f"{text_field(part, lang)}.exact"
            span = _span(node, field, lang)
            if span is not None:
                span["span_near"]["boost"] = rule("boost." + part)
                queries.append(span)
    if not queries:
        return MATCH_NONE
    # the spans decide the match; the words, stemmed in each language's fields, rank it
    rankers = [q for w in near_words(node) if (q := word_query(w, None, langs, bonus=False))]
    if not rankers:
        return _any(queries)
    return {"bool": {"must": [_any(queries)], "should": rankers}}


def clause_query(node: Clause, langs: list[str]) -> dict | None:
    if isinstance(node, Prefix):
        return prefix_query(node, langs)
    if isinstance(node, Wildcard | Fuzzy):
        return pattern_query(node, langs)
    if isinstance(node, Near):
        return near_query(node, langs)
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
    elif tree.filters or tree.every:
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
