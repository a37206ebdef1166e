"""The alert e-mail: a plain-text part and an HTML part listing the new articles.

Each article shows its title (a link to its page on the web front end), source, date, a
snippet and the link to the original. Every piece of article text in the HTML part is escaped:
snippets through ``search.snippets.to_html`` (the one function that marks matches), the rest
with ``html.escape``; only ``http(s)`` URLs become links.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from urllib.parse import quote, urlencode

from search.alerts.saved import SavedSearch
from search.links import web_url
from search.results import Hit, StoredArticle
from search.snippets import ELLIPSIS, Snippet, to_html

LEAD_CHARS = 240  # the snippet of an article the search page did not highlight


@dataclass(frozen=True)
class AlertItem:
    """One new article as the e-mail shows it."""

    id: str
    title: str
    url: str | None
    source: str
    lang: str
    date: str | None
    snippet: Snippet

    @classmethod
    def from_hit(cls, hit: Hit) -> AlertItem:
        return cls(hit.id, hit.title, hit.url, hit.source, hit.lang, hit.date, hit.snippet)

    @classmethod
    def from_article(cls, article: StoredArticle) -> AlertItem:
        """An article without highlights: its lead (or the start of its body) as snippet."""
        text = " ".join((article.lead or article.body).split())
        if len(text) > LEAD_CHARS:
            text = text[:LEAD_CHARS].rsplit(" ", 1)[0] + " " + ELLIPSIS
        return cls(
            article.id,
            article.title,
            article.url,
            article.source,
            article.lang,
            article.date,
            Snippet(text),
        )


@dataclass(frozen=True)
class Links:
    """Addresses on the web front end (``MANCHETTE_PUBLIC_URL``) that the e-mail points to."""

    base_url: str

    def article(self, article_id: str) -> str:
        return f"{self.base_url}/articles/{quote(article_id, safe='/')}"

    def search(self, saved: SavedSearch) -> str:
        params = {"q": saved.query, "sort": "newest"}
        if saved.lang:
            params["lang"] = saved.lang
        return f"{self.base_url}/search?{urlencode(params)}"

    def feed(self, saved: SavedSearch) -> str:
        return f"{self.base_url}/alerts/{quote(saved.name)}.atom"


def subject(saved: SavedSearch, count: int) -> str:
    plural = "article" if count == 1 else "articles"
    return f"[Manchette] {saved.name}: {count} new {plural}"


def _byline(item: AlertItem) -> str:
    return " · ".join(part for part in (item.source, item.date, item.lang) if part)


def _flat(text: str) -> str:
    return " ".join(text.split())


def plain_text(saved: SavedSearch, items: list[AlertItem], pending: int, links: Links) -> str:
    lang = f" (language: {saved.lang})" if saved.lang else ""
    lines = [
        f"Manchette alert \u201c{saved.name}\u201d: {len(items)} new for {saved.query}{lang}",
        "",
    ]
    for number, item in enumerate(items, start=1):
        lines.append(f"{number}. {_flat(item.title) or item.id}")
        for line in (_byline(item), _flat(item.snippet.text), links.article(item.id)):
            if line:
                lines.append(f"   {line}")
        original = web_url(item.url)
        if original:
            lines.append(f"   Original: {original}")
        lines.append("")
    if pending:
        lines += [f"{pending} more will follow in the next e-mail.", ""]
    lines += [
        f"All results: {links.search(saved)}",
        f"Atom feed: {links.feed(saved)}",
        "",
        f"You receive this because you are a recipient of the saved search {saved.name!r}.",
    ]
    return "\n".join(lines) + "\n"


def _link(href: str, text: str) -> str:
    return f'<a href="{html.escape(href)}">{html.escape(text)}</a>'


def _html_item(item: AlertItem, links: Links) -> str:
    parts = [f"<h2>{_link(links.article(item.id), _flat(item.title) or item.id)}</h2>"]
    if _byline(item):
        parts.append(f'<p class="byline">{html.escape(_byline(item))}</p>')
    if item.snippet.text:
        parts.append(f"<p>{to_html(item.snippet)}</p>")
    original = web_url(item.url)
    if original:
        parts.append(f"<p>{_link(original, 'Original')}</p>")
    return "<li>" + "".join(parts) + "</li>"


def html_text(saved: SavedSearch, items: list[AlertItem], pending: int, links: Links) -> str:
    lang = f" (language: {html.escape(saved.lang)})" if saved.lang else ""
    title = html.escape(f"Manchette alert \u201c{saved.name}\u201d")
    body = [
        f"<h1>{title}</h1>",
        f"<p>{len(items)} new for <strong>{html.escape(saved.query)}</strong>{lang}</p>",
        "<ol>",
        *(_html_item(item, links) for item in items),
        "</ol>",
    ]
    if pending:
        body.append(f"<p>{pending} more will follow in the next e-mail.</p>")
    body.append(
        f"<p>{_link(links.search(saved), 'All results')} · "
        f"{_link(links.feed(saved), 'Atom feed')}</p>"
    )
    return (
        '<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8">'
        f"<title>{title}</title></head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n"
    )


def build_message(
    saved: SavedSearch,
    items: list[AlertItem],
    pending: int,
    sender: str,
    links: Links,
    now: datetime,
) -> EmailMessage:
    """One e-mail to every recipient of ``saved`` listing ``items`` (newest first)."""
    message = EmailMessage()
    message["Subject"] = subject(saved, len(items))
    message["From"] = sender
    message["To"] = ", ".join(saved.emails)
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid("alert", domain=sender.rpartition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies, please
    message["X-Manchette-Alert"] = saved.name
    message.set_content(plain_text(saved, items, pending, links))
    message.add_alternative(html_text(saved, items, pending, links), subtype="html")
    return message
