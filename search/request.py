"""What a user asks for, validated before it reaches the index."""

from __future__ import annotations

from dataclasses import dataclass

MAX_QUERY_CHARS = 1000
MAX_PAGE = 1000
MAX_LIMIT = 100
SORTS = ("relevance", "newest", "oldest")
FILTER_NAMES = ("source", "year", "month")


class InvalidRequest(ValueError):
    """A request the engine refuses, with a message meant for the user."""


@dataclass(frozen=True)
class SearchRequest:
    q: str
    page: int = 1
    limit: int = 10
    lang: str | None = None
    sort: str = "relevance"
    filters: tuple[tuple[str, str], ...] = ()  # facet filters: ("source", "Reuters"), ...
    collapse: bool = True  # near-duplicates (same cluster) show once
    recency: bool = False  # the optional recency ranking rule

    def validate(self) -> SearchRequest:
        """Return self if the request is acceptable, else raise InvalidRequest."""
        if len(self.q) > MAX_QUERY_CHARS:
            raise InvalidRequest(f"The query is too long (over {MAX_QUERY_CHARS} characters).")
        if not 1 <= self.page <= MAX_PAGE:
            raise InvalidRequest(f"The page must be between 1 and {MAX_PAGE}.")
        if not 1 <= self.limit <= MAX_LIMIT:
            raise InvalidRequest(f"The number of hits per page must be between 1 and {MAX_LIMIT}.")
        if self.sort not in SORTS:
            raise InvalidRequest(f"Sort must be one of: {', '.join(SORTS)}.")
        for name, value in self.filters:
            if name not in FILTER_NAMES or len(value) > 200:
                raise InvalidRequest(f"Unknown filter {name[:20]!r}.")
        if self.lang is not None and not (self.lang.isalpha() and len(self.lang) <= 3):
            raise InvalidRequest("The language must be a code such as fr or en.")
        return self


def parse_int(value: str | None, default: int, name: str) -> int:
    """An integer parameter from a form or command line, with a helpful error."""
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise InvalidRequest(f"The {name} must be a whole number, not {value[:20]!r}.") from None
