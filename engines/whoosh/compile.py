"""A query tree (``search.tree``) → Whoosh queries over every language's fields.

Each word is analysed with each field's own chain; the title, lead and body boosts and the
exact-match bonus come from the ranking rules. The highlight terms of each language are
collected on the way (excluded words are never highlighted).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from whoosh import query as wq
from whoosh.fields import Schema
from whoosh.query import spans
from whoosh.reading import IndexReader
from whoosh.searching import Searcher
from whoosh.support.levenshtein import distance

from engines.whoosh.memo import reader_memo, segments_memo, term_lookup
from index.analysis import LANGS, analyze_query
from index.schema import (
    EXACT_FIELD,
    EXACT_TITLE_FIELD,
    LANG_FIELD,
    PUBLISHED_FIELD,
    SOURCE_KEY_FIELD,
    TEXT_PARTS,
    text_field,
)
from search.daterange import DateSpan
from search.filters import request_filters
from search.parse import FUZZY_PREFIX, parse_query
from search.ranking import field_boosts, rule
from search.request import SearchRequest
from search.suggest import near_words
from search.tree import (
    AnyOf,
    Clause,
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

HIGHLIGHTED_EXPANSIONS = 50  # a prefix highlights its first expansions only
MAX_WORDS = 20_000  # words whose fields and tokens are remembered for the same segments


class _SpanOr(spans.SpanOr):
    """Whoosh's SpanOr, with the size estimates an ``And`` around it asks for (to order its
    matchers): those of the plain ``Or`` it wraps."""

    def estimate_size(self, ixreader: IndexReader) -> int:
        return self.q.estimate_size(ixreader)

    def estimate_min_size(self, ixreader: IndexReader) -> int:
        return self.q.estimate_min_size(ixreader)


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
    memo = reader_memo(reader, "_manchette_indexed_langs")  # once per reader, not per query
    if "langs" not in memo:
        memo["langs"] = [
            key
            for key in LANGS
            if any(
                (name := text_field(part, key)) in schema and reader.field_length(name) > 0
                for part in TEXT_PARTS
            )
        ]
    return list(memo["langs"]) or list(LANGS)


def parse_for(searcher: Searcher, text: str, lang: str | None = None) -> QueryTree:
    """The tree of ``text`` over the languages of this index, its prefixes expanded from its
    own vocabulary of unstemmed words."""
    reader = searcher.reader()

    def expand(prefix: str):
        for term in reader.expand_prefix(EXACT_FIELD, prefix):
            yield term.decode() if isinstance(term, bytes) else term

    def within(word: str, edits: int):
        # Damerau-Levenshtein (a transposition is one edit), as OpenSearch's fuzzy query:
        # whoosh's own terms_within walks an automaton that counts it as two.
        for term in expand(word[:FUZZY_PREFIX]):
            if abs(len(term) - len(word)) <= edits and distance(term, word, edits) <= edits:
                yield term

    langs = indexed_langs(searcher.schema, reader)
    return parse_query(text, lang, langs=langs, expand=expand, within=within)


Known = Callable[[str, str], bool]  # (field, token) → whether the index has the term


def _anywhere(fieldname: str, token: str) -> bool:
    return True


def _terms_query(
    fieldname: str, tokens: list[str] | tuple[str, ...], boost: float, positions: bool = True
) -> wq.Query:
    """One token as a term; several as a phrase, or all of them where the field keeps no
    positions (a lead or body: the exact field decides phrases there)."""
    if len(tokens) == 1:
        return wq.Term(fieldname, tokens[0], boost=boost)
    if not positions:
        return wq.And([wq.Term(fieldname, t, boost=boost) for t in tokens])
    return wq.Phrase(fieldname, list(tokens), boost=boost)


# One alternative of a word: its field, its tokens there, the field's boost, and whether
# the field keeps positions (several tokens make a phrase there, else a conjunction).
_Alternative = tuple[str, tuple[str, ...], float, bool]
_Word = tuple[bool, tuple[_Alternative, ...]]  # (analysed to any token, the alternatives)


class _Compiler:
    def __init__(
        self,
        schema: Schema,
        langs: list[str],
        known: Known = _anywhere,
        words: dict | None = None,
    ) -> None:
        self.schema = schema
        self.langs = langs
        self.known = known
        self.words = words  # (word, part, bonus, languages) → _Word, for this index's segments
        self.terms: dict[str, set[str]] = {}

    def can_match(self, fieldname: str, tokens: list[str] | tuple[str, ...]) -> bool:
        """False when a token is a term of no segment: the term, or the phrase or the
        conjunction of tokens, matches nothing and adds no score, and is left out (most
        of a word's fields: each language's stems are in few of the other languages' fields)."""
        return all(self.known(fieldname, t) for t in tokens)

    def note(self, text: str) -> None:
        for lang in self.langs:
            self.terms.setdefault(lang, set()).update(analyze_query(text, lang))

    def clause(self, node: Clause, highlight: bool) -> wq.Query | None:
        if isinstance(node, Prefix):
            return self.prefix(node, highlight)
        if isinstance(node, Wildcard | Fuzzy):
            return self.pattern(node, highlight)
        if isinstance(node, Near):
            return self.near(node, highlight)
        if highlight:
            self.note(node.text)
        if isinstance(node, Phrase):
            return self.phrase(node)
        return self.word(node.text, node.part)

    def word(self, text: str, part: str | None, bonus: bool = True) -> wq.Query | None:
        """The word in every field of every language (None when every language drops it
        as a stop word and no bonus asks for it as typed; ``NullQuery`` when the index has
        none of its terms: it matches nothing)."""
        analysed, alternatives = self.alternatives(text, part, bonus)
        if alternatives:
            return wq.Or([_terms_query(*alternative) for alternative in alternatives])
        # A word every indexed language drops as a stop word is still found as typed.
        return wq.NullQuery if analysed else None

    def alternatives(self, text: str, part: str | None, bonus: bool) -> _Word:
        """The fields and tokens of a word that can match (remembered for the segments:
        the same words come back in query after query)."""
        if self.words is None:
            return self.find_alternatives(text, part, bonus)
        key = (text, part, bonus, tuple(self.langs))
        found = self.words.get(key)
        if found is None:
            found = self.find_alternatives(text, part, bonus)
            if len(self.words) >= MAX_WORDS:
                self.words.clear()
            self.words[key] = found
        return found

    def find_alternatives(self, text: str, part: str | None, bonus: bool) -> _Word:
        alternatives: list[_Alternative] = []
        analysed = False
        parts = [part] if part else list(TEXT_PARTS)
        boosts = field_boosts([text_field(p, lang) for p in parts for lang in self.langs])
        for lang in self.langs:
            tokens = analyze_query(text, lang)
            if not tokens:
                continue
            analysed = True
            for name in (text_field(p, lang) for p in parts):
                if self.can_match(name, tokens):
                    positions = self.schema[name].format.supports("positions")
                    alternatives.append((name, tokens, boosts[name], positions))
        if bonus and not part:
            exact = analyze_query(text, "xx", exact=True)
            analysed = analysed or bool(exact)
            alternatives.extend(self.exactness(exact))
        return analysed, tuple(alternatives)

    def exactness(self, exact: tuple[str, ...]) -> list[_Alternative]:
        """The word as typed (unstemmed, stop word or not: ``exact``, its tokens) anywhere in
        the text and in the title, each scored by BM25 over one field shared by every
        language: what puts a known-item query's own article above articles that only share
        stems, in any language (search/ranking.py, ``bonus.exact`` and ``bonus.exact_title``)."""
        if not exact:
            return []
        found: list[_Alternative] = []
        if self.can_match(EXACT_FIELD, exact):
            found.append((EXACT_FIELD, exact, rule("bonus.exact"), True))
        if EXACT_TITLE_FIELD in self.schema and self.can_match(EXACT_TITLE_FIELD, exact):
            # no positions there: split tokens are AND-ed
            found.append((EXACT_TITLE_FIELD, exact, rule("bonus.exact_title"), False))
        return found

    def phrase(self, node: Phrase) -> wq.Query | None:
        stemmed = self.word(node.text, node.part, bonus=False)
        if not node.part:
            words = list(analyze_query(node.text, "xx", exact=True))
            if words:  # the exact field decides the match; the stemmed fields rank it
                exact = _terms_query(EXACT_FIELD, words, rule("bonus.exact"))
                return wq.And([exact, stemmed]) if stemmed is not None else exact
        return stemmed

    def prefix(self, node: Prefix, highlight: bool) -> wq.Query:
        """The words starting with the prefix, and the prefix as a whole word (stemmed, its
        elided article stripped: ``otan*`` finds all that ``otan`` finds, ``l'OTAN`` too)."""
        word = self.word(node.stem, None, bonus=False)
        if highlight:
            self.note(node.stem)
        if node.expansions is None:
            expanded: wq.Query = wq.Prefix(EXACT_FIELD, node.folded)
        else:
            if highlight:
                for term in node.expansions[:HIGHLIGHTED_EXPANSIONS]:
                    self.note(term)
            if not node.expansions:
                return word if word is not None else wq.NullQuery
            expanded = wq.Or([wq.Term(EXACT_FIELD, t) for t in node.expansions])
        return expanded if word is None else wq.Or([expanded, word])

    def pattern(self, node: Wildcard | Fuzzy, highlight: bool) -> wq.Query:
        """A wildcard or fuzzy word: its expansions on the exact field (or Whoosh's own
        expansion when the parser had no vocabulary)."""
        if node.expansions is None:
            if isinstance(node, Wildcard):
                return wq.Wildcard(EXACT_FIELD, node.pattern)
            return wq.FuzzyTerm(EXACT_FIELD, node.folded, node.distance, FUZZY_PREFIX)
        if highlight:
            for term in node.expansions[:HIGHLIGHTED_EXPANSIONS]:
                self.note(term)
        if not node.expansions:
            return wq.NullQuery
        return wq.Or([wq.Term(EXACT_FIELD, t) for t in node.expansions])

    def span(self, node: Clause, highlight: bool) -> wq.Query | None:
        """A part of a proximity as a span query on the exact field (None: it matches
        nothing)."""
        if isinstance(node, Near):
            parts = [self.span(part, highlight) for part in node.parts]
            if any(p is None for p in parts):
                return None
            # Whoosh counts the distance between neighbours (1: adjacent); Near counts the
            # words allowed between them (0: adjacent).
            return spans.SpanNear2(parts, slop=node.slop + 1, ordered=False)
        if isinstance(node, Word | Phrase):
            if highlight:
                self.note(node.text)
            words = analyze_query(node.text, "xx", exact=True)
            if not words:
                return None
            if len(words) == 1:
                return wq.Term(EXACT_FIELD, words[0])  # a term's matcher has spans
            return spans.SpanNear2([wq.Term(EXACT_FIELD, w) for w in words], slop=1)
        if isinstance(node, Prefix) and highlight:
            self.note(node.stem)
        if node.expansions is None:
            return None
        if highlight:
            for term in node.expansions[:HIGHLIGHTED_EXPANSIONS]:
                self.note(term)
        if not node.expansions:
            return None
        return _SpanOr([wq.Term(EXACT_FIELD, t) for t in node.expansions])

    def near(self, node: Near, highlight: bool) -> wq.Query:
        """The span decides the match; its words, stemmed in each language's fields, rank it
        (optional: a word some language drops as a stop word still matches)."""
        built = self.span(node, highlight)
        if built is None:
            return wq.NullQuery
        built.boost = rule("bonus.exact")
        rankers = [q for w in near_words(node) if (q := self.word(w, None, bonus=False))]
        # (not AndMaybe: a span's scorer has no quality bound for its optimisations)
        return wq.And([built, wq.Or([*rankers, built])]) if rankers else built

    def item(self, node: Clause | AnyOf) -> wq.Query | None:
        if not isinstance(node, AnyOf):
            return self.clause(node, highlight=True)
        combined: wq.Query | None = None
        for option in node.options:  # nested as typed: (a OR b) OR c
            built = self.clause(option, highlight=True)
            if built is not None:
                combined = built if combined is None else wq.Or([combined, built])
        return combined


def compile_tree(
    tree: QueryTree, schema: Schema, known: Known = _anywhere, words: dict | None = None
) -> Compiled:
    """``tree`` as Whoosh queries; ``known`` says which terms the index has (the others are
    left out: they match nothing), every term by default; ``words`` remembers each word's
    fields for the next queries (only for the segments ``known`` answers for)."""
    compiler = _Compiler(schema, tree.langs, known, words)
    positives = [q for q in map(compiler.item, tree.must) if q is not None]
    negatives = [q for n in tree.must_not if (q := compiler.clause(n, False)) is not None]
    if positives:
        query: wq.Query = wq.And(positives) if len(positives) > 1 else positives[0]
    elif tree.filters or tree.every:
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
    reader = searcher.reader()
    tree = parse_for(searcher, request.q, request.lang)
    words = segments_memo(reader, "compiled_words")
    compiled = compile_tree(tree, searcher.schema, term_lookup(reader), words)
    compiled.filter = compile_filters(request_filters(compiled.tree, request, span))
    return compiled
