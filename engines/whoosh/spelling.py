"""Whoosh's spelling suggestion, with its edit distance skipped where it cannot succeed.

``ReaderCorrector.suggest(word, limit=1, maxdist, prefix)`` computes a pure-Python
Damerau-Levenshtein distance for every term of the field that shares the prefix (a few
thousand on a large index: 200 ms for one unknown word), then keeps the most frequent term
within ``maxdist``. A term whose length differs from the word's by more than ``maxdist`` is
never within it (each edit changes the length by one at most), so ``closest`` skips those
before computing anything, and otherwise ranks exactly as Whoosh does: by frequency (an
absent one counting as 1), ties to the greater term.

A single segment's reader has its own ``terms_within`` (a Levenshtein automaton: plain
Levenshtein, and quick): there, Whoosh's corrector answers as is.
"""

from __future__ import annotations

from whoosh.reading import IndexReader
from whoosh.support.levenshtein import distance


def closest(
    reader: IndexReader, fieldname: str, word: str, maxdist: int, prefix: int
) -> str | None:
    """What ``reader.corrector(fieldname).suggest(word, limit=1, maxdist=maxdist,
    prefix=prefix)`` returns first, or None when it returns nothing."""
    if type(reader).terms_within is not IndexReader.terms_within:
        found = reader.corrector(fieldname).suggest(word, limit=1, maxdist=maxdist, prefix=prefix)
        return found[0] if found else None
    fieldobj = reader.schema[fieldname]
    source = fieldobj.spelling_fieldname(fieldname)
    source_field = reader.schema[source]
    size = len(word)
    best: tuple[float, str] | None = None
    for btext in reader.expand_prefix(source, word[:prefix]):
        term = source_field.from_bytes(btext)
        if abs(len(term) - size) > maxdist or distance(term, word, limit=maxdist) > maxdist:
            continue
        frequency = reader.frequency(fieldname, term) or 1
        found = (0 - (maxdist + (1.0 / frequency * 0.5)), term)
        if best is None or found > best:
            best = found
    return best[1] if best is not None else None
