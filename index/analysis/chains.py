"""The analysis chain of each language, built from the named filters with ``|``.

Every chain starts the same way::

    tokenize → apostrophe → [elision (fr) | possessive (en)] → soft_hyphen → lowercase → fold

then the stemmed chain (the default) adds ``stop → stem``; the exact chain stops there (it
keeps stop words and inflected forms, for exact matching). ``xx``, the fallback for languages
without a chain of their own, has no stop list and no stemmer, so its two chains are equal.
"""

from __future__ import annotations

from collections.abc import Callable

from whoosh.analysis import CompositeAnalyzer, Filter, LowercaseFilter

from index.analysis.filters import (
    ApostropheFilter,
    ElisionFilter,
    FoldFilter,
    PossessiveFilter,
    SnowballFilter,
    SoftHyphenFilter,
    StopwordFilter,
)
from index.analysis.tokenizers import WordTokenizer


def _build(lang: str, trim: Filter | None, exact: bool) -> CompositeAnalyzer:
    # ORDER: the apostrophe is normalised first so that elision, possessives and the stop lists
    # see one apostrophe whatever the source typed (’ ʼ ‘).
    chain = WordTokenizer() | ApostropheFilter()
    if trim is not None:
        # ORDER: elision/possessive move the token offsets by the length of what they cut, so
        # they run while the token text still has exactly the length of its source span:
        # before soft hyphens are dropped and before lowercasing ("İ".lower() has 2 chars).
        chain = chain | trim
    # ORDER: fold BEFORE stemming: Snowball French then joins accented and unaccented spellings
    # (sécurité/securite → securit, 16 of 17 measured pairs; 13 of 17 folding after).
    chain = chain | SoftHyphenFilter() | LowercaseFilter() | FoldFilter()
    if exact or lang == "xx":
        return chain
    # ORDER: stop words after fold (the lists are folded when loaded, so "à" matches "a") and
    # before stemming (a stem could collide with a stop word: "été" must not stem into one).
    return chain | StopwordFilter(lang) | SnowballFilter(lang)


def build_french(exact: bool = False) -> CompositeAnalyzer:
    return _build("fr", ElisionFilter("fr"), exact)


def build_english(exact: bool = False) -> CompositeAnalyzer:
    return _build("en", PossessiveFilter(), exact)


def build_fallback(exact: bool = False) -> CompositeAnalyzer:
    return _build("xx", None, exact)


# The registry: one builder per language key of ``LANGS``.
BUILDERS: dict[str, Callable[[bool], CompositeAnalyzer]] = {
    "fr": build_french,
    "en": build_english,
    "xx": build_fallback,
}
