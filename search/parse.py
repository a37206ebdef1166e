"""The query language → a query tree (``search.tree``), the same for every engine.

Never raises: anything malformed degrades to plain words, with a notice saying so.

    otan russie            both words (AND), stemmed, accents optional
    otan OR nato           either
    -cookies, NOT cookies  exclude
    "jens stoltenberg"     exact phrase («…» too): matches unstemmed forms
    otan*                  prefix, folded and lowercased (capped expansion)
    title:word             only in titles (title:"a phrase" too)
    lang:fr  source:reuters  date:2012-05..2012-11  date:2012  after:2015-01-01  before:…

Each word is analysed by the engine with each field's own chain, so one query finds articles
in any language; ``lang:`` (or the request's language) restricts the languages searched.
The caps (words and phrases, prefix expansions), the de-duplication and the notices are
applied here, once, whichever engine compiles the tree.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from index.analysis import LANGS, analyze_query, lang_key
from search import notices as say
from search.notices import Notice
from search.tree import (
    AnyOf,
    Clause,
    DateRange,
    Filter,
    LangIs,
    Phrase,
    Prefix,
    QueryTree,
    SourceIs,
    Word,
)

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

Expand = Callable[[str], Iterable[str]]  # folded prefix → the archive's words with it


@dataclass
class Split:
    """A query as typed, split: a clause, or ``"OR"`` between two."""

    text: str
    phrase: bool = False
    negated: bool = False
    part: str | None = None  # title / lead / body, or None for all


def normalize_query(text: str) -> str:
    text = _QUOTES.sub('"', text).replace("’", "'").replace("\u00a0", " ")
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    return " ".join(text.split())


def date_bounds(value: str, end: bool) -> datetime | None:
    """``2012``, ``2012-05`` or ``2012-05-22`` as the first (or last) moment it covers."""
    match = re.fullmatch(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", value)
    if not match:
        return None
    year = int(match.group(1))
    month, day = (int(g) if g else 0 for g in match.groups()[1:])
    try:
        if not end:
            return datetime(year, month or 1, day or 1)
        month = month or 12
        day = day or calendar.monthrange(year, month)[1]
        return datetime(year, month, day, 23, 59, 59)
    except ValueError:
        return None


def _date_filter(key: str, value: str) -> DateRange | None:
    if key == "after":
        start = date_bounds(value, end=False)
        return DateRange(start, None) if start else None
    if key == "before":
        end = date_bounds(value, end=True)
        return DateRange(None, end) if end else None
    low, _, high = value.partition("..")
    start = date_bounds(low, end=False) if low else None
    end = date_bounds(high or low, end=True) if (high or low) else None
    if (low and start is None) or ((high or low) and end is None):
        return None
    return DateRange(start, end)


def split_clauses(text: str) -> tuple[list[Split | str], dict[str, str], list[Notice]]:
    """Clauses and OR markers in order, filters by key, and notices about what was odd."""
    items: list[Split | str] = []
    filters: dict[str, str] = {}
    notices: list[Notice] = []
    if text.count('"') % 2:
        notices.append(Notice(say.UNCLOSED_QUOTE))
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
            notices.append(Notice(say.UNKNOWN_FIELD, {"field": key}))
            key_l = None
        if not value.strip("-*\"' "):
            continue
        items.append(Split(value, phrase=quoted is not None, negated=negated, part=key_l))
    return items, filters, notices


def _filters(filters: dict[str, str], notices: list[Notice]) -> tuple[list[Filter], str | None]:
    parts: list[Filter] = []
    lang = None
    for key, value in filters.items():
        if key == "lang":
            lang = value.lower()
            parts.append(LangIs(lang))
        elif key == "source":
            words = list(analyze_query(value, "xx", exact=True))
            if words:
                parts.append(SourceIs(tuple(words)))
        else:
            date = _date_filter(key, value)
            if date is None:
                notices.append(Notice(say.NOT_A_DATE, {"key": key, "value": value}))
            else:
                parts.append(date)
    return parts, lang


class _Clauses:
    """Turns split clauses into tree clauses, with the prefix caps."""

    def __init__(self, langs: list[str], expand: Expand | None) -> None:
        self.langs = langs
        self.expand = expand
        self.notices: list[Notice] = []  # reported after the others, as they come
        self.expanded = 0  # prefix terms used so far (MAX_EXPANSIONS_TOTAL)

    def _matches_nothing(self, text: str, part: str | None) -> bool:
        """No chain keeps a token of ``text``: nothing to search (the exact, unstemmed field
        still finds a word every language drops as a stop word, unless a part is named)."""
        if any(analyze_query(text, lang) for lang in self.langs):
            return False
        return part is not None or not analyze_query(text, "xx", exact=True)

    def clause(self, item: Split) -> Clause | None:
        if not item.phrase and item.text.endswith("*") and len(item.text) > 1:
            return self.prefix(item.text.rstrip("*"))
        if self._matches_nothing(item.text, item.part):
            return None
        return (Phrase if item.phrase else Word)(item.text, item.part)

    def prefix(self, stem: str) -> Clause | None:
        folded = list(analyze_query(stem, "xx", exact=True))
        if len(folded) != 1:
            return None if self._matches_nothing(stem, None) else Word(stem)
        if self.expand is None:
            return Prefix(stem, folded[0])
        room = min(MAX_EXPANSIONS, MAX_EXPANSIONS_TOTAL - self.expanded)
        if room <= 0:
            self.notices.append(Notice(say.TOO_MANY_PREFIXES, {"stem": stem}))
            return None
        expansions: list[str] = []
        for term in self.expand(folded[0]):
            expansions.append(term)
            if len(expansions) > room:
                self.notices.append(Notice(say.PREFIX_CAPPED, {"stem": stem, "limit": room}))
                expansions.pop()
                break
        self.expanded += len(expansions)
        return Prefix(stem, folded[0], tuple(expansions))


def parse_query(
    text: str,
    lang: str | None = None,
    *,
    langs: list[str] | None = None,
    expand: Expand | None = None,
) -> QueryTree:
    """Parse a user query; never raises.

    ``lang`` (the request's language, else a ``lang:`` filter) restricts the languages
    searched; otherwise ``langs``, the languages the archive holds (all when not given).
    ``expand`` lists the archive's words with a prefix, for the capped expansions.
    """
    cleaned = normalize_query(text)
    items, filters, notices = split_clauses(cleaned)
    filter_parts, filter_lang = _filters(filters, notices)
    wanted = lang or filter_lang
    searched = [lang_key(wanted)] if wanted else (langs or list(LANGS))
    clauses = _Clauses(searched, expand)
    tree = QueryTree(text=cleaned, filters=filter_parts, langs=searched)
    pending_or = False
    seen: set[tuple] = set()
    for item in items:
        if isinstance(item, str):  # "OR"
            pending_or = bool(tree.must)
            continue
        key = (item.text.casefold(), item.phrase, item.negated, item.part)
        if key in seen:  # a repeated word adds cost, not meaning
            pending_or = False
            continue
        if len(seen) >= MAX_CLAUSES:
            notices.append(Notice(say.TOO_MANY_CLAUSES, {"limit": MAX_CLAUSES}))
            break
        seen.add(key)
        built = clauses.clause(item)
        if built is None:
            continue
        if item.negated:
            tree.must_not.append(built)
        elif pending_or:
            last = tree.must[-1]
            options = last.options if isinstance(last, AnyOf) else (last,)
            tree.must[-1] = AnyOf((*options, built))
        else:
            tree.must.append(built)
        pending_or = False
    tree.notices = notices + clauses.notices
    return tree
