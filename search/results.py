"""What a search returns, as dataclasses with ``to_dict`` for JSON."""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from search.export import article_dict, article_fields
from search.notices import Notice, joined
from search.request import SearchRequest
from search.snippets import Snippet, to_html
from search.suggest import SUGGEST_BELOW


@dataclass
class Hit:
    id: str
    title: str
    url: str | None
    source: str
    lang: str
    date: str | None
    score: float
    snippet: Snippet
    title_snippet: Snippet
    cluster_size: int = 1

    @classmethod
    def from_fields(
        cls, fields: dict, score: float, snippet: Snippet, title_snippet: Snippet, size: int
    ) -> Hit:
        """A hit from an article's stored fields (as either engine returns them)."""
        return cls(
            **article_fields(fields),
            score=score,
            snippet=snippet,
            title_snippet=title_snippet,
            cluster_size=size,
        )

    def to_dict(self) -> dict:
        return {
            **article_dict(self),
            "snippet": to_html(self.snippet),
            "title_html": to_html(self.title_snippet),
            "cluster_size": self.cluster_size,
        }


@dataclass(frozen=True)
class Facet:
    value: str
    count: int

    def to_dict(self) -> dict:
        return {"value": self.value, "count": self.count}


@dataclass
class SearchResult:
    query: str
    total: int
    page: int
    took_ms: float
    hits: list[Hit] = field(default_factory=list)
    page_count: int = 0
    limit: int = 10
    notices: list[Notice] = field(default_factory=list)  # structured: translatable
    facets: dict[str, list[Facet]] = field(default_factory=dict)
    suggestion: str | None = None

    @classmethod
    def of_page(
        cls,
        request: SearchRequest,
        started: float,
        total: int,
        hits: list[Hit],
        notices: list[Notice],
        facets: dict[str, list[Facet]],
        suggest: Callable[[], str | None],
    ) -> SearchResult:
        """The result of ``request``'s page (``started``: ``perf_counter()`` when the search
        started); ``suggest`` is asked for a respelled query when few articles were found."""
        return cls(
            query=request.q,
            total=total,
            page=request.page,
            took_ms=(time.perf_counter() - started) * 1000,
            hits=hits,
            page_count=math.ceil(total / request.limit) if total else 0,
            limit=request.limit,
            notices=notices,
            facets=facets,
            suggestion=suggest() if total < SUGGEST_BELOW else None,
        )

    @property
    def notice(self) -> str | None:
        """The notices as one English text (the JSON ``notice``)."""
        return joined(self.notices)

    @property
    def histogram(self) -> Histogram | None:
        """The matches' publication dates per month or year (None when none is dated)."""
        return date_histogram(self.facets)

    def to_dict(self) -> dict:
        data = {
            "query": self.query,
            "total": self.total,
            "page": self.page,
            "took_ms": round(self.took_ms, 2),
            "hits": [h.to_dict() for h in self.hits],
            "page_count": self.page_count,
            "facets": {k: [f.to_dict() for f in v] for k, v in self.facets.items()},
            "suggestion": self.suggestion,
            "notice": self.notice,
        }
        return data


@dataclass
class StoredArticle:
    """One article as stored in the index, for the article page and ``manchette show``."""

    id: str
    title: str
    lead: str
    body: str
    related: list[str]
    credit: str
    source: str
    url: str | None
    lang: str
    date: str | None
    path: str
    cluster: str = ""

    @classmethod
    def from_fields(cls, fields: dict, cluster_field: str = "cluster") -> StoredArticle:
        """The article from its stored fields (a Whoosh document or an OpenSearch source)."""
        return cls(
            id=fields["id"],
            title=fields.get("title") or "",
            lead=fields.get("lead") or "",
            body=fields.get("body") or "",
            related=list(fields.get("related") or []),
            credit=fields.get("credit") or "",
            source=fields.get("source") or "",
            url=fields.get("url"),
            lang=fields.get("lang") or "",
            date=fields.get("date"),
            path=fields.get("path") or "",
            cluster=fields.get(cluster_field) or fields["id"],
        )

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.body.split("\n\n") if p.strip()]

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "lead": self.lead,
            "body": self.body,
            "related": list(self.related),
            "credit": self.credit,
            "source": self.source,
            "url": self.url,
            "lang": self.lang,
            "date": self.date,
            "path": self.path,
        }


MONTHLY_UP_TO_YEARS = 3  # matches spanning more years are counted per year
MAX_FILLED_BUCKETS = 240  # beyond this, empty buckets between far-apart dates are left out


@dataclass(frozen=True)
class Bucket:
    """One bar of a date histogram: a year (``2012``) or a month (``2012-05``)."""

    label: str
    count: int

    def to_dict(self) -> dict:
        return {"label": self.label, "count": self.count}


@dataclass(frozen=True)
class Histogram:
    unit: str  # "year" or "month"
    buckets: list[Bucket]

    @property
    def peak(self) -> int:
        return max((b.count for b in self.buckets), default=0)

    @property
    def total(self) -> int:
        return sum(b.count for b in self.buckets)

    def to_dict(self) -> dict:
        return {"unit": self.unit, "buckets": [b.to_dict() for b in self.buckets]}


def month_labels(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last`` (``YYYY-MM``), both included."""
    year, month = int(first[:4]), int(first[5:7])
    labels = []
    while f"{year:04d}-{month:02d}" <= last:
        labels.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return labels


def date_histogram(facets: dict[str, list[Facet]]) -> Histogram | None:
    """Matches per month, or per year when they span more than a few years, with a bar for
    every period in between (empty ones included), from the ``year`` and ``month`` facets."""
    years = [f for f in facets.get("year", []) if f.value.isdigit()]
    months = [f for f in facets.get("month", []) if re.fullmatch(r"\d{4}-\d{2}", f.value)]
    if not years:
        return None
    first, last = min(int(f.value) for f in years), max(int(f.value) for f in years)
    if last - first < MONTHLY_UP_TO_YEARS and months:
        unit, counts = "month", {f.value: f.count for f in months}
        labels = month_labels(min(counts), max(counts))
    else:
        unit, counts = "year", {f.value: f.count for f in years}
        labels = [str(y) for y in range(first, last + 1)]
    if len(labels) > MAX_FILLED_BUCKETS:
        labels = sorted(counts)
    return Histogram(unit, [Bucket(label, counts.get(label, 0)) for label in labels])
