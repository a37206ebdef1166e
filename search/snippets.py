"""Snippets: a passage of the article's own text plus the spans of the matched words.

Search returns ``Snippet`` (text + spans, no HTML). ``to_html`` is the one function that turns
a snippet into HTML: it escapes every piece of article text and wraps matches in ``<mark>``.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from index.analysis import analyzer_for

ELLIPSIS = "…"
CONTEXT_BEFORE = 60  # characters of context kept before the first match of the window


@dataclass(frozen=True)
class Snippet:
    text: str
    spans: list[tuple[int, int]] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"text": self.text, "spans": [list(s) for s in self.spans]}


def find_matches(text: str, lang: str, terms: set[str]) -> list[tuple[int, int, str]]:
    """(start, end, term) of every token of ``text`` whose analysed form is a query term."""
    if not terms or not text:
        return []
    analyzer = analyzer_for(lang)
    return [
        (tok.startchar, tok.endchar, tok.text)
        for tok in analyzer(text, chars=True, positions=True, removestops=True)
        if tok.text in terms
    ]


def _best_window(matches: list[tuple[int, int, str]], width: int) -> int:
    """Index of the match that starts the window holding the most distinct terms."""
    best, best_score = 0, (-1, -1)
    for i, (start, _end, _term) in enumerate(matches):
        inside = [m for m in matches[i:] if m[1] <= start + width - CONTEXT_BEFORE]
        score = (len({m[2] for m in inside}), len(inside))
        if score > best_score:
            best, best_score = i, score
    return best


def _cut(text: str, start: int, end: int) -> tuple[int, int]:
    """Move a window's edges to word boundaries (or a sentence start) inside the text."""
    if start > 0:
        sentence = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start))
        if sentence != -1 and start - sentence <= CONTEXT_BEFORE:
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


def make_snippet(text: str, lang: str, terms: set[str], width: int = 240) -> Snippet | None:
    """The passage of ``text`` (about ``width`` characters) with the most query terms."""
    matches = find_matches(text, lang, terms)
    if not matches:
        return None
    first = matches[_best_window(matches, width)][0]
    window_start = max(0, first - CONTEXT_BEFORE)
    start, end = _cut(text, window_start, min(len(text), window_start + width))
    prefix = ELLIPSIS if start > 0 else ""
    suffix = ELLIPSIS if end < len(text) else ""
    passage = text[start:end].replace("\n", " ")
    offset = len(prefix) - start
    spans = [(s + offset, e + offset) for s, e, _ in matches if s >= start and e <= end]
    return Snippet(prefix + passage + suffix, spans)


def lead_snippet(text: str, width: int = 240) -> Snippet:
    """The opening of a text, cut at a word boundary, when it has no match to show."""
    if len(text) <= width:
        return Snippet(text.replace("\n", " "))
    _, end = _cut(text, 0, width)
    return Snippet(text[:end].replace("\n", " ") + ELLIPSIS)


def highlight_all(text: str, lang: str, terms: set[str]) -> Snippet:
    """The whole (short) text with every match marked: used for titles."""
    return Snippet(text, [(s, e) for s, e, _ in find_matches(text, lang, terms)])


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
