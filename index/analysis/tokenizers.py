"""The word tokenizer shared by every chain.

A token is a run of letters and digits (any script), with:

- combining marks kept inside the word (a decomposed *élève* or a Hindi word stays whole);
- internal apostrophes ``'`` ``’`` ``ʼ`` ``‘`` kept, so elision can see ``l’OTAN`` and
  ``aujourd'hui`` stays one word; a leading or trailing apostrophe is never part of a token;
- invisible joiners (soft hyphen U+00AD, ZWNJ, ZWJ, word joiner, U+FEFF) kept inside the word:
  they never split it (``SoftHyphenFilter`` drops them later; offsets still cover them);
- a ``.`` or ``,`` (or the Arabic ``٫`` ``٬``) between two digits kept, so ``1,2`` ``3.5``
  ``10.000`` are single tokens, written as in the source;
- everything else a separator: spaces (non-breaking ones too), punctuation, hyphens
  (``OTAN-Russie`` gives two tokens), underscores, symbols, emoji;
- CJK ideographs and kana emitted one character per token (these scripts do not put spaces
  between words; unigrams let a phrase query find a word without a dictionary).

``CJKBigramTokenizer``, the tokenizer of the ``cjk`` chain (Chinese, Japanese, Korean), emits
overlapping bigrams instead (see its docstring).

Offsets (``startchar``/``endchar``) always index the original text given to the analyzer.
The tokenizer keeps no state, so it pickles to its import path only: a change here is a chain
change and bumps ``ANALYSIS_VERSION``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from itertools import pairwise
from typing import Any

from whoosh.analysis import Token, Tokenizer

APOSTROPHES = "'\u2019\u02bc\u2018"
JOINERS = "\u00ad\u200c\u200d\u2060\ufeff"
# Han (with extension A and compatibility ideographs), hiragana and katakana.
_CJK = "\u3041-\u3096\u309d-\u309f\u30a1-\u30fa\u30fc-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"


def _mark_ranges() -> str:
    """A character-class body covering the combining marks that ``\\w`` does not match."""
    ranges: list[list[int]] = []
    for cp in range(0x20000):
        ch = chr(cp)
        if unicodedata.category(ch)[0] == "M" and not ch.isalnum():
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1][1] = cp
            else:
                ranges.append([cp, cp])
    return "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
        for a, b in ranges
    )


_LETTER = rf"[^\W_{_CJK}]"
_MARK = f"[{_mark_ranges()}]"
_JOINER = f"[{JOINERS}]"
# A word: letters/digits, with marks after them and joiners between them (never trailing).
# Written as runs (L+, M+, J+L+) rather than one alternation per character: 3x faster.
_WORD = rf"{_LETTER}+(?:{_MARK}+{_LETTER}*|{_JOINER}+{_LETTER}+)*"
# Glue inside a token: an apostrophe, or a decimal or thousands separator between two digits
# (also the Arabic ones, U+066B and U+066C: ١٫٥).
_GLUE = rf"(?:[{APOSTROPHES}]|(?<=\d)[.,\u066b\u066c](?=\d))"
WORD_PATTERN = re.compile(rf"[{_CJK}]{_MARK}*|{_WORD}(?:{_GLUE}{_WORD})*")

# The characters the cjk chain pairs into bigrams: Han (all extensions, compatibility
# ideographs), hiragana, katakana (with its phonetic extensions and half-width forms), 々 〆 〇,
# Hangul syllables and compatibility jamo. Everything else is tokenized as by ``WORD_PATTERN``.
CJK_CHARS = (
    f"{_CJK}\u3005-\u3007\u31f0-\u31ff\uff66-\uff9d\uac00-\ud7a3\u3131-\u318e\U00020000-\U0003134f"
)
# Combining marks, and the half-width voicing marks ﾞ ﾟ, stay with the character before them.
_CJK_MARK = f"{_MARK[:-1]}\uff9e\uff9f]"
_CJK_LETTER = rf"[^\W_{CJK_CHARS}\uff9e\uff9f]"
_CJK_WORD = rf"{_CJK_LETTER}+(?:{_MARK}+{_CJK_LETTER}*|{_JOINER}+{_CJK_LETTER}+)*"
_CJK_UNIT = rf"[{CJK_CHARS}]{_CJK_MARK}*"
# A run of CJK characters (each with its marks), or a word of any other script.
CJK_PATTERN = re.compile(rf"(?P<run>(?:{_CJK_UNIT})+)|{_CJK_WORD}(?:{_GLUE}{_CJK_WORD})*")
_CJK_UNIT_PATTERN = re.compile(_CJK_UNIT)
_ANY_CJK_MARK = re.compile(_CJK_MARK)


class SpanTokenizer(Tokenizer):
    """A Whoosh tokenizer over the ``(start, end)`` spans ``spans()`` finds in a text: one
    ``Token`` object reused for the whole stream (Whoosh's convention), offsets into the
    original text, consecutive positions."""

    stage = "tokenize"

    def spans(self, value: str) -> Iterator[tuple[int, int]]:
        raise NotImplementedError

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            # Whoosh asks for the whole value as one term (e.g. range endpoints).
            t.text = value
            if keeporiginal:
                t.original = value
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar, t.endchar = start_char, start_char + len(value)
            yield t
            return
        for pos, (start, end) in enumerate(self.spans(value), start_pos):
            t.text = value[start:end]
            t.boost = 1.0
            t.stopped = False
            if keeporiginal:
                t.original = t.text
            if positions:
                t.pos = pos
            if chars:
                t.startchar = start_char + start
                t.endchar = start_char + end
            yield t


class WordTokenizer(SpanTokenizer):
    """Splits text into words (see the module docstring for the exact rules)."""

    def spans(self, value: str) -> Iterator[tuple[int, int]]:
        return (match.span() for match in WORD_PATTERN.finditer(value))


class CJKBigramTokenizer(SpanTokenizer):
    """Overlapping bigrams over runs of CJK characters; other words as ``WordTokenizer`` does.

    ``東京都に行く`` → ``東京 京都 都に に行 行く`` at consecutive positions, each with the offsets
    of its two characters, so a query analysed the same way matches as a phrase (``"東京都"``
    → ``東京 京都``) without a dictionary. A run of one character stays a unigram. Hangul
    runs (one Korean word between spaces) are paired the same way: ``한국어`` → ``한국 국어``.
    Latin words and numbers in CJK text are single tokens (``iPhone``, ``2014``).
    """

    def spans(self, value: str) -> Iterator[tuple[int, int]]:
        return _cjk_spans(value)


def _cjk_spans(value: str) -> Iterator[tuple[int, int]]:
    """The (start, end) of each token of ``CJKBigramTokenizer``, in order."""
    for match in CJK_PATTERN.finditer(value):
        start, end = match.span()
        if match.lastgroup != "run" or end - start == 1:
            yield start, end
        elif _ANY_CJK_MARK.search(value, start, end) is None:
            # One character per unit (the usual case): pair each with the next.
            for i in range(start, end - 1):
                yield i, i + 2
        else:
            units = [m.span() for m in _CJK_UNIT_PATTERN.finditer(value, start, end)]
            if len(units) == 1:
                yield start, end
            for (a, _), (_, b) in pairwise(units):
                yield a, b
