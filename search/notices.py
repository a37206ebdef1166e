"""What a search tells the user about how it understood the query, as data.

A :class:`Notice` is an English template and its parameters; ``str()`` gives the English text
(what the JSON ``notice`` and the pages show today), and a translation can format the same
template's translation with the same parameters. Every notice of the product is declared
here, so the translators' list is this module.
"""

from __future__ import annotations

from dataclasses import dataclass, field

UNCLOSED_QUOTE = "An opening quote was not closed; the phrase runs to the end."
UNKNOWN_FIELD = "“{field}:” is not a field here; it was searched as words."
NOT_A_DATE = (
    "“{key}:{value}” is not a date (use 2012, 2012-05 or 2012-05-22, and a..b for a range); "
    "it was ignored."
)
TOO_MANY_CLAUSES = "Only the first {limit} words and phrases were searched."
TOO_MANY_PREFIXES = "“{stem}*” was ignored: the query has too many prefixes."
PREFIX_CAPPED = "“{stem}*” matches too many words; only the first {limit} were used."
TOO_SLOW = "The search took too long: these are the results found in time."
PARTIAL_SHARDS = "Partial results: {answered} of {total} shards answered."


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
