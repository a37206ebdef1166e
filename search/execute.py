"""Run a validated request against an open searcher and build the result."""

from __future__ import annotations

import math
import time

from whoosh import query as wq
from whoosh.searching import Searcher

from index.analysis import lang_key
from index.schema import ID_FIELD, LANG_FIELD, PUBLISHED_FIELD
from search.parse import parse_query
from search.request import SearchRequest
from search.results import Hit, SearchResult, StoredArticle
from search.snippets import highlight_all, lead_snippet, make_snippet


def _hit(fields: dict, score: float, terms: dict[str, set[str]]) -> Hit:
    key = lang_key(fields.get("lang"))
    wanted = terms.get(key, set())
    body = fields.get("body") or ""
    snippet = make_snippet(body, key, wanted) or lead_snippet(fields.get("lead") or body)
    title = fields.get("title") or ""
    return Hit(
        id=fields[ID_FIELD],
        title=title,
        url=fields.get("url"),
        source=fields.get("source") or "",
        lang=fields.get("lang") or "",
        date=fields.get("date"),
        score=score,
        snippet=snippet,
        title_snippet=highlight_all(title, key, wanted),
    )


def run_search(searcher: Searcher, request: SearchRequest) -> SearchResult:
    """Ranked, paged hits with snippets for a request (call ``request.validate()`` first)."""
    started = time.perf_counter()
    parsed = parse_query(request.q, searcher.schema, request.lang)
    filter_q = wq.Term(LANG_FIELD, request.lang) if request.lang else None
    sortedby = None
    if request.sort != "relevance":
        sortedby = PUBLISHED_FIELD
    results = searcher.search_page(
        parsed.query,
        request.page,
        pagelen=request.limit,
        filter=filter_q,
        sortedby=sortedby,
        reverse=request.sort == "newest",
        terms=False,
    )
    total = results.total
    hits: list[Hit] = []
    if results.pagenum == request.page:  # whoosh clamps pages past the end to the last one
        hits = [_hit(hit.fields(), hit.score or 0.0, parsed.terms) for hit in results]
    return SearchResult(
        query=request.q,
        total=total,
        page=request.page,
        took_ms=(time.perf_counter() - started) * 1000,
        hits=hits,
        page_count=math.ceil(total / request.limit) if total else 0,
        limit=request.limit,
        notice=parsed.notice,
    )


def get_article(searcher: Searcher, article_id: str) -> StoredArticle | None:
    fields = searcher.document(**{ID_FIELD: article_id})
    if fields is None:
        return None
    return StoredArticle(
        id=fields[ID_FIELD],
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
    )
