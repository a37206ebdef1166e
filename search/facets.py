"""The facets of a result: which fields, how many values, in which order."""

from __future__ import annotations

from index.schema import LANG_FIELD, MONTH_FIELD, SOURCE_FIELD, YEAR_FIELD
from search.results import Facet

FACET_FIELDS = {
    "lang": LANG_FIELD,
    "source": SOURCE_FIELD,
    "year": YEAR_FIELD,
    "month": MONTH_FIELD,
}
FACET_SIZE = 20
TIME_FACETS = ("year", "month")  # date histograms: every bucket, in time order


def facet_lists(groups: dict[str, dict[str, int]]) -> dict[str, list[Facet]]:
    """Counts per value → each facet's values: the most frequent first (at most FACET_SIZE),
    or every year and month in time order."""
    facets: dict[str, list[Facet]] = {}
    for name in FACET_FIELDS:
        counts = [(str(v), c) for v, c in groups.get(name, {}).items() if v]
        if name in TIME_FACETS:
            facets[name] = [Facet(v, c) for v, c in sorted(counts)]
        else:
            top = sorted(counts, key=lambda kv: (-kv[1], kv[0]))[:FACET_SIZE]
            facets[name] = [Facet(v, c) for v, c in top]
    return facets
