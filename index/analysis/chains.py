"""The analysis chain of each language, built from the named filters with ``|``.

Every chain starts the same way::

    tokenize → apostrophe → [elision (fr, it) | possessive (en, nl)] → soft_hyphen → lowercase
    → fold

then the stemmed chain (the default) adds ``stop → stem``; the exact chain stops there (it
keeps stop words and inflected forms, for exact matching). Arabic normalises its letters after
folding and prepares words for its stemmer; Portuguese and French restore suffixes for theirs.
``cjk`` (Chinese, Japanese, Korean) pairs characters into bigrams and has no stop list and no
stemmer; neither has ``xx``, the fallback for languages without a chain of their own: their
two chains are equal.

Accents are folded BEFORE stemming in every language (measured, see each builder): Snowball
then joins the accented and unaccented spellings, so a query typed without accents finds the
text.
"""

from __future__ import annotations

from collections.abc import Callable

from whoosh.analysis import CompositeAnalyzer, Filter, LowercaseFilter, Tokenizer

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
from index.analysis.tokenizers import CJKBigramTokenizer, WordTokenizer


def _front(trim: Filter | None = None, tokenizer: Tokenizer | None = None) -> CompositeAnalyzer:
    """The shared start of every chain, up to folding (the whole exact chain of most languages)."""
    # ORDER: the apostrophe is normalised first so that elision, possessives and the stop lists
    # see one apostrophe whatever the source typed (’ ʼ ‘).
    chain = (tokenizer or WordTokenizer()) | ApostropheFilter()
    if trim is not None:
        # ORDER: elision/possessive move the token offsets by the length of what they cut, so
        # they run while the token text still has exactly the length of its source span:
        # before soft hyphens are dropped and before lowercasing ("İ".lower() has 2 chars).
        chain = chain | trim
    # ORDER: fold BEFORE stemming: Snowball then joins accented and unaccented spellings
    # (French sécurité/securite → securit, 16 of 17 measured pairs; 13 of 17 folding after).
    return chain | SoftHyphenFilter() | LowercaseFilter() | FoldFilter()


def _build(lang: str, trim: Filter | None, exact: bool) -> CompositeAnalyzer:
    chain = _front(trim)
    if exact:
        return chain
    # ORDER: stop words after fold (the lists are folded when loaded, so "à" matches "a") and
    # before stemming (a stem could collide with a stop word: "été" must not stem into one).
    return chain | StopwordFilter(lang) | SnowballFilter(lang)


def build_french(exact: bool = False) -> CompositeAnalyzer:
    chain = _front(ElisionFilter("fr"))
    if exact:
        return chain
    # ORDER: folding first, as everywhere (an unaccented query meets the accented text), then
    # the accents of -ée(s), -ière(s) and -ité(s) put back for Snowball, whose rules for these
    # suffixes are written with them, and the stem folded again. Measured on the French corpus:
    # Snowball's own conflations kept 98.2% (85.2% folding alone: égorgé/égorgées,
    # routier/routière stemmed apart), accented words meet their unaccented spelling 100%.
    return (
        chain | StopwordFilter("fr") | FrenchEndingFilter() | SnowballFilter("fr") | RefoldFilter()
    )


def build_english(exact: bool = False) -> CompositeAnalyzer:
    return _build("en", PossessiveFilter(), exact)


def build_german(exact: bool = False) -> CompositeAnalyzer:
    # Snowball German folds ä ö ü ß (and ae oe ue) itself: folding before or after the stem
    # made the same 21 of 21 measured pairs meet (Müller/Muller/Mueller → mull, Straße/Strasse
    # → strass); on 10kGNAD 100% of umlaut words meet their unaccented spelling folding before,
    # 99.8% after. Compounds are not split.
    return _build("de", None, exact)


def build_spanish(exact: bool = False) -> CompositeAnalyzer:
    # Folding before: 25 of 25 measured pairs meet (después/despues → despu) against 23 folding
    # after; on the Spanish corpus 100% of accented words meet their unaccented spelling
    # (82% after), at the cost of 1.8% of Snowball's conflations (tenía no longer meets tener).
    return _build("es", None, exact)


def build_portuguese(exact: bool = False) -> CompositeAnalyzer:
    chain = _front()
    if exact:
        return chain
    # Folding before: 27 of 27 pairs meet (24 after); on Fake.br 100% of accented words meet
    # their unaccented spelling (77% after). ORDER: the nasal stage (-ões → -ão, -ção put back
    # for Snowball's rules) runs after the stop list and before the stemmer; the stem is folded
    # again after it. Measured on the Fake.br vocabulary: ão/ões pairs meet 100% (0% without the
    # nasal stage), Snowball's own conflations kept 99.4% (96.3%).
    return (
        chain | StopwordFilter("pt") | NasalEndingFilter() | SnowballFilter("pt") | RefoldFilter()
    )


def build_italian(exact: bool = False) -> CompositeAnalyzer:
    # Elision like French (l' dell' all' un' quest' c' ...). Folding before: 21 of 21 measured
    # pairs meet (città/citta → citt, verità/verita → ver) against 20 folding after.
    return _build("it", ElisionFilter("it"), exact)


def build_dutch(exact: bool = False) -> CompositeAnalyzer:
    # 's of plurals and genitives (auto's, Obama's) is cut like the English possessive.
    # Folding before: 14 of 14 measured pairs meet (financiële/financiele) against 12 after.
    return _build("nl", PossessiveFilter(), exact)


def build_russian(exact: bool = False) -> CompositeAnalyzer:
    # Folding turns ё into е and drops stress accents but keeps й (see normalize.fold).
    # Snowball Russian maps ё → е itself: before and after are equal (100% on the raw pages).
    return _build("ru", None, exact)


def build_arabic(exact: bool = False) -> CompositeAnalyzer:
    # ORDER: normalize_ar after fold (fold turns presentation forms such as ﻻ into letters).
    chain = _front() | ArabicNormalizeFilter()
    if exact:
        return chain | ArabicLetterFilter()
    # ORDER: the stop list is matched before ى → ي (على "on" is a stop word, علي "Ali" a name).
    # Then ta_marbuta and conjunction prepare the word for Snowball, and must follow letters_ar.
    # Measured on the SaudiNewsNet vocabulary: hamza-less alef, ى/ي and ة/ه spellings meet
    # 100%, 98.9%, 99.9% (Snowball alone: 90%, 0.2%, 44%); و/ف + ال words meet their ال-form
    # 98.5% (0%); Snowball's own conflations kept 97.9%. Normalising ة → ه before Snowball
    # without ta_marbuta split المنطقة from منطقة (conflations kept 89.6%).
    return (
        chain
        | StopwordFilter("ar")
        | ArabicLetterFilter()
        | TaMarbutaFilter()
        | ConjunctionFilter()
        | SnowballFilter("ar")
    )


def build_cjk(exact: bool = False) -> CompositeAnalyzer:
    # Bigrams, no stop list, no stemmer: the exact and stemmed chains are equal.
    return _front(tokenizer=CJKBigramTokenizer())


def build_fallback(exact: bool = False) -> CompositeAnalyzer:
    return _front()


# The registry: one builder per language key of ``LANGS``.
BUILDERS: dict[str, Callable[[bool], CompositeAnalyzer]] = {
    "fr": build_french,
    "en": build_english,
    "de": build_german,
    "es": build_spanish,
    "pt": build_portuguese,
    "it": build_italian,
    "nl": build_dutch,
    "ru": build_russian,
    "ar": build_arabic,
    "cjk": build_cjk,
    "xx": build_fallback,
}
