"""The saved searches on the web, read-only: ``/alerts``, its JSON twin, and each one as a feed.

Saved searches are created with ``manchette alerts add`` (until the product has accounts).
The pages show each one's query, language and number of recipients, never their addresses.
A feed's name from the URL is only looked up among the saved searches: it never reaches the
filesystem.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, Response, abort, current_app, jsonify, render_template, url_for
from flask_babel import gettext as _

from engines import Engine
from search.alerts.saved import NAME_RE, SavedSearch, load_searches
from web.feeds import atom_feed
from web.render import safe_url

bp = Blueprint("alerts", __name__)


def saved_searches() -> list[SavedSearch]:
    """The saved searches of the app's index directory, by name."""
    return list(load_searches(Path(current_app.config["INDEX_DIR"])).values())


def search_url(saved: SavedSearch, **options: object) -> str:
    """The search page of a saved search: its query and language, newest first."""
    lang = {"lang": saved.lang} if saved.lang else {}
    params: dict[str, Any] = {"q": saved.query, "sort": "newest", **lang, **options}
    return url_for("pages.search_page", **params)


def alert_entry(saved: SavedSearch) -> dict:
    """One saved search as the page and its JSON twin show it (no addresses)."""
    return {
        **saved.public_dict(),
        "search_url": search_url(saved),
        "feed_url": url_for("alerts.alert_feed", name=saved.name),
    }


@bp.get("/alerts")
def alerts_page() -> str:
    entries = [alert_entry(saved) for saved in saved_searches()]
    return render_template("alerts.html", alerts=entries, q="", lang="")


@bp.get("/alerts.json")
def alerts_json() -> Response:
    return jsonify({"alerts": [alert_entry(saved) for saved in saved_searches()]})


@bp.get("/alerts/<name>.atom")
def alert_feed(name: str) -> Response:
    """The saved search's newest articles as an Atom feed (like ``/search.atom``)."""
    found = {s.name: s for s in saved_searches()} if NAME_RE.fullmatch(name) else {}
    saved = found.get(name)
    if saved is None:
        abort(404, description=_("No saved search is named %(name)s.", name=repr(name[:80])))
    engine: Engine = current_app.extensions["manchette.engine"]
    size = int(current_app.config["FEED_SIZE"])
    result = engine.search(saved.request(limit=size, collapse=True))
    body = atom_feed(
        result,
        title=_("Manchette alert: %(name)s", name=saved.name),
        self_url=url_for("alerts.alert_feed", name=saved.name, _external=True),
        page_url=search_url(saved, _external=True),
        article_urls={
            h.id: url_for("pages.article_page", article_id=h.id, _external=True)
            for h in result.hits
        },
        original_urls={h.id: safe_url(h.url) for h in result.hits},
    )
    return Response(body, mimetype="application/atom+xml")
