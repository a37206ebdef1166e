"""'Did you mean': which words of a query may be respelled, into what, and the corrected query.

Each engine looks the words up in its own vocabulary; what is looked up, which candidate is
kept, and how the corrections are put back into the query, is decided here:

- only a word no language of the archive knows is respelled (``coopérer`` is known in French
  through its stem, even when the exact form is not in the archive);
- the candidate is at most as far as ``word~`` allows (one edit, two for long words), shares
  the word's first letters, and belongs to the query's own language(s): those of its other,
  known words, or the language the query is restricted to (``Poutine`` is not respelled
  into the English ``Posting``);
- the engine offers the corrected query only when it finds more than the query did.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from index.analysis import analyze_query
from search.parse import fuzzy_distance
from search.tree import Clause, Near, Phrase, QueryTree, Word

SUGGEST_BELOW = 3  # suggest a spelling when a query finds fewer hits than this
SUGGEST_MIN_CHARS = 4  # shorter words are not respelled
SUGGEST_PREFIX = 2  # suggestions keep the word's first two letters
SUGGEST_CANDIDATES = 5  # the closest candidates tried per word, best first

Languages = Callable[[str], set[str]]  # a word → the languages whose vocabulary holds it
Candidates = Callable[[str, int], Iterable[str]]  # folded word, edits → close words, best first


def _words_of(clause: Clause) -> list[str]:
    if isinstance(clause, Near):
        return [w for part in clause.parts for w in _words_of(part)]
    if isinstance(clause, Word | Phrase):
        return re.findall(r"\w+", clause.text)
    return []  # prefixes, wildcards and fuzzy words already ask for variants


def near_words(near: Near) -> list[str]:
    """The plain words of a proximity, as typed (what ranks it besides its exact forms)."""
    return _words_of(near)


def query_words(tree: QueryTree) -> list[str]:
    """The words of the searched clauses, as typed (not excluded ones, not patterns)."""
    return [w for item in tree.positive_clauses() for w in _words_of(item)]


def suggestion_words(tree: QueryTree) -> list[tuple[str, str]]:
    """Each word worth respelling, as typed and as the exact field holds it (folded): words
    of the searched clauses, not excluded, not prefixes, long enough, one token each."""
    words: list[tuple[str, str]] = []
    for word in query_words(tree):
        folded = analyze_query(word, "xx", exact=True)  # remembered: words recur
        if len(word) >= SUGGEST_MIN_CHARS and len(folded) == 1:
            words.append((word, folded[0]))
    return words


def max_edits(folded: str) -> int:
    """How far a suggestion may be from the word: as far as ``word~`` reaches."""
    return fuzzy_distance(folded)


def query_languages(tree: QueryTree, languages_of: Languages) -> set[str] | None:
    """The languages the query is written in: those of its known words, else the one it is
    restricted to; None when nothing tells (any language then)."""
    known: set[str] = set()
    for word in query_words(tree):
        known |= languages_of(word)
    if known:
        return known
    return set(tree.langs) if len(tree.langs) == 1 else None


def corrections(
    tree: QueryTree, languages_of: Languages, candidates: Candidates
) -> list[tuple[str, str]]:
    """(word, correction) for each unknown word that has a close word in the query's
    language(s)."""
    found = []
    langs: set[str] | None = None
    asked = False  # the query's languages, asked once a candidate needs them
    for word, folded in suggestion_words(tree):
        if languages_of(word):
            continue  # a word of the archive's languages, not a typo
        for candidate in candidates(folded, max_edits(folded)):
            if candidate == folded:
                continue
            if not asked:
                langs, asked = query_languages(tree, languages_of), True
            if langs is None or languages_of(candidate) & langs:
                found.append((word, candidate))
                break
    return found


def corrected_query(text: str, corrections: list[tuple[str, str]]) -> str | None:
    """The query with each word replaced by its correction (capitalised like the word), or
    None when nothing was corrected."""
    changed = False
    for word, better in corrections:
        better = better.capitalize() if word[:1].isupper() else better
        text = re.sub(rf"\b{re.escape(word)}\b", better, text, count=1)
        changed = True
    return text if changed else None
