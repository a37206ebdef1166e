"""Plain-text page dumps (``.txt``, e.g. ``lynx -dump`` output): one file, one article.

A sidecar ``NAME.meta.json`` beside the dump supplies the URL, date, source and language the
dump does not state (``index.sources.meta``). The URL is one the dump states on its first lines
(never a tracker's), else the sidecar's; the date is the page's own stamp or dateline, else the
sidecar's, else one the URL's path states ("/2023/10/19/").
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

from index.article import Article
from index.dates import date_from_url
from index.fields import split_fields
from index.sources.meta import open_page, page_url, source_from_url
from index.sources.rejected import Rejected
from index.text import decode_bytes, normalize_text

# The page's own address, when the dump states it on one of its first lines: a bare URL, or
# "URL: ...", "Source: ...", "Lien : ...", or the address a page refreshes itself to
# ("REFRESH(600 sec):" then the URL, as lynx renders <meta http-equiv="refresh">).
_URL_LINE = re.compile(
    r"^(?:(?:url|source|lien|link|quelle|fuente|fonte|источник)\s*:\s*)?(https?://\S+)$",
    re.IGNORECASE,
)
_URL_LINES_READ = 8
# lynx wraps a long URL over several lines, cutting it anywhere: a line that is one token of URL
# characters, with a URL's punctuation in it, goes on with the URL above it when that one filled
# its line.
_URL_PIECE = re.compile(r"^[\w\-./%?&=#~+:;,@!$'()*]*[-/_.?&=%][\w\-./%?&=#~+:;,@!$'()*]*$")
_FULL_URL_LINE = 60

__all__ = ["find_url", "read_text", "source_from_url"]


def find_url(text: str) -> str | None:
    """The URL a dump states for itself on one of its first non-empty lines, if any: wrapped
    lines joined back, and never a tracker's, analytics' or CDN's address (a tag manager's
    iframe, a pixel), which is not the page's."""
    lines = [line.strip() for line in text.split("\n") if line.strip()][: _URL_LINES_READ + 4]
    for i, line in enumerate(lines[:_URL_LINES_READ]):
        match = _URL_LINE.match(line)
        if match is None:
            continue
        url, width = match.group(1), len(line)
        for piece in lines[i + 1 :]:
            if width < _FULL_URL_LINE or not _URL_PIECE.match(piece):
                break
            url, width = url + piece, len(piece)
        if page_url(url):
            return url
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
        date=fields["date"] or sidecar.date or date_from_url(url),
        path=str(path),
    )
