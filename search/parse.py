"""The query language → a query tree (``search.tree``), the same for every engine.

Never raises: anything malformed degrades to plain words, with a notice saying so.

    otan russie            both words (AND), stemmed, accents optional
    otan OR nato           either
    -cookies, NOT cookies  exclude
    "jens stoltenberg"     exact phrase («…» too): matches unstemmed forms
    otan*                  prefix, folded and lowercased (capped expansion)
    *                      every article (with the filters)
    coop*ration  m?nistre  wildcards anywhere in a word (capped expansion); one that matches
                           no word is searched as written (USD*NUMBER: usd number)
    poutine~  word~1       fuzzy: 1 edit (2 for words of 8 letters or more), or as given
    "otan russie"~5        the words with at most 5 others between them, in any order
    otan NEAR/3 russie     the same as an operator (chainable; bare NEAR is NEAR/5)
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
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from index.analysis import LANGS, analyze_query, lang_key
from index.analysis.filters import ELISIONS
from index.analysis.normalize import fold
from search import notices as say
from search.notices import Notice
from search.tree import (
    AnyOf,
    Clause,
    DateRange,
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

_QUOTES = re.compile(r"[«»“”„‟]")
_TOKEN = re.compile(r'(-?)(?:(\w+):)?(?:"([^"]*)"?(?:~(\S*))?|(\S+))')
_NEAR = re.compile(r"(?:NEAR|near|Near)(?:/(\S*))?")
_FUZZY = re.compile(r"(.*\w)~(\S*)")
_WILDCARD = re.compile(r"\*(?!\**$)|\?(?=\w)")  # a star before the end, a ? before a letter
FILTER_KEYS = ("lang", "source", "date", "after", "before")
FIELD_KEYS = ("title", "lead", "body")
MAX_EXPANSIONS = 200  # prefix terms are capped; the cap is reported in the notice
# A query's cost grows with its words (each searched in every language's fields) and its
# prefix expansions: both are capped, and the notice says so. Measured on 3,200 articles
# before the caps: 160 words OR'ed took 23 s, 40 prefixes 3.5-4.9 s; after, under 1 s.
MAX_CLAUSES = 16  # distinct words and phrases searched; the rest are dropped
MAX_EXPANSIONS_TOTAL = 400  # prefix, wildcard and fuzzy terms over all of a query
# A pattern that starts with a wildcard reads the whole vocabulary (about 4 µs a word): the
# words read for them are capped per query (about a second).
MAX_WALKED = 250_000
MAX_DISTANCE = 50  # words between the parts of a proximity
DEFAULT_DISTANCE = 5  # a bare NEAR, or "a b"~
LONG_WORD = 8  # letters from which word~ allows two edits
FUZZY_PREFIX = 1  # the letters a fuzzy word keeps (typos rarely touch the first)

Expand = Callable[[str], Iterable[str]]  # folded prefix → the archive's words with it
Within = Callable[[str, int], Iterable[str]]  # folded word, edits → the archive's words


@dataclass
class Split:
    """A query as typed, split: a clause, or ``"OR"`` between two."""

    text: str
    phrase: bool = False
    negated: bool = False
    part: str | None = None  # title / lead / body, or None for all
    distance: str | None = None  # "a b"~N: what follows the ~ (a proximity)


@dataclass(frozen=True)
class NearOp:
    """``NEAR`` or ``NEAR/N`` between two clauses, as typed."""

    form: str
    value: str | None


EVERY = "*"  # a clause of stars alone: every article


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


def elided_articles(langs: Iterable[str]) -> list[str]:
    """The elided articles of the searched languages (``l``, ``d``, ``qu``...), sorted."""
    return sorted({a for lang in langs for a in ELISIONS.get(lang, ())})


def fuzzy_distance(word: str) -> int:
    """The edits ``word~`` allows: one, two for a word of LONG_WORD letters or more."""
    return 2 if len(word) >= LONG_WORD else 1


def distance(form: str, value: str | None, notices: list[Notice]) -> int:
    """The words allowed between the parts of a proximity (``~N``, ``NEAR/N``): none given is
    the default; anything else than 0 to MAX_DISTANCE is replaced, with a notice."""
    if not value:
        return DEFAULT_DISTANCE
    if not (value.isascii() and value.isdigit()):
        params = {"form": form, "limit": MAX_DISTANCE, "default": DEFAULT_DISTANCE}
        notices.append(Notice(say.NOT_A_DISTANCE, params))
        return DEFAULT_DISTANCE
    if int(value) > MAX_DISTANCE:
        notices.append(Notice(say.DISTANCE_CAPPED, {"form": form, "limit": MAX_DISTANCE}))
        return MAX_DISTANCE
    return int(value)


def wildcard_pattern(text: str) -> str | None:
    """A word with ``*`` or ``?`` inside, folded and lowercased like the exact field (its
    punctuation around trimmed), or None when it is no wildcard or has no letter."""
    word = text.replace("’", "'").strip("\"'()[]{},;:.!«»")
    if not _WILDCARD.search(word):
        return None
    pattern = fold(word).lower()
    if not re.sub(r"[*?]", "", pattern) or re.search(r"[^\w*?']", pattern):
        return None
    return pattern


def split_clauses(
    text: str,
) -> tuple[list[Split | NearOp | str], dict[str, str], list[Notice]]:
    """Clauses, OR markers and EVERY in order, filters by key, and notices about what was
    odd."""
    items: list[Split | NearOp | str] = []
    filters: dict[str, str] = {}
    notices: list[Notice] = []
    if text.count('"') % 2:
        notices.append(Notice(say.UNCLOSED_QUOTE))
    negate_next = False
    for match in _TOKEN.finditer(text):
        minus, key, quoted, tilde, bare = match.groups()
        near = _NEAR.fullmatch(bare or "")
        if key is None and not minus and near and (bare == "NEAR" or "/" in bare):
            items.append(NearOp(bare, near.group(1)))
            continue
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
        if quoted is None and not key and not negated and value.strip("*") == "":
            items.append(EVERY)  # ``*`` alone: every article (with the filters)
            continue
        if not value.strip("-*\"' "):
            continue
        phrase = quoted is not None
        items.append(Split(value, phrase, negated, key_l, tilde if phrase else None))
    return items, filters, notices


def _filters(filters: dict[str, str], notices: list[Notice]) -> tuple[list[Filter], str | None]:
    parts: list[Filter] = []
    lang = None
    for key, value in filters.items():
        if key == "lang":
            lang = value.lower()
            parts.append(LangIs(lang))
        elif key == "source":
            words = analyze_query(value, "xx", exact=True)
            if words:
                parts.append(SourceIs(tuple(words)))
        else:
            date = _date_filter(key, value)
            if date is None:
                notices.append(Notice(say.NOT_A_DATE, {"key": key, "value": value}))
            else:
                parts.append(date)
    return parts, lang


def matches_nothing(text: str, part: str | None, langs: list[str]) -> bool:
    """No chain of ``langs`` keeps a token of ``text``: nothing to search (the exact,
    unstemmed field still finds a word every language drops as a stop word, unless a part is
    named)."""
    if any(analyze_query(text, lang) for lang in langs):
        return False
    return part is not None or not analyze_query(text, "xx", exact=True)


def literal(node: Wildcard, langs: list[str]) -> tuple[Word | None, Notice]:
    """A wildcard that matches no word of the archive, as the word written: its ``*`` and
    ``?`` split it like any other punctuation (``USD*NUMBER`` → ``usd`` ``number``, the words
    of a text that wrote ``USD*NUMBER*``). None when nothing of it is searchable; the notice
    says what was done."""
    word = None if matches_nothing(node.text, None, langs) else Word(node.text)
    return word, Notice(say.WILDCARD_LITERAL, {"form": node.text})


def literal_wildcards(tree: QueryTree, matches: Callable[[Wildcard], bool]) -> QueryTree:
    """The tree with each wildcard that ``matches`` says matches no indexed word replaced by
    the word as written (:func:`literal`), with a notice: for an engine that expands
    wildcards itself (the parser had no vocabulary). Asks ``matches`` once per wildcard."""
    replaced: dict[Wildcard, Clause] = {}
    notices: list[Notice] = []

    def swap(node: Clause) -> Clause:
        if isinstance(node, Near):
            return Near(tuple(swap(part) for part in node.parts), node.slop)
        if not isinstance(node, Wildcard) or node.expansions is not None:
            return node
        if node not in replaced:
            replaced[node] = node
            if not matches(node):
                word, notice = literal(node, tree.langs)
                if word is not None:
                    replaced[node] = word
                    notices.append(notice)
        return replaced[node]

    def item(node: Clause | AnyOf) -> Clause | AnyOf:
        if isinstance(node, AnyOf):
            return AnyOf(tuple(swap(option) for option in node.options))
        return swap(node)

    tree.must = [item(node) for node in tree.must]
    tree.must_not = [swap(node) for node in tree.must_not]
    tree.notices = tree.notices + notices
    return tree


class _Clauses:
    """Turns split clauses into tree clauses, with the caps on expansions."""

    def __init__(self, langs: list[str], expand: Expand | None, within: Within | None) -> None:
        self.langs = langs
        self.expand = expand
        self.within = within
        self.notices: list[Notice] = []  # reported after the others, as they come
        self.expanded = 0  # prefix, wildcard and fuzzy terms used so far
        self.walked = 0  # vocabulary words read for patterns that start with a wildcard

    def _matches_nothing(self, text: str, part: str | None) -> bool:
        return matches_nothing(text, part, self.langs)

    def clause(self, item: Split) -> Clause | None:
        if item.phrase and item.distance is not None:
            return self.proximity(
                item.text, distance(f"~{item.distance}", item.distance, self.notices)
            )
        if not item.phrase:
            if (pattern := wildcard_pattern(item.text)) is not None:
                return self.wildcard(item.text, pattern)
            if item.text.endswith("*") and len(item.text) > 1:
                return self.prefix(item.text.rstrip("*"))
            if fuzzy := _FUZZY.fullmatch(item.text):
                return self.fuzzy(item.text, *fuzzy.groups())
        if self._matches_nothing(item.text, item.part):
            return None
        return (Phrase if item.phrase else Word)(item.text, item.part)

    def _expanded(self, folded: str) -> Iterator[str]:
        """The archive's words with the prefix, then with it after an elided article
        (``l'otan``: the exact field keeps the article, the stemmed fields strip it)."""
        assert self.expand is not None
        yield from self.expand(folded)
        if folded and "'" not in folded:
            for article in elided_articles(self.langs):
                yield from self.expand(f"{article}'{folded}")

    def _capped(self, terms: Iterable[str], form: str, capped: str) -> tuple[str, ...] | None:
        """The first terms within the caps (None when the caps are spent), with notices."""
        room = min(MAX_EXPANSIONS, MAX_EXPANSIONS_TOTAL - self.expanded)
        if room <= 0:
            if capped == say.PREFIX_CAPPED:
                self.notices.append(Notice(say.TOO_MANY_PREFIXES, {"stem": form[:-1]}))
            else:
                self.notices.append(Notice(say.TOO_MANY_PATTERNS, {"form": form}))
            return None
        expansions: list[str] = []
        for term in terms:
            expansions.append(term)
            if len(expansions) > room:
                expansions.pop()
                if capped == say.PREFIX_CAPPED:
                    params: dict[str, object] = {"stem": form[:-1], "limit": room}
                else:
                    params = {"form": form, "limit": room}
                self.notices.append(Notice(capped, params))
                break
        self.expanded += len(expansions)
        return tuple(expansions)

    def prefix(self, stem: str) -> Clause | None:
        folded = analyze_query(stem, "xx", exact=True)
        if len(folded) != 1:
            return None if self._matches_nothing(stem, None) else Word(stem)
        if self.expand is None:
            return Prefix(stem, folded[0])
        expansions = self._capped(self._expanded(folded[0]), f"{stem}*", say.PREFIX_CAPPED)
        return None if expansions is None else Prefix(stem, folded[0], expansions)

    def _walked(self, form: str) -> Iterator[str]:
        """The whole vocabulary, for a pattern that starts with a wildcard, as far as the
        query's budget of words walked allows (a notice says when it ran out)."""
        assert self.expand is not None
        for term in self.expand(""):
            if self.walked >= MAX_WALKED:
                self.notices.append(Notice(say.WALK_CAPPED, {"form": form, "limit": MAX_WALKED}))
                return
            self.walked += 1
            yield term

    def wildcard(self, text: str, pattern: str) -> Clause | None:
        if self.expand is None:
            return Wildcard(text, pattern)
        head = re.split(r"[*?]", pattern, maxsplit=1)[0]
        regex = re.compile(re.escape(pattern).replace(r"\*", ".*").replace(r"\?", "."))
        articles = set(elided_articles(self.langs))

        def bare(term: str) -> str:  # l'otan → otan (an elided article is not the word)
            article, _, rest = term.partition("'")
            return rest if rest and article in articles else term

        walked = self._expanded(head) if head else self._walked(text)
        terms = (t for t in walked if regex.fullmatch(bare(t)) or regex.fullmatch(t))
        expansions = self._capped(terms, text, say.PATTERN_CAPPED)
        if expansions is None:
            return None
        node = Wildcard(text, pattern, expansions)
        if expansions or (not head and self.walked >= MAX_WALKED):
            return node  # (a walk cut short proves nothing)
        word, notice = literal(node, self.langs)
        if word is None:
            return node
        self.notices.append(notice)
        return word

    def fuzzy(self, text: str, word: str, edits: str) -> Clause | None:
        folded = analyze_query(word, "xx", exact=True)
        if edits not in ("", "1", "2") or len(folded) != 1:
            if edits not in ("", "1", "2"):
                self.notices.append(Notice(say.NOT_FUZZY, {"form": text}))
            return None if self._matches_nothing(word, None) else Word(word)
        distance = int(edits) if edits else fuzzy_distance(folded[0])
        if self.within is None:
            return Fuzzy(word, folded[0], distance)
        within = self.within

        def found() -> Iterator[str]:  # looked up only when the caps leave room
            yield from sorted(set(within(folded[0], distance)), key=lambda t: (t != folded[0], t))

        expansions = self._capped(found(), text, say.PATTERN_CAPPED)
        return None if expansions is None else Fuzzy(word, folded[0], distance, expansions)

    def proximity(self, text: str, slop: int) -> Clause | None:
        """``"a b c"~N``: each word a part (a wildcard expanded), exact forms."""
        parts: list[Clause] = []
        for piece in text.split():
            if (pattern := wildcard_pattern(piece)) is not None:
                built = self.wildcard(piece, pattern)
            elif piece.endswith("*") and len(piece) > 1:
                built = self.prefix(piece.rstrip("*"))
            else:
                parts.extend(Word(token) for token in analyze_query(piece, "xx", exact=True))
                continue
            if built is not None:
                parts.append(built)
        if len(parts) < 2:
            return parts[0] if parts else None
        return Near(tuple(parts), slop)

    def near(self, left: Clause, right: Clause, op: NearOp) -> Near:
        slop = distance(op.form, op.value, self.notices)
        return Near((_unpart(left), _unpart(right)), slop)


def _unpart(clause: Clause) -> Clause:
    """A clause as a part of a proximity (matched on the exact forms of the whole article)."""
    if isinstance(clause, Word | Phrase) and clause.part:
        return type(clause)(clause.text)
    return clause


def parse_query(
    text: str,
    lang: str | None = None,
    *,
    langs: list[str] | None = None,
    expand: Expand | None = None,
    within: Within | None = None,
) -> QueryTree:
    """Parse a user query; never raises.

    ``lang`` (the request's language, else a ``lang:`` filter) restricts the languages
    searched; otherwise ``langs``, the languages the archive holds (all when not given).
    ``expand`` lists the archive's words with a prefix, ``within`` those within some edits of
    a word, for the capped expansions of prefixes, wildcards and fuzzy words; without them
    the engine expands these itself.
    """
    cleaned = normalize_query(text)
    items, filters, notices = split_clauses(cleaned)
    filter_parts, filter_lang = _filters(filters, notices)
    wanted = lang or filter_lang
    searched = [lang_key(wanted)] if wanted else (langs or list(LANGS))
    clauses = _Clauses(searched, expand, within)
    tree = QueryTree(text=cleaned, filters=filter_parts, langs=searched)
    pending_or = False
    pending_near: NearOp | None = None
    joinable = False  # the last clause stands alone in ``must``: NEAR may join it
    absorbed = False  # "* OR word": the word adds nothing to every article
    previous: Split | NearOp | str | None = None
    seen: set[tuple] = set()

    def near_alone(op: NearOp) -> None:
        clauses.notices.append(Notice(say.NEAR_ALONE, {"form": op.form}))

    for item in items:
        item_before, previous = previous, item
        if isinstance(item, NearOp):
            if pending_near is not None:
                near_alone(pending_near)
            pending_near = item if joinable and not pending_or else None
            if pending_near is None:
                near_alone(item)
            joinable = False
            continue
        if item == EVERY:
            tree.every = True
            if pending_or:  # "word OR *": the group is every article
                tree.must.pop()
            pending_or = joinable = False
            continue
        if isinstance(item, str):  # "OR"
            pending_or = bool(tree.must)
            absorbed = item_before == EVERY
            joinable = False
            continue
        if absorbed and not item.negated:
            absorbed = False
            continue
        op, pending_near = pending_near, None
        if op is not None and item.negated:
            near_alone(op)
            op = None
        key = (item.text.casefold(), item.phrase, item.negated, item.part)
        if key in seen and op is None:  # a repeated word adds cost, not meaning
            pending_or = joinable = False
            continue
        if len(seen) >= MAX_CLAUSES:
            notices.append(Notice(say.TOO_MANY_CLAUSES, {"limit": MAX_CLAUSES}))
            break
        seen.add(key)
        built = clauses.clause(item)
        joinable = False
        if built is None:
            if op is not None:
                near_alone(op)
            continue
        if item.negated:
            tree.must_not.append(built)
        elif op is not None:
            tree.must[-1] = clauses.near(tree.must[-1], built, op)  # type: ignore[arg-type]
            joinable = True
        elif pending_or:
            last = tree.must[-1]
            options = last.options if isinstance(last, AnyOf) else (last,)
            tree.must[-1] = AnyOf((*options, built))
        else:
            tree.must.append(built)
            joinable = True
        pending_or = False
    if pending_near is not None:
        near_alone(pending_near)
    tree.notices = notices + clauses.notices
    return tree
