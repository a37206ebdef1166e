"""OpenSearch highlights → ``Snippet(text, spans)``.

OpenSearch's unified highlighter marks matches with two private-use characters instead of HTML
tags; they become spans here, so ``search.snippets.to_html`` stays the one place that escapes
article text and writes ``<mark>``.
"""

from __future__ import annotations

import re

from engines.opensearch.template import POSSESSIVE
from index.analysis.filters import ELISIONS
from search.snippets import ELLIPSIS, Snippet

_POSSESSIVES = ("'s", "’s", "ʼs", "‘s")
_ELIDED = re.compile(r"(\w+)['’ʼ‘](?=\w)")
PRE, POST = "\ue000", "\ue001"  # highlight markers: never in NFC news text, never HTML


def highlight_request(fragment_chars: int) -> dict:
    """Two passages of the body (or the lead), and the whole title, of the hit's language."""
    passages = {"fragment_size": fragment_chars, "number_of_fragments": 2}
    return {
        "pre_tags": [PRE],
        "post_tags": [POST],
        "type": "unified",
        "fields": {"body_*": passages, "lead_*": passages, "title_*": {"number_of_fragments": 0}},
    }


def _trim(text: str, start: int, end: int, lang: str) -> tuple[int, int]:
    """A span without the elided article or the possessive (``l’OTAN`` → ``OTAN``, ``NATO's``
    → ``NATO``), as our chains mark it: OpenSearch's filters keep the whole word's offsets."""
    head = _ELIDED.match(text, start, end)
    if head and head.group(1).lower() in ELISIONS.get(lang, ()):
        start = head.end()
    if lang in POSSESSIVE and end - start > 2 and text[end - 2 : end].lower() in _POSSESSIVES:
        end -= 2
    return start, end


def marked_snippet(fragments: list[str], lang: str = "xx", whole: bool = False) -> Snippet:
    """OpenSearch fragments with PRE/POST markers → one Snippet (text + spans)."""
    text, spans, start = "", [], None
    for n, fragment in enumerate(fragments):
        if n:
            text += f" {ELLIPSIS} "
        for piece in re.split(f"([{PRE}{POST}])", fragment.replace("\n", " ")):
            if piece == PRE:
                start = len(text)
            elif piece == POST and start is not None:
                spans.append(_trim(text, start, len(text), lang))
                start = None
            else:
                text += piece
    if not whole and text and text[-1] not in '.!?»"”':
        text += ELLIPSIS
    return Snippet(text, spans)
