"""Pure text normalisation: bytes to text, and text to the one canonical form we store.

Typographic apostrophes (’) and guillemets (« ») are kept as written: folding them is the
analyzer's job, and the stored text is what readers see.
"""

from __future__ import annotations

import re
import unicodedata

import charset_normalizer

# Invisible characters that only split or glue words: soft hyphen (U+00AD, "pre­mier"), zero-width
# space/non-joiner/joiner, word joiner, Mongolian vowel separator, and U+FEFF (a stray BOM).
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\u180e\ufeff"

# Every Unicode space separator other than the plain space (no-break U+00A0, narrow no-break
# U+202F, thin/en/em spaces U+2000-U+200A, ideographic U+3000, ...) becomes a plain space.
_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
_SPACES += "\u202f\u205f\u3000"

# Line and paragraph separators: \r\n and lone \r, NEL, vertical tab, form feed, U+2028/U+2029.
_NEWLINES = re.compile("\r\n|[\r\x0b\x0c\x85\u2028]")
_PARAGRAPH_SEPARATOR = "\u2029"

# C0/C1 control characters other than tab and newline (e.g. Reuters' \x03 end-of-text byte).
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")

# East Asian wide characters (Hangul, CJK, kana, fullwidth forms): two columns, about half a word.
WIDE_RE = re.compile(
    "[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf"
    "\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\U00020000-\U0003fffd]"
)

_TRANSLATE = {ord(c): None for c in _INVISIBLE} | {ord(c): " " for c in _SPACES}
_TRANSLATED = re.compile(f"[{_INVISIBLE}{_SPACES}]")  # translating is slow on non-ASCII text

# Byte order marks, longest first (the UTF-32-LE mark begins with the UTF-16-LE one).
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")
# A character that lynx cut at a line end: its lead byte(s) stand before the line break, and the
# last byte, which lynx read as a Latin-1 space (0xA0, no-break) or line break (0x85, NEL), is
# gone: "visant \xc3\n" was "visant à" (C3 A0), "которы\xd1\n" was "которых" (D1 85).
_CUT_CHARACTER = re.compile(rb"([\xc2-\xdf]|[\xe0-\xef][\x80-\xbf])(?=\r?\n)")
_LOST_BYTES = (b"\xa0", b"\x85")
# cp1252 is taken for Latin-script text: every byte it decodes is a letter or common punctuation,
# and accented letters are a minority inside words (Russian in cp1251 read as cp1252 is all
# accented letters: "Ãîðîäñêîé").
_CP1252_PUNCTUATION = frozenset("’‘“”«»–—…•°€£§·¿¡ªº©®\u00a0")
_MAX_ACCENTED_SHARE = 0.5


def normalize_text(text: str) -> str:
    """The canonical form of ``text``: NFC, no invisible characters, plain spaces, ``\\n`` lines.

    Trailing spaces of every line are removed; leading indentation is kept (page dumps use it
    to mark paragraphs). Idempotent: ``normalize_text(normalize_text(s)) == normalize_text(s)``.
    """
    text = _NEWLINES.sub("\n", text).replace(_PARAGRAPH_SEPARATOR, "\n\n")
    if _TRANSLATED.search(text):
        text = text.translate(_TRANSLATE)
    text = _CONTROLS.sub("", text)
    text = unicodedata.normalize("NFC", text)
    return "\n".join(line.rstrip(" \t") for line in text.split("\n"))


def decode_bytes(data: bytes) -> str:
    """Decode bytes that should be UTF-8 but may not be; never raises.

    In order: a byte order mark (UTF-8, UTF-16, UTF-32) decides; valid UTF-8 is UTF-8; text that
    is mostly UTF-8 with a few stray bytes (``lynx`` dumps: it cut characters when wrapping lines)
    stays UTF-8, with the cut characters restored when the rest of the text says which they were
    and U+FFFD for the other stray bytes; Latin-script text with no UTF-8 at all is cp1252 (a
    superset of Latin-1); anything else is what ``charset-normalizer`` detects, else UTF-8 with
    U+FFFD. Measured on the 89 invalid UTF-8 dumps of the benchmark corpus, charset-normalizer alone
    answers a legacy 8-bit encoding for 30 of them (every accent garbled) and nothing for 59.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    valid = len(_UTF8_SEQUENCE.findall(data))
    high = len(_HIGH_BYTE.findall(data))
    if valid and valid >= high - sum(map(len, _UTF8_SEQUENCE.findall(data))):
        return _decode_damaged_utf8(data)
    latin = data.decode("cp1252", errors="replace")
    if _plausible_latin(latin):
        return latin
    guess = charset_normalizer.from_bytes(data).best()
    if guess is not None:
        return str(guess)
    return data.decode("utf-8", errors="replace")


def _decode_damaged_utf8(data: bytes) -> str:
    """UTF-8 with stray bytes: restore characters cut at line ends, replace the rest."""
    rough = data.decode("utf-8", errors="replace")
    counts: dict[str, int] = {}

    def restore(match: re.Match[bytes]) -> bytes:
        candidates = []
        for lost in _LOST_BYTES:
            try:
                candidates.append((match.group(1) + lost).decode("utf-8"))
            except UnicodeDecodeError:
                continue
        for char in candidates:
            if char not in counts:
                counts[char] = rough.count(char)
        best = max(candidates, key=counts.__getitem__, default="")
        return best.encode("utf-8") if best and counts[best] else match.group(1)

    return _CUT_CHARACTER.sub(restore, data).decode("utf-8", errors="replace")


def _plausible_latin(text: str) -> bool:
    letters = accented = 0
    for ch in text:
        if ch.isascii():
            letters += ch.isalpha()
        elif ch.isalpha() and ch <= "\u017f":
            letters += 1
            accented += 1
        elif ch not in _CP1252_PUNCTUATION:
            return False
    return letters > 0 and accented <= _MAX_ACCENTED_SHARE * letters


def count_words(text: str) -> int:
    """Words in ``text``: those between spaces, plus one per two East Asian wide characters
    (Chinese and Japanese are written without spaces)."""
    return len(text.split()) + len(WIDE_RE.findall(text)) // 2


def text_width(line: str) -> int:
    """Columns ``line`` takes in a terminal: East Asian wide characters take two."""
    return len(line) + len(WIDE_RE.findall(line))


# "premières images.Ce véhicule": a word of two or more lowercase letters, a full stop (or ! ?)
# and a capitalised word with no space between. Abbreviations (U.S., e.g., M.Dupont) and
# domains (www.nato.int) do not fit this shape, so the evidence is clear.
# (The mark is looked for first, then the letters before it: far faster than the other way.)
_GLUED_SENTENCES = re.compile(r"([.!?])(?<=[^\W\d_]{2}[.!?])(?=[^\W\d_][^\W\d_])")


def unglue_sentences(text: str) -> str:
    """Put back the space between sentences that a scraper glued together."""

    def fix(match: re.Match) -> str:
        before = text[max(0, match.start() - 2) : match.start()]
        after = text[match.end() : match.end() + 2]
        if before.islower() and after[:1].isupper() and after[1:].islower():
            return match.group(1) + " "
        return match.group(1)

    return _GLUED_SENTENCES.sub(fix, text)
