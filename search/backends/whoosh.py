"""The embedded default: the Whoosh index on disk, behind the backend interface."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from search.backends.base import Health, SearchBackend
from search.daterange import DateSpan
from search.execute import get_article, languages, run_search
from search.export import MAX_EXPORT_ROWS, ExportRow, export_rows
from search.periods import MonthCounts, month_counts
from search.request import SearchRequest
from search.results import SearchResult, StoredArticle
from search.searchers import IndexHandle
from search.similar import Similar, more_like_this


class WhooshBackend(SearchBackend):
    name = "whoosh"

    def __init__(self, index_dir: Path, refresh_seconds: float = 0.0) -> None:
        self.handle = IndexHandle(Path(index_dir), refresh_seconds, backend="whoosh")

    def search(self, request: SearchRequest, span: DateSpan | None = None) -> SearchResult:
        return run_search(self.handle.searcher(), request, span)

    def export_rows(
        self,
        request: SearchRequest,
        span: DateSpan | None = None,
        limit: int | None = MAX_EXPORT_ROWS,
    ) -> Iterator[ExportRow]:
        return export_rows(self.handle.searcher(), request, span, limit)

    def month_counts(
        self, request: SearchRequest, span: DateSpan | None = None, everything: bool = False
    ) -> MonthCounts:
        return month_counts(self.handle.searcher(), request, span, everything)

    def get_article(self, article_id: str) -> StoredArticle | None:
        return get_article(self.handle.searcher(), article_id)

    def more_like_this(self, article: StoredArticle, limit: int = 5) -> list[Similar]:
        return more_like_this(self.handle.searcher(), article, limit)

    def doc_count(self) -> int:
        return self.handle.searcher().doc_count()

    def languages(self) -> list[str]:
        return languages(self.handle.searcher())

    def health(self) -> Health:
        return Health("ok", self.doc_count())
