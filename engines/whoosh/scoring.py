"""The ranking rules (``search.ranking``) as one Whoosh weighting model."""

from __future__ import annotations

from typing import Any

from whoosh import scoring

from engines.whoosh.columns import column_reader
from search.ranking import bm25_parameters, recency_rule

MISSING_DATE = 2**63


class Ranking(scoring.MultiWeighting):
    """The ranking rules as one Whoosh weighting model.

    BM25F for every field, the exact (unstemmed) ones included: their statistics are shared
    by every language, so the exactness rules compare across languages; and, when ``newest`` is
    given, the recency rule as a final factor: ``score × (1 + weight × 0.5 ** (age /
    half_life))``, age counted from the newest article in the index (archives are old: "now"
    would make every article equally stale). Undated articles get no recency bonus.
    """

    def __init__(self, newest: int | None = None) -> None:
        k1, b = bm25_parameters()
        super().__init__(scoring.BM25F(B=b, K1=k1))
        self.newest = newest  # whoosh's long form (microseconds) of the newest date
        self.use_final = newest is not None
        self.weight = recency_rule("recency.weight")
        days = recency_rule("recency.half_life_days")
        self.half_life = days * 86_400 * 10**6
        self._column: Any = None  # the published column, read at the first final()

    def final(self, searcher, docnum: int, score: float) -> float:
        if self.newest is None:
            return score
        if self._column is None:
            self._column = column_reader(searcher.reader(), "published", translate=False)
        value = self._column[docnum]
        if value >= MISSING_DATE:  # undated: Whoosh's sentinel for a missing column value
            return score
        age = max(self.newest - value, 0)
        return score * (1 + self.weight * 0.5 ** (age / self.half_life))


def recency_weighting(newest: int | None) -> scoring.WeightingModel:
    return Ranking(newest)


def weighting() -> scoring.WeightingModel:
    return Ranking()
