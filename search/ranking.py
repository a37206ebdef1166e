"""Ranking, declared as an ordered list of named rules.

Each rule says what it contributes; ``explain_rules`` prints them for ``--explain``.
"""

from __future__ import annotations

from dataclasses import dataclass

from whoosh import scoring


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
        5.0,
        "a flat bonus when the word appears as typed (unstemmed), not only by its stem",
    ),
    Rule("bm25f.k1", 1.2, "term-frequency saturation of BM25F"),
    Rule("bm25f.b", 0.5, "BM25F length normalisation (0 none, 1 full), tuned with bench-relevance"),
)


def rule(name: str) -> float:
    return next(r.value for r in RULES if r.name == name)


def field_boosts(fields: list[str]) -> dict[str, float]:
    """Query-time boost of each searchable field, from its part (``title_fr`` → title)."""
    return {f: rule("boost." + f.split("_", 1)[0]) for f in fields}


def weighting() -> scoring.WeightingModel:
    return Ranking()


def explain_rules() -> list[dict]:
    return [{"name": r.name, "value": r.value, "help": r.help} for r in RULES + RECENCY_RULES]


def rule_of_field(fieldname: str) -> str:
    """The ranking rule a field's matches count under (``title_fr`` → ``boost.title``)."""
    if fieldname == "exact":
        return "bonus.exact"
    return "boost." + fieldname.split("_", 1)[0]


RECENCY_RULES: tuple[Rule, ...] = (
    Rule("recency.weight", 0.5, "optional: up to +50% for the newest articles"),
    Rule("recency.half_life_days", 365.0, "the recency bonus halves every year of age"),
)


MISSING_DATE = 2**63


class FlatScorer(scoring.BaseScorer):
    """Scores every match with the query's boost: a presence bonus, whatever the frequency."""

    def __init__(self, boost: float) -> None:
        self.boost = boost

    def score(self, matcher) -> float:
        return self.boost


class Flat(scoring.WeightingModel):
    def scorer(self, searcher, fieldname: str, text: str, qf: float = 1) -> FlatScorer:
        return FlatScorer(qf)


class Ranking(scoring.MultiWeighting):
    """The ranking rules as one Whoosh weighting model.

    BM25F for the text fields; a flat score for the ``exact`` field (the exact-match bonus,
    scored lazily on its posting list, never by materialising it); and, when ``newest`` is
    given, the recency rule as a final factor: ``score × (1 + weight × 0.5 ** (age /
    half_life))``, age counted from the newest article in the index (archives are old: "now"
    would make every article equally stale). Undated articles get no recency bonus.
    """

    def __init__(self, newest: int | None = None) -> None:
        super().__init__(scoring.BM25F(B=rule("bm25f.b"), K1=rule("bm25f.k1")), exact=Flat())
        self.newest = newest  # whoosh's long form (microseconds) of the newest date
        self.use_final = newest is not None
        self.weight = next(r.value for r in RECENCY_RULES if r.name == "recency.weight")
        days = next(r.value for r in RECENCY_RULES if r.name == "recency.half_life_days")
        self.half_life = days * 86_400 * 10**6
        self._column = None

    def final(self, searcher, docnum: int, score: float) -> float:
        if self.newest is None:
            return score
        if self._column is None:
            self._column = searcher.reader().column_reader("published", translate=False)
        value = self._column[docnum]
        if value >= MISSING_DATE:  # undated: Whoosh's sentinel for a missing column value
            return score
        age = max(self.newest - value, 0)
        return score * (1 + self.weight * 0.5 ** (age / self.half_life))


def recency_weighting(newest: int | None) -> scoring.WeightingModel:
    return Ranking(newest)
