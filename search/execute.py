"""Run a validated request against an open searcher and build the result."""

from __future__ import annotations

import math
import re
import time

from whoosh import query as wq
from whoosh import sorting
from whoosh.searching import Searcher

from engines.whoosh.spelling import closest
from index.analysis import analyze, lang_key
from index.schema import (
    CLUSTER_FIELD,
    EXACT_FIELD,
    ID_FIELD,
    LANG_FIELD,
    MONTH_FIELD,
    PUBLISHED_FIELD,
    SOURCE_FIELD,
    YEAR_FIELD,
)
from search.backends.base import SearchBackend
from search.collect import collect
from search.daterange import DateSpan
from search.parse import Clause, ParsedQuery, parse_query
from search.ranking import recency_weighting
from search.request import SearchRequest
from search.results import Facet, Hit, SearchResult, StoredArticle
from search.snippets import highlight_all, lead_snippet, make_snippet

FACET_FIELDS = {
    "lang": LANG_FIELD,
    "source": SOURCE_FIELD,
    "year": YEAR_FIELD,
    "month": MONTH_FIELD,
}
FACET_SIZE = 20
SUGGEST_BELOW = 3  # suggest a spelling when a query finds fewer hits than this
SUGGEST_MIN_CHARS = 4  # shorter words are not respelled
SUGGEST_PREFIX = 2  # suggestions keep the word's first two letters


def _hit(fields: dict, score: float, terms: dict[str, set[str]], cluster_size: int) -> Hit:
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
        cluster_size=cluster_size,
    )


TIME_FACETS = ("year", "month")  # date histograms: every bucket, in time order


def _facets(groups: dict[str, dict[str, int]]) -> dict[str, list[Facet]]:
    facets: dict[str, list[Facet]] = {}
    for name in FACET_FIELDS:
        counts = [(str(v), c) for v, c in groups.get(name, {}).items() if v]
        if name in TIME_FACETS:
            facets[name] = [Facet(v, c) for v, c in sorted(counts)]
        else:
            top = sorted(counts, key=lambda kv: (-kv[1], kv[0]))[:FACET_SIZE]
            facets[name] = [Facet(v, c) for v, c in top]
    return facets


def search_filter(
    parsed: ParsedQuery, request: SearchRequest, span: DateSpan | None = None
) -> wq.Query | None:
    """What every hit must match besides the query: language, facet values, a date range."""
    parts = [parsed.filter] if parsed.filter is not None else []
    if request.lang:
        parts.append(wq.Term(LANG_FIELD, request.lang))
    for name, value in request.filters:
        parts.append(wq.Term(FACET_FIELDS[name], value))
    if span is not None:
        parts.append(span.query())
    return wq.And(parts) if parts else None


def newest_published(searcher: Searcher) -> int | None:
    """Whoosh's long form of the newest publication date in the index, or None."""
    newest = searcher.search(
        wq.Every(),
        filter=wq.Term("dated", "1"),
        sortedby=sorting.FieldFacet(PUBLISHED_FIELD, reverse=True),
        limit=1,
    )
    if not newest:
        return None
    column = searcher.reader().column_reader(PUBLISHED_FIELD, translate=False)
    return column[newest.docnum(0)]


def with_recency(searcher: Searcher) -> Searcher:
    """A searcher over the same reader whose scores include the recency rule."""
    weighting = recency_weighting(newest_published(searcher))
    return Searcher(searcher.reader(), weighting=weighting, closereader=False)


def run_search(
    searcher: Searcher, request: SearchRequest, span: DateSpan | None = None
) -> SearchResult:
    """Ranked, paged, collapsed hits with snippets and facets for a validated request,
    optionally only those published within ``span``."""
    if isinstance(searcher, SearchBackend):  # another engine answers (search/backends)
        return searcher.search(request, span)
    started = time.perf_counter()
    if request.recency and request.sort == "relevance":
        searcher = with_recency(searcher)
    parsed = parse_query(request.q, searcher.schema, request.lang, searcher.reader())
    # One pass: the page collapsed on the cluster key, totals and facets counting stories,
    # not copies (search/collect.py).
    found = collect(
        searcher,
        parsed.query,
        search_filter(parsed, request, span),
        page=request.page,
        pagelen=request.limit,
        sort=request.sort,
        collapse=request.collapse,
        facets=FACET_FIELDS,
    )
    total = found.total
    notice = parsed.notice
    if found.partial:
        late = "The search took too long: these are the results found in time."
        notice = f"{notice} {late}" if notice else late
    hits = [
        _hit(
            searcher.stored_fields(docnum),
            score if request.sort == "relevance" else 0.0,
            parsed.terms,
            found.cluster_sizes[docnum],
        )
        for docnum, score in found.page
    ]
    suggestion = suggest(searcher, parsed) if total < SUGGEST_BELOW else None
    return SearchResult(
        query=request.q,
        total=total,
        page=request.page,
        took_ms=(time.perf_counter() - started) * 1000,
        hits=hits,
        page_count=math.ceil(total / request.limit) if total else 0,
        limit=request.limit,
        notice=notice,
        facets=_facets(found.facets),
        suggestion=suggestion,
    )


def suggest(searcher: Searcher, parsed: ParsedQuery) -> str | None:
    """A corrected query from the index's own unstemmed vocabulary, or None."""
    if EXACT_FIELD not in searcher.schema:
        return None
    reader = searcher.reader()
    text = parsed.text
    changed = False
    for item in parsed.clauses:
        if not isinstance(item, Clause) or item.negated or item.text.endswith("*"):
            continue
        for word in re.findall(r"\w+", item.text):
            folded = analyze(word, "xx", exact=True)
            if len(word) < SUGGEST_MIN_CHARS or len(folded) != 1:
                continue
            if reader.frequency(EXACT_FIELD, folded[0]) > 0:
                continue
            # Candidates share the first letters: typos rarely touch them, and whoosh compares
            # the word with every term of the vocabulary otherwise (seconds on a large index).
            found = closest(reader, EXACT_FIELD, folded[0], maxdist=2, prefix=SUGGEST_PREFIX)
            if not found:
                continue
            better = found.capitalize() if word[:1].isupper() else found
            text = re.sub(rf"\b{re.escape(word)}\b", better, text, count=1)
            changed = True
    return text if changed else None


def languages(searcher: Searcher) -> list[str]:
    """The language codes of the archive's articles, most articles first (the language
    field's terms: a lexicon walk, no search)."""
    if isinstance(searcher, SearchBackend):
        return searcher.languages()
    reader = searcher.reader()
    counts = {
        term.decode(): reader.doc_frequency(LANG_FIELD, term) for term in reader.lexicon(LANG_FIELD)
    }
    return sorted((code for code, n in counts.items() if n), key=lambda c: (-counts[c], c))


def get_article(searcher: Searcher, article_id: str) -> StoredArticle | None:
    if isinstance(searcher, SearchBackend):
        return searcher.get_article(article_id)
    fields = searcher.document(**{ID_FIELD: article_id})
    if fields is None:
        return None
    return StoredArticle.from_fields(fields, CLUSTER_FIELD)
