"""The one place where text becomes HTML: snippets' spans turn into escaped ``<mark>`` markup.

Also the small presentation helpers the templates use as filters (links, language names, the
geometry of the date histogram): each returns plain data that Jinja then escapes.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime

from babel import Locale, UnknownLocaleError, numbers
from babel.units import format_unit
from flask import Flask
from flask_babel import format_datetime, format_decimal, get_locale, gettext, ngettext
from markupsafe import Markup

from search.links import web_url as safe_url  # only http(s) article URLs may become links
from search.results import Histogram
from search.snippets import Snippet, to_html

CHART_WIDTH = 600  # the histogram's viewBox; CSS scales it to the column
CHART_HEIGHT = 100
SIZE_UNITS = ("kilobyte", "megabyte", "gigabyte", "terabyte")  # of 1,000 (as disks count)
ONE_DECIMAL = "#,##0.0"


def snippet_html(snippet: Snippet) -> Markup:
    """``to_html`` escapes every piece of article text; only then is it marked safe."""
    return Markup(to_html(snippet))


def language_name(code: str, native: bool = False) -> str:
    """``fr`` → "French" (or "Français" on the French interface, or always with ``native``,
    as language menus name each language in itself); unknown codes as they are."""
    return _language_name(code, code if native else str(get_locale() or "en"))


@functools.lru_cache(maxsize=1024)
def _language_name(code: str, in_locale: str) -> str:
    """``language_name``, remembered: a results page names a language for every hit, facet
    value and menu option, and babel parses the locale each time."""
    try:
        name = Locale.parse(code).get_display_name(in_locale)
    except (ValueError, TypeError, UnknownLocaleError):
        return code
    return name[:1].upper() + name[1:] if name else code


def number_text(number: int | float) -> str:
    """A count as the interface writes it (Flask-Babel's ``numberformat``: 12 345, 12,345)."""
    return _number_text(number, str(get_locale() or "en"))


@functools.lru_cache(maxsize=4096)
def _number_text(number: int | float, locale: str) -> str:
    """``number_text``, remembered (babel reads the locale's symbols for every number)."""
    return numbers.format_decimal(number, locale=locale)


def when(iso: str | None) -> str:
    """An ISO timestamp in the interface's language (as given if it does not parse)."""
    if not iso:
        return ""
    try:
        return format_datetime(datetime.fromisoformat(iso), "medium")
    except ValueError:
        return iso


def size_text(size_bytes: int) -> str:
    """A size in the interface's language and units: 4.6 MB, 4,6 Mo (a narrow space in French)."""
    if size_bytes < 1000:
        return ngettext("%(num)s byte", "%(num)s bytes", size_bytes)
    value, step = size_bytes / 1000, 0
    while value >= 1000 and step < len(SIZE_UNITS) - 1:
        value, step = value / 1000, step + 1
    return format_unit(
        value,
        f"digital-{SIZE_UNITS[step]}",
        length="short",
        format=ONE_DECIMAL,
        locale=get_locale() or "fr",
    )


def seconds_text(seconds: float | None) -> str:
    """A duration to a tenth of a second: 2.6 s, 2,6 s."""
    return gettext("%(seconds)s s", seconds=format_decimal(seconds or 0.0, ONE_DECIMAL))


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    x: str
    y: str
    w: str
    h: str


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    peak_label: str
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT
    base: int = CHART_HEIGHT


def histogram_bars(histogram: Histogram) -> Chart:
    """Bar rectangles (SVG user units, as strings) for a histogram, tallest bar full height."""
    step = CHART_WIDTH / max(len(histogram.buckets), 1)
    peak = max(histogram.peak, 1)
    bars = []
    for i, bucket in enumerate(histogram.buckets):
        height = CHART_HEIGHT * bucket.count / peak
        if bucket.count:
            height = max(height, 1.5)  # one match still shows
        bars.append(
            Bar(
                label=bucket.label,
                count=bucket.count,
                x=f"{i * step + step * 0.1:.2f}",
                y=f"{CHART_HEIGHT - height:.2f}",
                w=f"{step * 0.8:.2f}",
                h=f"{height:.2f}",
            )
        )
    busiest = max(histogram.buckets, key=lambda b: b.count, default=None)
    return Chart(bars=bars, peak_label=busiest.label if busiest else "")


def register_filters(app: Flask) -> None:
    app.jinja_env.filters["snippet_html"] = snippet_html
    app.jinja_env.filters["safe_url"] = safe_url
    app.jinja_env.filters["language_name"] = language_name
    app.jinja_env.filters["numberformat"] = number_text  # in place of Flask-Babel's
    app.jinja_env.filters["when"] = when
    app.jinja_env.filters["size_text"] = size_text
    app.jinja_env.filters["seconds_text"] = seconds_text
    app.jinja_env.filters["histogram_bars"] = histogram_bars
