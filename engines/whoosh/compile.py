"""A query tree (``search.tree``) → Whoosh queries over every language's fields.

Each word is analysed with each field's own chain; the title, lead and body boosts and the
exact-match bonus come from the ranking rules. The highlight terms of each language are
collected on the way (excluded words are never highlighted).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from whoosh import query as wq
from whoosh.fields import Schema
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from index.analysis import LANGS, analyze_query
from index.schema import (
    EXACT_FIELD,
    LANG_FIELD,
    PUBLISHED_FIELD,
    SOURCE_KEY_FIELD,
    TEXT_PARTS,
    text_field,
)
from search.daterange import DateSpan
from search.filters import request_filters
from search.parse import parse_query
from search.ranking import field_boosts, rule
from search.request import SearchRequest
from search.tree import AnyOf, FieldIs, LangIs, Phrase, Prefix, SourceIs

if TYPE_CHECKING:
    from search.tree import Clause, Filter, QueryTree

HIGHLIGHTED_EXPANSIONS = 50  # a prefix highlights its first expansions only


@dataclass
class Compiled:
    """A tree as Whoosh queries: what to match and rank, what to filter on, what to mark."""

    tree: QueryTree
    query: wq.Query
    filter: wq.Query | None = None
    terms: dict[str, set[str]] = field(default_factory=dict)  # lang key → analysed terms


def indexed_langs(schema: Schema, reader: IndexReader | None) -> list[str]:
    """The analysis languages that have text in the index (all when there is no reader):
    the fields of the others cannot match, and each costs matchers on every query."""
    if reader is None:
        return list(LANGS)
    present = [
        key
        for key in LANGS
        if any(
            (name := text_field(part, key)) in schema and reader.field_length(name) > 0
            for part in TEXT_PARTS
        )
    ]
    return present or list(LANGS)


def parse_for(searcher: Searcher, text: str, lang: str | None = None) -> QueryTree:
    """The tree of ``text`` over the languages of this index, its prefixes expanded from its
    own vocabulary of unstemmed words."""
    reader = searcher.reader()

    def expand(prefix: str):
        for term in reader.expand_prefix(EXACT_FIELD, prefix):
            yield term.decode() if isinstance(term, bytes) else term

    langs = indexed_langs(searcher.schema, reader)
    return parse_query(text, lang, langs=langs, expand=expand)


def _terms_query(
    fieldname: str, tokens: list[str], boost: float, positions: bool = True
) -> wq.Query:
    """One token as a term; several as a phrase, or all of them where the field keeps no
    positions (a lead or body: the exact field decides phrases there)."""
    if len(tokens) == 1:
        return wq.Term(fieldname, tokens[0], boost=boost)
    if not positions:
        return wq.And([wq.Term(fieldname, t, boost=boost) for t in tokens])
    return wq.Phrase(fieldname, tokens, boost=boost)


class _Compiler:
    def __init__(self, schema: Schema, langs: list[str]) -> None:
        self.schema = schema
        self.langs = langs
        self.terms: dict[str, set[str]] = {}

    def note(self, text: str) -> None:
        for lang in self.langs:
            self.terms.setdefault(lang, set()).update(analyze_query(text, lang))

    def clause(self, node: Clause, highlight: bool) -> wq.Query | None:
        if isinstance(node, Prefix):
            return self.prefix(node, highlight)
        if highlight:
            self.note(node.text)
        if isinstance(node, Phrase):
            return self.phrase(node)
        return self.word(node.text, node.part)

    def word(self, text: str, part: str | None, bonus: bool = True) -> wq.Query | None:
        alternatives: list[wq.Query] = []
        parts = [part] if part else list(TEXT_PARTS)
        boosts = field_boosts([text_field(p, lang) for p in parts for lang in self.langs])
        for lang in self.langs:
            tokens = list(analyze_query(text, lang))
            if not tokens:
                continue
            for name in (text_field(p, lang) for p in parts):
                positions = self.schema[name].format.supports("positions")
                alternatives.append(_terms_query(name, tokens, boosts[name], positions))
        if bonus and not part:
            exact = list(analyze_query(text, "xx", exact=True))
            if exact:  # an exact (unstemmed) match ranks above a stem-only match: a flat bonus
                alternatives.append(_terms_query(EXACT_FIELD, exact, rule("bonus.exact")))
        # A word every indexed language drops as a stop word is still found as typed.
        return wq.Or(alternatives) if alternatives else None

    def phrase(self, node: Phrase) -> wq.Query | None:
        stemmed = self.word(node.text, node.part, bonus=False)
        if not node.part:
            words = list(analyze_query(node.text, "xx", exact=True))
            if words:  # the exact field decides the match; the stemmed fields rank it
                exact = _terms_query(EXACT_FIELD, words, rule("bonus.exact"))
                return wq.And([exact, stemmed]) if stemmed is not None else exact
        return stemmed

    def prefix(self, node: Prefix, highlight: bool) -> wq.Query:
        if node.expansions is None:
            return wq.Prefix(EXACT_FIELD, node.folded)
        if highlight:
            for term in node.expansions[:HIGHLIGHTED_EXPANSIONS]:
                self.note(term)
        if not node.expansions:
            return wq.NullQuery
        return wq.Or([wq.Term(EXACT_FIELD, t) for t in node.expansions])

    def item(self, node: Clause | AnyOf) -> wq.Query | None:
        if not isinstance(node, AnyOf):
            return self.clause(node, highlight=True)
        combined: wq.Query | None = None
        for option in node.options:  # nested as typed: (a OR b) OR c
            built = self.clause(option, highlight=True)
            if built is not None:
                combined = built if combined is None else wq.Or([combined, built])
        return combined


def compile_tree(tree: QueryTree, schema: Schema) -> Compiled:
    compiler = _Compiler(schema, tree.langs)
    positives = [q for q in map(compiler.item, tree.must) if q is not None]
    negatives = [q for n in tree.must_not if (q := compiler.clause(n, False)) is not None]
    if positives:
        query: wq.Query = wq.And(positives) if len(positives) > 1 else positives[0]
    elif tree.filters:
        query = wq.Every()
    else:
        query = wq.NullQuery
    if negatives and query is not wq.NullQuery:
        query = wq.AndNot(query, wq.Or(negatives))
    return Compiled(tree, query, compile_filters(tree.filters), compiler.terms)


def _filter(node: Filter) -> wq.Query:
    if isinstance(node, LangIs):
        return wq.Term(LANG_FIELD, node.code)
    if isinstance(node, SourceIs):
        return _terms_query(SOURCE_KEY_FIELD, list(node.words), 1.0)
    if isinstance(node, FieldIs):
        return wq.Term(node.field, node.value)
    return wq.DateRange(PUBLISHED_FIELD, node.start, node.end)


def compile_filters(filters: list[Filter]) -> wq.Query | None:
    return wq.And([_filter(f) for f in filters]) if filters else None


def compile_request(
    searcher: Searcher, request: SearchRequest, span: DateSpan | None = None
) -> Compiled:
    """The request's query over this index, with everything every hit must match besides:
    its query's filters, the language, the facet values, a date range."""
    compiled = compile_tree(parse_for(searcher, request.q, request.lang), searcher.schema)
    compiled.filter = compile_filters(request_filters(compiled.tree, request, span))
    return compiled
