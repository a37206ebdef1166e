"""A publication-date range typed in a form (``from``/``to``), validated before it is searched."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from search.parse import date_bounds
from search.request import InvalidRequest
from search.tree import DateRange

_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def parse_bound(value: str, end: bool) -> datetime:
    """``2012``, ``2012-05`` or ``2012-05-22`` as the first (or, for ``end``, the last) moment
    it covers; anything else raises InvalidRequest."""
    match = _DATE.fullmatch(value.strip())
    if not match:
        raise InvalidRequest(
            f"{value[:20]!r} is not a date: use a year (2012), a month (2012-05) or a day "
            "(2012-05-22)."
        )
    bound = date_bounds(value.strip(), end)
    if bound is None:
        raise InvalidRequest(f"{value[:20]!r} is not a real date.")
    return bound


@dataclass(frozen=True)
class DateSpan:
    """Articles published from ``start`` to ``end`` (both as typed, both included)."""

    start: str | None = None
    end: str | None = None

    @classmethod
    def from_params(cls, start: str | None, end: str | None) -> DateSpan | None:
        """A validated span from form values (blank means open-ended), or None for no span."""
        start = (start or "").strip() or None
        end = (end or "").strip() or None
        if start is None and end is None:
            return None
        low = parse_bound(start, end=False) if start else None
        high = parse_bound(end, end=True) if end else None
        if low and high and low > high:
            raise InvalidRequest("The start of the date range is after its end.")
        return cls(start, end)

    def range(self) -> DateRange:
        low = parse_bound(self.start, end=False) if self.start else None
        high = parse_bound(self.end, end=True) if self.end else None
        return DateRange(low, high)
