"""Views: each HTML page has a JSON twin built from the same function."""

from __future__ import annotations

import functools
from itertools import chain

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    jsonify,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from engines import Engine
from engines.base import IndexMissing, RebuildRequired
from index.stats import IndexStats
from search.alerts.saved import InvalidSavedSearch
from search.daterange import DateSpan
from search.export import export_lines
from search.request import (
    FILTER_NAMES,
    MAX_PAGE,
    MAX_QUERY_CHARS,
    InvalidRequest,
    SearchRequest,
    parse_int,
)
from search.results import SearchResult, StoredArticle
from search.similar import Similar
from web.feeds import atom_feed
from web.i18n import page_translations, translate_notice
from web.openapi import openapi_spec
from web.render import safe_url

bp = Blueprint("pages", __name__)

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


DATE_PARAMS = ("from", "to")  # the publication-date range of the search form


def _engine() -> Engine:
    return current_app.extensions["manchette.engine"]


def archive_languages() -> list[str]:
    """The languages the search form offers: those of the archive's articles (none when the
    index cannot be read: the page then says why, the form still works)."""
    try:
        return _engine().languages()
    except (IndexMissing, RebuildRequired):
        return []


@bp.app_context_processor
def page_globals() -> dict:
    _ = page_translations().ugettext  # Flask-Babel's ``gettext`` without its four lookups each
    return {
        "archive_languages": archive_languages,  # called by the form, only where it is shown
        "max_page": MAX_PAGE,
        "filter_labels": {
            "lang": _("Language"),
            "source": _("Source"),
            "year": _("Year"),
            "month": _("Month"),
            "from": _("From"),
            "to": _("To"),
        },
    }


def _search_request(**overrides: object) -> SearchRequest:
    """The request's search parameters, validated (some fixed by the route: ``overrides``)."""
    args = request.args
    fields: dict = {
        "q": args.get("q", ""),
        "page": parse_int(args.get("page"), 1, "page"),
        "limit": parse_int(args.get("limit"), int(current_app.config["PAGE_SIZE"]), "limit"),
        "lang": args.get("lang") or None,
        "sort": args.get("sort") or "relevance",
        "filters": tuple((name, args[name]) for name in FILTER_NAMES if args.get(name)),
        "collapse": args.get("collapse", "1") != "0",
        "recency": args.get("recency") == "1",
    }
    fields.update(overrides)
    return SearchRequest(**fields).validate()


def _date_span() -> DateSpan | None:
    return DateSpan.from_params(*(request.args.get(name) for name in DATE_PARAMS))


KEPT_PARAMS = ("q", "lang", "sort", "limit", "recency", "collapse", *FILTER_NAMES, *DATE_PARAMS)


def kept_args() -> dict[str, object]:
    """The current search's parameters that its links keep (the page is not one of them)."""
    given = request.args.to_dict()  # a plain dict: MultiDict.get raises inside for a miss
    return {k: given[k] for k in KEPT_PARAMS if given.get(k)}


def search_args(**changes: object) -> dict:
    """The current search's parameters with some changed (None removes one); page resets."""
    return args_with(kept_args(), **changes)


def args_with(kept: dict[str, object], **changes: object) -> dict:
    """``search_args`` from the kept parameters read once (a results page builds a few dozen
    links from the same request)."""
    params = dict(kept)
    params.update(changes)
    if "page" not in changes:
        params.pop("page", None)
    return {k: v for k, v in params.items() if v not in (None, "")}


def search_results(**overrides: object) -> SearchResult | None:
    """The result of the request's query, or None when no query was typed."""
    req = _search_request(**overrides)
    span = _date_span()
    if not req.q.strip():
        return None
    return _engine().search(req, span)


def required_results(**overrides: object) -> SearchResult:
    result = search_results(**overrides)
    if result is None:
        raise InvalidRequest(_("The parameter q (the query) is required."))
    return result


def article_data(article_id: str) -> tuple[StoredArticle, list[Similar]]:
    """The article and the articles most like it (the page and its JSON twin)."""
    engine = _engine()
    article = engine.get_article(article_id)
    if article is None:
        abort(404, description=_("No article has the id %(id)s.", id=repr(article_id)))
    return article, engine.more_like_this(article)


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
        date_from=request.args.get("from", ""),
        date_to=request.args.get("to", ""),
        search_args=functools.partial(args_with, kept_args()),
        active={k: request.args.get(k) for k in ("lang", *FILTER_NAMES, *DATE_PARAMS)},
    )


@bp.get("/search.json")
def search_json() -> Response:
    return jsonify(required_results().to_dict())


@bp.get("/search.atom")
def search_atom() -> Response:
    """The newest matching articles as an Atom feed: subscribe to a search, get news alerts."""
    size = int(current_app.config["FEED_SIZE"])
    result = required_results(sort="newest", page=1, limit=size)
    params = search_args(sort=None)
    body = atom_feed(
        result,
        title=_("Manchette: %(query)s", query=result.query),
        self_url=url_for("pages.search_atom", _external=True, **params),
        page_url=url_for("pages.search_page", _external=True, sort="newest", **params),
        article_urls={
            h.id: url_for("pages.article_page", article_id=h.id, _external=True)
            for h in result.hits
        },
        original_urls={h.id: safe_url(h.url) for h in result.hits},
    )
    return Response(body, mimetype="application/atom+xml")


def export_limit() -> int | None:
    """The most rows an export writes: ``MAX_EXPORT_ROWS`` (none by default), or the older
    ``CSV_MAX_ROWS`` when a deployment set it."""
    config = current_app.config
    limit = config.get("CSV_MAX_ROWS") or config.get("MAX_EXPORT_ROWS")
    return int(limit) if limit else None


def export_response(fmt: str, mimetype: str, filename: str) -> Response:
    """Every matching article, streamed row by row as the engine pages through them."""
    req = _search_request(page=1)
    span = _date_span()
    if not req.q.strip():
        raise InvalidRequest(_("The parameter q (the query) is required."))
    rows = _engine().export_rows(req, span, limit=export_limit())
    first = next(rows, None)  # search now, so that a failure is an error page, not a cut file
    lines = export_lines(chain([first] if first else [], rows), fmt)
    return Response(
        stream_with_context(lines),
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.get("/search.csv")
def search_csv() -> Response:
    """Every matching article as CSV (MANCHETTE_MAX_EXPORT_ROWS caps it; no cap by default)."""
    return export_response("csv", "text/csv", "manchette-search.csv")


@bp.get("/search.jsonl")
def search_jsonl() -> Response:
    """Every matching article as JSON Lines: id, title, url, source, lang, date, score."""
    return export_response("jsonl", "application/x-ndjson", "manchette-search.jsonl")


@bp.get("/articles/<path:article_id>.json")
def article_json(article_id: str) -> Response:
    article, similar = article_data(article_id)
    return jsonify({**article.to_dict(), "more_like_this": [a.to_dict() for a in similar]})


@bp.get("/articles/<path:article_id>")
def article_page(article_id: str) -> str:
    article, similar = article_data(article_id)
    return render_template("article.html", article=article, similar=similar, q="", lang="")


def stats_data() -> IndexStats:
    """Counts per language and source, size on disk and the last run (``manchette stats``)."""
    return _engine().stats()  # a missing or outdated index is a 503, as for a search


@bp.get("/stats")
def stats_page() -> str:
    return render_template("stats.html", stats=stats_data(), q="", lang="")


@bp.get("/stats.json")
def stats_json() -> Response:
    return jsonify(stats_data().to_dict())


@bp.get("/openapi.json")
def openapi_json() -> Response:
    return jsonify(openapi_spec())


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    """The engine's own health: ok or degraded answer 200 (degraded says so), red or
    unavailable 503 (a load balancer takes the instance out)."""
    health = _engine().health()
    body: dict = {"status": health.status, "articles": health.articles}
    if "error" in health.detail:
        body["error"] = health.detail["error"]
    elif health.detail:
        body["detail"] = health.detail
    return jsonify(body), 200 if health.serving else 503


def _error(status: int, title: str, message: str) -> tuple[Response | str, int]:
    """The error in the form the route speaks: JSON, plain text for feeds/CSV, else a page."""
    if request.path.endswith(".json"):
        return jsonify({"error": message, "status": status}), status
    if request.path.endswith((".atom", ".csv", ".jsonl")):
        line = _("%(title)s: %(message)s", title=title, message=message)
        return Response(f"{line}\n", mimetype="text/plain"), status
    return render_template(
        "error.html",
        status=status,
        title=title,
        message=message,
        q=request.args.get("q", "")[:MAX_QUERY_CHARS],
        lang="",
    ), status


def _http_error_text(exc: HTTPException) -> tuple[str, str]:
    if exc.code == 404:
        described = exc.description != type(exc).description  # a view said what is missing
        return _("Not found"), (exc.description or "") if described else _(
            "There is no page at this address. Try a search instead."
        )
    if exc.code == 405:
        return _("Method not allowed"), _("This address does not answer this method.")
    return exc.name, exc.description or exc.name


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(InvalidRequest)
    def bad_request(exc: InvalidRequest):
        return _error(400, _("Invalid search"), translate_notice(str(exc)) or "")

    @app.errorhandler(IndexMissing)
    @app.errorhandler(RebuildRequired)
    def no_index(exc: Exception):
        current_app.logger.error("index unavailable: %s", exc)
        return _error(503, _("Search unavailable"), _("The search index is not available yet."))

    @app.errorhandler(InvalidSavedSearch)
    def unreadable_searches(exc: InvalidSavedSearch):
        current_app.logger.error("saved searches unreadable: %s", exc)
        return _error(
            503,
            _("Saved searches unavailable"),
            _(
                "The saved searches file cannot be read. On the server, "
                "`manchette alerts list` says why."
            ),
        )

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        return _error(exc.code or 500, *_http_error_text(exc))

    @app.errorhandler(Exception)
    def internal_error(exc: Exception):
        current_app.logger.exception("unhandled error on %s", request.path)
        return _error(500, _("Something went wrong"), _("An internal error occurred."))


def set_security_headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Frame-Options"] = "DENY"
    return response
