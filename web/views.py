"""Views: each HTML page has a JSON twin built from the same function."""

from __future__ import annotations

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    jsonify,
    render_template,
    request,
)
from werkzeug.exceptions import HTTPException

from index.writer import IndexMissing, RebuildRequired
from search.execute import get_article, run_search
from search.request import FILTER_NAMES, InvalidRequest, SearchRequest, parse_int
from search.results import SearchResult, StoredArticle
from search.searchers import IndexHandle
from search.similar import Similar, more_like_this

bp = Blueprint("pages", __name__)

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def _handle() -> IndexHandle:
    return current_app.extensions["manchette.index"]


def _search_request() -> SearchRequest:
    args = request.args
    lang = args.get("lang") or None
    filters = tuple((name, args[name]) for name in FILTER_NAMES if args.get(name))
    return SearchRequest(
        q=args.get("q", ""),
        page=parse_int(args.get("page"), 1, "page"),
        limit=parse_int(args.get("limit"), int(current_app.config["PAGE_SIZE"]), "limit"),
        lang=lang,
        sort=args.get("sort") or "relevance",
        filters=filters,
        collapse=args.get("collapse", "1") != "0",
        recency=args.get("recency") == "1",
    ).validate()


def search_args(**changes: object) -> dict:
    """The current search's parameters with some changed (None removes one); page resets."""
    keep = ("q", "lang", "sort", "recency", *FILTER_NAMES)
    params = {k: request.args[k] for k in keep if request.args.get(k)}
    params.update(changes)
    if "page" not in changes:
        params.pop("page", None)
    return {k: v for k, v in params.items() if v not in (None, "")}


def search_results() -> SearchResult | None:
    """The result of the request's query, or None when no query was typed."""
    req = _search_request()
    if not req.q.strip():
        return None
    return run_search(_handle().searcher(), req)


def article_data(article_id: str) -> tuple[StoredArticle, list[Similar]]:
    """The article and the articles most like it (the page and its JSON twin)."""
    searcher = _handle().searcher()
    article = get_article(searcher, article_id)
    if article is None:
        abort(404, description=f"No article has the id {article_id!r}.")
    return article, more_like_this(searcher, article)


@bp.get("/")
def home() -> str:
    return render_template("index.html", q="", lang="")


@bp.get("/search")
def search_page() -> str:
    result = search_results()
    return render_template(
        "search.html",
        result=result,
        q=request.args.get("q", ""),
        lang=request.args.get("lang", ""),
        sort=request.args.get("sort", "relevance"),
        search_args=search_args,
        active={k: request.args.get(k) for k in ("lang", *FILTER_NAMES)},
    )


@bp.get("/search.json")
def search_json() -> Response:
    result = search_results()
    if result is None:
        raise InvalidRequest("The parameter q (the query) is required.")
    return jsonify(result.to_dict())


@bp.get("/articles/<path:article_id>.json")
def article_json(article_id: str) -> Response:
    article, similar = article_data(article_id)
    return jsonify({**article.to_dict(), "more_like_this": [a.to_dict() for a in similar]})


@bp.get("/articles/<path:article_id>")
def article_page(article_id: str) -> str:
    article, similar = article_data(article_id)
    return render_template("article.html", article=article, similar=similar, q="", lang="")


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    try:
        searcher = _handle().searcher()
    except (IndexMissing, RebuildRequired) as exc:
        return jsonify({"status": "unavailable", "error": str(exc)}), 503
    return jsonify({"status": "ok", "articles": searcher.doc_count()}), 200


def _wants_json() -> bool:
    return request.path.endswith(".json")


def _error(status: int, title: str, message: str) -> tuple[Response | str, int]:
    if _wants_json():
        return jsonify({"error": message, "status": status}), status
    return render_template(
        "error.html",
        status=status,
        title=title,
        message=message,
        q=request.args.get("q", ""),
        lang="",
    ), status


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(InvalidRequest)
    def bad_request(exc: InvalidRequest):
        return _error(400, "Invalid search", str(exc))

    @app.errorhandler(IndexMissing)
    @app.errorhandler(RebuildRequired)
    def no_index(exc: Exception):
        current_app.logger.error("index unavailable: %s", exc)
        return _error(503, "Search unavailable", "The search index is not available yet.")

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        return _error(exc.code or 500, exc.name, exc.description or exc.name)

    @app.errorhandler(Exception)
    def internal_error(exc: Exception):
        current_app.logger.exception("unhandled error on %s", request.path)
        return _error(500, "Something went wrong", "An internal error occurred.")


def set_security_headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Frame-Options"] = "DENY"
    return response
