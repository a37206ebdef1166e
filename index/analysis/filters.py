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
from collections.abc import Callable, Iterator
from functools import cache
from importlib.resources import files
from typing import Any, ClassVar

import snowballstemmer
from whoosh.analysis import Filter, Token

from index.analysis.normalize import (
    APOSTROPHE_TABLE,
    JOINER_TABLE,
    fold,
    normalize_apostrophes,
    normalize_arabic,
    unify_arabic_letters,
)
from index.analysis.tokenizers import APOSTROPHES

# ``fold`` and ``normalize_apostrophes`` were defined here first and are still imported from here.
__all__ = ["fold", "load_stopwords", "normalize_apostrophes"]

# -- character normalisation ---------------------------------------------------------------


class TextFilter(Filter):
    """A filter that rewrites each token's text (``convert``), token by token."""

    def convert(self, text: str) -> str:
        raise NotImplementedError

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            t.text = self.convert(t.text)
            yield t


class ApostropheFilter(TextFilter):
    """``l’OTAN`` → ``l'OTAN``: one apostrophe for elision, stop lists and queries."""

    stage: ClassVar[str] = "apostrophe"

    def convert(self, text: str) -> str:
        return text.translate(APOSTROPHE_TABLE)


class SoftHyphenFilter(TextFilter):
    """``pre\\u00admier`` → ``premier``: drop soft hyphens and other invisible joiners."""

    stage: ClassVar[str] = "soft_hyphen"

    def convert(self, text: str) -> str:
        return text.translate(JOINER_TABLE)


class FoldFilter(TextFilter):
    """Accent and ligature folding (see :func:`fold`)."""

    stage: ClassVar[str] = "fold"

    def convert(self, text: str) -> str:
        # ORDER: runs after lowercasing; compatibility forms fold to capitals (``ᴴ``, ``ℋ`` →
        # ``H``), so the folded token is lowercased again (the stemmers expect lowercase and
        # emptied ``H``: found by the analyzer property test).
        return fold(text).lower()


class RefoldFilter(FoldFilter):
    """Folding again after a stage that may put accents back (Portuguese ``NasalEndingFilter``)."""

    stage: ClassVar[str] = "refold"


# -- elision and possessives -----------------------------------------------------------

ELISIONS: dict[str, frozenset[str]] = {
    "fr": frozenset(
        {"l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu"}
    ),
    # Articles, articulated prepositions, un' and the demonstratives, c' (c'è), d' and the
    # clitic pronouns. Not sant' or bell': the elided word is a content word there.
    "it": frozenset(
        {
            "l", "un", "dell", "all", "dall", "nell", "sull", "coll", "pell", "quest", "quell",
            "gl", "degl", "agl", "dagl", "negl", "sugl", "c", "d", "m", "t", "s", "v", "n",
        }
    ),
}  # fmt: skip
_HEAD = re.compile(rf"([^\W\d_]+)[{APOSTROPHES}]")


class ElisionFilter(Filter):
    """Elision (French, Italian): ``l'OTAN`` → ``OTAN``, ``jusqu’à`` → ``à``, ``dell’UE`` → ``UE``.

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
    """Possessive (English) and plural/genitive (Dutch) ``'s``: ``Obama's`` → ``Obama``.

    Dutch writes ``auto's`` (cars) → ``auto``. The ``endchar`` moves back too.
    """

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


# What a chain does to a word, beyond lowercasing and folding, before its stop filter.
_STOP_NORMALIZERS: dict[str, Callable[[str], str]] = {"ar": normalize_arabic}


@cache
def load_stopwords(lang: str) -> frozenset[str]:
    """The stop list of ``lang`` from ``stopwords/<lang>.txt``, normalised like the tokens.

    The file holds one word per line, written with its accents; ``#`` starts a comment.
    The words are lowercased and folded (and, for Arabic, normalised) because the stop filter
    runs after those stages.
    """
    resource = files("index.analysis") / "stopwords" / f"{lang}.txt"
    extra = _STOP_NORMALIZERS.get(lang)
    words = set()
    for line in resource.read_text(encoding="utf-8").splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            word = fold(normalize_apostrophes(word).lower())
            words.add(extra(word) if extra else word)
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

SNOWBALL_NAMES = {
    "fr": "french", "en": "english", "de": "german", "es": "spanish", "pt": "portuguese",
    "it": "italian", "nl": "dutch", "ru": "russian", "ar": "arabic",
}  # fmt: skip
# A full cache starts again. Indexing stems only the words its memo (postings.py) misses: a
# larger cache held the memo's words twice (200,000: ~150 MB in the parsing process). One
# cache per language: 10,000 words (~1.5 MB) each.
_STEM_CACHE_SIZE = 10_000
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


# -- Portuguese ----------------------------------------------------------------------------

_NASAL_ENDING = re.compile(r"(c?)(?:ao|oes)$")


def _nasal(match: re.Match[str]) -> str:
    return "ção" if match[1] else "ao"


class NasalEndingFilter(Filter):
    """Portuguese ``-ão``/``-ões`` after folding: plural to singular, ``-ção`` put back.

    ``nacoes`` → ``nação``, ``informacao`` → ``informação``, ``milhoes`` → ``milhao``.
    Snowball's rules for these suffixes are written with ç and ã: after folding, ``informação``
    and ``informações`` stem apart (``informaca``, ``informaco``); restored, both stem to
    ``inform`` like ``informou``. Snowball never joins -ão with -ões; this stage does. A folded
    word ending in *-cao*, *-coes* or *-oes* is one of these, so the unaccented query meets the
    accented text. Measured on Fake.br: ão/ões pairs meet 100% (0% without this stage) and
    Snowball's own conflations are kept 99.4% (96.3%). ``RefoldFilter`` follows the stem.
    """

    stage: ClassVar[str] = "nasal"
    is_morph = True

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            text = t.text
            if len(text) > 4 and text.endswith(("ao", "oes")):
                t.text = _NASAL_ENDING.sub(_nasal, text)
            yield t


# -- French ------------------------------------------------------------------------------

# A folded token's ending that was an accented suffix of Snowball French: -ée(s), -ière(s),
# -ité(s), after at least two letters.
_FRENCH_ENDING = re.compile(r"(?<=\w\w)(?:(e)e|(i)ere|(it)e)(s?)$")


def _french_ending(match: re.Match[str]) -> str:
    if match[1]:
        return "ée" + match[4]
    if match[2]:
        return "ière" + match[4]
    return "ité" + match[4]


class FrenchEndingFilter(Filter):
    """French ``-ee``/``-iere``/``-ite`` (and plurals) after folding: the accent put back.

    ``egorgees`` → ``egorgées``, ``routiere`` → ``routière``, ``municipalites`` →
    ``municipalités``. Snowball's rules for these suffixes are written with their accents
    (``ée ées`` end participles, ``ière`` is ``ier``'s feminine, ``ité`` a noun suffix): after
    folding they no longer look like suffixes, so ``égorgées`` stemmed to ``egorge`` and
    ``égorgé`` to ``egorg``, ``routière`` to ``routier`` and ``routier`` to ``routi``. Put back
    on the folded word, they stem as Snowball stems the accented word, whether the accent was
    typed or not (the unaccented query still meets the accented text). Measured on the French
    corpus (``doc/relevance.md``): Snowball's own conflations kept 98.2% (85.2% without this
    stage), every accented word still meets its unaccented spelling. ``RefoldFilter`` follows
    the stem.
    """

    stage: ClassVar[str] = "ending_fr"
    is_morph = True

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            text = t.text
            if len(text) > 4 and text[-1] in "es":
                t.text = _FRENCH_ENDING.sub(_french_ending, text)
            yield t


# -- Arabic --------------------------------------------------------------------------------


class ArabicNormalizeFilter(Filter):
    """Tashkeel and tatweel dropped, alef forms and digits unified (see :func:`normalize_arabic`).

    A token made only of tatweel or marks normalises to nothing and is dropped.
    """

    stage: ClassVar[str] = "normalize_ar"

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            text = normalize_arabic(t.text)
            if text:
                t.text = text
                yield t


class ArabicLetterFilter(TextFilter):
    """``ى`` → ``ي``, ``ة`` → ``ه`` (see :func:`unify_arabic_letters`)."""

    stage: ClassVar[str] = "letters_ar"

    def convert(self, text: str) -> str:
        return unify_arabic_letters(text)


# A definite word (ال, with an optional و/ف and ب/ك/ل before it, or لل) of 2+ letters ending in ه.
# Two letters at least between article and ه keep الله, بالله, والله ... out.
_DEFINITE_HEH = re.compile("^(?:[وف]?[بكل]?ال|[وف]?لل)..+ه$")


class TaMarbutaFilter(Filter):
    """A definite noun's final ``ه`` is a teh marbuta: ``المنطقه`` → ``المنطقة``, before stemming.

    ``ArabicLetterFilter`` writes every ``ة`` as ``ه`` (people type either). Snowball strips a
    final ``ه`` as the pronoun *his* but not after the article (*al-…-hu* is not Arabic), so
    ``المنطقه`` would stem to ``منطقه`` and miss ``منطقة`` → ``منطق``. After ``ال`` a final ``ه``
    is the feminine ending (measured on SaudiNewsNet: ة/ه spellings meet 99.9% instead of 46%).
    """

    stage: ClassVar[str] = "ta_marbuta"
    is_morph = True

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            text = t.text
            if text[-1] == "ه" and _DEFINITE_HEH.match(text):
                t.text = text[:-1] + "ة"
            yield t


# و/ف (and, so) before the article, with 3+ letters after it: والحكومة, not والد (father).
_CONJUNCTION = re.compile("^[وف](?=ال...)")


class ConjunctionFilter(Filter):
    """``والحكومة`` → ``الحكومة``: the conjunction before the article, which Snowball keeps.

    Snowball Arabic strips و/ف before some prefixes but not before ``ال``, so ``والحكومة`` never
    met ``الحكومة`` (2.3% of the words of SaudiNewsNet start so; 98.5% now meet their ال-form).
    The offsets are not moved: like a stem, the token still stands for the whole word.
    """

    stage: ClassVar[str] = "conjunction"
    is_morph = True

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            text = t.text
            if text[0] in "وف" and _CONJUNCTION.match(text):
                t.text = text[1:]
            yield t
