"""Small named token filters, composed with ``|`` by ``chains.py``.

Whoosh pickles analyzers into the index on every commit, so these classes live at stable
import paths and keep nothing in their state but a language code: stop lists are read from
package data and stemmers are created lazily, per thread, in module-level caches. Renaming or
moving a class, or changing what one does, is a chain change: bump ``ANALYSIS_VERSION``.

Every filter mutates the single reused ``Token`` in place (Whoosh's convention) and yields it.
Filters that shorten a token from the left or right (elision, possessive) move its
``startchar``/``endchar`` too; they must run while the token text still has the length of its
source span, i.e. before ``SoftHyphenFilter`` and lowercasing (``"İ".lower()`` is 2 chars).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterator
from functools import cache
from importlib.resources import files
from typing import Any, ClassVar

import snowballstemmer
from whoosh.analysis import Filter, Token

from index.analysis.tokenizers import APOSTROPHES, JOINERS

# -- character normalisation ---------------------------------------------------------------

_APOSTROPHE_MAP = str.maketrans({ch: "'" for ch in APOSTROPHES[1:]})
_JOINER_MAP = str.maketrans(dict.fromkeys(JOINERS))

# Letters that Unicode does not decompose into base + accent.
_LETTER_MAP = str.maketrans(
    {
        "œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "ẞ": "SS",
        "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "ı": "i",
        "ð": "d", "Ð": "D", "þ": "th", "Þ": "TH", "ħ": "h", "Ħ": "H",
        "ŀ": "l", "Ŀ": "L",
    }
)  # fmt: skip
# The Combining Diacritical Marks block: the accents of Latin, Greek and Cyrillic letters.
# Marks of other scripts (Indic vowel signs, viramas, kana voicing) are part of the letter.
_DIACRITICS = re.compile("[\u0300-\u036f]")


def normalize_apostrophes(text: str) -> str:
    """Map the typographic apostrophes ’ ʼ ‘ to ``'``."""
    return text.translate(_APOSTROPHE_MAP)


def fold(text: str) -> str:
    """Fold accents and ligatures: ``Crimée`` → ``Crimee``, ``manœuvre`` → ``manoeuvre``.

    NFKD splits letters from their accents (and expands compatibility forms such as ``ﬁ``);
    the Latin/Greek/Cyrillic accents are dropped; NFC then recomposes what is left, so Hangul
    syllables and Indic letters come back whole.
    """
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKD", text.translate(_LETTER_MAP))
    return unicodedata.normalize("NFC", _DIACRITICS.sub("", text))


class ApostropheFilter(Filter):
    """``l’OTAN`` → ``l'OTAN``: one apostrophe for elision, stop lists and queries."""

    stage: ClassVar[str] = "apostrophe"

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            t.text = t.text.translate(_APOSTROPHE_MAP)
            yield t


class SoftHyphenFilter(Filter):
    """``pre\\u00admier`` → ``premier``: drop soft hyphens and other invisible joiners."""

    stage: ClassVar[str] = "soft_hyphen"

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            t.text = t.text.translate(_JOINER_MAP)
            yield t


class FoldFilter(Filter):
    """Accent and ligature folding (see :func:`fold`)."""

    stage: ClassVar[str] = "fold"

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            t.text = fold(t.text)
            yield t


# -- elision and possessives -----------------------------------------------------------

ELISIONS: dict[str, frozenset[str]] = {
    "fr": frozenset(
        {"l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu"}
    ),
}
_HEAD = re.compile(rf"([^\W\d_]+)[{APOSTROPHES}]")


class ElisionFilter(Filter):
    """French elision: ``l'OTAN`` → ``OTAN``, ``jusqu’à`` → ``à``.

    The token's ``startchar`` moves past the article, so a highlight reads ``l'<mark>OTAN</mark>``.
    Only the first article is removed (``jusqu'aujourd'hui`` → ``aujourd'hui``).
    """

    stage: ClassVar[str] = "elision"

    def __init__(self, lang: str = "fr") -> None:
        if lang not in ELISIONS:
            raise ValueError(f"no elision list for language {lang!r}")
        self.lang = lang

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        articles = ELISIONS[self.lang]
        for t in tokens:
            text = t.text
            head = _HEAD.match(text)
            if head and head.end() < len(text) and head.group(1).lower() in articles:
                t.text = text[head.end() :]
                if t.chars:
                    t.startchar += head.end()
            yield t


class PossessiveFilter(Filter):
    """English possessive: ``Obama's`` → ``Obama`` (``endchar`` moves back too)."""

    stage: ClassVar[str] = "possessive"

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            text = t.text
            if len(text) > 2 and text[-2] in APOSTROPHES and text[-1] in "sS":
                t.text = text[:-2]
                if t.chars:
                    t.endchar -= 2
            yield t


# -- stop words ----------------------------------------------------------------------------


@cache
def load_stopwords(lang: str) -> frozenset[str]:
    """The stop list of ``lang`` from ``stopwords/<lang>.txt``, lowercased and folded.

    The file holds one word per line, written with its accents; ``#`` starts a comment.
    The words are folded because the stop filter runs after ``FoldFilter``.
    """
    resource = files("index.analysis") / "stopwords" / f"{lang}.txt"
    words = set()
    for line in resource.read_text(encoding="utf-8").splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            words.add(fold(normalize_apostrophes(word).lower()))
    return frozenset(words)


class StopwordFilter(Filter):
    """Removes the words of an explicit per-language list (``stopwords/<lang>.txt``).

    Positions are renumbered over the removed words, because Whoosh's phrase query expects the
    words of a phrase at consecutive positions: "avions de l'été" then matches a query phrase
    that loses the same stop words. With ``removestops=False`` (highlighting) stop words pass
    through marked ``stopped``.
    """

    stage: ClassVar[str] = "stop"

    def __init__(self, lang: str) -> None:
        load_stopwords(lang)  # fail now, not at the first document, on a missing list
        self.lang = lang

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        stops = load_stopwords(self.lang)
        pos: int | None = None
        for t in tokens:
            if t.text not in stops:
                if t.positions:
                    pos = t.pos if pos is None else pos + 1
                    t.pos = pos
                t.stopped = False
                yield t
            elif not t.removestops:
                t.stopped = True
                yield t


# -- stemming ------------------------------------------------------------------------------

SNOWBALL_NAMES = {"fr": "french", "en": "english"}
_STEM_CACHE_SIZE = 200_000
_stem_caches: dict[str, dict[str, str]] = {}
_local = threading.local()


def _stemmer(algorithm: str) -> Any:
    """This thread's stemmer for ``algorithm`` (PyStemmer objects are not thread-safe)."""
    stemmers = _local.__dict__.setdefault("stemmers", {})
    stemmer = stemmers.get(algorithm)
    if stemmer is None:
        stemmer = stemmers[algorithm] = snowballstemmer.stemmer(algorithm)
    return stemmer


class SnowballFilter(Filter):
    """Snowball stemming (PyStemmer's C code when installed), with a word → stem cache.

    Only the language is kept in the state: a PyStemmer object cannot be pickled, and Whoosh
    pickles the analyzer into the index on every commit.
    """

    stage: ClassVar[str] = "stem"
    is_morph = True

    def __init__(self, lang: str) -> None:
        algorithm = SNOWBALL_NAMES.get(lang, lang)
        if algorithm not in snowballstemmer.algorithms():
            raise ValueError(f"no Snowball stemmer for language {lang!r}")
        self.lang = lang

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        algorithm = SNOWBALL_NAMES.get(self.lang, self.lang)
        cache = _stem_caches.setdefault(algorithm, {})
        stem_word = None
        for t in tokens:
            if t.stopped:  # kept only for highlighting (removestops=False): leave it as is
                yield t
                continue
            text = t.text
            stem = cache.get(text)
            if stem is None:
                if stem_word is None:
                    stem_word = _stemmer(algorithm).stemWord
                stem = stem_word(text)
                if len(cache) >= _STEM_CACHE_SIZE:
                    cache.clear()
                cache[text] = stem
            t.text = stem
            yield t
