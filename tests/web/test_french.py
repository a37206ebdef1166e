"""Every page of the interface, asked for in French, holds no English sentence (issue 16.3).

The pages are rendered from a French-only corpus, so that whatever English is found comes
from the interface (its templates, its messages, the search layer's notices and errors), not
from the articles. An English sentence is told by its function words (``the``, ``is``,
``with``...), which French does not share; text marked with another ``lang`` (the language
menu's "English") is left out.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from xml.etree import ElementTree as ET

import lxml.html
import pytest
from babel.messages.pofile import read_po

from builders import ROOT, write_jsonl
from engines import index_paths
from search import notices
from search.notices import Notice
from web import create_app
from web.i18n import MESSAGE_TEMPLATES, TRANSLATIONS_DIR, translate_notice, translate_notices

FRENCH = {"Accept-Language": "fr-FR,fr;q=0.9"}
ENGLISH_WORDS = frozenset(
    re.findall(
        r"\w+",
        """the and of to is are was were for with this that these you your by from be been has
    have had there which only at in it its not if than will can what all any into per yet
    how who when where more no""",
    )
)
NAMES = ("CC BY",)  # licence names are not sentences
SEEN_AS = ("title", "aria-label", "placeholder", "alt")  # attributes a user sees or hears
NNBSP = "\u202f"

OTAN = (
    "Les ministres de l’OTAN et de la Russie se sont réunis à Bruxelles pour le premier "
    "Conseil OTAN-Russie depuis des années. Aucun accord n’a été trouvé sur la sécurité "
    "européenne, mais les délégations ont promis de se revoir avant l’hiver. Les experts "
    "interrogés jugent que le dialogue reste fragile, que la confiance manque des deux côtés "
    "et que les prochaines rencontres diront si la coopération peut reprendre sur le terrain."
)


def french_records() -> list[dict]:
    records = [
        {
            "id": f"otan-{year}",
            "url": f"https://presse.example/otan-{year}",
            "source": "Presse du Nord",
            "lang": "fr",
            "title": f"Réunion de l’OTAN à Bruxelles en {year}",
            "date": f"{year}-03-12",
            "text": f"Bilan de l’année {year}. Les ministres de l’OTAN ont parlé de défense "
            "commune et de budgets pendant deux jours de réunion.",
        }
        for year in (2014, 2015, 2016, 2017)
    ]
    for n, site in enumerate(("Dépêche Est", "Dépêche Ouest")):  # one story, two copies
        records.append(
            {
                "id": f"conseil-{n}",
                "source": site,
                "lang": "fr",
                "title": "Le Conseil OTAN-Russie se réunit sans résultat",
                "date": f"2018-01-0{n + 1}",
                "text": OTAN + f" Publié par {site}.",
            }
        )
    return records


@pytest.fixture(scope="session")
def french_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("french")
    records = french_records()
    report = index_paths([write_jsonl(base / "fr.jsonl", records)], base / "ix")
    assert report.added == len(records) and not report.rejected, report
    return base / "ix"


@pytest.fixture
def french(french_index: Path):
    app = create_app({"INDEX_DIR": str(french_index), "TESTING": True})

    @app.get("/boom")
    def boom():
        raise RuntimeError("this English text must never reach a page")

    return app.test_client()


def visible_text(page: str, reader: str = "fr") -> list[str]:
    """What a reader of ``reader``'s language sees or hears of a page: text and labels not
    marked as another language, one string per text node or attribute (``code`` holds
    paths, not prose)."""
    tree = lxml.html.document_fromstring(page)
    found = []
    for element in tree.iter():
        if not isinstance(element.tag, str) or element.tag in ("script", "style", "code"):
            continue
        langs = element.xpath("ancestor-or-self::*[@lang][1]/@lang")
        if langs and not langs[0].startswith(reader):
            continue
        found += [element.get(name) for name in SEEN_AS if element.get(name)]
        if element.text:
            found.append(element.text)
        parent = element.getparent()
        if element.tail and parent is not None:
            parent_langs = parent.xpath("ancestor-or-self::*[@lang][1]/@lang")
            if not parent_langs or parent_langs[0].startswith(reader):
                found.append(element.tail)
    return [" ".join(text.split()) for text in found if text.strip()]


def english_in(texts: list[str]) -> list[str]:
    """The strings that read as English (they use English function words)."""
    flagged = []
    for text in texts:
        for name in NAMES:
            text = text.replace(name, "")
        words = set(re.findall(r"[a-z]+", text.lower()))
        if words & ENGLISH_WORDS:
            flagged.append(text)
    return flagged


def test_the_detector_finds_english_and_passes_french():
    page = (
        '<html lang="fr"><body><p>Aucun article ne correspond.</p>'
        '<a lang="en" href="/">English</a><input placeholder="Search the news…">'
        "<p>Trier <b>par</b> date. The query is too long.</p></body></html>"
    )
    assert english_in(visible_text(page)) == ["Search the news…", "date. The query is too long."]


PAGES = {
    "home": "/",
    "empty search": "/search",
    "results": "/search?q=otan",
    "a page of results": "/search?q=otan&limit=1&page=2",
    "collapsed copies": "/search?q=conseil",
    "past the last page": "/search?q=otan&page=50",
    "no match": "/search?q=kangourou",
    "no match with filters": "/search?q=kangourou&lang=fr&year=2015&from=2014",
    "did you mean": "/search?q=Brucelles",
    "notice: quote": '/search?q="conseil otan',
    "notice: field": "/search?q=rubrique:otan",
    "notice: date": "/search?q=otan date:hier",
    "notices together": '/search?q=rubrique:otan date:hier "conseil',
    "notices of the proximity, fuzzy and wildcard forms": "/search?q=otan NEAR/99 conseil~7 NEAR",
    "article": "/articles/otan-2015",
    "stats": "/stats",
    "400 too long": "/search?q=" + "x" * 1001,
    "400 page": "/search?q=otan&page=0",
    "400 limit": "/search?q=otan&limit=500",
    "400 not a number": "/search?q=otan&page=deux",
    "400 sort": "/search?q=otan&sort=bizarre",
    "400 lang": "/search?q=otan&lang=fr-fr-fr",
    "400 not a date": "/search?q=otan&from=hier",
    "400 no such date": "/search?q=otan&from=2015-02-30",
    "400 dates reversed": "/search?q=otan&from=2016&to=2015",
    "404 page": "/nulle-part",
    "404 article": "/articles/inconnu",
    "500": "/boom",
}


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_no_english_on_french_pages(french, path: str):
    response = french.get(path, headers=FRENCH)
    page = response.get_data(as_text=True)
    assert re.search(r'<html lang="fr">', page)
    texts = visible_text(page)
    assert texts
    assert english_in(texts) == []


def test_the_pages_show_what_they_are_meant_to(french):
    """The pages above really show their notices, suggestion, copies and errors."""

    def page(path: str) -> str:
        return french.get(path, headers=FRENCH).get_data(as_text=True)

    assert "Un guillemet ouvrant n’a pas été fermé" in page(PAGES["notice: quote"])
    assert "n’est pas un champ ici" in page(PAGES["notice: field"])
    assert "n’est pas une date" in page(PAGES["notice: date"])
    forms = page(PAGES["notices of the proximity, fuzzy and wildcard forms"])
    assert "n’est pas un mot approché" in forms and "demande un mot de chaque côté" in forms
    assert re.search(
        r"Vouliez-vous dire <a [^>]+>Bruxelles</a>\u202f\?", page(PAGES["did you mean"])
    )
    assert "version similaire masquée" in page(PAGES["collapsed copies"])
    assert "(plus de 1\u202f000 caractères)" in page(PAGES["400 too long"])
    assert "Rechercher sans" in page(PAGES["no match with filters"])


def test_the_english_interface_is_caught(french):
    """The detector is not blind: the same pages in English are flagged."""
    for path in (PAGES["results"], PAGES["400 too long"], PAGES["notice: quote"]):
        page = french.get(f"{path}&hl=en").get_data(as_text=True)
        assert english_in(visible_text(page, reader="en")), path


def test_a_missing_index_is_explained_in_french(tmp_path: Path):
    client = create_app({"INDEX_DIR": str(tmp_path / "none"), "TESTING": True}).test_client()
    response = client.get("/search", query_string={"q": "otan"}, headers=FRENCH)
    assert response.status_code == 503
    assert english_in(visible_text(response.get_data(as_text=True))) == []


def test_feeds_and_their_errors_in_french(french):
    feed = french.get("/search.atom", query_string={"q": "otan"}, headers=FRENCH)
    texts = [t for t in ET.fromstring(feed.data).itertext() if t.strip()]
    assert "Manchette\u202f: otan" in texts
    assert english_in(texts) == []
    refused = french.get("/search.atom", headers=FRENCH)
    line = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert line.startswith("Recherche invalide\u202f: ") and english_in([line]) == []


def test_sizes_and_durations_are_written_the_french_way(french):
    page = french.get("/stats", headers=FRENCH).get_data(as_text=True)
    size = re.search(r'<dd id="stats-size">(.*?) \(', page).group(1)
    assert re.fullmatch(r"\d+,\d\u202f(ko|Mo|Go)", size), size
    assert re.search(r"<dt>Durée</dt><dd>\d+,\d\u202fs</dd>", page)
    english = french.get("/stats", query_string={"hl": "en"}).get_data(as_text=True)
    assert re.fullmatch(
        r"\d+\.\d (kB|MB|GB)", re.search(r'<dd id="stats-size">(.*?) \(', english).group(1)
    )
    assert re.search(r"<dt>Duration</dt><dd>\d+\.\d s</dd>", english)


# Where the search layer writes messages a page shows: parser notices and refused requests.
MESSAGE_SOURCES = ("search/request.py", "search/daterange.py")  # InvalidRequest(...) messages


def _as_text(node: ast.expr) -> str | None:
    """A string or f-string as a user would read it, each value shown as 7."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            part.value if isinstance(part, ast.Constant) else "7" for part in node.values
        )
    return None


def search_layer_messages() -> list[str]:
    """Every message the search layer hands the web layer as English text: the arguments of
    ``InvalidRequest(...)`` and of ``notices.append(...)``, and the notices it assigns."""
    found = []
    for name in MESSAGE_SOURCES:
        tree = ast.parse((ROOT / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and node.args:
                func = node.func
                raises = isinstance(func, ast.Name) and func.id == "InvalidRequest"
                notes = (
                    isinstance(func, ast.Attribute)
                    and func.attr == "append"
                    and "notices" in ast.unparse(func.value)
                )
                if raises or notes:
                    found.append(_as_text(node.args[0]))
            elif isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "late":
                found.append(_as_text(node.value))
    found += [str(notice) for notice in _every_notice()]
    return [text for text in found if text]


def _every_notice() -> list[Notice]:
    """Each notice template of ``search/notices.py``, its parameters shown as 7."""
    templates = [
        value for name, value in vars(notices).items() if name.isupper() and isinstance(value, str)
    ]
    return [Notice(t, {name: 7 for name in re.findall(r"{(\w+)}", t)}) for t in templates]


def test_every_message_of_the_search_layer_is_translated(french_index: Path):
    messages = search_layer_messages()
    assert len(messages) >= len(MESSAGE_TEMPLATES)
    app = create_app({"INDEX_DIR": str(french_index), "TESTING": True})
    with app.test_request_context("/", headers=FRENCH):
        for message in messages:
            french_text = translate_notice(message)
            assert french_text != message and english_in([french_text]) == [], message
        joined = " ".join(messages[:3])  # notices are joined into one string
        assert english_in([translate_notice(joined)]) == []


def test_every_notice_is_translated_from_its_template(french_index: Path):
    """Pages translate the ``Notice`` objects themselves: each template of search/notices.py
    is a catalogue message, whatever its parameters hold."""
    every = _every_notice()
    assert len(every) >= 14
    app = create_app({"INDEX_DIR": str(french_index), "TESTING": True})
    with app.test_request_context("/", headers=FRENCH):
        for notice in every:
            french_text = translate_notices([notice])
            assert french_text != str(notice) and english_in([french_text]) == [], notice
            assert ("{" not in french_text and "7" in french_text) or "{" not in notice.template
        odd = Notice(notices.UNKNOWN_FIELD, {"field": "the. only. field."})  # not text-matched
        assert translate_notices([odd]).startswith("«\u202fthe. only. field.:\u202f» n’est pas")
        assert translate_notices([]) is None


def _french_catalogue():
    with (TRANSLATIONS_DIR / "fr" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle)


def test_french_punctuation_has_its_narrow_space():
    """A narrow no-break space before ; : ! ? and inside « » (a colon glued to a value, as
    in the query syntax ``year:2012``, is not punctuation)."""
    wrong = []
    for message in _french_catalogue():
        if not message.id:
            continue  # the catalogue's header
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            prose = re.sub(r"<[^>]+>|&\w+;|%\(\w+\)s:|\{\w+\}:", "", text or "")
            for match in re.finditer(r"[;:!?]", prose):
                if prose[match.start() - 1 : match.start()] != NNBSP:
                    wrong.append(text)
            if re.search(r"«(?!\u202f)|(?<!\u202f)»", prose):
                wrong.append(text)
    assert wrong == []
