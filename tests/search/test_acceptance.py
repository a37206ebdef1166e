"""The foundation's acceptance queries on the bundled sample plus the seed article."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from engines.whoosh.execute import run_search
from engines.whoosh.scoring import weighting
from engines.whoosh.writer import open_index
from search.request import SearchRequest

SEED_TITLE_START = "«Pas de coopération»"


def search(index_dir: Path, q: str, **kw) -> dict:
    ix = open_index(index_dir)
    with ix.searcher(weighting=weighting()) as s:
        return run_search(s, SearchRequest(q=q, **kw).validate()).to_dict()


@pytest.mark.parametrize(
    ("query", "marked"),
    [
        ("cooperation", "coopération"),
        ("coopérer", "coopération"),
        ("l'OTAN", "OTAN"),
        ("Crimee", "Crimée"),
        ("manoeuvres", "manœuvres"),
        ("Serguei Lavrov", "Sergueï"),
    ],
)
def test_seed_comes_first_with_words_highlighted(sample_index: Path, query: str, marked: str):
    result = search(sample_index, query)
    assert result["total"] >= 1
    first = result["hits"][0]
    assert first["title"].startswith(SEED_TITLE_START)
    marks = re.findall(r"<mark>(.*?)</mark>", first["snippet"])
    assert marked in marks, first["snippet"]


def test_elided_article_stays_outside_the_mark(sample_index: Path):
    snippet = search(sample_index, "OTAN")["hits"][0]["snippet"]
    assert re.search(r"l[’']<mark>OTAN</mark>", snippet)


@pytest.mark.parametrize("query", ["cookies", '"Tout Accepter"', "traceurs", "Telegram"])
def test_boilerplate_is_not_searchable(sample_index: Path, query: str):
    titles = [h["title"] for h in search(sample_index, query)["hits"]]
    assert not any(t.startswith(SEED_TITLE_START) for t in titles)


def test_title_match_ranks_above_body_match(sample_index: Path):
    hits = search(sample_index, "Dragon")["hits"]
    assert "Dragon" in hits[0]["title"]


def test_phrase_requires_adjacent_words(sample_index: Path):
    together = search(sample_index, '"Jens Stoltenberg"')["total"]
    apart = search(sample_index, '"Stoltenberg Jens"')["total"]
    assert together >= 1 and apart == 0


def test_paging_and_language_filter(sample_index: Path):
    first = search(sample_index, "said", lang="en")
    assert first["total"] > 10
    assert len(first["hits"]) == 10 and all(h["lang"] == "en" for h in first["hits"])
    second = search(sample_index, "said", lang="en", page=2)
    assert {h["id"] for h in first["hits"]}.isdisjoint(h["id"] for h in second["hits"])
    past = search(sample_index, "said", lang="en", page=999)
    assert past["hits"] == [] and past["total"] == first["total"]


def test_exclusion(sample_index: Path):
    with_nasa = search(sample_index, "capsule")["total"]
    without = search(sample_index, "capsule -Dragon")["total"]
    assert with_nasa > without


@pytest.mark.parametrize("query", ["(((", "AND", '"unclosed', "title:", "*", "a OR", ")"])
def test_malformed_queries_never_raise(sample_index: Path, query: str):
    result = search(sample_index, query)
    assert isinstance(result["total"], int)
