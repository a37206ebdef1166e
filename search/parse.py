"""The query string → a Whoosh query over every language's fields.

The same words are analysed with each field's own chain (French words through the French
stemmer, English through the English one), so one query finds articles in any language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from whoosh import query as wq
from whoosh.fields import Schema
from whoosh.qparser import MultifieldParser, PlusMinusPlugin

from index.analysis import LANGS, lang_key
from index.schema import TEXT_PARTS, text_field
from search.ranking import field_boosts

# Typographic quotes users paste from articles mean the same as ASCII double quotes.
_QUOTES = re.compile(r"[«»“”„‟]")


@dataclass
class ParsedQuery:
    query: wq.Query
    text: str
    notice: str | None = None
    terms: dict[str, set[str]] = field(default_factory=dict)  # lang key → analysed terms


def search_fields(lang: str | None = None) -> list[str]:
    langs = [lang_key(lang)] if lang else list(LANGS)
    return [text_field(part, key) for key in langs for part in TEXT_PARTS]


def normalize_query(text: str) -> str:
    text = _QUOTES.sub('"', text)
    text = text.replace("’", "'").replace("\u00a0", " ")
    return " ".join(text.split())


def positive_terms(q: wq.Query) -> set[tuple[str, str]]:
    """(field, text) of every term the user wants to see, skipping negated parts."""
    if isinstance(q, wq.Not):
        return set()
    if isinstance(q, wq.AndNot):
        return positive_terms(q.a)
    found: set[tuple[str, str]] = set()
    if isinstance(q, wq.Term | wq.Phrase | wq.Prefix | wq.Wildcard | wq.FuzzyTerm):
        found.update((f, t.decode() if isinstance(t, bytes) else t) for f, t in q.iter_all_terms())
        if isinstance(q, wq.Phrase):
            found.update((q.fieldname, w) for w in q.words)
        return found
    for child in q.children():
        found |= positive_terms(child)
    return found


def terms_by_lang(q: wq.Query) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for fieldname, text in positive_terms(q):
        key = fieldname.rsplit("_", 1)[-1]
        out.setdefault(key, set()).add(text)
    return out


def parse_query(text: str, schema: Schema, lang: str | None = None) -> ParsedQuery:
    """Parse a user query; never raises: unparseable input falls back to plain words."""
    cleaned = normalize_query(text)
    fields = search_fields(lang)
    parser = MultifieldParser(fields, schema, fieldboosts=field_boosts(fields))
    parser.add_plugin(PlusMinusPlugin())
    notice = None
    try:
        q = parser.parse(cleaned)
    except Exception:  # whoosh's parser raises assorted errors on odd syntax
        words = re.sub(r"[^\w\s']", " ", cleaned)
        q = parser.parse(words)
        notice = "Some of the query's syntax could not be understood; it was searched as words."
    return ParsedQuery(query=q, text=cleaned, notice=notice, terms=terms_by_lang(q))
