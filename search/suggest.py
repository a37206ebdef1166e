"""'Did you mean': which words of a query may be respelled, and the corrected query.

Each engine finds the corrections in its own vocabulary of unstemmed words; which words are
looked up, and how the corrections are put back into the query, is decided here.
"""

from __future__ import annotations

import re

from index.analysis import analyze
from search.tree import Prefix, QueryTree

SUGGEST_BELOW = 3  # suggest a spelling when a query finds fewer hits than this
SUGGEST_MIN_CHARS = 4  # shorter words are not respelled
SUGGEST_PREFIX = 2  # suggestions keep the word's first two letters


def suggestion_words(tree: QueryTree) -> list[tuple[str, str]]:
    """Each word worth respelling, as typed and as the exact field holds it (folded): words
    of the searched clauses, not excluded, not prefixes, long enough, one token each."""
    words: list[tuple[str, str]] = []
    for item in tree.positive_clauses():
        if isinstance(item, Prefix):
            continue
        for word in re.findall(r"\w+", item.text):
            folded = analyze(word, "xx", exact=True)
            if len(word) >= SUGGEST_MIN_CHARS and len(folded) == 1:
                words.append((word, folded[0]))
    return words


def corrected_query(text: str, corrections: list[tuple[str, str]]) -> str | None:
    """The query with each word replaced by its correction (capitalised like the word), or
    None when nothing was corrected."""
    changed = False
    for word, better in corrections:
        better = better.capitalize() if word[:1].isupper() else better
        text = re.sub(rf"\b{re.escape(word)}\b", better, text, count=1)
        changed = True
    return text if changed else None
