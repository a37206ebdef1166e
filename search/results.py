"""What a search returns, as dataclasses with ``to_dict`` for JSON."""

from __future__ import annotations

from dataclasses import dataclass, field

from search.snippets import Snippet, to_html


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

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "url": self.url,
            "source": self.source,
            "lang": self.lang,
            "date": self.date,
            "score": round(self.score, 4),
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
    notice: str | None = None
    facets: dict[str, list[Facet]] = field(default_factory=dict)
    suggestion: str | None = None

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
