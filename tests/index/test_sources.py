"""Readers: JSON Lines (plain and gzip), page dumps, and the file walker."""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from index.article import Article
from index.sources import Rejected, iter_files, read_jsonl, read_path, read_text
from index.sources.jsonl import parse_line
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
        "data.json",
        ".hidden.txt",
        ".git/e.jsonl",
        "nested/.cache/f.txt",
    ]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    return tmp_path


def test_iter_files_walks_folders_sorted_skipping_hidden_and_unknown(tree: Path):
    found = [p.relative_to(tree).as_posix() for p in iter_files([tree])]
    assert found == ["a.txt", "b.jsonl", "nested/d.TXT", "nested/deeper/c.jsonl.gz"]


def test_iter_files_keeps_named_files_and_the_given_order(tree: Path):
    named = [tree / "b.jsonl", tree / "notes.md", tree / "nested", tree / "missing.txt"]
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


@given(st.binary(max_size=300))
def test_no_line_makes_the_jsonl_reader_raise(raw: bytes):
    assert isinstance(parse_line(raw, "x.jsonl", 1), (Article, Rejected))


@given(st.dictionaries(st.sampled_from(["id", "url", "title", "text", "lang", "date"]), st.text()))
def test_any_record_of_strings_gives_an_article_or_a_reason(record: dict):
    item = parse_line(json.dumps(record).encode(), "x.jsonl", 1)
    assert isinstance(item, (Article, Rejected))
    if isinstance(item, Article):
        assert item.id and item.path == "x.jsonl#L1"
