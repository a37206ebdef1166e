"""Plain-text page dumps (``.txt``, e.g. ``lynx -dump`` output): one file, one article.

A sidecar ``NAME.meta.json`` beside the dump supplies the URL, date, source and language the
dump does not state (``index.sources.meta``).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

from index.article import Article
from index.fields import split_fields
from index.sources.meta import open_page, source_from_url
from index.sources.rejected import Rejected
from index.text import decode_bytes, normalize_text

# The page's own address, when the dump states it on one of its first lines: a bare URL, or
# "URL: ...", "Source: ...", "Lien : ...".
_URL_LINE = re.compile(
    r"^(?:(?:url|source|lien|link|quelle|fuente|fonte|источник)\s*:\s*)?(https?://\S+)$",
    re.IGNORECASE,
)
_URL_LINES_READ = 5

__all__ = ["find_url", "read_text", "source_from_url"]


def find_url(text: str) -> str | None:
    """The URL a dump states for itself on one of its first non-empty lines, if any."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    for line in lines[:_URL_LINES_READ]:
        match = _URL_LINE.match(line)
        if match:
            return match.group(1)
    return None


def read_text(path: Path) -> Iterator[Article | Rejected]:
    """One article from a page dump; its id is the SHA-1 of the normalised text."""
    path = Path(path)
    data, sidecar, problems = open_page(path)
    yield from (Rejected(str(path), problem) for problem in problems)
    if data is None:
        return
    text = normalize_text(decode_bytes(data))
    fields = split_fields(text, sidecar.lang)
    if not fields["title"] and not fields["body"]:
        yield Rejected(str(path), "no text")
        return
    url = find_url(text) or sidecar.url
    yield Article(
        id=hashlib.sha1(text.encode("utf-8")).hexdigest(),
        title=fields["title"],
        lead=fields["lead"],
        body=fields["body"],
        related=fields["related"],
        credit=fields["credit"],
        source=sidecar.source or source_from_url(url),
        url=url,
        lang=fields["lang"],
        date=fields["date"] or sidecar.date,
        path=str(path),
    )
