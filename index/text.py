"""Pure text normalisation: bytes to text, and text to the one canonical form we store.

Typographic apostrophes (’) and guillemets (« ») are kept as written: folding them is the
analyzer's job, and the stored text is what readers see.
"""

from __future__ import annotations

import re
import unicodedata

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

_TRANSLATE = {ord(c): None for c in _INVISIBLE} | {ord(c): " " for c in _SPACES}

_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def normalize_text(text: str) -> str:
    """The canonical form of ``text``: NFC, no invisible characters, plain spaces, ``\\n`` lines.

    Trailing spaces of every line are removed; leading indentation is kept (page dumps use it
    to mark paragraphs). Idempotent: ``normalize_text(normalize_text(s)) == normalize_text(s)``.
    """
    text = _NEWLINES.sub("\n", text).replace(_PARAGRAPH_SEPARATOR, "\n\n")
    text = _CONTROLS.sub("", text.translate(_TRANSLATE))
    text = unicodedata.normalize("NFC", text)
    return "\n".join(line.rstrip(" \t") for line in text.split("\n"))


def decode_bytes(data: bytes) -> str:
    """Decode bytes that should be UTF-8 but may not be; never raises.

    UTF-8 first (BOM stripped). Invalid bytes, such as the stray halves of characters that
    ``lynx`` cut when wrapping lines, become U+FFFD. A text with a UTF-16 BOM is decoded as
    UTF-16; a text with no valid multi-byte UTF-8 sequence at all but some invalid bytes is
    taken for a legacy single-byte encoding and decoded as cp1252.
    """
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM) :]
    elif data.startswith(_UTF16_BOMS):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="replace")
    decoded_non_ascii = sum(1 for ch in text if ord(ch) > 127 and ch != "\ufffd")
    if decoded_non_ascii == 0:
        return data.decode("cp1252", errors="replace")
    return text
