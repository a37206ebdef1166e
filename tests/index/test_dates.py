"""Dates written in text, in each supported language, and dates from metadata."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from index.dates import date_from_url, date_only, find_date, parse_date

# --- one language at a time ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "date"),
    [
        # French
        ("22 mai 2012", "2012-05-22"),
        ("Publié le 12/03/2019 à 10h05", "2019-03-12"),
        ("Publié le 20 novembre 2023 à 15h15", "2023-11-20"),
        ("lundi, 1er janvier 2024", "2024-01-01"),
        ("Mis à jour le 28 févr. 2022", "2022-02-28"),
        # English
        ("March 3, 2015", "2015-03-03"),
        ("Updated February 14, 2023, 4:47 p.m.", "2023-02-14"),
        ("Sun October 1, 2023", "2023-10-01"),
        ("Feb. 28, 2022, 5:00 AM UTC", "2022-02-28"),
        ("Tue 7 Nov 2023 07.00 CET", "2023-11-07"),
        # German
        ("3. März 2015", "2015-03-03"),
        ("Veröffentlicht am 20. November 2023", "2023-11-20"),
        ("Stand: 03.03.2015, 10:05 Uhr", "2015-03-03"),
        # Spanish
        ("3 de marzo de 2015", "2015-03-03"),
        ("Publicado el 20 de noviembre del 2023", "2023-11-20"),
        # Portuguese
        ("3 de março de 2015", "2015-03-03"),
        ("Atualizado em 9 de dezembro de 2023", "2023-12-09"),
        # Russian
        ("3 марта 2015", "2015-03-03"),
        ("Опубликовано 2 августа 2022 года, 10:05", "2022-08-02"),
        ("28.11.2022", "2022-11-28"),
        # Chinese, ISO
        ("2023年09月06日 07:41", "2023-09-06"),
        ("2023-11-20T10:00:00Z", "2023-11-20"),
        ("2023/10/13", "2023-10-13"),
        ("2022 - 11 - 25 09 : 25 : 59 来 源 ： 环球 时报", "2022-11-25"),  # segmented words
    ],
)
def test_find_date(text: str, date: str):
    assert find_date(text) == date


@pytest.mark.parametrize(
    "text",
    [
        "Le 20 avril, à Bruxelles",  # no year: never guessed
        "publié le 21 février",
        "Published March 3",
        "3. März",
        "3 de marzo",
        "3 марта",
        "31 février 2023",  # no such day
        "Le 5 mai 1850",  # out of the plausible range
        "",
        "La réunion a rassemblé 2 000 personnes.",
    ],
)
def test_no_full_date_no_date(text: str):
    assert find_date(text) is None


# --- numeric dates: which number is the day ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang", "date"),
    [
        ("12/03/2019", "fr", "2019-03-12"),  # day first outside English
        ("12.03.2019", "de", "2019-03-12"),
        ("12/03/2019", "en", None),  # English: either way round, never guessed
        ("12/03/2019", "", None),  # unknown language: the same
        ("10/26/2023", "en", "2023-10-26"),  # 26 cannot be a month
        ("26/10/2023", "", "2023-10-26"),
        ("Publié le 12/03/2019", "", "2019-03-12"),  # a French stamp says day first
        ("Le 27/09/2023 à 17:08", "", "2023-09-27"),
    ],
)
def test_numeric_dates(text: str, lang: str, date: str | None):
    assert find_date(text, lang) == date


@pytest.mark.parametrize(
    ("text", "lang", "date"),
    [
        ("Publié le 08/03/22 à 15h29", "", "2022-03-08"),  # two-digit year in a stamp
        ("Mis à jour le 09/03/22", "fr", "2022-03-09"),
        ("Updated 10/26/23", "en", "2023-10-26"),
        ("Updated 08/03/22", "en", None),  # English stamp, either way round
        ("Rendez-vous le 08/03/22", "fr", None),  # not a stamp: two digits are not a year
    ],
)
def test_two_digit_years_only_in_stamps(text: str, lang: str, date: str | None):
    assert find_date(text, lang) == date


def test_the_first_date_written_wins():
    stamp = "Publié le 08/03/2022 à 15h29 — Mis à jour le 09/03/2022 à 10h00"
    assert find_date(stamp) == "2022-03-08"


# --- metadata ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "date"),
    [
        ("2024-03-03", "2024-03-03"),
        ("2024-03-04T08:30:00Z", "2024-03-04T08:30:00Z"),  # a stated timestamp is kept
        ("2024-03-04T08:30:00+01:00", "2024-03-04T08:30:00+01:00"),
        ("  2024-03-03 ", "2024-03-03"),
        ("3 mars 2024", "2024-03-03"),  # not ISO: read as text
        ("0201-12-14", None),  # implausible year
        ("soon", None),
        ("", None),
    ],
)
def test_parse_date(value: str, date: str | None):
    assert parse_date(value) == date


def test_parse_date_uses_the_language_for_numeric_dates():
    assert parse_date("03/04/2024", "fr") == "2024-04-03"
    assert parse_date("03/04/2024", "en") is None


def test_date_only():
    assert date_only("2024-03-04T08:30:00Z") == "2024-03-04"
    assert date_only(None) is None


@given(st.text(max_size=200), st.sampled_from(["", "fr", "en", "de", "es", "pt", "ru"]))
def test_find_date_never_raises_and_answers_iso(text: str, lang: str):
    date = find_date(text, lang)
    assert date is None or (len(date) == 10 and date[4] == date[7] == "-")


def test_a_date_glued_to_the_next_one_is_read():
    # "Updated" then "published", printed with nothing between them.
    assert find_date("08.10.202225.08.2022 от Алёна Коваленко", "ru") == "2022-10-08"


@pytest.mark.parametrize(
    ("url", "date"),
    [
        ("https://legrandcontinent.eu/fr/2023/10/26/comprendre-la-desinformation/", "2023-10-26"),
        ("https://www.aljazeera.com/podcasts/2023/10/23/the-take", "2023-10-23"),
        ("https://www.lavoixdunord.fr/1272742/article/2022-12-30/lutte-contre", "2022-12-30"),
        ("https://news.example/2023/1/5/story.html", "2023-01-05"),
        ("https://news.example/archive/20231019/story", "2023-10-19"),
        ("https://news.example/2023/10/story", None),  # a year and a month: no day, no date
        ("https://news.example/2023/13/01/story", None),  # no 13th month
        ("https://news.example/2023/02/30/story", None),  # no 30 February
        ("https://news.example/story-12345678", None),
        ("https://news.example/search?from=2023/10/19/", None),  # the query is not the path
        (None, None),
        ("", None),
    ],
)
def test_date_from_url(url: str | None, date: str | None):
    assert date_from_url(url) == date
