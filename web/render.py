"""The one place where text becomes HTML: snippets' spans turn into escaped ``<mark>`` markup."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask
from markupsafe import Markup

from search.snippets import Snippet, to_html


def snippet_html(snippet: Snippet) -> Markup:
    """``to_html`` escapes every piece of article text; only then is it marked safe."""
    return Markup(to_html(snippet))


def safe_url(url: str | None) -> str | None:
    """Only http(s) article URLs may become links."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def register_filters(app: Flask) -> None:
    app.jinja_env.filters["snippet_html"] = snippet_html
    app.jinja_env.filters["safe_url"] = safe_url
