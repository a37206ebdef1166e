"""The OpenSearch engine: the job's sink (``store.py``), and our query language, facets,
highlights and collapse in the DSL.

Highlights come from OpenSearch's highlighter and become ``Snippet(text, spans)``
(``highlights.py``).
"""

from __future__ import annotations

import functools
import json
import logging
import time
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Unpack

from opensearchpy.exceptions import ConnectionError as OSConnectionError
from opensearchpy.exceptions import NotFoundError, TransportError

from engines.base import (
    CheckReport,
    Engine,
    EngineUnavailable,
    Health,
    Unsupported,
    digest_pairs,
)
from engines.opensearch.compile import MATCH_ALL, filter_clauses, pattern_query, text_query
from engines.opensearch.highlights import highlight_request, marked_snippet
from engines.opensearch.store import STATE_DIR, OpenSearchSink, OpenSearchStore
from engines.opensearch.template import MAX_RESULT_WINDOW
from index.analysis import analyze, lang_key
from index.build import JobOptions
from index.report import IndexReport
from index.schema import (
    CLUSTER_FIELD,
    EXACT_FIELD,
    HASH_FIELD,
    ID_FIELD,
    LANG_FIELD,
    PUBLISHED_FIELD,
    SOURCE_FIELD,
    TEXT_PARTS,
    text_field,
)
from index.stats import MAX_LISTED, IndexStats, last_run
from search import notices as say
from search.copies import originals_first_of
from search.daterange import DateSpan
from search.export import MAX_EXPORT_ROWS, ExportRow
from search.facets import FACET_SIZE
from search.filters import request_filters
from search.notices import Notice
from search.parse import literal_wildcards, parse_query
from search.periods import MonthCounts
from search.ranking import recency_rule
from search.request import SearchRequest
from search.results import Facet, Hit, SearchResult, StoredArticle
from search.similar import KEY_TERMS, Similar
from search.snippets import Snippet, lead_snippet
from search.suggest import SUGGEST_CANDIDATES, SUGGEST_PREFIX, corrected_query, corrections
from search.tree import QueryTree, Wildcard

SNIPPET_CHARS = 240  # characters per fragment, as search.snippets' passages
EXPORT_PAGE = 1000
COMPOSITE_PAGE = 5000  # clusters per page of the trends' composite aggregation
EVERYTHING_SECONDS = 30.0  # how long the counts of every article (shares) are reused
BUSY_ATTEMPTS = 4  # tries of a request answered 429 (back-pressure) or 5xx (a node just died)
TRANSIENT_STATUSES = frozenset({429, 500, 502, 503, 504})
BUSY_BACKOFF_SECONDS = 0.2  # doubled after each
ALIKE_COPIES = 5  # a collapsed story's best copies read to pick the one that shows it
HISTOGRAMS = {"year": ("year", "yyyy"), "month": ("month", "yyyy-MM")}
log = logging.getLogger("manchette")
LIST_FIELDS = [ID_FIELD, "title", "url", "source", "lang", "date", "lead", CLUSTER_FIELD]


def _marks(marks: dict, part: str, lang: str) -> list[str] | None:
    """The highlighted fragments of a part: its stemmed field's, else its ``.exact``
    sub-field's (what proximities, wildcards and fuzzy words match)."""
    name = text_field(part, lang)
    return marks.get(name) or marks.get(f"{name}.exact")


def _originals_first(raws: list[dict], start: int, limit: int, collapse: bool) -> list[dict]:
    """The page's raw hits with ``copies.margin`` applied (search/copies.py): among copies of
    one story that score alike, the earliest published takes the best place. Uncollapsed,
    ``raws`` holds the page from ``start`` and some hits either side; collapsed, each hit's
    ``alike`` inner hits are its story's best copies, and the one the rule puts first shows
    the story (with the story's score and count)."""
    if not collapse:
        placed = originals_first_of(
            [h.get("_score") or 0.0 for h in raws],
            [h["_source"].get(CLUSTER_FIELD) or h["_id"] for h in raws],
            [h["_source"].get("date") for h in raws],
        )
        return [raws[i] | {"_score": score} for i, score in placed][start : start + limit]
    shown = []
    for raw in raws:
        alike = raw.get("inner_hits", {}).get("alike", {}).get("hits", {}).get("hits", [])
        if len(alike) > 1:
            first, _ = originals_first_of(
                [h.get("_score") or 0.0 for h in alike],
                ["story"] * len(alike),
                [h["_source"].get("date") for h in alike],
            )[0]
            if alike[first]["_id"] != raw["_id"]:
                raw = alike[first] | {"_score": raw.get("_score"), "inner_hits": raw["inner_hits"]}
        shown.append(raw)
    return shown


def _unavailable(exc: Exception | str) -> EngineUnavailable:
    return EngineUnavailable(f"OpenSearch is unavailable: {exc}")


class OpenSearchUnavailable(OSError):
    """The cluster could not be reached or refused the job's set-up (``manchette index``
    exits 3, as when the disk fails)."""


class OpenSearchEngine(Engine):
    name = "opensearch"

    def __init__(self, index_dir: Path, store: OpenSearchStore | None = None) -> None:
        super().__init__(index_dir)
        self.store = store or OpenSearchStore()
        self.alias = self.store.config.alias
        self._newest: tuple[float, str | None] = (0.0, None)
        self._everything: dict[str, tuple[float, MonthCounts]] = {}

    # -- the write side: the job's sink ----------------------------------------------------

    def open_sink(self, rebuild: bool) -> OpenSearchSink:
        """A new index for a rebuild (behind the alias at the end), else the live one."""
        target = self.store.create_index() if rebuild else self.store.ensure_live()
        return OpenSearchSink(self.store, target, self.index_dir / STATE_DIR, rebuild)

    def index_paths(self, paths: Iterable[Path], **options: Unpack[JobOptions]) -> IndexReport:
        """The indexing job into the cluster; a ``--rebuild`` fills a new index and swaps the
        alias at the end (on failure the new index is deleted and the alias never moves)."""
        try:
            return super().index_paths(paths, **options)
        except (OSConnectionError, TransportError) as exc:
            raise OpenSearchUnavailable(f"OpenSearch: {exc}") from exc

    @property
    def client(self):
        return self.store.client

    def _call(self, method, **kwargs) -> dict:
        """One request; a 429 (a node shedding load: full queue, memory breaker) or a 5xx (a
        shard's node just died: ``node_not_connected_exception``) is retried after a short
        backoff, besides the client's own retries of 502-504 on another node."""
        for attempt in range(1, BUSY_ATTEMPTS + 1):
            try:
                return method(**kwargs)
            except OSConnectionError as exc:
                raise _unavailable(exc) from exc
            except NotFoundError as exc:
                raise _unavailable(f"no index behind the alias {self.alias!r} ({exc})") from exc
            except TransportError as exc:
                if exc.status_code not in TRANSIENT_STATUSES or attempt == BUSY_ATTEMPTS:
                    raise
                time.sleep(BUSY_BACKOFF_SECONDS * 2 ** (attempt - 1))
        raise AssertionError("unreachable")

    # -- search ---------------------------------------------------------------------------

    def _parse(self, request: SearchRequest) -> QueryTree:
        # NFC, like every article's text: OpenSearch has no Unicode normaliser without ICU
        tree = parse_query(unicodedata.normalize("NFC", request.q), request.lang)
        return literal_wildcards(tree, functools.partial(self._matches_a_word, tree.langs))

    def _matches_a_word(self, langs: list[str], node: Wildcard) -> bool:
        """Whether a wildcard matches a word of the archive (one request, stopped at the
        first article): one that matches none is searched as written (search.parse)."""
        body = {"query": pattern_query(node, langs), "size": 0, "terminate_after": 1}
        found = self._call(self.client.search, index=self.alias, body=body)
        return int(found["hits"]["total"]["value"]) > 0

    def _query(self, tree: QueryTree, request: SearchRequest, span: DateSpan | None) -> dict:
        filters = filter_clauses(request_filters(tree, request, span))
        query: dict = {"bool": {"must": [text_query(tree)], "filter": filters}}
        if request.recency and request.sort == "relevance":
            query = self._with_recency(query)
        return query

    def _newest_date(self) -> str | None:
        """The newest publication date in the archive (cached a few seconds)."""
        checked, value = self._newest
        if time.monotonic() - checked > 5:
            body = {"size": 0, "aggs": {"newest": {"max": {"field": PUBLISHED_FIELD}}}}
            found = self._call(self.client.search, index=self.alias, body=body)
            value = found["aggregations"]["newest"].get("value_as_string")
            self._newest = (time.monotonic(), value)
        return value

    def _with_recency(self, query: dict) -> dict:
        """score × (1 + weight × 0.5 ** (age / half-life)), age from the newest article."""
        newest = self._newest_date()
        if newest is None:
            return query
        decay = {
            PUBLISHED_FIELD: {
                "origin": newest,
                "scale": f"{int(recency_rule('recency.half_life_days'))}d",
                "decay": 0.5,
            }
        }
        return {
            "function_score": {
                "query": query,
                "functions": [
                    {"weight": 1},
                    {
                        "filter": {"exists": {"field": PUBLISHED_FIELD}},
                        "exp": decay,
                        "weight": recency_rule("recency.weight"),
                    },
                ],
                "score_mode": "sum",
                "boost_mode": "multiply",
            }
        }

    def _sort(self, request: SearchRequest) -> list:
        if request.sort == "relevance":
            return ["_score", {ID_FIELD: "asc"}]
        order = "desc" if request.sort == "newest" else "asc"
        return [{PUBLISHED_FIELD: {"order": order, "missing": "_last"}}, {ID_FIELD: "asc"}]

    def _aggs(self, collapse: bool) -> dict:
        groups = {"groups": {"cardinality": {"field": CLUSTER_FIELD, "precision_threshold": 40000}}}
        count = "groups" if collapse else "_count"
        aggs: dict = {
            name: {
                "terms": {
                    "field": field,
                    "size": FACET_SIZE,
                    "order": [{count: "desc"}, {"_key": "asc"}],
                },
                "aggs": groups,
            }
            for name, field in (("lang", LANG_FIELD), ("source", SOURCE_FIELD))
        }
        for name, (interval, fmt) in HISTOGRAMS.items():
            aggs[name] = {
                "date_histogram": {
                    "field": PUBLISHED_FIELD,
                    "calendar_interval": interval,
                    "format": fmt,
                    "min_doc_count": 1,
                },
                "aggs": groups,
            }
        aggs["groups"] = groups["groups"]
        return aggs

    def search(self, request: SearchRequest, span: DateSpan | None = None) -> SearchResult:
        started = time.perf_counter()
        tree = self._parse(request)
        offset = (request.page - 1) * request.limit
        body: dict = {
            "query": self._query(tree, request, span),
            "size": request.limit,
            "sort": self._sort(request),
            "track_total_hits": True,
            "track_scores": True,
            "aggs": self._aggs(request.collapse),
            "highlight": highlight_request(SNIPPET_CHARS),
            "_source": LIST_FIELDS,
        }
        ranked = request.sort == "relevance"
        if request.collapse:
            inner: list[dict] = [{"name": "copies", "size": 0, "track_scores": False}]
            if ranked:  # the story's best copies: which one shows it (search/copies.py)
                inner.append(self._alike_copies())
            body["collapse"] = {"field": CLUSTER_FIELD, "inner_hits": inner}
        notices = list(tree.notices)
        # from/size: OpenSearch 2.19 refuses search_after with collapse; the template's
        # max_result_window covers the deepest page a request may ask for
        body["from"] = offset
        if ranked and not request.collapse:
            # copies of a story may hold places on both sides of the page: read a page more
            # on each side, hand the places out (search/copies.py), keep the page
            body["from"] = max(0, offset - request.limit)
            wanted = offset - body["from"] + 2 * request.limit
            body["size"] = min(wanted, MAX_RESULT_WINDOW - body["from"])
        found = self._call(self.client.search, index=self.alias, body=body)
        shards = found.get("_shards", {})
        if shards.get("failed"):
            counts = {"answered": shards.get("successful", 0), "total": shards.get("total", 0)}
            notices.append(Notice(say.PARTIAL_SHARDS, counts))
        aggs = found.get("aggregations", {})
        if request.collapse:
            total = int(aggs.get("groups", {}).get("value", 0))
        else:
            total = found["hits"]["total"]["value"]
        raws = found["hits"]["hits"]
        if ranked:
            raws = _originals_first(raws, offset - body["from"], request.limit, request.collapse)
        hits = [self._hit(h) for h in raws]
        facets = self._facets(aggs, request.collapse)
        respell = functools.partial(self._suggest, tree, request, span, total)
        return SearchResult.of_page(request, started, total, hits, notices, facets, respell)

    def _alike_copies(self) -> dict:
        """A collapsed story's best-scoring copies, ranked as the page is, with what a hit
        shows: the copy ``copies.margin`` picks among them shows the story."""
        return {
            "name": "alike",
            "size": ALIKE_COPIES,
            "sort": self._sort(SearchRequest(q="")),
            "track_scores": True,
            "_source": LIST_FIELDS,
            "highlight": highlight_request(SNIPPET_CHARS),
        }

    def _hit(self, raw: dict) -> Hit:
        source = raw["_source"]
        key = lang_key(source.get("lang"))
        marks = raw.get("highlight", {})
        fragments = _marks(marks, "body", key) or _marks(marks, "lead", key)
        lead = source.get("lead") or ""
        snippet = marked_snippet(fragments, key) if fragments else lead_snippet(lead)
        title = source.get("title") or ""
        title_marks = _marks(marks, "title", key)
        size = raw.get("inner_hits", {}).get("copies", {}).get("hits", {}).get("total", {})
        marked = marked_snippet(title_marks, key, whole=True) if title_marks else Snippet(title)
        score = raw.get("_score") or 0.0
        return Hit.from_fields(source, score, snippet, marked, max(int(size.get("value", 1)), 1))

    def _facets(self, aggs: dict, collapse: bool) -> dict[str, list[Facet]]:
        facets: dict[str, list[Facet]] = {}
        for name in ("lang", "source", "year", "month"):
            buckets = aggs.get(name, {}).get("buckets", [])
            facets[name] = [
                Facet(
                    str(b.get("key_as_string", b["key"])),
                    int(b["groups"]["value"]) if collapse else b["doc_count"],
                )
                for b in buckets
                if b.get("key") not in ("", None)
            ]
        return facets

    def _languages_of(self, word: str, langs: list[str]) -> set[str]:
        """The languages whose stemmed fields hold ``word`` (one request, counted per
        language)."""
        filters = {
            lang: {
                "multi_match": {"query": word, "fields": [text_field(p, lang) for p in TEXT_PARTS]}
            }
            for lang in langs
            if analyze(word, lang)
        }
        if not filters:
            return set()
        body = {"size": 0, "aggs": {"langs": {"filters": {"filters": filters}}}}
        found = self._call(self.client.search, index=self.alias, body=body)
        buckets = found.get("aggregations", {}).get("langs", {}).get("buckets", {})
        return {lang for lang, bucket in buckets.items() if bucket.get("doc_count")}

    def _candidates(self, folded: str, edits: int) -> list[str]:
        """The archive's unstemmed words close to ``folded`` (term suggester), best first."""
        options = {
            "suggest_mode": "always",
            "max_edits": edits,
            "prefix_length": SUGGEST_PREFIX,
            "size": SUGGEST_CANDIDATES,
        }
        suggest = {"w": {"text": folded, "term": {"field": EXACT_FIELD, **options}}}
        body = {"size": 0, "suggest": suggest}
        found = self._call(self.client.search, index=self.alias, body=body).get("suggest", {})
        entries = found.get("w") or [{}]
        return [choice["text"] for choice in entries[0].get("options") or []]

    def _count(self, tree: QueryTree, request: SearchRequest, span: DateSpan | None) -> int:
        body: dict = {"query": self._query(tree, request, span), "size": 0}
        if request.collapse:
            groups = {"cardinality": {"field": CLUSTER_FIELD, "precision_threshold": 40000}}
            body["aggs"] = {"groups": groups}
        else:
            body["track_total_hits"] = True
        found = self._call(self.client.search, index=self.alias, body=body)
        if request.collapse:
            return int(found.get("aggregations", {}).get("groups", {}).get("value", 0))
        return int(found["hits"]["total"]["value"])

    def _suggest(
        self, tree: QueryTree, request: SearchRequest, span: DateSpan | None, total: int
    ) -> str | None:
        """A corrected query from the archive's vocabulary, close in the query's language,
        and only when it finds more than the query did (search/suggest.py); else None."""
        known: dict[str, set[str]] = {}

        def languages_of(word: str) -> set[str]:
            if word not in known:
                known[word] = self._languages_of(word, tree.langs)
            return known[word]

        better = corrected_query(tree.text, corrections(tree, languages_of, self._candidates))
        if better is None:
            return None
        respelled = replace(request, q=better)
        return better if self._count(self._parse(respelled), respelled, span) > total else None

    def export_rows(
        self,
        request: SearchRequest,
        span: DateSpan | None = None,
        limit: int | None = MAX_EXPORT_ROWS,
    ) -> Iterator[ExportRow]:
        """The request's hits in its order (collapsed like the page), page by page, up to
        ``limit`` (None: every one).

        Pages follow each other with ``search_after`` on the sort values (the sort ends on
        the unique id), so an export costs the same at row 90,000 as at row 1. Collapsed
        exports page with ``from``/``size``: OpenSearch 2.19 refuses ``search_after`` with
        ``collapse``, so they end at the template's ``max_result_window`` (100,000 stories).
        """
        tree = self._parse(request)
        body: dict = {
            "query": self._query(tree, request, span),
            "sort": self._sort(request),
            "track_scores": True,
            "_source": [ID_FIELD, "title", "url", "source", "lang", "date"],
        }
        if request.collapse:
            body["collapse"] = {"field": CLUSTER_FIELD}
        offset = 0
        while limit is None or offset < limit:
            body["size"] = EXPORT_PAGE if limit is None else min(EXPORT_PAGE, limit - offset)
            if request.collapse:
                body["size"] = min(body["size"], MAX_RESULT_WINDOW - offset)
                if body["size"] <= 0:
                    log.warning("collapsed export stopped at max_result_window (%d)", offset)
                    return
                body["from"] = offset
            hits = self._call(self.client.search, index=self.alias, body=body)["hits"]["hits"]
            for raw in hits:
                score = raw.get("_score") or 0.0 if request.sort == "relevance" else 0.0
                yield ExportRow.from_fields(raw["_source"], score)
            if len(hits) < body["size"]:
                return
            offset += len(hits)
            if not request.collapse:
                body["search_after"] = hits[-1]["sort"]

    # -- counts per month (trends) ----------------------------------------------------------

    def month_counts(
        self, request: SearchRequest, span: DateSpan | None = None, everything: bool = False
    ) -> MonthCounts:
        """Matches per month: a ``date_histogram`` of articles, or, collapsed, every cluster
        with the month of its oldest dated copy (a ``composite`` aggregation read page by
        page), as ``search.periods`` counts on Whoosh."""
        if everything:
            notice = None
            allowed = filter_clauses(request_filters(QueryTree(text=""), request, span))
            query = {"bool": {"must": [MATCH_ALL], "filter": allowed}}
        else:
            tree = self._parse(request)
            notice = tree.notice
            query = self._query(tree, replace(request, recency=False), span)
        key = json.dumps([query, request.collapse], sort_keys=True) if everything else None
        cached = self._everything.get(key) if key else None
        if cached is not None and time.monotonic() - cached[0] < EVERYTHING_SECONDS:
            return cached[1]
        if request.collapse:
            months, undated = self._story_months(query)
        else:
            months, undated = self._article_months(query)
        found = MonthCounts(dict(sorted(months.items())), undated, notice)
        if key:
            if len(self._everything) >= 64:
                self._everything.clear()
            self._everything[key] = (time.monotonic(), found)
        return found

    def _article_months(self, query: dict) -> tuple[dict[str, int], int]:
        histogram = {
            "field": PUBLISHED_FIELD,
            "calendar_interval": "month",
            "format": "yyyy-MM",
            "min_doc_count": 1,
        }
        body = {
            "size": 0,
            "query": query,
            "aggs": {
                "months": {"date_histogram": histogram},
                "undated": {"missing": {"field": PUBLISHED_FIELD}},
            },
        }
        aggs = self._call(self.client.search, index=self.alias, body=body)["aggregations"]
        months = {b["key_as_string"]: b["doc_count"] for b in aggs["months"]["buckets"]}
        return months, int(aggs["undated"]["doc_count"])

    def _story_months(self, query: dict) -> tuple[dict[str, int], int]:
        stories: dict = {
            "composite": {
                "size": COMPOSITE_PAGE,
                "sources": [{"cluster": {"terms": {"field": CLUSTER_FIELD}}}],
            },
            "aggs": {"first": {"min": {"field": PUBLISHED_FIELD, "format": "yyyy-MM"}}},
        }
        body = {"size": 0, "query": query, "aggs": {"stories": stories}}
        months: dict[str, int] = {}
        undated = 0
        while True:
            found = self._call(self.client.search, index=self.alias, body=body)
            agg = found["aggregations"]["stories"]
            for bucket in agg["buckets"]:
                month = bucket["first"].get("value_as_string")
                if bucket["first"].get("value") is None or not month:
                    undated += 1
                else:
                    months[month] = months.get(month, 0) + 1
            if len(agg["buckets"]) < COMPOSITE_PAGE or "after_key" not in agg:
                return months, undated
            stories["composite"]["after"] = agg["after_key"]

    # -- one article, more like it, counts --------------------------------------------------

    def get_article(self, article_id: str) -> StoredArticle | None:
        try:
            found = self.client.get(index=self.alias, id=article_id)
        except NotFoundError:
            return None
        except OSConnectionError as exc:
            raise _unavailable(exc) from exc
        fields = found["_source"]
        return StoredArticle.from_fields(fields, CLUSTER_FIELD)

    def more_like_this(self, article: StoredArticle, limit: int = 5) -> list[Similar]:
        """Articles of the same language sharing the article's key terms (OpenSearch's
        ``more_like_this``), never the article itself or its near-duplicates."""
        key = lang_key(article.lang)
        fields = [text_field(part, key) for part in ("title", "lead", "body")]
        like = {
            "more_like_this": {
                "fields": fields,
                "like": [{"_index": self.alias, "_id": article.id}],
                "min_term_freq": 1,
                "min_doc_freq": 1,
                "max_query_terms": KEY_TERMS,
                "minimum_should_match": "1",
            }
        }
        body = {
            "size": limit,
            "_source": [ID_FIELD, "title", "source", "date", "lang"],
            "query": {
                "bool": {
                    "must": [like],
                    "must_not": [
                        {"ids": {"values": [article.id]}},
                        {"term": {CLUSTER_FIELD: article.cluster}},
                    ],
                }
            },
        }
        found = self._call(self.client.search, index=self.alias, body=body)
        return [Similar.from_fields(h["_source"]) for h in found["hits"]["hits"]]

    def doc_count(self) -> int:
        return int(self._call(self.client.count, index=self.alias)["count"])

    def languages(self) -> list[str]:
        order = [{"_count": "desc"}, {"_key": "asc"}]
        terms = {"field": LANG_FIELD, "size": 200, "order": order}
        body = {"size": 0, "aggs": {"lang": {"terms": terms}}}
        found = self._call(self.client.search, index=self.alias, body=body)
        return [b["key"] for b in found.get("aggregations", {}).get("lang", {}).get("buckets", [])]

    def health(self) -> Health:
        """The health of the archive's index (not of the whole cluster): green is ok, yellow
        (a replica missing) degraded, red (a primary missing: results are partial) red."""
        try:
            found = self.client.cluster.health(index=self.alias, params={"request_timeout": 5})
            articles = self.doc_count()
        except (EngineUnavailable, TransportError, OSConnectionError) as exc:
            return Health("unavailable", detail={"error": str(exc)[:300]})
        status = {"green": "ok", "yellow": "degraded"}.get(found["status"], "red")
        detail = {k: found[k] for k in ("status", "number_of_nodes", "unassigned_shards")}
        return Health(status, articles, detail)

    def stats(self) -> IndexStats:
        """``manchette stats`` from the cluster: counts per language and source, store size."""
        body = {
            "size": 0,
            "track_total_hits": True,
            "aggs": {
                name: {"terms": {"field": name, "size": MAX_LISTED}}
                for name in (LANG_FIELD, SOURCE_FIELD)
            },
        }
        found = self._call(self.client.search, index=self.alias, body=body)
        buckets = {
            name: {b["key"]: b["doc_count"] for b in agg["buckets"]}
            for name, agg in found["aggregations"].items()
        }
        size = self._call(self.client.indices.stats, index=self.alias, metric="store")
        return IndexStats(
            articles=found["hits"]["total"]["value"],
            by_lang=buckets[LANG_FIELD],
            by_source=buckets[SOURCE_FIELD],
            size_bytes=size["_all"]["total"]["store"]["size_in_bytes"],
            last_run=last_run(self.index_dir),
        )

    def check(self) -> CheckReport:
        """Every article's id and content hash read back: their count and digest."""
        report = CheckReport(index_dir=str(self.index_dir))
        try:
            report.live = self.store.live_index() or ""
            if not report.live:
                report.problems.append(f"no index behind the alias {self.alias!r}")
                return report
            pairs = {
                s[ID_FIELD]: s.get(HASH_FIELD, "")
                for s in self.store.iter_sources(report.live, [ID_FIELD, HASH_FIELD])
            }
            counted = self.doc_count()
        except (EngineUnavailable, TransportError, OSConnectionError) as exc:
            report.problems.append(f"OpenSearch does not answer: {str(exc)[:300]}")
            return report
        report.articles = len(pairs)
        report.digest = digest_pairs(pairs)
        if counted != len(pairs):
            report.problems.append(f"the count says {counted} articles but {len(pairs)} were read")
        return report

    def explain(self, request: SearchRequest) -> tuple[SearchResult, dict[str, dict[str, float]]]:
        raise Unsupported(
            "--explain shows Whoosh's ranking rules: not with MANCHETTE_BACKEND=opensearch"
        )

    def close(self) -> None:
        self.store.client.close()
