"""One test per ranking rule, asserting the exact order on a tiny corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from builders import write_jsonl
from engines import index_paths
from engines.whoosh.execute import run_search
from engines.whoosh.scoring import weighting
from engines.whoosh.writer import open_index
from search.ranking import RULES, explain_rules, rule
from search.request import SearchRequest

FILLER = "Le conseil municipal a voté le budget annuel après un long débat en séance publique."


def doc(i: str, title: str, body: str, date: str = "2020-01-01") -> dict:
    return {"id": i, "lang": "fr", "source": f"S-{i}", "title": title, "date": date, "text": body}


@pytest.fixture(scope="module")
def ranked(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("rank")
    records = [
        doc("body", "Budget municipal", f"{FILLER}\n\nLe port accueille un paquebot géant."),
        doc("title", "Un paquebot géant au port", f"{FILLER}\n\nIl arrive demain.", "2020-06-01"),
        doc("lead", "Nouvelles du port", f"Un paquebot est attendu.\n\n{FILLER}", "2021-05-01"),
        doc("none", "Autre sujet", FILLER, "2019-03-01"),
        doc("twice", "Marché", f"{FILLER}\n\nPaquebot, paquebot et encore paquebot.", "2018-01-01"),
    ]
    index_paths([write_jsonl(base / "r.jsonl", records)], base / "ix")
    return base / "ix"


def ids(index_dir: Path, q: str, sort: str = "relevance") -> list[str]:
    with open_index(index_dir).searcher(weighting=weighting()) as s:
        result = run_search(s, SearchRequest(q=q, sort=sort).validate())
    return [h.id for h in result.hits]


def test_rules_are_declared_in_order():
    assert [r.name for r in RULES][:3] == ["boost.title", "boost.lead", "boost.body"]
    assert rule("boost.title") > rule("boost.lead") > rule("boost.body")
    assert [r["name"] for r in explain_rules()][: len(RULES)] == [r.name for r in RULES]
    assert "recency.weight" in {r["name"] for r in explain_rules()}


def test_title_boost_then_lead_then_body(ranked: Path):
    # The title first; then three mentions as typed in a body outweigh one in the lead (the
    # exact field's BM25 counts frequency, bonus.exact), and one in the lead beats one in a body.
    assert ids(ranked, "paquebot") == ["title", "twice", "lead", "body"]


def test_sort_newest_and_oldest(ranked: Path):
    assert ids(ranked, "paquebot", sort="newest") == ["lead", "title", "body", "twice"]
    assert ids(ranked, "paquebot", sort="oldest") == ["twice", "body", "title", "lead"]


def test_explain_shows_each_rules_contribution(ranked: Path):
    from engines.whoosh.compile import compile_tree, parse_for
    from engines.whoosh.explain import explain_hit

    with open_index(ranked).searcher(weighting=weighting()) as s:
        query = compile_tree(parse_for(s, "paquebot"), s.schema).query
        title = explain_hit(s, query, "title")
        body = explain_hit(s, query, "body")
    assert set(title) == {"boost.title", "bonus.exact", "bonus.exact_title"}
    assert set(body) == {"boost.body", "bonus.exact"}
    assert title["boost.title"] > body["boost.body"]
    assert title["bonus.exact_title"] > 0


def test_exact_title_rule_puts_the_typed_words_first(tmp_path: Path):
    """Two titles share the stems of ``paquebots géants``; the one with the words as typed
    wins (bonus.exact_title), whatever the bodies say."""
    records = [
        doc("stems", "Le paquebot géant au port", f"{FILLER}\n\nUn paquebot géant arrive."),
        doc("typed", "Les paquebots géants au port", f"{FILLER}\n\nIls arrivent."),
    ]
    index_paths([write_jsonl(tmp_path / "r.jsonl", records)], tmp_path / "ix")
    assert ids(tmp_path / "ix", "paquebots géants") == ["typed", "stems"]
    assert ids(tmp_path / "ix", "paquebot géant") == ["stems", "typed"]


def test_a_stop_word_typed_counts_as_evidence(tmp_path: Path):
    """``nach Berlin``: German drops *nach* as a stop word, but a title holding it as typed
    ranks above one holding only *Berlin* (bonus.exact and bonus.exact_title keep stop words)."""
    body = "Die Regierung hat am Montag neue Pläne vorgestellt, nach langen Beratungen."
    records = [
        {"id": "other", "lang": "de", "source": "A", "title": "Berlin feiert", "text": body},
        {"id": "typed", "lang": "de", "source": "B", "title": "Zug nach Berlin", "text": body[4:]},
    ]
    index_paths([write_jsonl(tmp_path / "r.jsonl", records)], tmp_path / "ix")
    assert ids(tmp_path / "ix", "nach Berlin") == ["typed", "other"]


def test_exact_evidence_compares_across_languages(tmp_path: Path):
    """A Spanish query whose words are a Spanish title's ranks that article above Portuguese
    ones sharing the stems: the exact fields' statistics are shared by every language."""
    records = [
        {"id": "es", "lang": "es", "source": "E", "title": "Las elecciones presidenciales",
         "text": "El país vota hoy para elegir presidente entre cinco candidatos."},
    ] + [
        {"id": f"pt{i}", "lang": "pt", "source": "P", "title": f"Eleições presidenciais {i}",
         "text": "O país vota hoje. As eleições presidenciais decidem o presidente. " * 2}
        for i in range(4)
    ]  # fmt: skip
    index_paths([write_jsonl(tmp_path / "r.jsonl", records)], tmp_path / "ix")
    assert ids(tmp_path / "ix", "elecciones presidenciales")[0] == "es"


def test_recency_rule_lifts_newer_articles(tmp_path: Path):
    records = [
        doc("old", "Un paquebot au port", "Il arrive lundi.", "2010-01-01"),
        doc("new", "Un paquebot au port", "Il arrive mardi.", "2020-01-01"),
        doc("undated", "Un paquebot au port", "Il arrive jeudi.", None),
    ]
    index_paths([write_jsonl(tmp_path / "r.jsonl", records)], tmp_path / "ix")
    with open_index(tmp_path / "ix").searcher(weighting=weighting()) as s:
        plain = run_search(s, SearchRequest(q="paquebot").validate())
        recent = run_search(s, SearchRequest(q="paquebot", recency=True).validate())
    assert [h.id for h in plain.hits] == ["old", "new", "undated"]
    assert len({round(h.score, 6) for h in plain.hits}) == 1
    assert [h.id for h in recent.hits] == ["new", "old", "undated"]
    assert recent.hits[0].score == pytest.approx(plain.hits[0].score * 1.5)


def test_an_untitled_articles_first_sentence_stands_for_its_title(tmp_path: Path):
    """Records without a title (many JSON exports): the words of the opening sentence count
    as title words for the exactness rules, above the same words further down another text."""
    later = "Le conseil a siégé. " * 3 + "Le tramway de Lyon roule. Le tramway de Lyon est neuf."
    records = [
        {"id": "later", "lang": "fr", "source": "A", "title": None, "text": later},
        {"id": "opening", "lang": "fr", "source": "B", "title": None,
         "text": "Le tramway de Lyon fête ses vingt ans. La ville prépare une fête en juin."},
    ]  # fmt: skip
    index_paths([write_jsonl(tmp_path / "r.jsonl", records)], tmp_path / "ix")
    assert ids(tmp_path / "ix", "tramway Lyon") == ["opening", "later"]
