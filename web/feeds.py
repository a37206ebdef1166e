"""A search as an Atom 1.0 feed (so any feed reader becomes a news alert) and as CSV rows."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

from search.export import EXPORT_COLUMNS, ExportRow, csv_table
from search.export import csv_cell as csv_cell  # where it lived before search.export
from search.results import SearchResult

ATOM_NS = "http://www.w3.org/2005/Atom"
# Characters XML 1.0 forbids (C0 controls other than tab, LF and CR; surrogates; U+FFFE/U+FFFF).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


def rfc3339(date: str | None) -> str | None:
    """An article's ISO date (``2012-05-22`` or a full timestamp) as an Atom date, or None."""
    if not date:
        return None
    try:
        moment = datetime.fromisoformat(date)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def atom_feed(
    result: SearchResult,
    title: str,
    self_url: str,
    page_url: str,
    article_urls: dict[str, str],
    original_urls: dict[str, str | None],
) -> bytes:
    """The result's hits (already newest first) as an Atom 1.0 document."""
    entries = [(hit, rfc3339(hit.date)) for hit in result.hits]
    dated = [d for _, d in entries if d]
    updated = max(dated) if dated else datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    ET.register_namespace("", ATOM_NS)
    feed = ET.Element(f"{{{ATOM_NS}}}feed")

    def add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
        if text is not None:
            element.text = xml_text(text)
        return element

    add(feed, "id", self_url)
    add(feed, "title", title)
    add(feed, "updated", updated)
    add(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    add(feed, "link", rel="alternate", type="text/html", href=page_url)
    add(add(feed, "author"), "name", "Manchette")
    add(feed, "generator", "Manchette")
    for hit, date in entries:
        entry = add(feed, "entry")
        add(entry, "id", article_urls[hit.id])
        add(entry, "title", hit.title or hit.id)
        add(entry, "updated", date or updated)
        if date:
            add(entry, "published", date)
        add(entry, "link", rel="alternate", type="text/html", href=article_urls[hit.id])
        original = original_urls.get(hit.id)
        if original:
            add(entry, "link", rel="related", href=original)
        if hit.source:
            add(add(entry, "author"), "name", hit.source)
        add(entry, "summary", hit.snippet.text, type="text")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def csv_lines(rows: Iterable[ExportRow]) -> Iterator[str]:
    """The header, then one CSV line per row, produced as the rows arrive."""
    return csv_table(EXPORT_COLUMNS, (row.values() for row in rows))
