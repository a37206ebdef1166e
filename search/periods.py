"""How many matches (or articles) were published each month: the counts trends are made of.

Collapsed, a story counts once, in the month of its oldest dated copy, so the months add up
to the number of stories with a dated copy: ``/search.json``'s total restricted to dated
articles. The rest (stories with no dated copy) is ``undated``. Uncollapsed, every article
counts in its own month.

Each engine counts (``Engine.month_counts``); with ``everything=True`` it counts every article
the request's filters (language, facet values, date range) allow, whatever the query: the
denominators of a trend's shares. That needs no query syntax, so it never depends on how
``*`` parses.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MonthCounts:
    months: dict[str, int]  # "2014-05" → stories (or articles) first published that month
    undated: int  # stories (or articles) matched with no date
    notice: str | None = None  # the parser's notice about the query, if any

    @property
    def dated(self) -> int:
        return sum(self.months.values())
