"""What a file may say about itself besides its text: a sidecar ``NAME.meta.json``, and site names.

A sidecar sits beside a page (``page.html`` → ``page.meta.json``, or ``page.html.meta.json``)
and holds a JSON object with any of ``url, date, source, lang``. It only fills what the page
itself does not state: the page's own metadata wins.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from index.dates import parse_date
from index.language import language_code
from index.sources.limits import (
    MAX_PAGE_BYTES,
    add_utf16_bom,
    looks_binary,
    read_capped,
    size_text,
)
from index.text import normalize_text

SIDECAR_SUFFIX = ".meta.json"
# Hosts that serve trackers, analytics, advertising or static files for many sites: a page
# links them (a tag manager's <iframe>, a pixel, a script), but they are never the page's own
# address. Matched against the host and its parent domains.
TRACKER_HOSTS = frozenset(
    (
        "googletagmanager.com",
        "google-analytics.com",
        "analytics.google.com",
        "doubleclick.net",
        "googlesyndication.com",
        "googleadservices.com",
        "adservice.google.com",
        "connect.facebook.net",
        "pixel.facebook.com",
        "scorecardresearch.com",
        "chartbeat.com",
        "chartbeat.net",
        "hotjar.com",
        "quantserve.com",
        "tagcommander.com",
        "amazon-adsystem.com",
        "adnxs.com",
        "criteo.com",
        "criteo.net",
        "taboola.com",
        "outbrain.com",
        "xiti.com",
        "matomo.cloud",
        "newrelic.com",
        "nr-data.net",
        "cloudfront.net",
        "akamaihd.net",
        "akamaized.net",
        "fastly.net",
        "jsdelivr.net",
        "cdnjs.cloudflare.com",
        "gstatic.com",
        "googleapis.com",
        "bootstrapcdn.com",
    )
)
# First labels of a host name that serve static files or tracking ("cdn.example.com").
_TRACKER_PREFIXES = (
    "cdn",
    "static",
    "img",
    "images",
    "assets",
    "analytics",
    "stats",
    "tracking",
    "pixel",
    "ads",
    "adserver",
    "metrics",
    "tag",
    "tags",
)
_SITE_NAME_JUNK = " ©®™|-–—·:"


@dataclass(frozen=True)
class Sidecar:
    """The metadata a sidecar file gives for a page; every field may be missing."""

    url: str | None = None
    date: str | None = None
    source: str = ""
    lang: str = ""


def is_sidecar(path: Path) -> bool:
    """Whether ``path`` is a sidecar metadata file rather than an article file."""
    return path.name.lower().endswith(SIDECAR_SUFFIX)


def sidecar_path(path: Path) -> Path | None:
    """The sidecar of ``path``, if one exists: ``NAME.meta.json`` or ``NAME.EXT.meta.json``."""
    for candidate in (path.with_name(path.stem + SIDECAR_SUFFIX), Path(f"{path}{SIDECAR_SUFFIX}")):
        if candidate.is_file():
            return candidate
    return None


def read_sidecar(path: Path) -> tuple[Sidecar, str | None]:
    """The sidecar of the page at ``path`` (empty if none) and, if it is unreadable, why."""
    found = sidecar_path(Path(path))
    if found is None:
        return Sidecar(), None
    try:
        record = json.loads(found.read_bytes().decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        return Sidecar(), f"unreadable sidecar {found.name}: {exc}"
    if not isinstance(record, dict):
        return Sidecar(), f"sidecar {found.name} is not a JSON object"
    lang = language_code(_text(record, "lang"))
    url = _text(record, "url").strip() or None
    return Sidecar(
        url=url,
        date=parse_date(_text(record, "date"), lang),
        source=" ".join(normalize_text(_text(record, "source")).split()),
        lang=lang,
    ), None


def open_page(path: Path) -> tuple[bytes | None, Sidecar, list[str]]:
    """A page's bytes (None if unreadable, too large or binary), its sidecar, and the problems
    met reading them. UTF-16 without a byte order mark gets its mark back."""
    try:
        with open(path, "rb") as handle:
            data = read_capped(handle, MAX_PAGE_BYTES)
    except OSError as exc:
        return None, Sidecar(), [f"unreadable file: {exc.strerror or exc}"]
    if data is None:
        size = size_text(Path(path).stat().st_size)
        limit = size_text(MAX_PAGE_BYTES)
        return None, Sidecar(), [f"file too large: {size} (a page is read up to {limit})"]
    data = add_utf16_bom(data)
    if looks_binary(data):
        return None, Sidecar(), ["binary data, not text"]
    sidecar, problem = read_sidecar(path)
    return data, sidecar, [problem] if problem else []


def _text(record: dict, key: str) -> str:
    value = record.get(key)
    return value if isinstance(value, str) else ""


def source_from_url(url: str | None) -> str:
    """The site an article comes from, as its host name without ``www.`` ("" if unknown)."""
    if not url:
        return ""
    try:
        host = urlsplit(url.strip()).hostname or ""
    except ValueError:  # a malformed address, e.g. "http://[::1"
        return ""
    return host.removeprefix("www.")


def is_tracker_url(url: str | None) -> bool:
    """Whether ``url`` points to a tracker, analytics, advertising or CDN host (a tag manager's
    iframe, a pixel), which a page links but which is never its own address; a Facebook pixel
    (``facebook.com/tr``) too."""
    host = source_from_url(url)
    if not host:
        return False
    labels = host.split(".")
    if any(".".join(labels[i:]) in TRACKER_HOSTS for i in range(len(labels) - 1)):
        return True
    if len(labels) > 2 and re.sub(r"\d+$", "", labels[0]) in _TRACKER_PREFIXES:
        return True
    path = urlsplit(url.strip()).path if url else ""
    return host.endswith("facebook.com") and path.rstrip("/") == "/tr"


def page_url(*candidates: str | None) -> str | None:
    """The first of ``candidates`` (in order of preference) that is an absolute http(s) URL
    and no tracker's."""
    for url in candidates:
        url = (url or "").strip()
        if url.lower().startswith(("http://", "https://")) and not is_tracker_url(url):
            return url
    return None


def site_name(name: str | None, url: str | None = None) -> str:
    """A readable site name: ``name`` tidied ("Guinéenews©" → "Guinéenews"; a bare host name
    loses its "www."), else the host of ``url``."""
    name = " ".join(normalize_text(name or "").split()).strip(_SITE_NAME_JUNK)
    if name and " " not in name and "." in name:  # "www.20minutes.fr": a host, not a name
        host = f"http://{name}"
        name = "" if is_tracker_url(host) else source_from_url(host) or name
    return name or source_from_url(url)
