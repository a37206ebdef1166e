"""What a search tells the user about how it understood the query, as data.

A :class:`Notice` is an English template and its parameters; ``str()`` gives the English text
(what the JSON ``notice`` and the pages show today), and a translation can format the same
template's translation with the same parameters. Every notice of the product is declared
here, so the translators' list is this module: each template is a catalogue message
(``N_`` marks it for ``pybabel extract``; babel.cfg reads this file), its ``{name}``
placeholders kept in the translation.
"""

from __future__ import annotations

from dataclasses import dataclass, field


def N_(message: str) -> str:  # babel's keyword for "extract now, translate later"
    return message


UNCLOSED_QUOTE = N_("An opening quote was not closed; the phrase runs to the end.")
UNKNOWN_FIELD = N_("“{field}:” is not a field here; it was searched as words.")
NOT_A_DATE = N_(
    "“{key}:{value}” is not a date (use 2012, 2012-05 or 2012-05-22, and a..b for a range); "
    "it was ignored."
)
TOO_MANY_CLAUSES = N_("Only the first {limit} words and phrases were searched.")
TOO_MANY_PREFIXES = N_("“{stem}*” was ignored: the query has too many prefixes.")
PREFIX_CAPPED = N_("“{stem}*” matches too many words; only the first {limit} were used.")
PATTERN_CAPPED = N_("“{form}” matches too many words; only the first {limit} were used.")
TOO_MANY_PATTERNS = N_(
    "“{form}” was ignored: the query has too many prefixes, wildcards and fuzzy words."
)
WALK_CAPPED = N_(
    "“{form}” starts with a wildcard: only the first {limit} words of the archive were tried."
)
NOT_A_DISTANCE = N_("“{form}” is not a distance (a number from 0 to {limit}); {default} was used.")
DISTANCE_CAPPED = N_("“{form}”: at most {limit} words may stand between; {limit} was used.")
NEAR_ALONE = N_("“{form}” needs a word on each side; it was ignored.")
WILDCARD_LITERAL = N_(
    "No word matches the wildcard “{form}”; it was searched as written, its * and ? read as spaces."
)
NOT_FUZZY = N_("“{form}” is not a fuzzy word (word~, word~1 or word~2); it was searched as typed.")
TOO_SLOW = N_("The search took too long: these are the results found in time.")
PARTIAL_SHARDS = N_("Partial results: {answered} of {total} shards answered.")


@dataclass(frozen=True)
class Notice:
    template: str  # one of the templates above, in English
    params: dict[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.template.format(**self.params)

    def to_dict(self) -> dict:
        return {"template": self.template, "params": dict(self.params), "text": str(self)}


def joined(notices: list[Notice]) -> str | None:
    """The notices as one English text (the JSON ``notice``), or None when there is none."""
    return " ".join(str(n) for n in notices) or None
