"""Matches per month: a story counts once, in the month of its oldest dated copy."""

from __future__ import annotations

import pytest

from engines.whoosh.engine import WhooshEngine
from search.request import SearchRequest


@pytest.fixture(scope="module")
def engine(tools_index):
    opened = WhooshEngine(tools_index)
    yield opened
    opened.close()


@pytest.mark.parametrize("collapse", [True, False])
@pytest.mark.parametrize("query", ["flood", "museum", "rain OR nothing", "gates lang:en"])
def test_months_add_up_to_the_search_total(engine, query: str, collapse: bool):
    request = SearchRequest(q=query, collapse=collapse)
    counts = engine.month_counts(request)
    assert counts.dated + counts.undated == engine.search(request).total
    assert list(counts.months) == sorted(counts.months)


def test_a_story_copied_over_three_months_counts_once(engine):
    collapsed = engine.month_counts(SearchRequest(q="river authority"))
    assert collapsed.months == {"2019-01": 1} and collapsed.undated == 0
    copies = engine.month_counts(SearchRequest(q="river authority", collapse=False))
    assert copies.months == {"2019-01": 1, "2019-02": 1, "2019-03": 1} and copies.undated == 1


def test_everything_leaves_the_query_out_and_keeps_the_filters(engine):
    every = engine.month_counts(SearchRequest(q="no such word"), everything=True)
    stories = engine.search(SearchRequest(q="flood OR museum OR nothing OR pluie"))
    assert every.dated + every.undated == stories.total
    assert every.months["2021-05"] == 2
    french = engine.month_counts(SearchRequest(q="", lang="fr"), everything=True)
    assert french.months == {"2021-05": 1} and french.undated == 0
