"""The OpenAPI 3 description of the data routes, served at ``/openapi.json``.

Tests validate it with openapi-spec-validator and check the app's real responses against it
with schemathesis, so a change to a ``to_dict()`` that is not made here fails the suite.
"""

from __future__ import annotations

from search.batch import MAX_BATCH_QUERIES
from search.request import MAX_LIMIT, MAX_PAGE, MAX_QUERY_CHARS, SORTS
from search.trends import INTERVALS, MAX_TREND_QUERIES

DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"


def _nullable(type_: str) -> dict:
    return {"type": type_, "nullable": True}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _text(media_type: str, description: str) -> dict:
    return {"description": description, "content": {media_type: {"schema": {"type": "string"}}}}


def _query(name: str, schema: dict, description: str, required: bool = False) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": required,
        "schema": schema,
        "description": description,
    }


def _object(properties: dict, required: list[str] | None = None) -> dict:
    return {
        "type": "object",
        "properties": properties,
        "required": required if required is not None else list(properties),
    }


FACET = _object({"value": {"type": "string"}, "count": {"type": "integer", "minimum": 0}})
HIT = _object(
    {
        "id": {"type": "string"},
        "title": {"type": "string"},
        "url": _nullable("string"),
        "source": {"type": "string"},
        "lang": {"type": "string"},
        "date": _nullable("string"),
        "score": {"type": "number"},
        "snippet": {"type": "string", "description": "HTML: escaped text, matches in <mark>"},
        "title_html": {"type": "string"},
        "cluster_size": {"type": "integer", "minimum": 1},
    }
)
SEARCH_RESULT = _object(
    {
        "query": {"type": "string"},
        "total": {"type": "integer", "minimum": 0},
        "page": {"type": "integer", "minimum": 1},
        "took_ms": {"type": "number"},
        "hits": {"type": "array", "items": _ref("Hit")},
        "page_count": {"type": "integer", "minimum": 0},
        "facets": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": _ref("Facet")},
        },
        "suggestion": _nullable("string"),
        "notice": _nullable("string"),
    }
)
SIMILAR = _object(
    {
        "id": {"type": "string"},
        "title": {"type": "string"},
        "source": {"type": "string"},
        "date": _nullable("string"),
        "lang": {"type": "string"},
    }
)
ARTICLE = _object(
    {
        "id": {"type": "string"},
        "title": {"type": "string"},
        "lead": {"type": "string"},
        "body": {"type": "string"},
        "related": {"type": "array", "items": {"type": "string"}},
        "credit": {"type": "string"},
        "source": {"type": "string"},
        "url": _nullable("string"),
        "lang": {"type": "string"},
        "date": _nullable("string"),
        "path": {"type": "string"},
        "more_like_this": {"type": "array", "items": _ref("Similar")},
    }
)
COUNTS = {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0}}
STATS = _object(
    {
        "articles": {"type": "integer", "minimum": 0},
        "by_lang": COUNTS,
        "by_source": COUNTS,
        "size_bytes": {"type": "integer", "minimum": 0},
        "last_run": {
            "type": "object",
            "description": "the indexing job's report (empty when no run was recorded)",
            "properties": {
                "finished_at": {"type": "string"},
                "seconds": {"type": "number"},
                "added": {"type": "integer"},
                "updated": {"type": "integer"},
                "deleted": {"type": "integer"},
                "rejected": {
                    "type": "array",
                    "items": _object({"path": {"type": "string"}, "reason": {"type": "string"}}),
                },
                "still_rejected": {
                    "type": "integer",
                    "description": "inputs rejected by an earlier run, of files still unchanged "
                    "(not reported again; listed in still_rejected_inputs)",
                },
                "still_rejected_inputs": {
                    "type": "array",
                    "items": _object({"path": {"type": "string"}, "reason": {"type": "string"}}),
                },
            },
        },
    }
)
BATCH_ROW = _object(
    {
        "query": {"type": "string"},
        "total": {"type": "integer", "minimum": 0, "description": "as /search.json's total"},
        "first_date": _nullable("string"),
        "last_date": _nullable("string"),
        "top_sources": {"type": "array", "items": _ref("Facet")},
        "top_hits": {
            "type": "array",
            "items": _object(
                {
                    "id": {"type": "string"},
                    "title": {"type": "string"},
                    "url": _nullable("string"),
                    "date": _nullable("string"),
                }
            ),
        },
        "notice": _nullable("string"),
    }
)
BATCH_RESULT = _object(
    {
        "queries": {"type": "array", "items": _ref("BatchRow")},
        "took_ms": {"type": "number"},
    }
)
DATE_STRING = {"type": "string", "pattern": DATE_PATTERN}
BATCH_REQUEST = _object(
    {
        "queries": {
            "type": "array",
            "maxItems": MAX_BATCH_QUERIES,
            "items": {"type": "string", "maxLength": MAX_QUERY_CHARS},
            "description": "one query per item; blank ones and those starting with # are "
            "skipped; at least one must remain",
        },
        "lang": {"type": "string", "pattern": "^[A-Za-z]{1,3}$"},
        "from": DATE_STRING,
        "to": DATE_STRING,
    },
    ["queries"],
)
TRENDS = _object(
    {
        "interval": {"type": "string", "enum": list(INTERVALS)},
        "series": {
            "type": "array",
            "items": _object(
                {
                    "query": {"type": "string"},
                    "total": {
                        "type": "integer",
                        "minimum": 0,
                        "description": "dated matches: /search.json's total less `undated`",
                    },
                    "undated": {"type": "integer", "minimum": 0},
                    "points": {
                        "type": "array",
                        "items": _object(
                            {
                                "period": {"type": "string"},
                                "count": {"type": "integer", "minimum": 0},
                                "share": {
                                    "type": "number",
                                    "minimum": 0,
                                    "description": "count / articles published in the period",
                                },
                            }
                        ),
                    },
                    "notice": _nullable("string"),
                }
            ),
        },
    }
)
SAVED_SEARCH = _object(
    {
        "name": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$"},
        "query": {"type": "string"},
        "lang": _nullable("string"),
        "recipients": {
            "type": "integer",
            "minimum": 1,
            "description": "how many addresses receive its e-mails (never the addresses)",
        },
        "created": {"type": "string"},
        "search_url": {"type": "string", "description": "its search page, newest first"},
        "feed_url": {"type": "string", "description": "its Atom feed"},
    }
)
SAVED_SEARCHES = _object({"alerts": {"type": "array", "items": _ref("SavedSearch")}})
ERROR = _object({"error": {"type": "string"}, "status": {"type": "integer"}})
HEALTH = _object(
    {
        "status": {"type": "string", "enum": ["ok", "degraded"]},
        "articles": {"type": "integer"},
        "detail": {"type": "object"},
    },
    ["status"],
)

SEARCH_PARAMETERS = [
    _query(
        "q",
        {"type": "string", "minLength": 1, "maxLength": MAX_QUERY_CHARS, "pattern": r"\S"},
        'the query (see the README\'s query language): words, "phrases", OR, -word, '
        "prefix*, wild*cards and m?nistre, fuzzy word~ (word~1, word~2), proximity "
        '"a b"~N and a NEAR/N b, field:word, lang:, source:, date:; * alone is every article',
        required=True,
    ),
    _query("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}, "result page"),
    _query("limit", {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT}, "hits per page"),
    _query("lang", {"type": "string", "pattern": "^[A-Za-z]{1,3}$"}, "only this language"),
    _query("sort", {"type": "string", "enum": list(SORTS)}, "order of the hits"),
    _query("source", {"type": "string", "maxLength": 200}, "only this source (a facet value)"),
    _query("year", {"type": "string", "maxLength": 200}, "only this year (a facet value)"),
    _query("month", {"type": "string", "maxLength": 200}, "only this month (a facet value)"),
    _query(
        "from",
        {"type": "string", "pattern": DATE_PATTERN},
        "published on or after: YYYY, YYYY-MM or YYYY-MM-DD",
    ),
    _query(
        "to",
        {"type": "string", "pattern": DATE_PATTERN},
        "published on or before: YYYY, YYYY-MM or YYYY-MM-DD",
    ),
    _query("collapse", {"type": "string", "enum": ["0", "1"]}, "0 shows near-duplicates"),
    _query("recency", {"type": "string", "enum": ["0", "1"]}, "1 ranks newer articles higher"),
]

TRENDS_PARAMETERS = [
    _query(
        "q",
        {
            "type": "array",
            "minItems": 1,
            "maxItems": MAX_TREND_QUERIES,
            "items": {
                "type": "string",
                "minLength": 1,
                "maxLength": MAX_QUERY_CHARS,
                "pattern": r"\S",
            },
        },
        f"the queries to compare (repeat q, at most {MAX_TREND_QUERIES})",
        required=True,
    ),
    _query("interval", {"type": "string", "enum": list(INTERVALS)}, "months or years (automatic)"),
    *[p for p in SEARCH_PARAMETERS if p["name"] not in ("q", "page", "limit", "sort", "recency")],
]

BAD_REQUEST = _json(_ref("Error"), "the request is invalid (the message says why)")
UNAVAILABLE = _json(_ref("Error"), "no index is available")


def _batch_operation(summary: str, ok: dict, error_type: str = "application/json") -> dict:
    def error(text: str) -> dict:
        return BAD_REQUEST if error_type == "application/json" else _text(error_type, text)

    body = {"required": True, "content": {"application/json": {"schema": _ref("BatchRequest")}}}
    return {
        "post": {
            "summary": summary,
            "description": "A JSON body needs no CSRF token (the /batch form sends one).",
            "requestBody": body,
            "responses": {
                **ok,
                "400": error("the request is invalid"),
                "413": error("the body is over 1 MiB"),
                "415": error("the body is not JSON"),
                "503": error("no index is available"),
            },
        }
    }


def _search_operation(
    summary: str, ok: dict, error_type: str | None = None, parameters: list | None = None
) -> dict:
    errors = (
        {"400": BAD_REQUEST, "503": UNAVAILABLE}
        if error_type is None
        else {
            "400": _text(error_type, "the request is invalid"),
            "503": _text(error_type, "no index is available"),
        }
    )
    return {
        "get": {
            "summary": summary,
            "parameters": parameters or SEARCH_PARAMETERS,
            "responses": {**ok, **errors},
        }
    }


def openapi_spec() -> dict:
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Manchette",
            "version": "1",
            "description": "Full-text search over a multilingual news archive. Every HTML page "
            "has a JSON twin described here.",
        },
        "paths": {
            "/search.json": _search_operation(
                "Ranked hits with snippets, facets and a spelling suggestion",
                {"200": _json(_ref("SearchResult"), "one page of results")},
            ),
            "/search.atom": _search_operation(
                "The newest matching articles as an Atom 1.0 feed",
                {"200": _text("application/atom+xml", "an Atom feed, newest first")},
                error_type="text/plain",
            ),
            "/search.csv": _search_operation(
                "Every matching article as CSV (MANCHETTE_MAX_EXPORT_ROWS caps it)",
                {"200": _text("text/csv", "a header row, then one row per article")},
                error_type="text/plain",
            ),
            "/search.jsonl": _search_operation(
                "Every matching article as JSON Lines, streamed, with no cap by default",
                {
                    "200": _text(
                        "application/x-ndjson",
                        "one object per line: id, title, url, source, lang, date, score",
                    )
                },
                error_type="text/plain",
            ),
            "/trends.json": _search_operation(
                "Matches of up to four queries per month or year, with their share of all "
                "articles published then",
                {"200": _json(_ref("Trends"), "one series per query")},
                parameters=TRENDS_PARAMETERS,
            ),
            "/trends.csv": _search_operation(
                "The trends as CSV: query, period, count, share",
                {"200": _text("text/csv", "a header row, then one row per query and period")},
                error_type="text/plain",
                parameters=TRENDS_PARAMETERS,
            ),
            "/batch.json": _batch_operation(
                "One summary row per query: total, first and last dates, top sources, best hits",
                {"200": _json(_ref("BatchResult"), "the rows, in the order of the queries")},
            ),
            "/batch.csv": _batch_operation(
                "The batch's rows as CSV",
                {"200": _text("text/csv", "a header row, then one row per query")},
                error_type="text/plain",
            ),
            "/articles/{article_id}.json": {
                "get": {
                    "summary": "One stored article and the articles most like it",
                    "parameters": [
                        {
                            "name": "article_id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "minLength": 1},
                        }
                    ],
                    "responses": {
                        "200": _json(_ref("Article"), "the article"),
                        "404": _json(_ref("Error"), "no article has this id"),
                        "503": UNAVAILABLE,
                    },
                }
            },
            "/stats.json": {
                "get": {
                    "summary": "Articles per language and source, size on disk, last run",
                    "responses": {"200": _json(_ref("Stats"), "the index"), "503": UNAVAILABLE},
                }
            },
            "/alerts.json": {
                "get": {
                    "summary": "The saved searches (created with `manchette alerts add`)",
                    "responses": {"200": _json(_ref("SavedSearches"), "by name")},
                }
            },
            "/alerts/{name}.atom": {
                "get": {
                    "summary": "A saved search's newest matching articles as an Atom 1.0 feed",
                    "parameters": [
                        {
                            "name": "name",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "minLength": 1},
                        }
                    ],
                    "responses": {
                        "200": _text("application/atom+xml", "an Atom feed, newest first"),
                        "404": _text("text/plain", "no saved search has this name"),
                        "503": _text("text/plain", "no index is available"),
                    },
                }
            },
            "/healthz": {
                "get": {
                    "summary": "Whether the engine answers: ok, degraded (copies missing), or not",
                    "responses": {
                        "200": _json(_ref("Health"), "the engine answers every search"),
                        "503": _json(
                            _object(
                                {
                                    "status": {"type": "string", "enum": ["red", "unavailable"]},
                                    "articles": {"type": "integer"},
                                    "error": {"type": "string"},
                                    "detail": {"type": "object"},
                                },
                                ["status"],
                            ),
                            "no index is available, or part of it cannot be searched",
                        ),
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "Facet": FACET,
                "Hit": HIT,
                "SearchResult": SEARCH_RESULT,
                "Similar": SIMILAR,
                "Article": ARTICLE,
                "Stats": STATS,
                "SavedSearch": SAVED_SEARCH,
                "SavedSearches": SAVED_SEARCHES,
                "Error": ERROR,
                "Health": HEALTH,
                "BatchRequest": BATCH_REQUEST,
                "BatchRow": BATCH_ROW,
                "BatchResult": BATCH_RESULT,
                "Trends": TRENDS,
            }
        },
    }
