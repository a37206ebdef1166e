"""The newsroom tools' pages: batch search (``/batch``) and trends (``/trends``), each with its
JSON and CSV twins built from the same function.

``/batch`` is a form that POSTs: it carries a CSRF token kept in the signed session
(``SECRET_KEY``). ``POST /batch.json`` and ``/batch.csv`` also take a JSON body without a token:
a browser cannot send ``Content-Type: application/json`` to another site without a CORS
preflight, which this app never grants, so only same-origin scripts and non-browser clients can.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Any

from flask import Response, abort, jsonify, render_template, request, session, url_for
from flask_babel import gettext as _

from search.batch import (
    BATCH_CSV_COLUMNS,
    MAX_BATCH_QUERIES,
    BatchResult,
    read_queries,
    run_batch,
)
from search.daterange import DateSpan
from search.export import csv_table
from search.request import InvalidRequest
from search.trends import INTERVALS, MAX_TREND_QUERIES, TRENDS_CSV_COLUMNS, Trends, run_trends
from web.charts import trend_chart
from web.views import DATE_PARAMS, _date_span, _engine, _search_request, bp, search_args

BATCH_MAX_BYTES = 1024 * 1024  # 5,000 names and more fit; other POSTs keep the app's 64 KiB
CSRF_FIELD = "csrf_token"


def csrf_token() -> str:
    """This session's token, made on first use (the form's hidden field carries it)."""
    token = session.get(CSRF_FIELD)
    if not token:
        token = session[CSRF_FIELD] = secrets.token_urlsafe(32)
    return token


def check_csrf() -> None:
    sent = request.form.get(CSRF_FIELD, "")
    kept = session.get(CSRF_FIELD, "")
    if not (sent and kept and hmac.compare_digest(sent, kept)):
        abort(400, description=_("The form has expired: reload the page and send it again."))


def batch_input() -> tuple[list[str], str | None, DateSpan | None]:
    """The queries, language and dates of a batch: a JSON body, or the page's form."""
    request.max_content_length = BATCH_MAX_BYTES
    if request.is_json:
        data = request.get_json(silent=True)
        queries = data.get("queries") if isinstance(data, dict) else None
        if (
            not isinstance(data, dict)
            or not isinstance(queries, list)
            or not all(isinstance(q, str) for q in queries)
        ):
            raise InvalidRequest(_('The body must be {"queries": ["…", …]}.'))
        options = {k: data.get(k) for k in ("lang", *DATE_PARAMS)}
        if not all(v is None or isinstance(v, str) for v in options.values()):
            raise InvalidRequest(_("lang, from and to must be strings."))
    elif request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        check_csrf()
        queries = request.form.get("queries", "").splitlines()
        options = {k: request.form.get(k) for k in ("lang", *DATE_PARAMS)}
    else:
        abort(415, description=_("Send JSON (Content-Type: application/json) or the form."))
    if len(queries) > MAX_BATCH_QUERIES:  # before reading them: say it without work
        raise InvalidRequest(_("A batch holds at most %(n)s queries.", n=MAX_BATCH_QUERIES))
    kept = read_queries(queries)
    span = DateSpan.from_params(options["from"], options["to"])
    return kept, options["lang"] or None, span


def batch_result() -> BatchResult:
    queries, lang, span = batch_input()
    if not queries:
        raise InvalidRequest(_("Give at least one query, one per line."))
    return run_batch(_engine(), queries, lang, span)


@bp.route("/batch", methods=["GET", "POST"])
def batch_page() -> str:
    result = batch_result() if request.method == "POST" else None
    form = request.form if request.method == "POST" else request.args
    links = {}
    if result is not None:
        common: dict[str, Any] = {k: form.get(k) for k in ("lang", *DATE_PARAMS) if form.get(k)}
        links = {
            row.query: url_for("pages.search_page", q=row.query, **common) for row in result.rows
        }
    return render_template(
        "batch.html",
        result=result,
        links=links,
        queries_text=form.get("queries", ""),
        batch_lang=form.get("lang", ""),
        date_from=form.get("from", ""),
        date_to=form.get("to", ""),
        csrf_token=csrf_token(),
        max_queries=MAX_BATCH_QUERIES,
        q="",
        lang="",
    )


@bp.post("/batch.json")
def batch_json() -> Response:
    return jsonify(batch_result().to_dict())


@bp.post("/batch.csv")
def batch_csv() -> Response:
    result = batch_result()
    lines = csv_table(BATCH_CSV_COLUMNS, (row.values() for row in result.rows))
    return Response(
        "".join(lines),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="manchette-batch.csv"'},
    )


def trends_data() -> Trends | None:
    """The trends of the ``q`` parameters (None when there is none), with the usual filters."""
    queries = [q for q in request.args.getlist("q") if q.strip()]
    base = _search_request(q="", page=1)
    span = _date_span()
    interval = request.args.get("interval") or None
    if interval is not None and interval not in INTERVALS:
        raise InvalidRequest(_("The interval must be month or year."))
    if not queries:
        return None
    if len(queries) > MAX_TREND_QUERIES:
        raise InvalidRequest(_("A trend compares at most %(n)s queries.", n=MAX_TREND_QUERIES))
    return run_trends(_engine(), queries, base, span, interval)


def required_trends() -> Trends:
    trends = trends_data()
    if trends is None:
        raise InvalidRequest(_("The parameter q (the query) is required."))
    return trends


@bp.get("/trends")
def trends_page() -> str:
    trends = trends_data()
    queries = [q for q in request.args.getlist("q") if q.strip()]
    return render_template(
        "trends.html",
        trends=trends,
        chart=trend_chart(trends) if trends is not None and trends.periods else None,
        queries=queries + [""] * (MAX_TREND_QUERIES - len(queries)),
        interval=request.args.get("interval", ""),
        trend_args=trend_args,
        date_from=request.args.get("from", ""),
        date_to=request.args.get("to", ""),
        trend_lang=request.args.get("lang", ""),
        q="",
        lang="",
    )


def trend_args(**changes: object) -> dict:
    """The current trend's parameters (every ``q``) with some changed, for links."""
    params = search_args(**changes)
    params.pop("q", None)
    params.pop("sort", None)
    if "interval" not in changes and request.args.get("interval"):
        params["interval"] = request.args["interval"]
    params["q"] = [q for q in request.args.getlist("q") if q.strip()]
    return {k: v for k, v in params.items() if v not in (None, "")}


@bp.get("/trends.json")
def trends_json() -> Response:
    return jsonify(required_trends().to_dict())


@bp.get("/trends.csv")
def trends_csv() -> Response:
    trends = required_trends()
    return Response(
        "".join(csv_table(TRENDS_CSV_COLUMNS, trends.csv_rows())),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="manchette-trends.csv"'},
    )
