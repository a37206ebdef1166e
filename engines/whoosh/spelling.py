"""Whoosh's spelling suggestion, with its edit distance skipped where it cannot succeed.

``ReaderCorrector.suggest(word, limit=1, maxdist, prefix)`` walks every term of the field
that shares the prefix (merging the segments' lexicons in Python) and computes a pure-Python
Damerau-Levenshtein distance for each (a few thousand on a large index: 100-200 ms for one
unknown word), then keeps the most frequent term within ``maxdist``. ``closest`` gives the
same answer with two shortcuts:

- a term is only compared when two lower bounds of the distance allow it: the difference of
  the lengths, and the letters one word has that the other lacks (counted with repeats: an
  insertion, deletion or substitution changes each count by one at most, a transposition not
  at all);
- the prefix's terms are listed once per reader (a reader never changes; a commit opens a
  new one).

Ties and order are Whoosh's: by frequency (an absent one counting as 1), then the greater
term. A single segment's reader has its own ``terms_within`` (a Levenshtein automaton: plain
Levenshtein, and quick): there, Whoosh's corrector answers as is.
"""

from __future__ import annotations

from collections import Counter

from whoosh.reading import IndexReader
from whoosh.support.levenshtein import distance

_MARK = "_manchette_prefix_terms"
MAX_PREFIXES = 512  # prefixes whose terms a reader keeps listed


def _terms(reader: IndexReader, fieldname: str, prefix: str) -> list[str]:
    listed: dict[tuple[str, str], list[str]] | None = getattr(reader, _MARK, None)
    if listed is None:
        listed = {}
        setattr(reader, _MARK, listed)
    key = (fieldname, prefix)
    found = listed.get(key)
    if found is None:
        field = reader.schema[fieldname]
        found = [field.from_bytes(b) for b in reader.expand_prefix(fieldname, prefix)]
        if len(listed) >= MAX_PREFIXES:
            listed.clear()
        listed[key] = found
    return found


def _letters_apart(letters: dict[str, int], size: int, other: str) -> int:
    """How many letters, at least, an edit sequence between a word of ``size`` letters
    (``letters``: each letter's count) and ``other`` must touch: the letters one has that the
    other lacks, counted with repeats, on the longer side (``max(size, len(other))`` less the
    letters they share; ``str.count`` per letter of the word, no ``Counter`` per term)."""
    shared = 0
    for letter, mine in letters.items():
        theirs = other.count(letter)
        shared += mine if mine < theirs else theirs
    return max(size, len(other)) - shared


def closest(
    reader: IndexReader, fieldname: str, word: str, maxdist: int, prefix: int
) -> str | None:
    """What ``reader.corrector(fieldname).suggest(word, limit=1, maxdist=maxdist,
    prefix=prefix)`` returns first, or None when it returns nothing."""
    if type(reader).terms_within is not IndexReader.terms_within:
        found = reader.corrector(fieldname).suggest(word, limit=1, maxdist=maxdist, prefix=prefix)
        return found[0] if found else None
    source = reader.schema[fieldname].spelling_fieldname(fieldname)
    size = len(word)
    letters = dict(Counter(word))
    best: tuple[float, str] | None = None
    for term in _terms(reader, source, word[:prefix]):
        if abs(len(term) - size) > maxdist or _letters_apart(letters, size, term) > maxdist:
            continue
        if distance(term, word, limit=maxdist) > maxdist:
            continue
        frequency = reader.frequency(fieldname, term) or 1
        found = (0 - (maxdist + (1.0 / frequency * 0.5)), term)
        if best is None or found > best:
            best = found
    return best[1] if best is not None else None
