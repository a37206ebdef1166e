"""The word tokenizer shared by every chain.

A token is a run of letters and digits (any script), with:

- combining marks kept inside the word (a decomposed *élève* or a Hindi word stays whole);
- internal apostrophes ``'`` ``’`` ``ʼ`` ``‘`` kept, so elision can see ``l’OTAN`` and
  ``aujourd'hui`` stays one word; a leading or trailing apostrophe is never part of a token;
- invisible joiners (soft hyphen U+00AD, ZWNJ, ZWJ, word joiner, U+FEFF) kept inside the word:
  they never split it (``SoftHyphenFilter`` drops them later; offsets still cover them);
- a ``.`` or ``,`` between two digits kept, so ``1,2`` ``3.5`` ``10.000`` are single tokens,
  written as in the source;
- everything else a separator: spaces (non-breaking ones too), punctuation, hyphens
  (``OTAN-Russie`` gives two tokens), underscores, symbols, emoji;
- CJK ideographs and kana emitted one character per token (these scripts do not put spaces
  between words; unigrams let a phrase query find a word without a dictionary).

Offsets (``startchar``/``endchar``) always index the original text given to the analyzer.
The tokenizer keeps no state, so it pickles to its import path only: a change here is a chain
change and bumps ``ANALYSIS_VERSION``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
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
# Glue inside a token: an apostrophe, or a decimal separator between two digits.
_GLUE = rf"(?:[{APOSTROPHES}]|(?<=\d)[.,](?=\d))"
WORD_PATTERN = re.compile(rf"[{_CJK}]{_MARK}*|{_WORD}(?:{_GLUE}{_WORD})*")


class WordTokenizer(Tokenizer):
    """Splits text into words (see the module docstring for the exact rules)."""

    stage = "tokenize"

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
        for pos, match in enumerate(WORD_PATTERN.finditer(value), start_pos):
            # One Token object is reused for the whole stream (Whoosh's convention).
            t.text = match.group()
            t.boost = 1.0
            t.stopped = False
            if keeporiginal:
                t.original = t.text
            if positions:
                t.pos = pos
            if chars:
                t.startchar = start_char + match.start()
                t.endchar = start_char + match.end()
            yield t
