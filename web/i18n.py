"""The interface in English and French: Flask-Babel with catalogues read from the ``.po`` files.

The ``.po`` files in ``web/translations/<locale>/LC_MESSAGES/`` are the only catalogues in the
repository: they are compiled in memory when the app starts (no ``.mo`` to build or commit).
The locale is the ``hl`` parameter (remembered in a cookie), else the browser's
``Accept-Language``, else the ``ui_language`` setting (French unless set otherwise).
"""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import urlencode

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from flask import Flask, Response, current_app, request
from flask_babel import Babel, get_locale

TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"
DOMAIN = "messages"
LOCALES = {"en": "English", "fr": "Français"}  # UI languages, each named in itself
DEFAULT_LOCALE = "fr"  # a French-first product; the ui_language setting may change it
HL = "hl"  # the query parameter and cookie that choose the UI language (Google's name)
HL_COOKIE_SECONDS = 365 * 24 * 3600


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
    app.jinja_env.globals.update(ui_locale=ui_locale, switch_links=switch_links)
    app.after_request(remember_locale)
