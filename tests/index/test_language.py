"""Language identification, restricted to the supported languages."""

from __future__ import annotations

import pytest

from index.language import (
    LANGUAGES,
    choose_language,
    detect_language,
    get_identifier,
    language_code,
)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Le conseil municipal a voté hier soir le budget de la ville.", "fr"),
        ("Les pêcheurs s’inquiètent de la baisse des prix du poisson.", "fr"),
        ("The city council approved the budget late last night.", "en"),
        ("Fishermen are worried about the falling price of fish.", "en"),
        ("Der Stadtrat hat gestern Abend den Haushalt beschlossen.", "de"),
        ("Die Fischer sorgen sich um den sinkenden Fischpreis.", "de"),
        ("El ayuntamiento aprobó anoche el presupuesto de la ciudad.", "es"),
        ("Los pescadores están preocupados por la caída del precio del pescado.", "es"),
        ("A câmara municipal aprovou ontem à noite o orçamento da cidade.", "pt"),
        ("Городской совет вчера вечером утвердил бюджет.", "ru"),
    ],
)
def test_detect_language(text: str, lang: str):
    assert detect_language(text) == lang


@pytest.mark.parametrize("text", ["", "   \n\t", "2023 — 14:05 !!", "…"])
def test_no_letters_no_language(text: str):
    assert detect_language(text) == ""


def test_only_supported_languages_are_answered():
    assert set(get_identifier().nb_classes) == set(LANGUAGES)
    assert detect_language("Hyvää huomenta, kaupunginvaltuusto hyväksyi budjetin.") in LANGUAGES


def test_the_identifier_is_created_once():
    assert get_identifier() is get_identifier()


@pytest.mark.parametrize(
    ("value", "code"),
    [("fr", "fr"), ("fr-FR", "fr"), ("en_GB", "en"), (" PT-br ", "pt"), ("", ""), ("x", "")],
)
def test_language_code(value: str, code: str):
    assert language_code(value) == code


ARTICLE_EN = (
    "The harbour authority confirmed on Monday that the new ferry line will open in the spring, "
    "after two years of delays caused by the storms. Tickets go on sale next week, and the "
    "operator expects the first crossings to be full."
)


def test_a_long_text_is_detected_whatever_the_page_declares():
    assert choose_language(ARTICLE_EN, "fr-FR") == "en"


def test_a_short_text_keeps_the_declared_language():
    assert choose_language("Ferry line", "fr") == "fr"


def test_without_a_declaration_the_text_decides():
    assert choose_language(ARTICLE_EN) == "en"
    assert choose_language("", "") == ""
