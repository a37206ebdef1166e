"""The embedded default: the Whoosh index on disk in ``index_dir``, behind the Engine interface."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from engines.base import CheckReport, Engine, Health, IndexMissing, RebuildRequired
from engines.whoosh.check import check_index
from engines.whoosh.compile import compile_request
from engines.whoosh.execute import get_article, languages, run_search, with_recency
from engines.whoosh.explain import explain_hit
from engines.whoosh.export import export_rows
from engines.whoosh.periods import month_counts
from engines.whoosh.result_cache import ResultCache, configured_size
from engines.whoosh.searchers import IndexHandle
from engines.whoosh.similar import more_like_this
from engines.whoosh.stats import index_stats
from engines.whoosh.writer import WhooshSink
from index.stats import IndexStats
from search.daterange import DateSpan
from search.export import MAX_EXPORT_ROWS, ExportRow
from search.periods import MonthCounts
from search.request import SearchRequest
from search.results import SearchResult, StoredArticle
from search.similar import Similar


class WhooshEngine(Engine):
    name = "whoosh"

    def __init__(self, index_dir: Path, refresh_seconds: float = 0.0) -> None:
        super().__init__(index_dir)
        self.handle = IndexHandle(self.index_dir, refresh_seconds)
        size = configured_size()
        self.results = ResultCache(size) if size else None  # off unless configured

    def open_sink(self, rebuild: bool) -> WhooshSink:
        return WhooshSink(self.index_dir, rebuild)

    def search(self, request: SearchRequest, span: DateSpan | None = None) -> SearchResult:
        if self.results is not None:
            return self.results.answer(self.handle.searcher(), request, span, run_search)
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

    def stats(self) -> IndexStats:
        return index_stats(self.index_dir)

    def health(self) -> Health:
        try:
            return Health("ok", self.doc_count())
        except (IndexMissing, RebuildRequired) as exc:
            return Health("unavailable", detail={"error": str(exc)})

    def check(self) -> CheckReport:
        return check_index(self.index_dir)

    def explain(self, request: SearchRequest) -> tuple[SearchResult, dict[str, dict[str, float]]]:
        searcher = self.handle.searcher()
        result = run_search(searcher, request)
        query = compile_request(searcher, request).query
        if request.sort != "relevance":
            return result, {h.id: explain_hit(searcher, query, h.id) for h in result.hits}
        scorer = with_recency(searcher) if request.recency else searcher  # as run_search scored
        return result, {h.id: explain_hit(scorer, query, h.id, h.score) for h in result.hits}

    def close(self) -> None:
        self.handle.close()
