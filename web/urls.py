"""The templates' ``url_for``: Flask's, with the common case of a results page made cheaper.

A results page builds some forty links to routes without path variables (``/search``,
``/search.atom``, ``/trends``...), most with the search's parameters as a query string: the
facet values, the histogram's periods, the exports. Flask's ``url_for`` finds the rule, runs
its compiled builder and encodes the parameters for each (~14 µs). Here the route's own path
is built once per script root (Flask's ``url_for`` without values) and the parameters are
encoded as Werkzeug encodes them (``None`` left out, the same safe characters). Anything
else — a path variable, ``_external``/``_anchor``/..., URL defaults, a value that is not a
string or a number, no request — goes to Flask's ``url_for`` itself. ``tests/web`` compares
both on many parameter sets.
"""

from __future__ import annotations

import functools
from typing import Any
from urllib.parse import quote_plus

from flask import Flask, has_request_context, request, url_for

# Werkzeug's query encoding (werkzeug.urls._urlencode): https://url.spec.whatwg.org/#percent-encoded-bytes
QUERY_SAFE = "!$'()*,/:;?@"


def _plain_endpoints(app: Flask) -> frozenset[str]:
    """Endpoints with exactly one rule, no path variable, no default and no host part."""
    rules: dict[str, list] = {}
    for rule in app.url_map.iter_rules():
        rules.setdefault(rule.endpoint, []).append(rule)
    return frozenset(
        endpoint
        for endpoint, found in rules.items()
        if len(found) == 1
        and not found[0].arguments
        and not found[0].defaults
        and not found[0].host
        and not found[0].subdomain
    )


class PageUrls:
    """``url_for(endpoint, **values)`` for the templates of one application."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.plain: frozenset[str] | None = None  # known once every blueprint is registered
        self.paths: dict[tuple[str, str], str] = {}  # (endpoint, SCRIPT_NAME) → its path

    def __call__(self, endpoint: str, **values: Any) -> str:
        if self.plain is None:
            self.plain = _plain_endpoints(self.app)
        if (
            endpoint not in self.plain
            or self.app.url_default_functions
            or not has_request_context()
            or any(
                name[:1] == "_" or not (value is None or type(value) in (str, int))
                for name, value in values.items()
            )
        ):
            return url_for(endpoint, **values)
        key = (endpoint, request.environ.get("SCRIPT_NAME", ""))
        path = self.paths.get(key)
        if path is None:
            path = self.paths[key] = url_for(endpoint)
        query = "&".join(
            f"{quoted(name)}={quoted(str(value))}"
            for name, value in values.items()
            if value is not None
        )
        return f"{path}?{query}" if query else path


MAX_REMEMBERED_CHARS = 100  # longer values (a pasted article, say) are quoted each time


def quoted(text: str) -> str:
    """``urlencode``'s quoting of one name or value (``quote_plus``), remembered for short
    texts: a page's links repeat the search's parameters in each of its links."""
    if len(text) > MAX_REMEMBERED_CHARS:
        return quote_plus(text, safe=QUERY_SAFE)
    return _quoted(text)


@functools.lru_cache(maxsize=4096)
def _quoted(text: str) -> str:
    return quote_plus(text, safe=QUERY_SAFE)


def install_page_urls(app: Flask) -> None:
    app.jinja_env.globals["url_for"] = PageUrls(app)
