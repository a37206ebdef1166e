"""The one interface ``search/`` and the web front end read through, whatever the engine."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from index.writer import IndexMissing

if TYPE_CHECKING:  # search.similar and search.execute import this module
    from collections.abc import Iterator

    from search.daterange import DateSpan
    from search.export import ExportRow
    from search.periods import MonthCounts
    from search.request import SearchRequest
    from search.results import SearchResult, StoredArticle
    from search.similar import Similar


class BackendUnavailable(IndexMissing):
    """The engine cannot answer (no node reachable): pages say 503, like a missing index."""


@dataclass
class Health:
    status: str  # ok, degraded (answers, some copies missing) or unavailable
    articles: int = 0
    detail: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)


class SearchBackend(ABC):
    """Read side of an archive: search with filters, facets, highlights and collapse,
    one article, more like this, counts and health.

    ``search.execute.run_search`` and ``get_article`` and ``search.similar.more_like_this``
    accept a backend where they accept a Whoosh searcher, so ``web/`` never knows which engine
    answers.
    """

    name: str = ""

    @abstractmethod
    def search(self, request: SearchRequest, span: DateSpan | None = None) -> SearchResult: ...

    @abstractmethod
    def export_rows(
        self, request: SearchRequest, span: DateSpan | None = None, limit: int | None = 10_000
    ) -> Iterator[ExportRow]:
        """Every hit in the request's order, collapsed like the page, read page by page
        (``limit=None``: all of them)."""

    @abstractmethod
    def month_counts(
        self, request: SearchRequest, span: DateSpan | None = None, everything: bool = False
    ) -> MonthCounts:
        """Matches per month of publication, a story once in the month of its oldest dated
        copy when collapsed (``search.periods``); ``everything``: every article the request's
        filters allow, the query left out."""

    @abstractmethod
    def get_article(self, article_id: str) -> StoredArticle | None: ...

    @abstractmethod
    def more_like_this(self, article: StoredArticle, limit: int = 5) -> list[Similar]: ...

    @abstractmethod
    def doc_count(self) -> int: ...

    @abstractmethod
    def languages(self) -> list[str]:
        """The language codes of the archive's articles, most articles first."""

    @abstractmethod
    def health(self) -> Health: ...
