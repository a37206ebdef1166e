"""A text field's postings without the token stream: one tokenisation, words analysed once.

``field.index(text)`` runs the field's chain token by token (a generator per filter, the
token rewritten in place at every stage), then Whoosh's format groups the tokens into items
``(term bytes, frequency, weight, encoded value)``. ``field_postings`` gives the very same
items, computed another way:

- the text is tokenised in one pass (``WORD_PATTERN.findall`` for the word tokenizer);
- each distinct word goes through the chain's own filters once, on a stream of one token, and
  the result (its term bytes, or ``None`` when a filter drops it) is remembered per chain;
- positions are the words' indices (a stop filter renumbers from the first kept word, as
  ``StopwordFilter`` does; a dropped word leaves a gap otherwise, as ``ArabicNormalizeFilter``
  does); frequencies and positions are grouped with dict operations, in first-seen order;
- values are encoded by the format itself (``Positions.encode``) or as ``Frequency`` does.

This holds because every filter of ``index.analysis`` rewrites or drops a token from its text
alone (``_PER_WORD``). A chain with any other filter, tokenizer or format, or a filter that
turns one token into several, falls back to ``field.index`` (the test of this module compares
both on every field and language). ``document_postings`` also shares the words between the
fields of one document: a text made of texts already tokenised, joined by white space (the
``exact`` field is the title, lead and body), reuses their words, since no token spans white
space nor looks across it.

The query side keeps the chains: this module only speeds up indexing.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field

from whoosh.analysis import CompositeAnalyzer, Filter, LowercaseFilter, Token
from whoosh.fields import FieldType
from whoosh.formats import Frequency, Positions
from whoosh.system import pack_uint

from index.analysis.filters import (
    ApostropheFilter,
    ArabicLetterFilter,
    ArabicNormalizeFilter,
    ConjunctionFilter,
    ElisionFilter,
    FoldFilter,
    FrenchEndingFilter,
    NasalEndingFilter,
    PossessiveFilter,
    RefoldFilter,
    SnowballFilter,
    SoftHyphenFilter,
    StopwordFilter,
    TaMarbutaFilter,
)
from index.analysis.tokenizers import (
    WORD_PATTERN,
    CJKBigramTokenizer,
    SpanTokenizer,
    WordTokenizer,
)

__all__ = ["Item", "document_postings", "field_postings", "words"]

Item = tuple[bytes, int, float, bytes]

# Filters that rewrite a token's text, or drop the token, from that text alone.
_PER_WORD: frozenset[type] = frozenset(
    {
        ApostropheFilter, ArabicLetterFilter, ArabicNormalizeFilter, ConjunctionFilter,
        ElisionFilter, FoldFilter, FrenchEndingFilter, LowercaseFilter, NasalEndingFilter,
        PossessiveFilter,
        RefoldFilter, SnowballFilter, SoftHyphenFilter, StopwordFilter, TaMarbutaFilter,
    }
)  # fmt: skip
# Of those, the ones that drop tokens (the others always pass them on).
_DROPPING: frozenset[type] = frozenset({StopwordFilter, ArabicNormalizeFilter})
_TOKENIZERS: frozenset[type] = frozenset({WordTokenizer, CJKBigramTokenizer})
# Words remembered, all chains together (~140 bytes each: ~28 MB; 100,000 saved ~10 MB of the
# parsing process on the full corpus but cost ~6 % of its time there). One budget, not one per
# chain: a parsing process analyses a dozen chains (three text fields per language, the exact
# fields), and 100,000 words per chain grew it by ~100 MB on the full corpus. The memos are
# two generations: when this one's words reach half the budget, the older is dropped and this
# one becomes it; a word of the older generation met again moves to this one. So the words in
# use stay, and starting all over (as one memo that filled did) is not paid again and again.
MEMO_LIMIT = 200_000
# The budget of the process that writes while a parse worker analyses ahead
# (``index.parallel``): it analyses only the articles that boilerplate learned after the worker
# prepared them, and 200,000 words there held ~14 MB of the full corpus's peak; 40,000 hold
# ~4 MB and cost no measurable time (``doc/decisions.md``).
WRITER_MEMO_LIMIT = 40_000
_GAP = re.compile(r"\s+")
# The encoded value of a single position, per encoder (a format's ``encode`` depends on the
# positions only), for positions below the limit.
_ONCE: dict[object, dict[int, bytes]] = {}
_ONCE_LIMIT = 1 << 16


class _Unsupported(Exception):
    """A filter gave several tokens for one word: the chain is run as it is."""


@dataclass(eq=False)
class _Plan:
    """What the fast path needs of one chain: its tokenizer, its filters, how it counts
    positions, and the terms of the words seen lately (``memo``, then ``older``)."""

    tokenizer: SpanTokenizer
    filters: tuple[Filter, ...]
    renumber: bool  # a stop filter numbers the kept words consecutively from the first one
    memo: dict[str, bytes | None] = field(default_factory=dict)
    older: dict[str, bytes | None] = field(default_factory=dict)


# id(analyzer) → (the analyzer, kept alive so that its id is not reused; its plan or None).
_plans: dict[int, tuple[object, _Plan | None]] = {}


def _make_plan(analyzer: object) -> _Plan | None:
    if not isinstance(analyzer, CompositeAnalyzer) or not analyzer.items:
        return None
    tokenizer, *filters = analyzer.items
    if type(tokenizer) not in _TOKENIZERS or any(type(f) not in _PER_WORD for f in filters):
        return None
    stops = [i for i, f in enumerate(filters) if type(f) is StopwordFilter]
    if stops and any(type(f) in _DROPPING for f in filters[stops[0] + 1 :]):
        return None  # a gap after renumbering: not modelled
    return _Plan(tokenizer, tuple(filters), renumber=bool(stops))


def _plan(analyzer: object) -> _Plan | None:
    found = _plans.get(id(analyzer))
    if found is None:
        found = _plans[id(analyzer)] = (analyzer, _make_plan(analyzer))
    return found[1]


def words(tokenizer: SpanTokenizer, text: str) -> list[str]:
    """The token texts ``tokenizer`` gives for ``text``, in order."""
    if type(tokenizer) is WordTokenizer and WORD_PATTERN.groups == 0:
        return WORD_PATTERN.findall(text)
    return [text[start:end] for start, end in tokenizer.spans(text)]


def _run(filters: tuple[Filter, ...], found: Iterable[str]) -> dict[str, bytes | None]:
    """The term the filters make of each word (UTF-8, as Whoosh stores it), None if dropped.

    One stream carries all the words, one token at a time: every filter here passes on or
    drops the token it was given before it asks for the next, so a token leaving the chain is
    the word the source gave last.
    """
    token = Token(positions=False, chars=False, removestops=True, mode="index")
    terms: dict[str, bytes | None] = {}
    current = [""]

    def source() -> Iterator[Token]:
        for word in found:
            current[0] = word
            terms[word] = None
            token.text = word
            token.boost = 1.0
            token.stopped = False
            yield token

    stream: Iterable[Token] = source()
    for f in filters:
        stream = f(stream)
    for t in stream:
        word = current[0]
        if t.stopped:
            continue
        if terms[word] is not None:
            raise _Unsupported(word)
        terms[word] = t.text.encode("utf-8")
    return terms


def _live_plans() -> list[_Plan]:
    return [plan for _analyzer, plan in list(_plans.values()) if plan is not None]


def memo_words() -> int:
    """Words the memos of all chains remember, both generations (at most ``MEMO_LIMIT``)."""
    return sum(len(plan.memo) + len(plan.older) for plan in _live_plans())


@contextmanager
def memo_limit(words: int) -> Iterator[None]:
    """Within the block, the memos of all chains remember at most ``words`` words (both
    generations); what they hold beyond that is dropped on the way in and on the way out."""
    global MEMO_LIMIT
    before = MEMO_LIMIT
    MEMO_LIMIT = words
    _fit_words()
    try:
        yield
    finally:
        MEMO_LIMIT = before
        _fit_words()


def _fit_words() -> None:
    """Drop generations until the memos hold at most ``MEMO_LIMIT`` words, this one at most
    half of them (as ``_terms`` keeps them)."""
    for _ in range(2):
        if sum(len(plan.memo) for plan in _live_plans()) <= MEMO_LIMIT // 2 and (
            memo_words() <= MEMO_LIMIT
        ):
            return
        _age_words()


def _age_words() -> None:
    """Every chain's memo becomes its older generation (the older one dropped): new dicts
    rather than ``clear()``, as another thread may be reading an old one."""
    for plan in _live_plans():
        plan.older, plan.memo = plan.memo, {}


def _terms(plan: _Plan, found: list[str]) -> list[bytes | None]:
    """The term of each word, through the plan's memos (all within ``MEMO_LIMIT``)."""
    memo = plan.memo
    missing = set(found).difference(memo)
    if missing:
        if sum(len(p.memo) for p in _live_plans()) + len(missing) > MEMO_LIMIT // 2:
            _age_words()
            memo = plan.memo
            missing = set(found)
        older = plan.older
        again = {word: older[word] for word in missing if word in older}
        memo.update(again)
        if len(again) < len(missing):
            memo.update(_run(plan.filters, missing.difference(again)))
    return list(map(memo.__getitem__, found))


def _frequency_items(fmt: Frequency, terms: list[bytes | None]) -> list[Item]:
    counts = Counter(terms)
    counts.pop(None, None)
    boost = fmt.field_boost
    return [
        (term, n, float(n) * boost, pack_uint(n)) for term, n in counts.items() if term is not None
    ]


def _positions_items(fmt: Positions, terms: list[bytes | None], renumber: bool) -> list[Item]:
    if renumber:
        kept = [term for term in terms if term is not None]
        start = next((i for i, term in enumerate(terms) if term is not None), 0)
        numbered: Iterable[tuple[int, bytes | None]] = enumerate(kept, start)
    else:
        numbered = enumerate(terms)
    grouped: defaultdict[bytes | None, list[int]] = defaultdict(list)
    for pos, term in numbered:
        grouped[term].append(pos)
    grouped.pop(None, None)  # dropped words (first-seen order of the others is kept)
    boost = fmt.field_boost
    encode = fmt.encode
    once = _ONCE.get(type(fmt).encode)
    if once is None:
        once = _ONCE[type(fmt).encode] = {}
    items: list[Item] = []
    for term, found in grouped.items():
        if term is None:
            continue
        if len(found) == 1:
            # Most words occur once: their value depends on that position only.
            pos = found[0]
            value = once.get(pos)
            if value is None:
                value = encode(found)
                if pos < _ONCE_LIMIT:
                    once[pos] = value
            items.append((term, 1, 1.0 * boost, value))
        else:
            items.append((term, len(found), float(len(found)) * boost, encode(found)))
    return items


def _items(ftype: FieldType, plan: _Plan, found: list[str]) -> list[Item]:
    terms = _terms(plan, found)
    if type(ftype.format) is Positions:
        return _positions_items(ftype.format, terms, plan.renumber)
    return _frequency_items(ftype.format, terms)


def _fast_plan(ftype: FieldType, text: object) -> _Plan | None:
    if not isinstance(text, str) or type(ftype.format) not in (Frequency, Positions):
        return None
    return _plan(getattr(ftype, "analyzer", None))


def field_postings(ftype: FieldType, text: str) -> list[Item]:
    """``list(ftype.index(text))``, computed without running the chain token by token."""
    plan = _fast_plan(ftype, text)
    if plan is not None:
        try:
            return _items(ftype, plan, words(plan.tokenizer, text))
        except _Unsupported:
            pass
    return list(ftype.index(text))


def _composed(text: str, pieces: list[tuple[str, list[str]]]) -> list[str] | None:
    """The words of ``text`` when it is made of ``pieces`` (texts and their words) separated
    by white space, else None. No token holds or looks across white space (tested), so a
    piece between white space (or the ends) has the same words inside the text as alone."""
    found: list[str] = []
    pos, end = 0, len(text)
    gap = _GAP.match(text)
    if gap:
        pos = gap.end()
    while pos < end:
        for piece, piece_words in pieces:
            if not text.startswith(piece, pos):
                continue
            after = pos + len(piece)
            gap = _GAP.match(text, after)
            if after == end or gap:
                found += piece_words
                pos = gap.end() if gap else end
                break
        else:
            return None
    return found


def document_postings(
    fields: Mapping[str, FieldType], values: Mapping[str, str]
) -> dict[str, list[Item]]:
    """``field_postings`` of each ``(name, text)`` of ``values``, each text tokenised once
    per tokenizer kind, and a text joined from the others (white space between them) not
    tokenised again."""
    tokenised: dict[type, dict[str, list[str]]] = {}
    out: dict[str, list[Item]] = {}
    # Shorter texts first: a longer one may be joined from them.
    for name in sorted(values, key=lambda n: len(values[n])):
        ftype, text = fields[name], values[name]
        plan = _fast_plan(ftype, text)
        if plan is None:
            out[name] = list(ftype.index(text))
            continue
        known = tokenised.setdefault(type(plan.tokenizer), {})
        found = known.get(text)
        if found is None:
            pieces = [(piece, w) for piece, w in known.items() if piece]
            found = _composed(text, pieces) if pieces else None
            if found is None:
                found = words(plan.tokenizer, text)
            known[text] = found
        try:
            out[name] = _items(ftype, plan, found)
        except _Unsupported:
            out[name] = list(ftype.index(text))
    return {name: out[name] for name in values}
