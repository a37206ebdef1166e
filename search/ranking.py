"""Ranking, declared as an ordered list of named rules, read by every engine.

Each rule says what it contributes; ``explain_rules`` prints them for ``--explain``. The
Whoosh engine scores with them in ``engines/whoosh/scoring.py``; the OpenSearch engine puts
the BM25 parameters in its index template and the boosts in its queries.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    name: str
    value: float
    help: str


# Order matters only for reading: boosts multiply each field's BM25F term score.
RULES: tuple[Rule, ...] = (
    Rule("boost.title", 3.0, "a match in the title counts 3x a body match"),
    Rule("boost.lead", 1.5, "a match in the lead (first paragraph) counts 1.5x"),
    Rule("boost.body", 1.0, "a match in the body counts once"),
    Rule(
        "bonus.exact",
        3.0,
        "the word as typed (unstemmed, stop words too) in the text: BM25 over one field shared "
        "by every language, so scores compare across languages (doc/relevance.md)",
    ),
    Rule(
        "bonus.exact_title",
        6.0,
        "the word as typed in the title (BM25, statistics shared by every language): a title "
        "holding the typed words themselves ranks first (doc/relevance.md)",
    ),
    Rule(
        "copies.margin",
        0.05,
        "copies of one story (one cluster) scoring within 5% of its best copy take the places "
        "they earned earliest published first: the original before its re-sends "
        "(search/copies.py, doc/relevance.md)",
    ),
    Rule("bm25f.k1", 1.2, "term-frequency saturation of BM25F"),
    Rule("bm25f.b", 0.5, "BM25F length normalisation (0 none, 1 full), tuned with bench-relevance"),
)


def rule(name: str) -> float:
    return next(r.value for r in RULES if r.name == name)


def field_boosts(fields: list[str]) -> dict[str, float]:
    """Query-time boost of each searchable field, from its part (``title_fr`` → title)."""
    return {f: rule("boost." + f.split("_", 1)[0]) for f in fields}


def explain_rules() -> list[dict]:
    return [{"name": r.name, "value": r.value, "help": r.help} for r in RULES + RECENCY_RULES]


def rule_of_field(fieldname: str) -> str:
    """The ranking rule a field's matches count under (``title_fr`` → ``boost.title``)."""
    if fieldname in ("exact", "exact_title"):
        return "bonus." + fieldname
    return "boost." + fieldname.split("_", 1)[0]


RECENCY_RULES: tuple[Rule, ...] = (
    Rule("recency.weight", 0.5, "optional: up to +50% for the newest articles"),
    Rule("recency.half_life_days", 365.0, "the recency bonus halves every year of age"),
)


def bm25_parameters() -> tuple[float, float]:
    """BM25F's ``(k1, b)``, as every engine scores."""
    return rule("bm25f.k1"), rule("bm25f.b")


def recency_rule(name: str) -> float:
    return next(r.value for r in RECENCY_RULES if r.name == name)
