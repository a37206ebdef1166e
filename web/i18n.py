"""The interface in French and English: Flask-Babel with catalogues read from the ``.po`` files.

The ``.po`` files in ``web/translations/<locale>/LC_MESSAGES/`` are the only catalogues in the
repository: they are compiled in memory when the app starts (no ``.mo`` to build or commit).
The locale is the ``hl`` parameter (remembered in a cookie), else the browser's
``Accept-Language``, else the ``ui_language`` setting (French unless set otherwise).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from urllib.parse import urlencode

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from flask import Flask, Response, current_app, g, request
from flask_babel import Babel, format_number, get_locale, get_translations, gettext

from search import notices
from search.notices import Notice

TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"
DOMAIN = "messages"
LOCALES = {"en": "English", "fr": "Français"}  # UI languages, each named in itself
DEFAULT_LOCALE = "fr"  # a French-first product; the ui_language setting may change it
HL = "hl"  # the query parameter and cookie that choose the UI language (Google's name)
HL_COOKIE_SECONDS = 365 * 24 * 3600


def N_(message: str) -> str:  # babel's keyword for "extract now, translate later"
    """Mark an English message for the catalogue without translating it here."""
    return message


# The refused requests' messages (search/request.py, search/daterange.py), which reach the web
# layer as English text: each one is looked up in the catalogue by its template, its values put
# back in. Keep them word for word as those modules write them (tests/web/test_french.py
# checks). The notices are not here: they come as ``Notice`` objects, and their templates
# (search/notices.py) are catalogue messages themselves.
MESSAGE_TEMPLATES = (
    N_("The query is too long (over %(count)s characters)."),
    N_("The page must be between 1 and %(count)s."),
    N_("The number of hits per page must be between 1 and %(count)s."),
    N_("Sort must be one of: %(choices)s."),
    N_("Unknown filter %(name)s."),
    N_("The language must be a code such as fr or en."),
    N_("The %(name)s must be a whole number, not %(value)s."),
    N_("%(value)s is not a date: use a year (2012), a month (2012-05) or a day (2012-05-22)."),
    N_("%(value)s is not a real date."),
    N_("The start of the date range is after its end."),
)
_PLACEHOLDER = re.compile(r"%\((\w+)\)s|\{(\w+)\}")


def notice_templates() -> list[str]:
    """Every notice template of search/notices.py (each a catalogue message)."""
    return [v for k, v in vars(notices).items() if k.isupper() and isinstance(v, str)]


@cache
def _template_patterns() -> list[tuple[str, re.Pattern[str]]]:
    """Each template as a pattern that matches its message at a position (values captured;
    a value named twice is the same text twice)."""
    compiled = []
    for template in (*notice_templates(), *MESSAGE_TEMPLATES):
        parts = _PLACEHOLDER.split(template)  # literal, %-name, {}-name, literal, ...
        regex, named = "", set()
        for i, part in enumerate(parts):
            if i % 3 == 0:
                regex += re.escape(part)
            elif part:
                regex += f"(?P={part})" if part in named else f"(?P<{part}>.+?)"
                named.add(part)
        compiled.append((template, re.compile(regex + r"(?= |$)")))
    return compiled


def _localized(values: dict[str, object]) -> dict[str, str]:
    """Whole numbers written the interface's way (1000 → 1 000 in French)."""
    return {
        k: format_number(int(str(v))) if re.fullmatch(r"[0-9]+", str(v)) else str(v)
        for k, v in values.items()
    }


def _translated(template: str, values: dict[str, object]) -> str:
    """A template of the search layer in the interface's language, its values put in."""
    if "%(" in template:
        return gettext(template, **_localized(values))
    return gettext(template).format(**_localized(values))


def translate_notices(found: Iterable[Notice] | None) -> str | None:
    """A search's notices in the interface's language, as one text (None when none)."""
    return " ".join(_translated(n.template, n.params) for n in found or ()) or None


def translate_notice(text: str | None) -> str | None:
    """An English message of the search layer (a refused request's, or notices as the JSON
    ``notice`` joins them) in the interface's language; a sentence no template knows stays as
    it is. Pages translate ``Notice`` objects (:func:`translate_notices`) instead."""
    if not text:
        return text
    sentences = []
    pos = 0
    while pos < len(text):
        for template, pattern in _template_patterns():
            match = pattern.match(text, pos)
            if match:
                sentences.append(_translated(template, match.groupdict()))
                pos = match.end()
                break
        else:
            stop = text.find(". ", pos)
            end = len(text) if stop < 0 else stop + 1
            sentences.append(text[pos:end])
            pos = end
        while pos < len(text) and text[pos] == " ":
            pos += 1
    return " ".join(sentences)


def load_catalog(po_file: Path) -> Translations:
    """A ``.po`` catalogue compiled in memory (fuzzy entries left out, as msgfmt does)."""
    with po_file.open("rb") as handle:
        catalog = read_po(handle, locale=po_file.parent.parent.name, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


def select_locale() -> str:
    chosen = request.args.get(HL) or request.cookies.get(HL)
    if chosen in LOCALES:
        return chosen
    return request.accept_languages.best_match(list(LOCALES)) or fallback_locale()


def fallback_locale() -> str:
    """The interface's language when neither ``hl`` nor the browser chooses one of ours."""
    return current_app.config.get("UI_LANGUAGE") or DEFAULT_LOCALE


def ui_locale() -> str:
    return str(get_locale() or fallback_locale())


def switch_links() -> list[dict]:
    """One link per UI language to the current page with ``hl`` set, other parameters kept."""
    params = [(k, v) for k, v in request.args.items(multi=True) if k != HL]
    current = ui_locale()
    return [
        {
            "code": code,
            "name": name,
            "href": f"{request.path}?{urlencode([*params, (HL, code)])}",
            "current": code == current,
        }
        for code, name in LOCALES.items()
    ]


def remember_locale(response: Response) -> Response:
    """Keep an explicit ``hl`` choice in a cookie; say which request headers chose the page."""
    chosen = request.args.get(HL)
    if chosen in LOCALES and request.cookies.get(HL) != chosen:
        response.set_cookie(
            HL, chosen, max_age=HL_COOKIE_SECONDS, httponly=True, samesite="Lax", path="/"
        )
    if response.mimetype == "text/html":
        response.vary.update(("Accept-Language", "Cookie"))
    return response


def page_translations() -> Translations:
    """The request's catalogue, looked up once per request and kept on ``g``: Flask-Babel
    looks it up again for every message (four context lookups each: a quarter of a results
    page's rendering). Nothing here changes the locale within a request (no ``force_locale``)."""
    found = g.get("manchette_translations")
    if found is None:
        found = g.manchette_translations = get_translations()
    return found


def install_page_gettext(app: Flask) -> None:
    """The templates' ``_``/``gettext``/``ngettext`` as Flask-Babel installs them (the same
    catalogue calls, newstyle: Jinja escapes and puts in the values), through
    ``page_translations``."""
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: page_translations().ugettext(s),
        ngettext=lambda s, p, n: page_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: page_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: page_translations().unpgettext(c, s, p, n),
    )


def init_i18n(app: Flask) -> None:
    fallback = app.config.setdefault("UI_LANGUAGE", DEFAULT_LOCALE)
    if fallback not in LOCALES:
        choices = " or ".join(LOCALES)
        raise ValueError(f"invalid setting: ui_language must be {choices}, not {fallback}")
    app.config.setdefault("BABEL_DEFAULT_LOCALE", fallback)
    babel = Babel(app, locale_selector=select_locale)
    with app.app_context():
        domain = babel.domain_instance
        for po_file in sorted(TRANSLATIONS_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
            locale = po_file.parent.parent.name
            # Flask-Babel looks catalogues up in this cache first, keyed by (locale, domain).
            domain.cache[(locale, DOMAIN)] = load_catalog(po_file)
    install_page_gettext(app)
    app.jinja_env.globals.update(ui_locale=ui_locale, switch_links=switch_links)
    app.jinja_env.filters["translate_notice"] = translate_notice
    app.jinja_env.filters["translate_notices"] = translate_notices
    app.after_request(remember_locale)
