"""The query language → a Whoosh query and filter over every language's fields.

Never raises: anything malformed degrades to plain words, with a ``notice`` saying so.

    otan russie            both words (AND), stemmed, accents optional
    otan OR nato           either
    -cookies, NOT cookies  exclude
    "jens stoltenberg"     exact phrase («…» too); matches unstemmed forms when the index
                           has an exact field, else the stemmed fields
    otan*                  prefix, folded and lowercased (capped expansion)
    title:word             only in titles (title:"a phrase" too)
    lang:fr  source:reuters  date:2012-05..2012-11  date:2012  after:2015-01-01  before:…

Each word is analysed with each field's own chain, so one query finds articles in any
language; ``lang:`` (or the request's language) restricts the fields searched.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from whoosh import query as wq
from whoosh.fields import Schema
from whoosh.reading import IndexReader

from index.analysis import LANGS, analyze, lang_key
from index.schema import (
    EXACT_FIELD,
    LANG_FIELD,
    PUBLISHED_FIELD,
    SOURCE_KEY_FIELD,
    TEXT_PARTS,
    text_field,
)
from search.ranking import field_boosts, rule

_QUOTES = re.compile(r"[«»“”„‟]")
_TOKEN = re.compile(r'(-?)(?:(\w+):)?(?:"([^"]*)"?|(\S+))')
FILTER_KEYS = ("lang", "source", "date", "after", "before")
FIELD_KEYS = ("title", "lead", "body")
MAX_EXPANSIONS = 200  # prefix terms are capped; the cap is reported in the notice
# A query's cost grows with its words (each searched in every language's fields) and its
# prefix expansions: both are capped, and the notice says so. Measured on 3,200 articles
# before the caps: 160 words OR'ed took 23 s, 40 prefixes 3.5-4.9 s; after, under 1 s.
MAX_CLAUSES = 16  # distinct words and phrases searched; the rest are dropped
MAX_EXPANSIONS_TOTAL = 400  # prefix terms over all the prefixes of a query


@dataclass
class Clause:
    text: str
    phrase: bool = False
    negated: bool = False
    part: str | None = None  # title / lead / body, or None for all


@dataclass
class ParsedQuery:
    query: wq.Query
    text: str
    filter: wq.Query | None = None
    notice: str | None = None
    terms: dict[str, set[str]] = field(default_factory=dict)  # lang key → analysed terms
    langs: list[str] = field(default_factory=list)
    clauses: list[Clause | str] = field(default_factory=list)  # as split, for "did you mean"


def normalize_query(text: str) -> str:
    text = _QUOTES.sub('"', text).replace("’", "'").replace("\u00a0", " ")
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    return " ".join(text.split())


def date_bounds(value: str, end: bool) -> datetime | None:
    """``2012``, ``2012-05`` or ``2012-05-22`` as the first (or last) moment it covers."""
    match = re.fullmatch(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", value)
    if not match:
        return None
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        if not end:
            return datetime(year, month or 1, day or 1)
        month = month or 12
        day = day or calendar.monthrange(year, month)[1]
        return datetime(year, month, day, 23, 59, 59)
    except ValueError:
        return None


def _date_filter(key: str, value: str) -> wq.Query | None:
    if key == "after":
        start = date_bounds(value, end=False)
        return wq.DateRange(PUBLISHED_FIELD, start, None) if start else None
    if key == "before":
        end = date_bounds(value, end=True)
        return wq.DateRange(PUBLISHED_FIELD, None, end) if end else None
    low, _, high = value.partition("..")
    start = date_bounds(low, end=False) if low else None
    end = date_bounds(high or low, end=True) if (high or low) else None
    if (low and start is None) or ((high or low) and end is None):
        return None
    return wq.DateRange(PUBLISHED_FIELD, start, end)


@lru_cache(maxsize=20_000)
def _analysed(text: str, lang: str, exact: bool = False) -> tuple[str, ...]:
    """``analyze``, remembered: each word of a query is analysed in every language, twice
    (terms to search, terms to highlight), and words come back from query to query."""
    return tuple(analyze(text, lang, exact))


class _Builder:
    def __init__(self, schema: Schema, langs: list[str], reader: IndexReader | None) -> None:
        self.schema = schema
        self.langs = langs
        self.reader = reader
        self.has_exact = EXACT_FIELD in schema
        self.terms: dict[str, set[str]] = {}
        self.notices: list[str] = []
        self.expanded = 0  # prefix terms used so far (MAX_EXPANSIONS_TOTAL)

    def _note_terms(self, text: str) -> None:
        for lang in self.langs:
            self.terms.setdefault(lang, set()).update(_analysed(text, lang))

    def word(self, clause: Clause, bonus: bool = True) -> wq.Query | None:
        if clause.text.endswith("*") and len(clause.text) > 1:
            return self.prefix(clause.text.rstrip("*"))
        self._note_terms(clause.text)
        alternatives: list[wq.Query] = []
        parts = [clause.part] if clause.part else list(TEXT_PARTS)
        boosts = field_boosts([text_field(p, lang) for p in parts for lang in self.langs])
        for lang in self.langs:
            tokens = list(_analysed(clause.text, lang))
            if not tokens:
                continue
            for part in parts:
                name = text_field(part, lang)
                positions = self.schema[name].format.supports("positions")
                alternatives.append(_terms_query(name, tokens, boosts[name], positions))
        if not alternatives and not (bonus and self.has_exact and not clause.part):
            return None  # only stop words
        if bonus and self.has_exact and not clause.part:
            exact = list(_analysed(clause.text, "xx", exact=True))
            if exact:  # an exact (unstemmed) match ranks above a stem-only match: a flat bonus
                alternatives.append(_terms_query(EXACT_FIELD, exact, rule("bonus.exact")))
        # A word every indexed language drops as a stop word is still found as typed.
        return wq.Or(alternatives) if alternatives else None

    def phrase(self, clause: Clause) -> wq.Query | None:
        self._note_terms(clause.text)
        stemmed = self.word(Clause(clause.text, part=clause.part), bonus=False)
        if self.has_exact and not clause.part:
            words = list(_analysed(clause.text, "xx", exact=True))
            if words:  # the exact field decides the match; the stemmed fields rank it
                exact = _terms_query(EXACT_FIELD, words, rule("bonus.exact"))
                return wq.And([exact, stemmed]) if stemmed is not None else exact
        return stemmed

    def prefix(self, stem: str) -> wq.Query | None:
        folded = list(_analysed(stem, "xx", exact=True))
        if len(folded) != 1:
            return self.word(Clause(stem))
        prefix = folded[0]
        fieldname = EXACT_FIELD if self.has_exact else text_field("body", self.langs[0])
        if self.reader is None:
            return wq.Prefix(fieldname, prefix)
        expansions = []
        room = min(MAX_EXPANSIONS, MAX_EXPANSIONS_TOTAL - self.expanded)
        if room <= 0:
            self.notices.append(f"“{stem}*” was ignored: the query has too many prefixes.")
            return None
        for term in self.reader.expand_prefix(fieldname, prefix):
            expansions.append(term.decode() if isinstance(term, bytes) else term)
            if len(expansions) > room:
                self.notices.append(
                    f"“{stem}*” matches too many words; only the first {room} were used."
                )
                expansions.pop()
                break
        self.expanded += len(expansions)
        for term in expansions[:50]:
            self._note_terms(term)
        return wq.Or([wq.Term(fieldname, t) for t in expansions]) if expansions else wq.NullQuery


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


def split_clauses(text: str) -> tuple[list[Clause | str], dict[str, str], list[str]]:
    """Clauses and OR markers in order, filters by key, and notices about what was odd."""
    items: list[Clause | str] = []
    filters: dict[str, str] = {}
    notices: list[str] = []
    if text.count('"') % 2:
        notices.append("An opening quote was not closed; the phrase runs to the end.")
    negate_next = False
    for match in _TOKEN.finditer(text):
        minus, key, quoted, bare = match.groups()
        if key is None and quoted is None and bare in ("OR", "AND", "NOT"):
            if bare == "OR":
                items.append("OR")
            negate_next = negate_next or bare == "NOT"
            continue
        negated = bool(minus) or negate_next
        negate_next = False
        value = quoted if quoted is not None else (bare or "")
        key_l = key.lower() if key else None
        if key_l in FILTER_KEYS:
            if value:
                filters[key_l] = value
            continue
        if key and key_l not in FIELD_KEYS:
            value = f"{key} {value}"  # unknown field: search its words
            notices.append(f"“{key}:” is not a field here; it was searched as words.")
            key_l = None
        if not value.strip("-*\"' "):
            continue
        items.append(Clause(value, phrase=quoted is not None, negated=negated, part=key_l))
    return items, filters, notices


def _filters(filters: dict[str, str], notices: list[str]) -> tuple[list[wq.Query], str | None]:
    parts: list[wq.Query] = []
    lang = None
    for key, value in filters.items():
        if key == "lang":
            lang = value.lower()
            parts.append(wq.Term(LANG_FIELD, lang))
        elif key == "source":
            words = list(_analysed(value, "xx", exact=True))
            if words:
                parts.append(_terms_query(SOURCE_KEY_FIELD, words, 1.0))
        else:
            date = _date_filter(key, value)
            if date is None:
                notices.append(
                    f"“{key}:{value}” is not a date (use 2012, 2012-05 or "
                    "2012-05-22, and a..b for a range); it was ignored."
                )
            else:
                parts.append(date)
    return parts, lang


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


def parse_query(
    text: str, schema: Schema, lang: str | None = None, reader: IndexReader | None = None
) -> ParsedQuery:
    """Parse a user query; never raises."""
    cleaned = normalize_query(text)
    items, filters, notices = split_clauses(cleaned)
    filter_parts, filter_lang = _filters(filters, notices)
    wanted = lang or filter_lang
    langs = [lang_key(wanted)] if wanted else indexed_langs(schema, reader)
    builder = _Builder(schema, langs, reader)
    positives: list[wq.Query] = []
    negatives: list[wq.Query] = []
    pending_or = False
    seen: set[tuple] = set()
    for item in items:
        if item == "OR":
            pending_or = bool(positives)
            continue
        assert isinstance(item, Clause)
        key = (item.text.casefold(), item.phrase, item.negated, item.part)
        if key in seen:  # a repeated word adds cost, not meaning
            pending_or = False
            continue
        if len(seen) >= MAX_CLAUSES:
            notices.append(f"Only the first {MAX_CLAUSES} words and phrases were searched.")
            break
        seen.add(key)
        kept = {k: set(v) for k, v in builder.terms.items()}
        built = builder.phrase(item) if item.phrase else builder.word(item)
        if built is None:
            continue
        if item.negated:
            negatives.append(built)
            builder.terms = kept  # excluded words are never highlighted
        elif pending_or:
            positives[-1] = wq.Or([positives[-1], built])
        else:
            positives.append(built)
        pending_or = False
    if positives:
        query: wq.Query = wq.And(positives) if len(positives) > 1 else positives[0]
    elif filter_parts:
        query = wq.Every()
    else:
        query = wq.NullQuery
    if negatives and query is not wq.NullQuery:
        query = wq.AndNot(query, wq.Or(negatives))
    notices += builder.notices
    return ParsedQuery(
        query=query,
        text=cleaned,
        filter=wq.And(filter_parts) if filter_parts else None,
        notice=" ".join(notices) or None,
        terms=builder.terms,
        langs=langs,
        clauses=items,
    )
