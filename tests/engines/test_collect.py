"""The one-pass collector: collapsing, counting and ordering on a real index."""

from __future__ import annotations

import pytest

from builders import write_jsonl
from engines import index_paths
from engines.whoosh.execute import run_search
from engines.whoosh.searchers import IndexHandle
from search.request import SearchRequest

STORY = (
    "The central bank raised its main interest rate by a quarter point on Tuesday, citing "
    "persistent inflation in services and a labour market that remains tight despite slower "
    "growth, and said further increases could follow if price pressures fail to ease over the "
    "coming months according to a statement released after the meeting in the capital. "
    "Analysts had expected the move after figures published last week showed consumer prices "
    "rising faster than forecast for a third month in a row, driven by rents and insurance. "
    "The governor told reporters that the committee was united in its view that policy must "
    "stay restrictive for some time, but declined to say how high rates might go or when cuts "
    "could begin. Markets reacted calmly, with the currency little changed against the dollar "
    "and government bond yields edging up slightly in afternoon trading"
)
RECORDS = [
    # three copies of one wire story (a cluster), two sources, two years
    {"id": "w1", "lang": "en", "source": "Wire", "date": "2021-03-01", "title": "Rates up",
     "text": STORY + ", officials said."},
    {"id": "w2", "lang": "en", "source": "Herald", "date": "2021-03-02",
     "title": "Bank lifts rates", "text": STORY + ", the bank said."},
    {"id": "w3", "lang": "en", "source": "Herald", "date": "2022-01-05",
     "title": "Rates again", "text": STORY + " again."},
    # two other stories about rates
    {"id": "o1", "lang": "en", "source": "Wire", "date": "2020-06-01",
     "title": "Mortgage rates", "text": "Mortgage rates fell for the fourth week in a row."},
    {"id": "o2", "lang": "fr", "source": "Le Quotidien", "title": "Les taux",
     "text": "Les rates de la banque centrale, écrit un lecteur, sans date aucune."},
]  # fmt: skip


@pytest.fixture(scope="module")
def handle(tmp_path_factory: pytest.TempPathFactory) -> IndexHandle:
    base = tmp_path_factory.mktemp("collect")
    report = index_paths([write_jsonl(base / "a.jsonl", RECORDS)], base / "ix")
    assert report.added == 5
    return IndexHandle(base / "ix")


def search(handle: IndexHandle, q: str = "rates", **kw):
    return run_search(handle.searcher(), SearchRequest(q=q, **kw).validate())


def test_copies_collapse_into_one_story_with_its_size(handle):
    result = search(handle)
    assert result.total == 3  # the wire story once, and the two others
    wire = [h for h in result.hits if h.id in {"w1", "w2", "w3"}]
    assert len(wire) == 1 and wire[0].cluster_size == 3
    every = search(handle, collapse=False)
    assert every.total == 5 and all(h.cluster_size == 1 for h in every.hits)


@pytest.mark.parametrize(
    "kw",
    [{"lang": "en"}, {"filters": (("source", "Herald"),)}, {"filters": (("year", "2021"),)}],
)
def test_copies_collapse_with_a_filter_too(handle, kw):
    # Whoosh's CollapseCollector does nothing under a FilterCollector: copies came back twice.
    result = search(handle, **kw)
    ids = [h.id for h in result.hits]
    assert sum(i in {"w1", "w2", "w3"} for i in ids) == 1, ids
    assert result.total == len(ids)


def test_facets_count_stories_that_have_a_copy_there(handle):
    facets = {name: {f.value: f.count for f in fs} for name, fs in search(handle).facets.items()}
    assert facets["source"] == {"Wire": 2, "Herald": 1, "Le Quotidien": 1}
    assert facets["lang"] == {"en": 2, "fr": 1}
    assert facets["year"] == {"2020": 1, "2021": 1, "2022": 1}
    flat = {f.value: f.count for f in search(handle, collapse=False).facets["source"]}
    assert flat == {"Wire": 2, "Herald": 2, "Le Quotidien": 1}


def test_date_sorts_put_undated_articles_last_and_pages_do_not_overlap(handle):
    newest = [h.id for p in (1, 2, 3) for h in search(handle, sort="newest", collapse=False,
                                                         limit=2, page=p).hits]  # fmt: skip
    assert newest == ["w3", "w2", "w1", "o1", "o2"]
    oldest = [h.id for h in search(handle, sort="oldest", collapse=False).hits]
    assert oldest == ["o1", "w1", "w2", "w3", "o2"]
    assert all(h.score == 0.0 for h in search(handle, sort="newest").hits)


def test_a_page_past_the_end_is_empty_but_keeps_the_total(handle):
    result = search(handle, page=9, limit=2)
    assert result.hits == [] and result.total == 3


def test_a_query_past_its_time_budget_returns_what_it_found_with_a_notice(handle, monkeypatch):
    from engines.whoosh import collect as collecting
    from engines.whoosh import vectorized

    monkeypatch.setattr(vectorized, "ENABLED", False)  # the budget bounds the matchers' walk
    monkeypatch.setattr(collecting, "_CHECK_EVERY", 1)
    monkeypatch.setattr(collecting, "QUERY_BUDGET_S", -1.0)  # already late at the start
    result = search(handle)
    assert result.notice == "The search took too long: these are the results found in time."
    assert result.total < 3
    monkeypatch.setattr(collecting, "QUERY_BUDGET_S", 3.0)
    assert search(handle).notice is None and search(handle).total == 3
