"""The interface in French and English: chosen by ``hl``, a cookie or Accept-Language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from builders import ROOT
from web import create_app
from web.i18n import TRANSLATIONS_DIR

FRENCH = {"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"}


def html_lang(page: str) -> str:
    return re.search(r'<html lang="([a-z]+)">', page).group(1)


@pytest.fixture
def product(sample_index: Path):
    """A client of the app as shipped: no UI_LANGUAGE given, so the product's own fallback."""
    return create_app({"INDEX_DIR": str(sample_index), "TESTING": True}).test_client()


def test_french_without_accept_language(product):
    page = product.get("/search", query_string={"q": "otan"}).get_data(as_text=True)
    assert html_lang(page) == "fr"
    assert "Trier par" in page and "Aller au contenu principal" in page


def test_the_ui_language_setting_changes_the_fallback(sample_index: Path, monkeypatch):
    monkeypatch.setenv("MANCHETTE_UI_LANGUAGE", "en")
    english = create_app({"INDEX_DIR": str(sample_index), "TESTING": True}).test_client()
    page = english.get("/search", query_string={"q": "otan"}).get_data(as_text=True)
    assert html_lang(page) == "en"
    assert "Sort by" in page and "Skip to main content" in page
    french = english.get("/", headers=FRENCH).get_data(as_text=True)
    assert html_lang(french) == "fr"  # the browser's choice still wins


def test_an_unknown_ui_language_is_a_clear_error(sample_index: Path, monkeypatch):
    monkeypatch.setenv("MANCHETTE_UI_LANGUAGE", "de")
    with pytest.raises(ValueError, match="invalid setting: ui_language"):
        create_app({"INDEX_DIR": str(sample_index), "TESTING": True})


def test_english_when_the_setting_says_so(client):
    page = client.get("/search", query_string={"q": "otan"}).get_data(as_text=True)
    assert html_lang(page) == "en"
    assert "Sort by" in page and "Skip to main content" in page


def test_french_from_accept_language(client):
    response = client.get("/search", query_string={"q": "otan"}, headers=FRENCH)
    page = response.get_data(as_text=True)
    assert html_lang(page) == "fr"
    assert "Trier par" in page and "Aller au contenu principal" in page
    assert re.search(r"\d+ résultats pour <strong>otan</strong>", page)
    assert 'id="feed-link"' in page and "Flux Atom" in page
    assert {"Accept-Language", "Cookie"} <= set(response.vary)


def test_unsupported_languages_fall_back_to_the_setting(client, product):
    german = {"Accept-Language": "de-DE,de;q=0.9"}
    assert html_lang(product.get("/", headers=german).get_data(as_text=True)) == "fr"
    assert html_lang(client.get("/", headers=german).get_data(as_text=True)) == "en"


def test_hl_wins_and_is_remembered_in_a_cookie(client):
    response = client.get("/search", query_string={"q": "otan", "hl": "en"}, headers=FRENCH)
    assert html_lang(response.get_data(as_text=True)) == "en"
    assert re.match(r"hl=en;", response.headers["Set-Cookie"])
    later = client.get("/stats", headers=FRENCH)  # the test client keeps the cookie
    assert html_lang(later.get_data(as_text=True)) == "en"
    switched = client.get("/stats", query_string={"hl": "fr"}).get_data(as_text=True)
    assert html_lang(switched) == "fr" and "Ce que contiennent les archives" in switched


def test_unknown_hl_is_ignored(client):
    response = client.get("/", query_string={"hl": "xx"}, headers=FRENCH)
    assert html_lang(response.get_data(as_text=True)) == "fr"
    assert "Set-Cookie" not in response.headers


def test_language_switch_keeps_the_query(client):
    page = client.get(
        "/search", query_string={"q": "otan", "lang": "fr", "page": "2"}, headers=FRENCH
    ).get_data(as_text=True)
    nav = re.search(r'<nav class="lang-switch".*?</nav>', page, re.S).group(0)
    assert 'aria-label="Langue de l’interface"' in nav
    english = re.search(r"<a id=\"hl-en\"[^>]*>", nav).group(0)
    french = re.search(r"<a id=\"hl-fr\"[^>]*>", nav).group(0)
    assert 'href="/search?q=otan&amp;lang=fr&amp;page=2&amp;hl=en"' in english
    assert 'hreflang="en"' in english and 'lang="en"' in english
    assert "aria-current" not in english and 'aria-current="true"' in french


def test_error_pages_are_translated(client):
    page = client.get("/articles/nope", headers=FRENCH).get_data(as_text=True)
    assert "Page introuvable" in page and "Aucun article n’a l’identifiant" in page
    bad = client.get("/search", query_string={"q": "x" * 1001}, headers=FRENCH)
    assert bad.status_code == 400 and "Recherche invalide" in bad.get_data(as_text=True)


def test_numbers_follow_the_locale(client):
    page = client.get("/stats", headers=FRENCH).get_data(as_text=True)
    size = re.search(r'<dd id="stats-size">.*?\((.*?) octets\)', page).group(1)
    assert re.fullmatch(r"\d{1,3}(\u202f\d{3})+", size)  # French groups digits with a space


def _extracted() -> set[str | tuple[str, ...]]:
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    return {
        message
        for _, _, message, _, _ in extract_from_dir(
            ROOT, method_map, options_map, keywords=DEFAULT_KEYWORDS
        )
    }


def test_catalogues_translate_every_string_of_the_interface():
    extracted = _extracted()
    assert len(extracted) > 50
    for locale in ("fr", "en"):
        with (TRANSLATIONS_DIR / locale / "LC_MESSAGES" / "messages.po").open("rb") as f:
            catalog = read_po(f)
        ids = {m.id for m in catalog if m.id}
        assert ids == extracted, (locale, extracted ^ ids)
        if locale == "fr":
            untranslated = [
                m.id
                for m in catalog
                if m.id
                and (m.fuzzy or not all(m.string if isinstance(m.string, tuple) else [m.string]))
            ]
            assert untranslated == []


def test_accept_language_weights_and_regional_variants(client):
    def lang_for(header: str) -> str:
        return html_lang(
            client.get("/", headers={"Accept-Language": header}).get_data(as_text=True)
        )

    assert lang_for("fr-CA") == "fr"
    assert lang_for("de, fr;q=0.5") == "fr"
    assert lang_for("fr-BE;q=0.8, en;q=0.9") == "en"
