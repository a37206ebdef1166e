"""Splitting page dumps into fields: the seed article, then one hand-made case per rule."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from index.fields import clean_paragraphs, split_blocks, split_fields
from index.sources import read_text

DATA = Path(__file__).resolve().parent.parent / "data"
SEED = DATA / "seed" / "000_6295ffdbc15f7e73.txt"
LYNX_FR = DATA / "dumps" / "lynx_fr.txt"

SEED_TITLE = (
    "«Pas de coopération» : le premier Conseil OTAN-Russie depuis 2014 n’a pas abouti à grand-chose"
)
SEED_RELATED = [
    "«Il faut qu’on parle !» L’OTAN veut renouer le contact avec la Russie",
    "L'OTAN renforce ses moyens militaire en Europe de l'Est malgré l'avertissement russe",
]

TITLE = "A title for the test page"
PROSE_EN = (
    "The harbour authority confirmed on Monday that the new ferry line will open in the spring, "
    "after two years of delays caused by the storms."
)
PROSE_FR = (
    "La mairie a confirmé lundi que la nouvelle ligne de ferry ouvrira au printemps, après deux "
    "années de retard dues aux tempêtes."
)
PROSE_DE = (
    "Die Hafenbehörde hat am Montag bestätigt, dass die neue Fährlinie im Frühjahr öffnet, nach "
    "zwei Jahren Verspätung wegen der Stürme."
)


def page(*blocks: str, title: str = TITLE) -> str:
    """A page dump: the title, then blocks separated by blank lines."""
    return "\n\n".join([title, *blocks]) + "\n"


# --- the seed article (the acceptance test) -------------------------------------------


@pytest.fixture(scope="module")
def seed() -> dict:
    return split_fields(SEED.read_text(encoding="utf-8"))


def test_seed_title(seed: dict):
    assert seed["title"] == SEED_TITLE


def test_seed_body_keeps_the_article(seed: dict):
    assert seed["body"].startswith("Le 20 avril")
    assert "Stoltenberg" in seed["body"]
    assert "provocation" in seed["body"]
    assert seed["body"].endswith("hélicoptères de combat et engins blindés.")


@pytest.mark.parametrize(
    "banned",
    ["cookies", "Tout Accepter", "Suivez RT France", "Raconter l'actualité", "Lire aussi", "OK"],
)
def test_seed_body_has_no_boilerplate(seed: dict, banned: str):
    assert banned.casefold() not in seed["body"].casefold()
    assert banned.casefold() not in seed["lead"].casefold()


def test_seed_related_holds_both_read_also_titles(seed: dict):
    assert seed["related"] == SEED_RELATED


def test_seed_credit_and_date(seed: dict):
    assert seed["credit"] == "Capture d'écran du site www.nato.int"
    assert seed["date"] is None


def test_seed_lead_is_the_first_paragraph(seed: dict):
    assert seed["lead"] == seed["body"].split("\n\n")[0]
    assert seed["lead"].endswith("rien n’a changé.")
    assert len(seed["body"].split("\n\n")) == 6


def test_seed_read_as_a_file():
    (article,) = read_text(SEED)
    assert article.title == SEED_TITLE
    assert article.body.startswith("Le 20 avril")
    assert article.related == SEED_RELATED
    assert article.credit == "Capture d'écran du site www.nato.int"
    assert article.date is None
    assert article.lang == "fr"


# --- boilerplate: every hand-written example of test_boilerplate.py ---------------------------

EXAMPLES = json.loads((DATA / "boilerplate.json").read_text(encoding="utf-8"))
# Paywall prompts end the article instead (see test_paywall_prompt_ends_the_article).
JUNK = [
    t
    for rule, by_lang in EXAMPLES.items()
    if rule != "paywall"
    for ts in by_lang.values()
    for t in ts
]


@pytest.mark.parametrize("prose", [PROSE_EN, PROSE_FR, PROSE_DE])
@pytest.mark.parametrize("junk", JUNK)
def test_boilerplate_never_reaches_the_body(prose: str, junk: str):
    fields = split_fields(page(junk, prose, junk, prose + " Again.", junk))
    assert fields["body"] == f"{prose}\n\n{prose} Again."
    assert fields["lead"] == prose


@pytest.mark.parametrize(
    "slogans",
    [
        ["Raconter l'actualité", "Le port, la ville, la mer"],
        ["All the news that matters", "Home of the harbour"],
        ["Nachrichten aus aller Welt"],
    ],
)
def test_short_lines_after_the_article_are_dropped(slogans: list[str]):
    fields = split_fields(page(PROSE_FR, PROSE_EN, *slogans))
    assert fields["body"] == f"{PROSE_FR}\n\n{PROSE_EN}"


def test_short_lines_before_the_article_are_dropped():
    fields = split_fields(page("Accueil Monde Sport", "Dernières nouvelles", PROSE_FR))
    assert fields["body"] == PROSE_FR


def test_subheading_inside_the_article_is_kept():
    fields = split_fields(page(PROSE_EN, "What comes next", PROSE_EN + " Again."))
    assert fields["body"].split("\n\n") == [PROSE_EN, "What comes next", PROSE_EN + " Again."]


# --- "read also" lines --------------------------------------------------------------------------


def test_read_also_lines_go_to_related_in_order_without_duplicates():
    text = page(
        PROSE_EN,
        "Read more: Harbour turns 100",
        PROSE_EN + " Again.",
        "Lesen Sie auch: Der Hafen wird 100",
        "Read more: Harbour turns 100",
    )
    fields = split_fields(text)
    assert fields["related"] == ["Harbour turns 100", "Der Hafen wird 100"]
    assert fields["body"] == f"{PROSE_EN}\n\n{PROSE_EN} Again."


def test_read_also_heading_announces_the_headlines_below_it():
    text = page(
        PROSE_FR,
        "À lire aussi",
        "Le chantier naval relance les voiliers de charge",
        "Quais : la mairie veut piétonniser le front de mer",
        PROSE_FR + " Encore.",
    )
    fields = split_fields(text)
    assert fields["related"] == [
        "Le chantier naval relance les voiliers de charge",
        "Quais : la mairie veut piétonniser le front de mer",
    ]
    assert fields["body"] == f"{PROSE_FR}\n\n{PROSE_FR} Encore."


def test_more_stories_heading_ends_the_article():
    text = page(PROSE_EN, PROSE_EN + " Again.", "Related stories", PROSE_EN + " Elsewhere.")
    assert split_fields(text)["body"] == f"{PROSE_EN}\n\n{PROSE_EN} Again."


def test_more_stories_heading_before_the_article_is_a_box_beside_it():
    text = page(PROSE_EN, "More stories by Brian", PROSE_FR, PROSE_EN + " Again.")
    assert split_fields(text)["body"] == f"{PROSE_EN}\n\n{PROSE_FR}\n\n{PROSE_EN} Again."


def test_paywall_prompt_ends_the_article():
    text = page(PROSE_EN, PROSE_EN + " Again.", "Already a subscriber? Log in", PROSE_DE)
    assert split_fields(text)["body"] == f"{PROSE_EN}\n\n{PROSE_EN} Again."


# --- photo credits ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("glued", "credit"),
    [
        (
            f"{TITLE}© Capture d'écran du site www.example.org",
            "Capture d'écran du site www.example.org",
        ),
        (f"{TITLE} Photo: Reuters/Jane Doe", "Reuters/Jane Doe"),
        (f"{TITLE}Foto: dpa", "dpa"),
        (f"{TITLE} Crédit : AFP", "AFP"),
    ],
)
def test_title_glued_to_a_credit_gives_the_credit(glued: str, credit: str):
    fields = split_fields(page(glued, PROSE_EN))
    assert fields["title"] == TITLE
    assert fields["credit"] == credit
    assert fields["body"] == PROSE_EN


def test_credit_line_alone_gives_the_credit_once():
    fields = split_fields(page("© AFP", PROSE_FR, "Photo : Jean Dupont", PROSE_FR + " Fin."))
    assert fields["credit"] == "AFP"
    assert fields["body"] == f"{PROSE_FR}\n\n{PROSE_FR} Fin."


def test_repeated_title_is_dropped():
    assert split_fields(page(TITLE, PROSE_EN))["body"] == PROSE_EN


# --- datelines ----------------------------------------------------------------------------------


def test_dateline_before_the_article_gives_the_date():
    fields = split_fields(page("Publié le 20 novembre 2023 à 15h15", PROSE_FR))
    assert fields["date"] == "2023-11-20"
    assert fields["body"] == PROSE_FR


def test_dateline_opening_the_first_paragraph_gives_the_date():
    assert split_fields(page("22 mai 2012. - " + PROSE_FR))["date"] == "2012-05-22"


def test_a_date_inside_the_body_is_not_the_dateline():
    later = "Le référendum du 16 mars 2014 avait déjà divisé la ville, rappelle le maire."
    assert split_fields(page(PROSE_FR, later))["date"] is None


# --- wrapped dumps ------------------------------------------------------------------------------


def test_lynx_dump_is_unwrapped_and_cleaned():
    fields = split_fields(LYNX_FR.read_text(encoding="utf-8"))
    assert fields["title"] == (
        "Le port de Saint-Aubin accueille son premier cargo à voile, une traversée de dix-neuf "
        "jours depuis Lisbonne"
    )
    paragraphs = fields["body"].split("\n\n")
    assert [p[:30] for p in paragraphs] == [
        "Le « Vent d'Ouest », un trois-",
        "« Nous avons mis dix-neuf jour",
        "L'armateur, une coopérative fo",
        "Une filière encore fragile",
        "La chambre de commerce reste p",
    ]
    assert paragraphs[0].endswith("malgré la pluie.")
    assert fields["lead"] == paragraphs[0]
    assert fields["related"] == [
        "Le chantier naval relance la construction de voiliers de charge",
        "Quais : la mairie veut piétonniser le front de mer",
        "Cacao : les prix atteignent un record historique",
    ]
    assert fields["credit"] == "Jean Dupont / Le Quotidien du Port"
    assert fields["date"] == "2024-03-03"


def test_split_blocks_on_blank_lines_and_single_newlines():
    assert split_blocks("One.\n\nTwo.\nThree.\n") == ["One.", "Two.", "Three."]


def test_split_blocks_joins_hard_wrapped_lines():
    sentence = "word " * 60
    wrapped = "\n".join(sentence[i : i + 70].strip() for i in range(0, len(sentence), 70))
    assert split_blocks(wrapped + "\n\nNext paragraph.") == [sentence.strip(), "Next paragraph."]


def test_split_blocks_first_line_indent_starts_a_paragraph():
    lines = [
        "    The company said the warrants are exercisable for five years at a",
        "purchase price of .125 dlrs per share, and that the sale was completed",
        "last week in New York.",
        "    Computer Terminal said Sedio also has the right to buy additional",
        "shares and increase its total holdings up to 40 pct of the company.",
    ]
    blocks = split_blocks("\n".join(lines))
    assert len(blocks) == 2
    assert blocks[0].endswith("completed last week in New York.")


def test_split_blocks_joins_cjk_lines_without_a_space():
    lines = ["海南省旅游和文化广电厅日前发布通知" * 2] * 4
    assert split_blocks("\n".join(lines)) == ["".join(lines)]


# --- invariants ---------------------------------------------------------------------------------


@given(st.text())
def test_split_fields_never_raises_and_returns_clean_fields(text: str):
    fields = split_fields(text)
    assert set(fields) == {"title", "lead", "body", "related", "credit", "date", "lang"}
    assert "\n" not in fields["title"]
    assert fields["lead"] == fields["body"].split("\n\n")[0]
    assert "\n\n\n" not in fields["body"]
    assert all(r and "\n" not in r for r in fields["related"])


def test_empty_text_gives_empty_fields():
    assert split_fields("") == {
        "title": "",
        "lead": "",
        "body": "",
        "related": [],
        "credit": "",
        "date": None,
        "lang": "",
    }


# --- paragraphs an HTML extractor already isolated ---------------------------------------------


def test_clean_paragraphs_sorts_out_stamps_bylines_and_read_also():
    fields = clean_paragraphs(
        [
            TITLE,
            "Par Jeanne Martin",
            "Publié le 03/03/2024 à 09h15 — Mis à jour le 03/03/2024 à 11h02",
            PROSE_FR,
            "Lire aussi : Le chantier naval relance les voiliers de charge",
            "Une filière encore fragile",
            PROSE_FR + " Encore.",
            "Partager sur Facebook",
        ],
        title=TITLE,
    )
    assert fields["body"].split("\n\n") == [
        PROSE_FR,
        "Une filière encore fragile",
        PROSE_FR + " Encore.",
    ]
    assert fields["related"] == ["Le chantier naval relance les voiliers de charge"]
    assert (fields["date"], fields["lang"], fields["lead"]) == ("2024-03-03", "fr", PROSE_FR)


def test_clean_paragraphs_keeps_short_paragraphs():
    fields = clean_paragraphs(["Short one.", "Tiny."], lang="en")
    assert fields["body"] == "Short one.\n\nTiny."


def test_a_lone_name_beside_a_stamp_is_a_byline():
    fields = split_fields(page("Mathilde Cousin", "Publié le 06/11/23 à 19h38", PROSE_FR))
    assert fields["body"] == PROSE_FR
    assert fields["date"] == "2023-11-06"


def test_a_caption_said_twice_is_said_once_and_dropped():
    caption = "Le port au petit matin, avant l'arrivée des cargos. Photo : Jean Dupont"
    fields = split_fields(page(f"{caption} {caption}", PROSE_FR, PROSE_FR + " Encore."))
    assert fields["body"] == f"{PROSE_FR}\n\n{PROSE_FR} Encore."


def test_a_list_of_other_articles_with_their_dates_is_left_out():
    teasers = []
    for n in range(6):
        teasers += [
            f"Headline number {n} about the harbour",
            f"{n + 1} March 2024",
            "A short teaser sentence about another story of the harbour.",
        ]
    fields = split_fields(page(PROSE_EN, PROSE_EN + " Again.", *teasers))
    assert fields["body"] == f"{PROSE_EN}\n\n{PROSE_EN} Again."


@pytest.mark.parametrize(
    "opening", ["Vos commentaires", "Jean Dupont dit :", "12 comments", "Комментарии"]
)
def test_comments_end_the_article(opening: str):
    text = page(
        PROSE_FR, PROSE_FR + " Encore.", opening, "Je ne suis pas d'accord avec cet article."
    )
    assert split_fields(text)["body"] == f"{PROSE_FR}\n\n{PROSE_FR} Encore."


def test_a_date_next_to_the_byline_with_its_outlet_gives_the_date():
    text = page("By Jane Doe, John Roe", "October 14, 2023 / 8:33 AM EDT / CBS News", PROSE_EN)
    fields = split_fields(text)
    assert (fields["date"], fields["body"]) == ("2023-10-14", PROSE_EN)


# --- runs of other articles' headlines (no "read also" marker) ---------------------------------

HEADLINES_FR = [
    "Caucase du Nord : l'embrasement que redoute le Kremlin",
    "Marche contre le froid : la troublante visite du ministre ...",
    "Travail : pourquoi les plus méritants ne sont plus reconnus",
    "Retraites, ce qui manque au gouvernement pour convaincre",
]
HEADLINES_EN = [
    "World Food Program Urges Humanitarian Corridors",
    "Russia Adds Fresh Charges to Jailed Journalist",
    "Digital Rights in Thailand in Free Fall, Analysts Say",
]


@pytest.mark.parametrize(
    "run",
    [
        HEADLINES_FR,
        HEADLINES_EN,
        # numbered, with section labels between the titles
        ["1", HEADLINES_FR[0], "2", "Politique", HEADLINES_FR[1], "3", HEADLINES_FR[2]],
        # a run, then teasers and more titles: the whole "more stories" part goes
        [*HEADLINES_EN, "A teaser sentence about another story of the week.", HEADLINES_FR[0]],
    ],
)
def test_a_run_of_headlines_after_the_article_ends_it(run: list[str]):
    fields = split_fields(page(PROSE_FR, PROSE_FR + " Encore.", *run))
    assert fields["body"] == f"{PROSE_FR}\n\n{PROSE_FR} Encore."


def test_a_run_of_headlines_inside_the_article_extracted_by_html_is_left_out_too():
    fields = clean_paragraphs([PROSE_EN, PROSE_EN + " Again.", *HEADLINES_EN], TITLE, "en")
    assert fields["body"] == f"{PROSE_EN}\n\n{PROSE_EN} Again."


SHORT_PARAGRAPHS = [
    # short real paragraphs, each a sentence
    [
        "Le maire est parti avant la fin de la séance.",
        "Personne ne l'a revu depuis ce soir-là, dit son adjoint.",
        "La police a ouvert une enquête pour disparition inquiétante.",
    ],
    # subheadings, each followed by its paragraph
    [
        "Pas de suppression",
        PROSE_FR + " Bis.",
        "Une menace sur le sol européen",
        PROSE_FR + " Ter.",
    ],
    # two title-like lines only
    ["Une menace sur le sol européen", "Les réponses de Bruxelles en trois points"],
]


@pytest.mark.parametrize("short", SHORT_PARAGRAPHS)
def test_short_real_paragraphs_are_kept(short: list[str]):
    fields = split_fields(page(PROSE_FR, *short, PROSE_FR + " Fin."))
    assert fields["body"] == "\n\n".join([PROSE_FR, *short, PROSE_FR + " Fin."])


@pytest.mark.parametrize(
    "short",
    [
        *SHORT_PARAGRAPHS,
        ["Il est parti.", "Personne ne l'a revu.", "On enquête."],
        # a list the text announces with a colon (in a dump, a run of unpunctuated lines
        # this long already falls outside the article span, with or without this rule)
        [
            "Les pays retenus sont les suivants :",
            "Le Kazakhstan et la Turquie",
            "La Géorgie et l'Arménie",
            "Les pays baltes et la Finlande",
        ],
    ],
)
def test_short_real_paragraphs_extracted_by_html_are_kept(short: list[str]):
    paragraphs = [PROSE_FR, *short, PROSE_FR + " Fin."]
    assert clean_paragraphs(paragraphs, TITLE, "fr")["body"] == "\n\n".join(paragraphs)


# --- promotion boxes and teasers ----------------------------------------------------------------


def test_a_newsletter_box_inside_the_article_is_dropped_with_its_title_and_description():
    box = [
        "Get Harbour Weekly",
        "Our reporters tell the story of the port and its people.",
        "Enter Email",
    ]
    fields = split_fields(page(PROSE_EN, *box, PROSE_EN + " Again."))
    assert fields["body"] == f"{PROSE_EN}\n\n{PROSE_EN} Again."


def test_a_headline_closed_by_a_lone_read_more_goes_to_related():
    teaser = "What makes the harbour master tick? I spent a month on the quays"
    fields = split_fields(page(PROSE_EN, teaser, "Read more", PROSE_EN + " Again."))
    assert fields["body"] == f"{PROSE_EN}\n\n{PROSE_EN} Again."
    assert fields["related"] == [teaser]


@pytest.mark.parametrize(
    "promo",
    [
        "Listen to this article",
        "Open this article in the Harbour Audio app on iOS.",
        "Story continues below advertisement",
        "skip past newsletter promotion",
        ">> Retrouvez l'émission du matin en podcast et en replay ici",
        "This is a rush transcript. Copy may not be in its final form.",
        "Voir cette publication sur Instagram",
        "Jane Doe is a tech reporter covering the harbour. More about Jane Doe",
    ],
)
def test_promotions_markers_and_notices_leave_the_body(promo: str):
    fields = split_fields(page(PROSE_EN, promo, PROSE_EN + " Again."))
    assert fields["body"] == f"{PROSE_EN}\n\n{PROSE_EN} Again."


# --- "more stories" headings in indented dumps --------------------------------------------------


def _indented(*blocks: str) -> str:
    """A lynx dump: a flush-left title, then indented blocks (a flush-left block stays so)."""
    lines = [TITLE, ""]
    for block in blocks:
        lines += [block if block.startswith("!") else f"   {block}", ""]
    return "\n".join(line.removeprefix("!") for line in lines)


def test_an_indented_more_stories_heading_inside_the_article_is_a_box():
    second = "Le préfet a promis une réponse avant la fin du mois, selon son cabinet."
    text = _indented(
        PROSE_FR,
        "Sur le même sujet",
        "!Le port de Saint-Aubin accueille son premier cargo à voile",
        "Le maire a salué une arrivée qu'il attendait depuis des années",
        second,
    )
    assert split_fields(text)["body"] == f"{PROSE_FR}\n\n{second}"


def test_an_indented_more_stories_heading_after_the_signature_ends_the_article():
    text = _indented(
        PROSE_FR,
        PROSE_FR + " Encore.",
        "Par : Jeanne Dupont",
        "Sur le même sujet",
        "!Le port de Saint-Aubin accueille son premier cargo à voile",
        "Le maire a salué une arrivée qu'il attendait depuis des années, a-t-il dit lundi.",
        "!La sécheresse vide le lac de Brenet, les pêcheurs inquiets",
        "Le niveau du lac a baissé de près de deux mètres depuis le printemps, selon le canton.",
    )
    assert split_fields(text)["body"] == f"{PROSE_FR}\n\n{PROSE_FR} Encore."


def test_a_description_between_the_prompts_of_a_newsletter_box_is_dropped():
    box = [
        "skip past newsletter promotion",
        "Sign up to Harbour Weekly",
        "The stories of the port and its people, from the quays to the council",
        "Privacy Notice: Newsletters may contain info about charities. All rights reserved.",
        "after newsletter promotion",
    ]
    after = "Tickets go on sale next week, and the operator expects the first crossings to be full."
    fields = split_fields(page(PROSE_EN, *box, after))
    assert fields["body"] == f"{PROSE_EN}\n\n{after}"


@pytest.mark.parametrize("joined", [True, False])
def test_a_pull_quote_with_its_authors_name_is_said_once(joined: bool):
    quote = "Les perches restent au fond, là où l'eau est encore fraîche."
    paragraph = f"Les pêcheurs ont perdu la moitié de leurs prises. « {quote} », dit l'un d'eux."
    pull = (
        [f"{quote} Jean Dupont, Anne Le Goff"] if joined else [quote, "Jean Dupont, Anne Le Goff"]
    )
    fields = split_fields(page(PROSE_FR, *pull, paragraph))
    assert fields["body"] == f"{PROSE_FR}\n\n{paragraph}"


def test_an_interview_s_short_turns_are_not_a_run_of_headlines():
    turns = [
        "Jonathan Doe: I love that book!",
        "Interviewer: In which language did you read it?",
        "Unfortunately I read Russian very badly, it is very hard for me",
    ]
    fields = split_fields(page(PROSE_EN, PROSE_EN + " Again.", *turns, PROSE_EN + " Third."))
    assert fields["body"] == "\n\n".join(
        [PROSE_EN, PROSE_EN + " Again.", *turns, PROSE_EN + " Third."]
    )


def test_a_box_of_headlines_inside_the_article_is_left_out_and_the_article_goes_on():
    # the article's own paragraphs, long ones, with no headline between them
    resumed = [f"{PROSE_FR} {n} {PROSE_FR}" for n in ("Bis.", "Ter.", "Quater.")]
    fields = split_fields(page(PROSE_FR, PROSE_FR + " Encore.", *HEADLINES_FR[:3], *resumed))
    assert fields["body"] == "\n\n".join([PROSE_FR, PROSE_FR + " Encore.", *resumed])
