"""Readers: JSON Lines, JSON arrays, page dumps, HTML pages, WARC crawls, sidecar metadata,
and the file walker."""

from __future__ import annotations

import gzip
import hashlib
import json
from io import BytesIO
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from index.article import Article
from index.sources import (
    Rejected,
    iter_files,
    read_html,
    read_json,
    read_jsonl,
    read_path,
    read_text,
    read_warc,
)
from index.sources.html import article_from_html, decode_html, strip_site_name
from index.sources.jsonl import parse_line
from index.sources.meta import is_tracker_url
from index.text import decode_bytes, normalize_text

DATA = Path(__file__).resolve().parent.parent / "data"
JSONL = DATA / "jsonl" / "articles.jsonl"
SEED = DATA / "seed" / "000_6295ffdbc15f7e73.txt"

# SHA-1 of "title\n\nparagraph\n\nparagraph" of line 5, which has neither id nor url: the id
# must stay the same from run to run and machine to machine.
LINE5_ID = "bc01d8b38bf38228347be7c4b3b86f1931aac2e3"


def articles(items: list[Article | Rejected]) -> list[Article]:
    return [item for item in items if isinstance(item, Article)]


def rejected(items: list[Article | Rejected]) -> list[Rejected]:
    return [item for item in items if isinstance(item, Rejected)]


@pytest.fixture
def jsonl_gz(tmp_path: Path) -> Path:
    path = tmp_path / "articles.jsonl.gz"
    path.write_bytes(gzip.compress(JSONL.read_bytes()))
    return path


def write_records(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


# --- JSON Lines ---------------------------------------------------------------------------------


def test_jsonl_record_becomes_an_article():
    first = next(read_jsonl(JSONL))
    assert first == Article(
        id="quai-1",
        title="Le premier cargo à voile accoste à Saint-Aubin",
        lead="Le trois-mâts a accosté dimanche matin au quai numéro quatre.",
        body=(
            "Le trois-mâts a accosté dimanche matin au quai numéro quatre.\n\n"
            "L’équipage compte onze marins, et la traversée a duré dix-neuf jours.\n\n"
            "La capitaine veut revenir en juin."
        ),
        source="Le Quotidien du Port",
        url="https://www.example.org/quai-1",
        lang="fr",
        date="2024-03-03",
        path=f"{JSONL}#L1",
    )


def test_malformed_lines_are_rejected_and_the_others_still_read():
    items = list(read_jsonl(JSONL))
    assert [a.path.rsplit("#", 1)[1] for a in articles(items)] == ["L1", "L3", "L5"]
    assert [(r.line, r.reason) for r in rejected(items)] == [
        (2, "invalid JSON: Expecting ',' delimiter at column 1"),
        (6, "not a JSON object but list"),
        (7, "field 'title' must be a string, not int"),
        (8, "no title and no text"),
    ]
    assert all(r.path == str(JSONL) for r in rejected(items))


def test_gzip_file_reads_the_same(jsonl_gz: Path):
    plain = list(read_jsonl(JSONL))
    packed = list(read_path(jsonl_gz))
    assert [a.id for a in articles(packed)] == [a.id for a in articles(plain)]
    assert [a.body for a in articles(packed)] == [a.body for a in articles(plain)]
    assert [r.line for r in rejected(packed)] == [2, 6, 7, 8]


def test_missing_id_falls_back_to_the_url():
    ferry = articles(list(read_jsonl(JSONL)))[1]
    assert ferry.id == "https://example.org/ferry"
    assert ferry.source == "example.org"  # no source: the URL's host


def test_missing_id_and_url_fall_back_to_a_stable_content_hash(tmp_path: Path):
    third = articles(list(read_jsonl(JSONL)))[2]
    content = "\n\n".join([third.title, *third.body.split("\n\n")])
    assert third.id == hashlib.sha1(content.encode()).hexdigest() == LINE5_ID
    assert articles(list(read_jsonl(JSONL)))[2].id == LINE5_ID
    changed = write_records(
        tmp_path / "changed.jsonl", [{"title": third.title, "text": third.body + " Neu."}]
    )
    assert next(read_jsonl(changed)).id != LINE5_ID


def test_language_comes_from_the_record_else_is_detected():
    fr, en, de = articles(list(read_jsonl(JSONL)))
    assert (fr.lang, en.lang, de.lang) == ("fr", "en", "de")  # "fr", "en-GB", detected


def test_dates_are_kept_when_valid_and_dropped_when_not():
    fr, en, de = articles(list(read_jsonl(JSONL)))
    assert (fr.date, en.date, de.date) == ("2024-03-03", "2024-03-04T08:30:00Z", None)


def test_text_repeating_the_title_first_loses_that_line():
    en = articles(list(read_jsonl(JSONL)))[1]
    assert en.lead == "The harbour authority confirmed the date on Monday."
    assert en.body.split("\n\n") == [en.lead, "Tickets go on sale next week."]


def test_text_fields_are_normalized(tmp_path: Path):
    path = write_records(
        tmp_path / "n.jsonl",
        [{"id": 7, "title": "pre\u00admier\u00a0essai", "text": "e\u0301le\u0300ve\r\nsuite"}],
    )
    (article,) = read_jsonl(path)
    assert (article.id, article.title, article.body) == ("7", "premier essai", "élève suite")


def test_empty_and_blank_lines_are_skipped(tmp_path: Path):
    path = tmp_path / "blank.jsonl"
    path.write_text('\n   \n{"id": "a", "title": "Only a title"}\n\n', encoding="utf-8")
    assert list(read_jsonl(path)) == [
        Article(id="a", title="Only a title", lang="en", path=f"{path}#L3")
    ]


def test_truncated_gzip_keeps_what_was_read_and_reports_the_rest(tmp_path: Path):
    records = [{"id": str(i), "title": f"Story {i}", "text": "x " * 2000} for i in range(20)]
    whole = gzip.compress("".join(json.dumps(r) + "\n" for r in records).encode())
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(whole[: len(whole) // 2])
    items = list(read_jsonl(path))
    assert articles(items)
    (failure,) = rejected(items)
    assert failure.line is None
    assert failure.reason.startswith("unreadable after line ")


def test_not_gzip_at_all_is_rejected_not_raised(tmp_path: Path):
    path = tmp_path / "fake.jsonl.gz"
    path.write_text('{"id": "a", "title": "t"}\n', encoding="utf-8")
    (failure,) = list(read_jsonl(path))
    assert isinstance(failure, Rejected)
    assert failure.reason.startswith("unreadable: ")


# --- page dumps ---------------------------------------------------------------------------------


def test_text_dump_id_is_the_sha1_of_its_normalized_content():
    (article,) = read_text(SEED)
    text = normalize_text(decode_bytes(SEED.read_bytes()))
    assert article.id == hashlib.sha1(text.encode("utf-8")).hexdigest()
    assert (article.source, article.url, article.path) == ("", None, str(SEED))


def test_text_dump_stating_its_url_gets_url_and_source(tmp_path: Path):
    path = tmp_path / "page.txt"
    path.write_text(
        "URL: https://www.example.org/harbour\n\nHarbour news\n\n"
        "The harbour authority confirmed on Monday that the ferry line opens in spring.\n",
        encoding="utf-8",
    )
    (article,) = read_path(path)
    assert (article.url, article.source, article.title) == (
        "https://www.example.org/harbour",
        "example.org",
        "Harbour news",
    )


def test_text_dump_never_takes_a_tracker_url():
    # A tag manager's <iframe> on the first lines of a dump (issue 16, item 13): its address
    # is not the page's, and its host is not the page's source.
    (article,) = read_path(DATA / "dumps" / "tracker_fr.txt")
    assert (article.url, article.source) == (None, "")
    assert article.title == "La sécheresse vide le lac de Brenet, les pêcheurs inquiets"


def test_text_dump_url_wrapped_over_lines_is_joined_and_trackers_are_skipped(tmp_path: Path):
    path = tmp_path / "page.txt"
    path.write_text(
        "   IFRAME: https://www.googletagmanager.com/ns.html?id=GTM-XRMG\n\n"
        "   REFRESH(180 sec):\n"
        "   https://www.lecourrier.example/1272742/article/2023-07-14/la-secheresse-vi\n"
        "   de-le-lac-de-brenet\n\nMenu\n\nLa sécheresse vide le lac\n\n"
        "   Le niveau du lac a baissé de près de deux mètres depuis le printemps.\n",
        encoding="utf-8",
    )
    (article,) = read_path(path)
    assert article.url == (
        "https://www.lecourrier.example/1272742/article/2023-07-14/"
        "la-secheresse-vide-le-lac-de-brenet"
    )
    assert article.source == "lecourrier.example"


def test_text_dump_dated_only_by_its_url_gets_that_date(tmp_path: Path):
    path = tmp_path / "page.txt"
    path.write_text(
        "URL: https://news.example/2023/10/19/ferry-line\n\nHarbour news\n\n"
        "The harbour authority confirmed on Monday that the ferry line opens in spring.\n",
        encoding="utf-8",
    )
    (article,) = read_path(path)
    assert article.date == "2023-10-19"


@pytest.mark.parametrize(
    ("url", "tracker"),
    [
        ("https://www.googletagmanager.com/ns.html?id=GTM-TQ2B8Q", True),
        ("https://www.google-analytics.com/collect?v=1", True),
        ("https://stats.g.doubleclick.net/r/collect", True),
        ("https://www.facebook.com/tr?id=2140380062764375&ev=PageView", True),
        ("https://cdn.example.com/article.js", True),
        ("https://d3abc.cloudfront.net/image.jpg", True),
        ("https://www.facebook.com/lecourrier", False),
        ("https://www.letemps.ch/monde/rechauffement", False),
        ("https://legrandcontinent.eu/fr/2023/10/26/comprendre/", False),
    ],
)
def test_is_tracker_url(url: str, tracker: bool):
    assert is_tracker_url(url) is tracker


def test_text_dump_with_invalid_utf8_is_read(tmp_path: Path):
    path = tmp_path / "broken.txt"
    path.write_bytes("Titre\n\nLa traversée a duré dix-neuf jours, ".encode() + b"\xc3\n")
    (article,) = read_text(path)
    assert article.title == "Titre"
    assert article.body == "La traversée a duré dix-neuf jours, \ufffd"


@pytest.mark.parametrize("content", [b"", b"\n \n\t\n", b"\xef\xbb\xbf"])
def test_empty_text_dump_is_rejected(tmp_path: Path, content: bytes):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    assert list(read_text(path)) == [Rejected(str(path), "no text")]


def test_unreadable_file_is_rejected(tmp_path: Path):
    missing = tmp_path / "gone.txt"
    (failure,) = read_text(missing)
    assert failure.path == str(missing)
    assert failure.reason.startswith("unreadable file")


# --- dispatch and folders -----------------------------------------------------------------------


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for name in [
        "b.jsonl",
        "a.txt",
        "nested/deeper/c.jsonl.gz",
        "nested/d.TXT",
        "notes.md",
        "data.csv",
        "page.html",
        "page.meta.json",
        "a.txt.meta.json",
        "crawl.warc.gz",
        "export.json",
        ".hidden.txt",
        ".git/e.jsonl",
        "nested/.cache/f.txt",
    ]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    return tmp_path


def test_iter_files_walks_folders_sorted_skipping_hidden_and_unknown(tree: Path):
    found = [p.relative_to(tree).as_posix() for p in iter_files([tree])]
    assert found == [
        "a.txt",
        "b.jsonl",
        "crawl.warc.gz",
        "export.json",
        "nested/d.TXT",
        "nested/deeper/c.jsonl.gz",
        "page.html",
    ]


def test_iter_files_keeps_named_files_and_the_given_order(tree: Path):
    named = [tree / "b.jsonl", tree / "notes.md", tree / "nested", tree / "page.meta.json"]
    found = [p.relative_to(tree).as_posix() for p in iter_files(named)]
    assert found == ["b.jsonl", "nested/d.TXT", "nested/deeper/c.jsonl.gz"]


def test_read_path_rejects_unsupported_files(tree: Path):
    assert list(read_path(tree / "notes.md")) == [
        Rejected(str(tree / "notes.md"), "unsupported file type: notes.md")
    ]


def test_rejected_where_and_to_dict():
    assert Rejected("a.jsonl", "bad", 3).where == "a.jsonl#L3"
    assert Rejected("a.txt", "bad").where == "a.txt"
    assert Rejected("a.jsonl", "bad", 3).to_dict() == {
        "path": "a.jsonl",
        "reason": "bad",
        "line": 3,
    }


@settings(deadline=None)  # the first undecodable line loads charset-normalizer's tables
@given(st.binary(max_size=300))
def test_no_line_makes_the_jsonl_reader_raise(raw: bytes):
    assert isinstance(parse_line(raw, "x.jsonl", 1), (Article, Rejected))


@given(st.dictionaries(st.sampled_from(["id", "url", "title", "text", "lang", "date"]), st.text()))
def test_any_record_of_strings_gives_an_article_or_a_reason(record: dict):
    item = parse_line(json.dumps(record).encode(), "x.jsonl", 1)
    assert isinstance(item, (Article, Rejected))
    if isinstance(item, Article):
        assert item.id and item.path == "x.jsonl#L1"


# --- HTML pages ---------------------------------------------------------------------------------

HARBOUR = DATA / "html" / "harbour_fr.html"
HARBOUR_URL = "https://www.quotidien-du-port.example/actu/cargo-a-voile"

# A page that states nothing about itself: no <html lang>, canonical URL, site name or date.
BARE_PAGE = """<html><head><title>Ferry line opens in spring</title></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Ferry line opens in spring</h1>
<p>The harbour authority confirmed on Monday that the new ferry line will open in the spring,
after two years of delays caused by the winter storms and a shortage of qualified crews.</p>
<p>Tickets go on sale next week, and the operator expects the first crossings to be full, with
families and commuters already asking for season passes at the harbour office.</p>
</article></body></html>"""


def test_html_page_becomes_an_article():
    (article,) = read_html(HARBOUR)
    assert article.title == "Le premier cargo à voile accoste à Saint-Aubin"  # no "| site"
    assert (article.id, article.url) == (HARBOUR_URL, HARBOUR_URL)
    assert (article.source, article.lang, article.date) == (
        "Le Quotidien du Port",
        "fr",
        "2024-03-03",
    )
    assert article.related == ["Le chantier naval relance la construction de voiliers de charge"]
    paragraphs = article.body.split("\n\n")
    assert [p[:25] for p in paragraphs] == [
        "Le « Vent d'Ouest », un t",
        "« Nous avons mis dix-neuf",
        "L'armateur, une coopérati",
    ]
    assert article.lead == paragraphs[0]
    assert article.path == str(HARBOUR)


@pytest.mark.parametrize(
    "banned", ["cookies", "Tout accepter", "Accueil", "Par Jeanne", "Publié le", "Partager", "©"]
)
def test_html_boilerplate_stays_out_of_the_body(banned: str):
    (article,) = read_html(HARBOUR)
    assert banned not in article.body


@pytest.mark.parametrize(
    ("head", "url"),
    [
        # The canonical link wins over og:url.
        (
            '<link rel="canonical" href="https://ferry.example/news/spring">'
            '<meta property="og:url" content="https://ferry.example/share/123">',
            "https://ferry.example/news/spring",
        ),
        # A canonical or og:url on a tracker or CDN host is never the page's address.
        (
            '<link rel="canonical" href="https://cdn.ferry.example/amp/spring">'
            '<meta property="og:url" content="https://ferry.example/news/spring">',
            "https://ferry.example/news/spring",
        ),
        ('<meta property="og:url" content="https://www.googletagmanager.com/ns.html">', None),
    ],
)
def test_html_page_url_is_its_canonical_link_and_never_a_tracker(
    tmp_path: Path, head: str, url: str | None
):
    page = BARE_PAGE.replace(
        "<body>",
        '<body><noscript><iframe src="https://www.googletagmanager.com/ns.html?id=GTM-1">'
        "</iframe></noscript>",
    )
    path = tmp_path / "ferry.html"
    path.write_text(page.replace("<head>", f"<head>{head}"), encoding="utf-8")
    (article,) = read_html(path)
    assert article.url == url
    assert article.source == ("ferry.example" if url else "")


def test_html_declared_charset_is_used(tmp_path: Path):
    page = BARE_PAGE.replace("<head>", '<head><meta charset="iso-8859-1">')
    page = page.replace("winter storms", "tempêtes d'hiver")
    path = tmp_path / "latin.html"
    path.write_bytes(page.encode("cp1252"))
    (article,) = read_path(path)
    assert "tempêtes d'hiver" in article.body


def test_html_page_without_metadata_gets_what_it_can(tmp_path: Path):
    path = tmp_path / "ferry.html"
    path.write_text(BARE_PAGE, encoding="utf-8")
    (article,) = read_html(path)
    assert article.title == "Ferry line opens in spring"
    assert article.body.startswith("The harbour authority confirmed on Monday")
    assert (article.url, article.date, article.source, article.lang) == (None, None, "", "en")
    content = f"{article.title}\n\n{article.body}"
    assert article.id == hashlib.sha1(content.encode()).hexdigest()


@pytest.mark.parametrize(
    "content", [b"", b"<html><body></body></html>", b"<html><body><nav>Home</nav></body></html>"]
)
def test_html_page_without_text_is_rejected(tmp_path: Path, content: bytes):
    path = tmp_path / "empty.html"
    path.write_bytes(content)
    (failure,) = read_html(path)
    assert isinstance(failure, Rejected)


@pytest.mark.parametrize(
    ("title", "source", "url", "expected"),
    [
        ("Headline | CNN Business", "CNN", None, "Headline"),
        ("Headline - Le Grand Continent", "Le Grand Continent", None, "Headline"),
        (
            "Headline / Afis Science - Association française",
            "Afis Science - Association française",
            None,
            "Headline",
        ),
        ("Headline – BBC News", "", "https://www.bbc.com/news/1", "Headline"),
        ("Guerre Hamas – Israël", "Le Monde", None, "Guerre Hamas – Israël"),
        ("Headline", "CNN", None, "Headline"),
    ],
)
def test_strip_site_name(title: str, source: str, url: str | None, expected: str):
    assert strip_site_name(title, source, url) == expected


@pytest.mark.parametrize(
    ("data", "charset", "text"),
    [
        ("<p>Crimée</p>".encode(), None, "<p>Crimée</p>"),
        ("<p>Crimée</p>".encode("cp1252"), "iso-8859-1", "<p>Crimée</p>"),
        ('<meta charset="windows-1252"><p>Crimée</p>'.encode("cp1252"), None, "Crimée"),
        ("<p>Крым</p>".encode("cp1251"), "windows-1251", "Крым"),
        ("<p>Crimée</p>".encode("cp1252"), "no-such-charset", "Crimée"),
    ],
)
def test_decode_html(data: bytes, charset: str | None, text: str):
    assert text in decode_html(data, charset)


@settings(max_examples=25, deadline=None)
@given(st.binary(max_size=400))
def test_no_page_makes_the_html_reader_raise(data: bytes):
    assert isinstance(article_from_html(data, "x.html"), (Article, Rejected))


# --- sidecar metadata ---------------------------------------------------------------------------

SIDECAR = {
    "url": "https://www.example.org/ferry",
    "date": "2024-03-04",
    "source": "The Harbour Times",
    "lang": "en-GB",
}


def test_sidecar_fills_what_a_dump_does_not_say(tmp_path: Path):
    path = tmp_path / "ferry.txt"
    path.write_text("Ferry line opens\n\n" + BARE_PAGE_TEXT, encoding="utf-8")
    (tmp_path / "ferry.meta.json").write_text(json.dumps(SIDECAR), encoding="utf-8")
    (article,) = read_path(path)
    assert (article.url, article.date, article.source, article.lang) == (
        "https://www.example.org/ferry",
        "2024-03-04",
        "The Harbour Times",
        "en",
    )


def test_sidecar_may_keep_the_full_file_name(tmp_path: Path):
    path = tmp_path / "ferry.html"
    path.write_text(BARE_PAGE, encoding="utf-8")
    (tmp_path / "ferry.html.meta.json").write_text(json.dumps(SIDECAR), encoding="utf-8")
    (article,) = read_path(path)
    assert (article.id, article.url, article.date, article.source) == (
        "https://www.example.org/ferry",
        "https://www.example.org/ferry",
        "2024-03-04",
        "The Harbour Times",
    )


def test_the_page_own_metadata_wins_over_the_sidecar(tmp_path: Path):
    path = tmp_path / "harbour.html"
    path.write_bytes(HARBOUR.read_bytes())
    (tmp_path / "harbour.meta.json").write_text(json.dumps(SIDECAR), encoding="utf-8")
    (article,) = read_path(path)
    assert (article.url, article.date, article.source, article.lang) == (
        HARBOUR_URL,
        "2024-03-03",
        "Le Quotidien du Port",
        "fr",
    )


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", '"text"'])
def test_broken_sidecar_is_reported_and_the_page_still_read(tmp_path: Path, content: str):
    path = tmp_path / "ferry.txt"
    path.write_text("Ferry line opens\n\n" + BARE_PAGE_TEXT, encoding="utf-8")
    (tmp_path / "ferry.meta.json").write_text(content, encoding="utf-8")
    failure, article = read_path(path)
    assert isinstance(failure, Rejected) and "ferry.meta.json" in failure.reason
    assert isinstance(article, Article) and article.url is None


def test_a_sidecar_alone_is_not_an_input(tmp_path: Path):
    path = tmp_path / "ferry.meta.json"
    path.write_text(json.dumps(SIDECAR), encoding="utf-8")
    assert list(iter_files([path, tmp_path])) == []
    (failure,) = read_path(path)
    assert failure.reason.startswith("unsupported file type")


BARE_PAGE_TEXT = (
    "The harbour authority confirmed on Monday that the new ferry line will open in the spring, "
    "after two years of delays caused by the winter storms.\n"
)


# --- JSON arrays --------------------------------------------------------------------------------

RECORDS = [
    {"id": "a", "title": "Le premier cargo à voile accoste", "lang": "fr", "text": "Il a accosté."},
    {"id": "b", "title": "Ferry line opens", "text": "The ferry line opens in spring."},
    ["not", "a", "record"],
    {"id": "c", "title": 7, "text": "A number is not a title."},
]


@pytest.mark.parametrize("shape", ["list", "object"])
def test_json_file_of_records(tmp_path: Path, shape: str):
    document = RECORDS if shape == "list" else {"source": "export", "articles": RECORDS}
    path = tmp_path / "export.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    items = list(read_path(path))
    pointer = "" if shape == "list" else "/articles"
    assert [(a.id, a.lang, a.path) for a in articles(items)] == [
        ("a", "fr", f"{path}#{pointer}/0"),
        ("b", "en", f"{path}#{pointer}/1"),
    ]
    assert [r.reason for r in rejected(items)] == [
        f"{pointer}/2: not a JSON object but list",
        f"{pointer}/3: field 'title' must be a string, not int",
    ]


def test_json_gz_reads_the_same(tmp_path: Path):
    path = tmp_path / "export.json.gz"
    path.write_bytes(gzip.compress(json.dumps(RECORDS).encode()))
    assert [a.id for a in articles(list(read_path(path)))] == ["a", "b"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"[{", "invalid JSON: "),
        (b'{"items": []}', "not a list of articles nor an object with one, but dict"),
        (b"42", "not a list of articles nor an object with one, but int"),
    ],
)
def test_json_file_that_holds_no_records_is_rejected(tmp_path: Path, content: bytes, reason: str):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    (failure,) = read_json(path)
    assert failure.reason.startswith(reason)


def test_json_gz_that_is_not_gzip_is_rejected(tmp_path: Path):
    path = tmp_path / "fake.json.gz"
    path.write_text("[]", encoding="utf-8")
    (failure,) = read_json(path)
    assert failure.reason.startswith("unreadable: ")


# --- WARC crawls --------------------------------------------------------------------------------

CANONICAL_PAGE = HARBOUR.read_text(encoding="utf-8")


def write_warc(path: Path, records: list[tuple[str, str, bytes, str, int]], gz: bool) -> Path:
    """A WARC file of (record type, URL, body, content type, HTTP status) records."""
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=gz)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "tests"}))
        for rec_type, url, body, content_type, status in records:
            http = None
            if rec_type == "response":
                http = StatusAndHeaders(
                    f"{status} X", [("Content-Type", content_type)], protocol="HTTP/1.1"
                )
            record = writer.create_warc_record(
                url,
                rec_type,
                payload=BytesIO(body),
                http_headers=http,
                warc_content_type=content_type if rec_type == "resource" else None,
                warc_headers_dict={"WARC-Date": "2025-01-31T12:00:00Z"},
            )
            writer.write_record(record)
            record.raw_stream.close()  # warcio buffers the payload in a temporary file
    return path


CRAWL = [
    ("response", "https://example.org/ferry", BARE_PAGE.encode(), "text/html; charset=utf-8", 200),
    ("response", "https://example.org/logo.png", b"\x89PNG...", "image/png", 200),
    ("response", "https://example.org/gone", b"<p>Not found</p>", "text/html", 404),
    ("response", "http://mirror.example/harbour", CANONICAL_PAGE.encode(), "text/html", 200),
    (
        "response",
        "https://example.org/latin",
        BARE_PAGE.replace("winter storms", "tempêtes d'hiver").encode("cp1252"),
        'text/html; charset="windows-1252"',
        200,
    ),
]


@pytest.mark.parametrize("gz", [True, False])
def test_warc_html_responses_become_articles(tmp_path: Path, gz: bool):
    path = write_warc(tmp_path / ("crawl.warc.gz" if gz else "crawl.warc"), CRAWL, gz)
    items = list(read_path(path))
    assert rejected(items) == []
    ferry, harbour, latin = articles(items)
    assert (ferry.url, ferry.id, ferry.source) == (
        "https://example.org/ferry",
        "https://example.org/ferry",
        "example.org",
    )
    assert ferry.date is None  # WARC-Date is when the page was crawled, not published
    assert ferry.path.startswith(f"{path}#offset=")
    assert (harbour.url, harbour.date) == (HARBOUR_URL, "2024-03-03")  # canonical URL wins
    assert "tempêtes d'hiver" in latin.body  # charset from the HTTP header


def test_warc_resource_records_are_read_too(tmp_path: Path):
    records = [("resource", "https://example.org/ferry", BARE_PAGE.encode(), "text/html", 200)]
    path = write_warc(tmp_path / "saved.warc", records, gz=False)
    (article,) = read_warc(path)
    assert article.url == "https://example.org/ferry"


def test_truncated_warc_keeps_what_was_read(tmp_path: Path):
    whole = write_warc(tmp_path / "whole.warc.gz", CRAWL, gz=True).read_bytes()
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(whole[: int(len(whole) * 0.8)])
    items = list(read_warc(path))
    assert len(articles(items)) >= 1
    assert rejected(items)


@pytest.mark.parametrize("content", [b"", b"not a warc at all\r\n\r\n", b"\x1f\x8b garbage"])
def test_not_a_warc_is_rejected_or_empty(tmp_path: Path, content: bytes):
    path = tmp_path / "bad.warc"
    path.write_bytes(content)
    assert all(isinstance(item, Rejected) for item in read_warc(path))
