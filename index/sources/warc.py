"""Web crawls (``.warc``, ``.warc.gz``): each HTML response record is one article.

The URL is the record's ``WARC-Target-URI`` unless the page names a canonical one. The date
is the page's own: ``WARC-Date`` says when the page was crawled, not when it was published,
so it is never used. Records that are not successful HTML responses (requests, metadata,
images, redirects, errors) are skipped; a record that cannot be read is rejected with its
offset, and a file that breaks off is rejected after the records read before.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from index.article import Article
from index.sources.html import article_from_html
from index.sources.limits import MAX_RECORD_BYTES, read_capped, size_text
from index.sources.rejected import Rejected

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def read_warc(path: Path) -> Iterator[Article | Rejected]:
    """The articles of a WARC file, gzip-compressed per record or not at all."""
    path = Path(path)
    offset = 0
    try:
        with open(path, "rb") as stream:
            records = ArchiveIterator(stream)
            for record in records:
                try:
                    page = _html_page(record)
                except (OSError, EOFError, ValueError, zlib.error) as exc:
                    offset = records.get_record_offset()
                    yield Rejected(str(path), f"record at offset {offset}: {exc}")
                    continue
                # The offset is asked for once the record is read: asking reads it to its end.
                offset = records.get_record_offset()
                if page is not None:
                    data, url, charset = page
                    where = f"{path}#offset={offset}"
                    yield article_from_html(data, where, url=url, charset=charset)
    except (OSError, EOFError, ValueError, zlib.error, ArchiveLoadFailed) as exc:
        yield Rejected(str(path), f"unreadable after offset {offset}: {exc}")


def _html_page(record) -> tuple[bytes, str | None, str | None] | None:
    """Body, target URL and declared charset of a successful HTML response, else None."""
    if record.rec_type not in ("response", "resource"):
        return None
    content_type = ""
    if record.http_headers is not None:
        status = record.http_headers.get_statuscode() or ""
        if not status.startswith("2"):
            return None
        content_type = record.http_headers.get_header("Content-Type") or ""
    else:
        content_type = record.rec_headers.get_header("Content-Type") or ""
    mime, _, params = content_type.partition(";")
    if mime.strip().lower() not in _HTML_TYPES:
        return None
    charset = None
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip("\"'") or None
    url = record.rec_headers.get_header("WARC-Target-URI")
    data = read_capped(record.content_stream(), MAX_RECORD_BYTES)
    if data is None:
        raise ValueError(f"HTML response larger than {size_text(MAX_RECORD_BYTES)}")
    if getattr(record.raw_stream, "limit", 0):  # bytes the record announced and never sent
        raise EOFError("record cut short")
    return data, (url or None), charset
