"""Character normalisation as plain string functions (the filters in ``filters.py`` apply them).

They are kept apart from the filters so that the stop lists, the tests and the query side can
normalise a word exactly as a chain does, without building a token stream.
"""

from __future__ import annotations

import re
import unicodedata

from index.analysis.tokenizers import APOSTROPHES, JOINERS

__all__ = [
    "APOSTROPHE_TABLE",
    "JOINER_TABLE",
    "fold",
    "normalize_apostrophes",
    "normalize_arabic",
    "unify_arabic_letters",
]

APOSTROPHE_TABLE = str.maketrans({ch: "'" for ch in APOSTROPHES[1:]})
JOINER_TABLE = str.maketrans(dict.fromkeys(JOINERS))

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
# Two Cyrillic letters are letters of their own, not accented ones, and are kept: й/ў (и/у +
# breve U+0306). ё (е + diaeresis) and stress accents (U+0301) are dropped, as Russian
# search expects (ёлка = елка, молоко́ = молоко).
_DIACRITICS = re.compile("(?<![\u0418\u0438\u0423\u0443])\u0306|[\u0300-\u0305\u0307-\u036f]")

# non-ASCII words (~200 bytes each); indexing folds only what its memos miss (postings.py)
_FOLD_CACHE_SIZE = 20_000
_fold_cache: dict[str, str] = {}


def normalize_apostrophes(text: str) -> str:
    """Map the typographic apostrophes ’ ʼ ‘ to ``'``."""
    return text.translate(APOSTROPHE_TABLE)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.translate(_LETTER_MAP))
    return unicodedata.normalize("NFC", _DIACRITICS.sub("", text))


def fold(text: str) -> str:
    """Fold accents and ligatures: ``Crimée`` → ``Crimee``, ``manœuvre`` → ``manoeuvre``.

    NFKD splits letters from their accents (and expands compatibility forms such as ``ﬁ`` or
    full-width ``Ａ``); the Latin/Greek/Cyrillic accents are dropped (but not the breve of
    Cyrillic й); NFC then recomposes what is left, so Hangul syllables, Indic letters and
    Arabic letters with hamza come back whole. Results are cached: news vocabularies are
    Zipfian and Cyrillic, Arabic and CJK words are never ASCII.
    """
    if text.isascii():
        return text
    folded = _fold_cache.get(text)
    if folded is None:
        folded = _fold(text)
        if len(_fold_cache) >= _FOLD_CACHE_SIZE:
            _fold_cache.clear()
        _fold_cache[text] = folded
    return folded


# -- Arabic --------------------------------------------------------------------------------

# Tashkeel (harakat, tanween, shadda, sukun, the combining hamzas), the superscript alef, the
# honorific and Quranic annotation marks, and tatweel (the kashida that stretches a word).
_ARABIC_MARKS = [
    *range(0x0610, 0x061B), *range(0x064B, 0x0660), 0x0670, *range(0x06D6, 0x06DD),
    *range(0x06DF, 0x06E9), *range(0x06EA, 0x06EE), 0x0640,
]  # fmt: skip
_ARABIC_MAP = str.maketrans(
    {
        **dict.fromkeys(map(chr, _ARABIC_MARKS)),
        # Alef with hamza above/below, with madda, wasla and the wavy-hamza alefs → bare alef.
        "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "\u0672": "ا", "\u0673": "ا",
        "ک": "ك",  # Persian keheh, typed for kaf on Persian keyboards
        # Arabic-Indic and Eastern Arabic-Indic digits → 0-9 (٢٠١٤ = 2014), and the Arabic
        # decimal and thousands separators → . and , (١٫٥ = 1.5).
        "\u066b": ".", "\u066c": ",",
        **{chr(0x0660 + d): str(d) for d in range(10)},
        **{chr(0x06F0 + d): str(d) for d in range(10)},
    }
)  # fmt: skip
# Alef maksura and Persian yeh → yeh; teh marbuta → heh.
_ARABIC_LETTERS_MAP = str.maketrans({"ى": "ي", "ی": "ي", "ة": "ه"})


def normalize_arabic(text: str) -> str:
    """Drop tashkeel and tatweel, unify the alef forms (أ إ آ ٱ → ا) and the digits.

    ``مُحَمَّد`` → ``محمد``, ``أحمد`` → ``احمد``, ``قالـــت`` → ``قالت``, ``١٫٥`` → ``1.5``.
    Alef maksura and teh marbuta are left to :func:`unify_arabic_letters`: the stop list is
    matched before them (``على``, *on*, is a stop word; ``علي``, *Ali*, is a name).
    """
    return text.translate(_ARABIC_MAP)


def unify_arabic_letters(text: str) -> str:
    """``ى`` → ``ي`` and ``ة`` → ``ه``, the two spellings people swap when typing."""
    return text.translate(_ARABIC_LETTERS_MAP)
