"""HTML pages (``.html``, ``.htm``): one page, one article, extracted with trafilatura.

trafilatura finds the main text and the page's metadata (title, site name, publication date
from the markup, never guessed from the text); the page's address is its canonical link, else its
og:url, else trafilatura's, never a tracker's or CDN's (``index.sources.meta.page_url``); a page
without a date in its markup or text takes the one its URL's path states. Its paragraphs then go
through
our own boilerplate rules (``index.fields.clean_paragraphs``), which also move "read also" lines
to ``related`` and take stamps out of the body. ``article_from_html`` is shared with the WARC
reader.
"""

from __future__ import annotations

import codecs
import hashlib
import logging
import re
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from index.article import Article
from index.dates import date_from_url, parse_date
from index.fields import clean_paragraphs
from index.language import choose_language, language_code
from index.sources.meta import Sidecar, open_page, page_url, site_name, source_from_url
from index.sources.rejected import Rejected
from index.text import decode_bytes, normalize_text

# trafilatura logs what it cannot parse ("Document is empty") and pages it finds too short:
# reporting bad inputs is the readers' job (a Rejected in the build report), not a log line's.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_SNIFF_BYTES = 4096
# WHATWG: a page labelled Latin-1 or ASCII is decoded as windows-1252.
_CHARSET_ALIASES = {"iso8859-1": "cp1252", "latin-1": "cp1252", "ascii": "cp1252"}
# Separators between a headline and the site name in <title>: "Headline | CNN Business".
_TITLE_SEPARATORS = re.compile(r"\s+[|/·•:–—-]{1,2}\s+")
# trafilatura writes list items "- item"; AFP writes its subheadings "- Subheading -".
_LIST_ITEM = re.compile(r"^[-*•]\s+(.*?)(?:\s+-)?$")
# Options for trafilatura: markup dates only (its "extensive" search reads dates off the text
# and the URL), and the original publication date rather than the last modification.
_DATE_OPTIONS = {"extensive_search": False, "original_date": True}
_CANONICAL = "//link[contains(concat(' ', normalize-space(@rel), ' '), ' canonical ')]/@href"
_OG_URL = "//meta[@property='og:url' or @name='og:url']/@content"


def read_html(path: Path) -> Iterator[Article | Rejected]:
    """The article of one HTML page, with its sidecar's metadata where the page has none."""
    data, sidecar, problems = open_page(path)
    yield from (Rejected(str(path), problem) for problem in problems)
    if data is not None:
        yield article_from_html(data, str(path), sidecar=sidecar)


def decode_html(data: bytes, charset: str | None = None) -> str:
    """The text of an HTML page: a BOM, else valid UTF-8, else the charset the server
    (``charset``) or the page (``<meta charset>``) declares, else ``decode_bytes``'s guess."""
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return decode_bytes(data)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    match = _META_CHARSET.search(data[:_SNIFF_BYTES])
    for label in (charset, match.group(1).decode("ascii", "ignore") if match else None):
        codec = _codec(label)
        if codec is not None and codec != "utf-8":
            return data.decode(codec, errors="replace")
    return decode_bytes(data)


def _codec(label: str | None) -> str | None:
    try:
        name = codecs.lookup(label.strip()).name if label else None
    except LookupError:
        return None
    return _CHARSET_ALIASES.get(name or "", name)


def article_from_html(
    data: bytes,
    where: str,
    *,
    url: str | None = None,
    charset: str | None = None,
    sidecar: Sidecar | None = None,
) -> Article | Rejected:
    """The article of one page (bytes as served); ``url`` is where it was fetched from, used
    when the page names no canonical URL. Never raises: a page without text is a Rejected."""
    import trafilatura  # here: a run without HTML pages does not pay its import (~0.25 s CPU)

    sidecar = sidecar or Sidecar()
    try:
        tree = trafilatura.load_html(decode_html(data, charset))
        if tree is None:
            return Rejected(where, "not an HTML page")
        declared = language_code(tree.get("lang") or "")
        own_urls = _declared_urls(tree)  # read before trafilatura prunes the tree
        doc = trafilatura.bare_extraction(
            tree,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            date_extraction_params=_DATE_OPTIONS,
        )
    except (ValueError, TypeError, etree.LxmlError, RecursionError) as exc:
        return Rejected(where, f"unreadable HTML: {exc or 'the page could not be parsed'}")
    if doc is None or isinstance(doc, dict) or not (doc.text or "").strip():  # dict: never
        return Rejected(where, "no article text found")
    own = page_url(*own_urls, doc.url)
    article = _article(doc, where, own or page_url(url, sidecar.url), declared, sidecar)
    return article if article.body else Rejected(where, "no article text found")


def _declared_urls(tree) -> list[str]:
    """The addresses a page declares for itself, best first: ``<link rel="canonical">``, then
    ``<meta property="og:url">``."""
    found: list[str] = []
    for query in (_CANONICAL, _OG_URL):
        found += [str(v) for v in tree.xpath(query)]
    return found


def _article(doc, where: str, url: str | None, declared: str, sidecar: Sidecar) -> Article:
    source = site_name(doc.sitename) or sidecar.source or source_from_url(url)
    title = strip_site_name(" ".join(normalize_text(doc.title or "").split()), source, url)
    paragraphs = [_LIST_ITEM.sub(r"\1", p.strip()) for p in normalize_text(doc.text).split("\n")]
    text = "\n".join([title, *paragraphs])
    # The page's own <html lang> (checked against the text), else the sidecar's, else detected.
    lang = sidecar.lang if sidecar.lang and not declared else choose_language(text, declared)
    fields = clean_paragraphs(paragraphs, title, lang)
    content = f"{title}\n\n{fields['body']}"
    return Article(
        id=url or hashlib.sha1(content.encode("utf-8")).hexdigest(),
        title=title,
        lead=fields["lead"],
        body=fields["body"],
        related=fields["related"],
        credit=fields["credit"],
        source=source,
        url=url,
        lang=lang,
        date=parse_date(doc.date or "", lang)
        or fields["date"]
        or sidecar.date
        or date_from_url(url),
        path=where,
    )


def strip_site_name(title: str, source: str, url: str | None = None) -> str:
    """``title`` without the site name a ``<title>`` often ends with ("Headline | CNN Business",
    "Headline - Le Grand Continent"), recognised by the site name or host it repeats."""
    names = {n.casefold() for n in (source, source_from_url(url).split(".")[0]) if len(n) > 2}
    names.discard("")
    while names:
        parts = list(_TITLE_SEPARATORS.finditer(title))
        if not parts:
            break
        tail = title[parts[-1].end() :].casefold()
        if len(tail) < 3 or not any(name in tail or tail in name for name in names):
            break
        title = title[: parts[-1].start()].rstrip()
    return title
