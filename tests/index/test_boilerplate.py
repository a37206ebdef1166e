"""Boilerplate rules: each kind, in each language, from hand-written examples.

The examples live in ``tests/data/boilerplate.json`` (rule → language → blocks), shared with
``test_fields.py``, which checks that none of them reaches an article's body.
"""

from __future__ import annotations

import json
import re
import re._parser as sre_parse
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from builders import corpus_lines
from index.boilerplate import (
    _ARTEFACT_INSIDE,
    ARTEFACTS,
    RULES,
    _unglue,
    boilerplate_rule,
    credit_of,
    headline_runs,
    is_artefact,
    is_byline,
    is_caption,
    is_end_heading,
    is_name_list,
    is_stamp,
    read_also_title,
)
from index.text import count_words

EXAMPLES = json.loads(
    (Path(__file__).resolve().parent.parent / "data" / "boilerplate.json").read_text("utf-8")
)
CASES = [
    (rule, lang, text)
    for rule, languages in EXAMPLES.items()
    for lang, texts in languages.items()
    for text in texts
]
LANGUAGES = ("fr", "en", "de", "es", "pt", "ru")


@pytest.mark.parametrize(("rule", "lang", "text"), CASES)
def test_boilerplate_rule_names_what_it_removes(rule: str, lang: str, text: str):
    assert boilerplate_rule(text) == rule


@pytest.mark.parametrize("rule", [r for r in RULES if r != "artefact"])
def test_every_kind_has_examples_in_every_language(rule: str):
    assert set(LANGUAGES) <= set(EXAMPLES[rule])


def test_every_rule_is_exercised():
    assert set(EXAMPLES) == set(RULES)


@pytest.mark.parametrize(
    "text",
    [
        "The harbour authority confirmed on Monday that the new ferry line will open in the "
        "spring, after two years of delays caused by the storms.",
        "La mairie a confirmé lundi que la nouvelle ligne de ferry ouvrira au printemps.",
        "Die Hafenbehörde hat am Montag bestätigt, dass die neue Fährlinie im Frühjahr öffnet.",
        "El ayuntamiento aprobó anoche el presupuesto de la ciudad para el próximo año.",
        "A câmara municipal aprovou ontem à noite o orçamento da cidade.",
        "Городской совет вчера вечером утвердил бюджет на следующий год.",
        "The regulator fined the company for setting tracking cookies without consent.",
        "Suivez le guide : voici comment la ville a financé son nouveau port de plaisance, "
        "avec des fonds européens, régionaux et municipaux réunis sur dix ans de travaux.",
        "OK Computer is the third album by Radiohead.",
        "Le rapport publié le 3 mars 2015 montre que la ville a perdu 3 % de ses habitants.",
        "Par ailleurs, la ville a voté le budget.",
        "By 2030, the EU wants every port to run on shore power.",
        "Von Montag an gilt die neue Regel.",
        "Le Hamas et le Fatah/OLP ont signé un accord.",
        "Il a rejoint Renault/Nissan en 2019.",
        "I thought I would use the newsletter this weekend to think out loud.",
        "Que se serait-il passé si ces textes avaient suivi les recommandations ?",
        "What comes next",
        "Emmanuel Macron",
        "Le conflit Israël / Hamas à son tour instrumentalisé",  # a subheading, not a caption
        "The company launched a free weekly newsletter for its clients last year, and it grew.",
        "Реклама алкоголя на телевидении запрещена с 2012 года, напомнил министр.",
        "Abdallah Ahmed, Al Jazeera senior investigation producer",  # a guest, not a bio
    ],
)
def test_article_text_is_not_boilerplate(text: str):
    assert boilerplate_rule(text) is None


# --- stamps and bylines in detail --------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["Publié le 06/11/23 à 19h38", "Sun October 1, 2023", "28.11.2022", "lundi, 1er janvier 2024"],
)
def test_stamps(text: str):
    assert is_stamp(text)


@pytest.mark.parametrize(
    "text",
    [
        "Le 20 avril, à Bruxelles, les ministres se sont réunis pour la troisième fois.",
        "The report, published on March 3, 2015, found that the city had lost 3% of its people.",
    ],
)
def test_prose_mentioning_a_date_is_no_stamp(text: str):
    assert not is_stamp(text)


@pytest.mark.parametrize(
    ("text", "byline"),
    [
        ("Par Mathilde Cousin", True),
        ("Von Anna Schmidt, dpa", True),
        ("By John Smith, a reporter who covered the war for ten years.", False),
        ("Par ailleurs, la ville a voté.", False),
    ],
)
def test_bylines(text: str, byline: bool):
    assert is_byline(text) is byline


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Mathilde Cousin", True),
        ("Ben Collins and Jo Ling Kent", True),
        ("Le Parisien avec AFP", True),
        ("What comes next", False),
        ("", False),
    ],
)
def test_name_lists(text: str, names: bool):
    assert is_name_list(text) is names


def test_captions_end_with_a_credit():
    assert is_caption("Le port au petit matin. © Jean Dupont / Le Quotidien")
    assert not is_caption("Le port au petit matin, avant l'arrivée des premiers cargos.")


# --- "read also", "more stories", credits -------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "title"),
    [
        ("Lire aussi : Le port fête ses cent ans", "Le port fête ses cent ans"),
        ("À lire aussi : Le port fête ses cent ans", "Le port fête ses cent ans"),
        ("À lire aussiLe port fête ses cent ans", "Le port fête ses cent ans"),
        ("LIRE AUSSI >> Le port fête ses cent ans", "Le port fête ses cent ans"),
        ("Read more: Harbour turns 100", "Harbour turns 100"),
        ("Read also - Harbour turns 100", "Harbour turns 100"),
        ("Lesen Sie auch: Der Hafen wird 100", "Der Hafen wird 100"),
        ("Lee también: El puerto cumple cien años", "El puerto cumple cien años"),
        ("Leia também: O porto faz cem anos", "O porto faz cem anos"),
        ("Читайте также: Порту исполнилось сто лет", "Порту исполнилось сто лет"),
        ("À lire aussi", ""),
        ("Read more about the harbour, she said.", None),
        ("Lire aussitôt la suite.", None),
        ("La mairie a confirmé lundi que la ligne ouvrira au printemps.", None),
    ],
)
def test_read_also_title(line: str, title: str | None):
    assert read_also_title(line) == title


@pytest.mark.parametrize(
    "text",
    [
        "Sur le même sujet",
        "Les plus lus",
        "More from CNN Business",
        "Recommended Stories",
        "Mehr zum Thema",
        "Noticias relacionadas",
        "Notícias relacionadas",
        "Читать на эту тему",
    ],
)
def test_end_headings(text: str):
    assert is_end_heading(text)


def test_a_sentence_starting_like_an_end_heading_is_none():
    assert not is_end_heading("More from the harbour authority was expected on Monday night.")


@pytest.mark.parametrize(
    ("text", "credit"),
    [
        ("Title© AFP", "AFP"),
        ("Title Photo: Reuters/Jane Doe", "Reuters/Jane Doe"),
        ("Photo : Jean Dupont", "Jean Dupont"),
        ("© 2023 Le Quotidien. Tous droits réservés.", ""),
        ("The harbour at dawn.", None),
    ],
)
def test_credit_of(text: str, credit: str | None):
    assert credit_of(text, "Title") == credit


@given(st.text(max_size=300))
def test_rules_never_raise(text: str):
    assert boilerplate_rule(text) in (None, *RULES)
    read_also_title(text)
    credit_of(text, "Title")


# --- runs of other articles' headlines ------------------------------------------------------

PROSE = "La mairie a confirmé lundi que la nouvelle ligne de ferry ouvrira au printemps."
TITLES = [
    "Caucase du Nord : l'embrasement que redoute le Kremlin",
    "Marche contre le froid : la troublante visite du ministre ...",
    "Travail : pourquoi les plus méritants ne sont plus reconnus",
]


@pytest.mark.parametrize(
    ("texts", "runs"),
    [
        ([PROSE, *TITLES, PROSE], [(1, 3)]),
        # numbers and section labels between the titles belong to the run
        ([PROSE, "1", TITLES[0], "International", TITLES[1], "2", TITLES[2]], [(2, 6)]),
        ([*TITLES, PROSE, *TITLES], [(0, 2), (4, 6)]),
    ],
)
def test_headline_runs_find_lists_of_titles(texts: list[str], runs: list[tuple[int, int]]):
    assert headline_runs(texts) == runs


@pytest.mark.parametrize(
    "texts",
    [
        [PROSE, *TITLES[:2], PROSE],  # two titles: a subheading and a caption, maybe
        [PROSE, "Il est parti.", "Personne ne l'a revu.", "La police enquête.", PROSE],
        ["Les pays retenus sont les suivants :", *TITLES],  # a list the text announces
        ["Jean Dupont : j'adore ce livre !", "Dans quelle langue l'avez-vous lu ?", TITLES[0]],
        [PROSE, TITLES[0], PROSE, TITLES[1], PROSE, TITLES[2]],  # subheadings between paragraphs
    ],
)
def test_headline_runs_leave_short_real_paragraphs(texts: list[str]):
    assert headline_runs(texts) == []


def _branches(items) -> list[list]:
    """The top-level alternatives of a parsed pattern."""
    if len(items) == 1 and items[0][0] is sre_parse.BRANCH:
        return items[0][1][1]
    return [list(items)]


def _literals(items) -> set[str]:
    found: set[str] = set()
    for op, av in items:
        if op is sre_parse.LITERAL:
            found.add(chr(av))
        elif op in (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT) and av[0] > 0:
            found |= _literals(av[2])
        elif op is sre_parse.SUBPATTERN:
            found |= _literals(av[3])
    return found


def test_artefact_patterns_not_anchored_at_the_start_need_what_the_fast_path_looks_for():
    for branch in _branches(list(sre_parse.parse(ARTEFACTS, re.IGNORECASE))):
        anchored = branch[0] == (sre_parse.AT, sre_parse.AT_BEGINNING)
        spelled = "".join(chr(av) for op, av in branch[:7] if op is sre_parse.LITERAL)
        assert anchored or _literals(branch) & set(_ARTEFACT_INSIDE) or spelled == "skip to"


def test_is_artefact_decides_as_the_whole_regex_does():
    lines = [*corpus_lines()]
    lines += [
        f"{p}{line}" for p in ("x ", "ſKIP TO ", "Skip to main content ") for line in lines[:500]
    ]
    lines += ["a [x] b", "see %41%42%43", "a \\u00e9\\u00e8", "x ______________", "(BUTTON) ok"]
    whole = re.compile(ARTEFACTS, re.IGNORECASE)
    assert sum(map(is_artefact, lines)) > 50
    for line in lines:
        assert is_artefact(line) == bool(whole.search(line.strip())), line


@given(st.lists(st.sampled_from(["a", "b", "Ab", "É", "é", "中文", " ", "\n", ".", "1"])))
def test_ungluing_never_removes_words(parts: list[str]):
    """What lets ``is_stamp`` and ``is_byline`` turn down a long block before ungluing it."""
    for text in ("".join(parts), *corpus_lines()[:: 1 + len(parts) * 50]):
        assert count_words(_unglue(text)) >= count_words(text)
