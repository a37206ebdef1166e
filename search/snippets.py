"""Snippets: a passage of the article's own text plus the spans of the matched words.

A phrase of the query (``"Conseil OTAN-Russie"``) is shown where it occurs, as one span; its
words elsewhere are not marked (they are not what the phrase matched).

Search returns ``Snippet`` (text + spans, no HTML). ``to_html`` is the one function that turns
a snippet into HTML: it escapes every piece of article text and wraps matches in ``<mark>``.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from index.analysis import analyzer_for, lang_key
from index.analysis.tokenizers import WORD_PATTERN, WordTokenizer

ELLIPSIS = "…"
CONTEXT_BEFORE = 60  # characters of context kept before the first match of the window


@dataclass(frozen=True)
class Snippet:
    text: str
    spans: list[tuple[int, int]] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"text": self.text, "spans": [list(s) for s in self.spans]}


WordForms = tuple[tuple[int, int, str], ...]  # a word's analysed tokens, offsets in the word
_FORMS: dict[str, dict[str, WordForms]] = {}  # per analysis key: word → its forms
MAX_CACHED_FORMS = 200_000  # per analysis key


def _word_forms(analyzer, key: str, word: str) -> WordForms:
    """What the chain makes of one word, remembered: articles repeat their words, and the
    chain's filters cost a Python call each per token (a third of a query's time, py-spy)."""
    memo = _FORMS.setdefault(key, {})
    forms = memo.get(word)
    if forms is None:
        if len(memo) >= MAX_CACHED_FORMS:
            memo = _FORMS[key] = {}  # replaced, never cleared: other threads may be reading
        tokens = analyzer(word, chars=True, positions=True, removestops=True)
        forms = memo[word] = tuple((t.startchar, t.endchar, t.text) for t in tokens)
    return forms


def _tokens(text: str, lang: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, analysed form) of every token of ``text``, stop words left out."""
    analyzer = analyzer_for(lang)
    key = lang_key(lang)
    if key == "cjk":  # bigrams span words: the whole text goes through the chain
        for tok in analyzer(text, chars=True, positions=True, removestops=True):
            yield tok.startchar, tok.endchar, tok.text
        return
    for tok in analyzer.items[0](text, chars=True, positions=True, mode="index"):
        start = tok.startchar
        for rel_start, rel_end, form in _word_forms(analyzer, key, tok.text):
            yield start + rel_start, start + rel_end, form


def find_matches(text: str, lang: str, terms: set[str]) -> list[tuple[int, int, str]]:
    """(start, end, term) of every token of ``text`` whose analysed form is a query term."""
    if not terms or not text:
        return []
    analyzer = analyzer_for(lang)
    key = lang_key(lang)
    if key != "cjk" and type(analyzer.items[0]) is WordTokenizer:
        return _word_matches(text, analyzer, key, terms)
    return [token for token in _tokens(text, lang) if token[2] in terms]


def phrase_forms(phrases: Sequence[str], lang: str) -> dict[str, tuple[str, ...]]:
    """Each phrase of two words or more (one word is a plain term) → its analysed forms."""
    forms = {phrase: tuple(form for _, _, form in _tokens(phrase, lang)) for phrase in phrases}
    return {phrase: seq for phrase, seq in forms.items() if len(seq) > 1}


def find_phrases(text: str, lang: str, phrases: Sequence[str]) -> list[tuple[int, int, str]]:
    """(start, end, phrase) of every place where a phrase's words follow one another."""
    wanted = phrase_forms(phrases, lang)
    if not wanted or not text:
        return []
    # Only a phrase whose every word is in the text can occur (found cheaply): the text is
    # tokenized whole only then.
    present = {form for _s, _e, form in find_matches(text, lang, set().union(*wanted.values()))}
    wanted = {phrase: seq for phrase, seq in wanted.items() if present.issuperset(seq)}
    if not wanted:
        return []
    tokens = _all_tokens(text, lang)
    forms = [form for _, _, form in tokens]
    found = []
    for phrase, seq in wanted.items():
        size = len(seq)
        for i in range(len(forms) - size + 1):
            if forms[i] == seq[0] and tuple(forms[i : i + size]) == seq:
                found.append((tokens[i][0], tokens[i + size - 1][1], phrase))
    return sorted(found)


def query_matches(
    text: str, lang: str, terms: set[str], phrases: Sequence[str] = ()
) -> list[tuple[int, int, str]]:
    """The words and phrases of a query in ``text``: each phrase where it occurs as one match,
    the phrases' words on their own left out, every other term as a word match."""
    words = find_matches(text, lang, terms)
    if not phrases:
        return words
    in_phrases = {form for seq in phrase_forms(phrases, lang).values() for form in seq}
    loose = [m for m in words if m[2] not in in_phrases]
    return sorted(find_phrases(text, lang, phrases) + loose)


RunForms = tuple[tuple[int, int, str], ...]  # a run's tokens' forms, offsets in the run
MAX_CACHED_RUNS = 100_000  # per analysis key


class _Runs:
    """For one analysis key: the forms of each distinct run of non-space characters seen,
    and the runs that hold each form (to find a text's matching runs with set operations)."""

    def __init__(self) -> None:
        self.forms: dict[str, RunForms] = {}
        self.holding: dict[str, set[str]] = {}


_RUNS: dict[str, _Runs] = {}


def _runs(key: str) -> _Runs:
    runs = _RUNS.get(key)
    if runs is None or len(runs.forms) >= MAX_CACHED_RUNS:
        runs = _RUNS[key] = _Runs()  # replaced, never cleared: other threads may be reading
    return runs


def _analysed(analyzer, key: str, words: set[str]) -> dict[str, WordForms]:
    """``_word_forms`` of many words at once: the words not remembered go through the chain
    in one stream, the words joined by spaces (no token holds or looks across a space, and
    each of the chain's filters reads one token at a time: a word's tokens in the stream are
    those it gives alone). One analyzer call per word cost more in setting up the chain's
    generators than in the filters themselves."""
    memo = _FORMS.setdefault(key, {})
    found = {word: memo[word] for word in words if word in memo}
    missing = [word for word in words if word not in found]
    if not missing:
        return found
    starts = []
    at = 0
    for word in missing:
        starts.append(at)
        at += len(word) + 1
    tokens: list[list[tuple[int, int, str]]] = [[] for _ in missing]
    joined = " ".join(missing)
    for tok in analyzer(joined, chars=True, positions=True, removestops=True):
        i = bisect_right(starts, tok.startchar) - 1
        tokens[i].append((tok.startchar - starts[i], tok.endchar - starts[i], tok.text))
    if len(memo) + len(missing) > MAX_CACHED_FORMS:
        memo = _FORMS[key] = {}  # replaced, never cleared: other threads may be reading
    for word, forms in zip(missing, tokens, strict=True):
        found[word] = memo[word] = tuple(forms)
    return found


def _learn(runs: _Runs, analyzer, key: str, unseen: set[str]) -> None:
    """Remember the forms of each run of ``unseen`` (with the runs each form is found in)."""
    located = [
        (run, [(match.start(), match.group()) for match in WORD_PATTERN.finditer(run)])
        for run in unseen
    ]
    forms = _analysed(analyzer, key, {word for _run, words in located for _at, word in words})
    holding = runs.holding
    for run, words in located:
        entries = tuple(
            (start + rel_start, start + rel_end, form)
            for start, word in words
            for rel_start, rel_end, form in forms[word]
        )
        for _s, _e, form in entries:  # before ``forms``: a run found there is fully indexed
            holding.setdefault(form, set()).add(run)
        runs.forms[run] = entries


def _word_matches(text: str, analyzer, key: str, terms: set[str]) -> list[tuple[int, int, str]]:
    """``find_matches`` for chains that start with ``WordTokenizer``. Its tokens never hold a
    space, so each whitespace-separated run is tokenized on its own, once per distinct run
    (remembered), the runs holding a query term are found with set operations, and only they
    are located in the text: most of a body matches nothing, and the tokenizer's pattern
    costs ~0.2 µs a character."""
    runs = _runs(key)
    distinct = set(text.split())
    unseen = distinct.difference(runs.forms)
    if unseen:
        _learn(runs, analyzer, key, unseen)
    matching = distinct.intersection(set().union(*(runs.holding.get(t, ()) for t in terms)))
    located: list[tuple[int, list[tuple[int, int, str]]]] = []
    size = len(text)
    for run in matching:
        hits = [entry for entry in runs.forms[run] if entry[2] in terms]
        at = text.find(run)
        while at != -1:
            end = at + len(run)
            if (at == 0 or text[at - 1].isspace()) and (end == size or text[end].isspace()):
                located.append((at, hits))
            at = text.find(run, at + 1)
    located.sort(key=lambda item: item[0])
    return [(at + s, at + e, form) for at, hits in located for s, e, form in hits]


_RUN = re.compile(r"\S+")  # what ``str.split()`` splits out, with its offset


def _all_tokens(text: str, lang: str) -> list[tuple[int, int, str]]:
    """``list(_tokens(text, lang))``, assembled from the remembered runs where the chain
    starts with ``WordTokenizer`` (its tokens never span a space)."""
    analyzer = analyzer_for(lang)
    key = lang_key(lang)
    if key == "cjk" or type(analyzer.items[0]) is not WordTokenizer:
        return list(_tokens(text, lang))
    runs = _runs(key)
    located = [(match.start(), match.group()) for match in _RUN.finditer(text)]
    unseen = {run for _start, run in located}.difference(runs.forms)
    if unseen:
        _learn(runs, analyzer, key, unseen)
    found: list[tuple[int, int, str]] = []
    for start, run in located:
        entries = runs.forms[run]
        if entries:
            found.extend((start + s, start + e, form) for s, e, form in entries)
    return found


def _best_window(matches: list[tuple[int, int, str]], width: int, context: int) -> int:
    """Index of the match that starts the window holding the most distinct terms."""
    best, best_score = 0, (-1, -1)
    for i, (start, _end, _term) in enumerate(matches):
        inside = [m for m in matches[i:] if m[1] <= start + width - context]
        score = (len({m[2] for m in inside}), len(inside))
        if score > best_score:
            best, best_score = i, score
    return best


def _cut(text: str, start: int, end: int, context: int = CONTEXT_BEFORE) -> tuple[int, int]:
    """Move a window's edges to word boundaries (or a sentence start) inside the text."""
    if start > 0:
        sentence = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start))
        if sentence != -1 and start - sentence <= context:
            start = sentence + 1
        else:
            space = text.find(" ", start)
            start = space + 1 if space != -1 and space < end else start
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    while start < end and text[start].isspace():
        start += 1
    return start, end


def _window(text: str, matches: list[tuple[int, int, str]], width: int) -> tuple[int, int]:
    """The cut (start, end) of the ``width``-character window with the most distinct terms."""
    context = min(CONTEXT_BEFORE, width // 4)
    first = matches[_best_window(matches, width, context)][0]
    window_start = max(0, first - context)
    return _cut(text, window_start, min(len(text), window_start + width), context)


def make_snippet(
    text: str,
    lang: str,
    terms: set[str],
    width: int = 240,
    passages: int = 2,
    phrases: Sequence[str] = (),
) -> Snippet | None:
    """The best passage of ``text`` (about ``width`` characters) for the query terms and
    ``phrases``, plus a second, shorter one when it shows query terms the first does not."""
    matches = query_matches(text, lang, terms, phrases)
    if not matches:
        return None
    windows = [_window(text, matches, width)]
    shown = {t for s, e, t in matches if windows[0][0] <= s and e <= windows[0][1]}
    start0, end0 = windows[0]
    rest = [m for m in matches if m[2] not in shown and (m[0] >= end0 or m[1] <= start0)]
    if passages > 1 and rest:
        extra = _window(text, rest, width // 2)
        if extra[1] <= start0 or extra[0] >= end0:
            windows.append(extra)
    pieces: list[str] = []
    spans: list[tuple[int, int]] = []
    length = 0
    for start, end in sorted(windows):
        lead_in = ELLIPSIS if start > 0 else ""
        if pieces:
            lead_in = " " + ELLIPSIS + " " if not pieces[-1].endswith(ELLIPSIS) else " "
        offset = length + len(lead_in) - start
        spans += [(s + offset, e + offset) for s, e, _ in matches if s >= start and e <= end]
        pieces.append(lead_in + text[start:end].replace("\n", " "))
        length += len(pieces[-1])
        if end < len(text):
            pieces[-1] += ELLIPSIS
            length += len(ELLIPSIS)
    return Snippet("".join(pieces), spans)


def lead_snippet(text: str, width: int = 240) -> Snippet:
    """The opening of a text, cut at a word boundary, when it has no match to show."""
    if len(text) <= width:
        return Snippet(text.replace("\n", " "))
    _, end = _cut(text, 0, width)
    return Snippet(text[:end].replace("\n", " ") + ELLIPSIS)


def highlight_all(text: str, lang: str, terms: set[str], phrases: Sequence[str] = ()) -> Snippet:
    """The whole (short) text with every match marked (a phrase as one span): for titles."""
    return Snippet(text, [(s, e) for s, e, _ in query_matches(text, lang, terms, phrases)])


def merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping spans (CJK bigrams overlap by one character) become one."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def to_html(snippet: Snippet) -> str:
    """Escaped HTML of a snippet, each span wrapped in ``<mark>``."""
    out: list[str] = []
    pos = 0
    for start, end in merge_spans(snippet.spans):
        out.append(html.escape(snippet.text[pos:start]))
        out.append("<mark>" + html.escape(snippet.text[start:end]) + "</mark>")
        pos = end
    out.append(html.escape(snippet.text[pos:]))
    return "".join(out)
