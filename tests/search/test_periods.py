"""Matches per month: a story counts once, in the month of its oldest dated copy."""

from __future__ import annotations

import numpy as np
import pytest

from index.writer import open_index
from search.execute import run_search
from search.periods import count_months, month_counts
from search.request import SearchRequest


@pytest.fixture(scope="module")
def searcher(tools_index):
    with open_index(tools_index).searcher() as s:
        yield s


def test_count_months_puts_a_cluster_in_the_month_of_its_oldest_dated_copy():
    months = np.array([2, 1, 3, 0, 0, 4], dtype=np.int32)  # month codes; 0 = undated
    published = np.array([20, 10, 30, 0, 0, 40], dtype=np.int64)
    clusters = np.array([7, 7, 7, 7, 8, 9], dtype=np.int32)
    assert count_months(months, published, clusters) == ({1: 1, 4: 1}, 1)
    assert count_months(months, published, None) == ({1: 1, 2: 1, 3: 1, 4: 1}, 2)


@pytest.mark.parametrize("collapse", [True, False])
@pytest.mark.parametrize("query", ["flood", "museum", "rain OR nothing", "gates lang:en"])
def test_months_add_up_to_the_search_total(searcher, query: str, collapse: bool):
    request = SearchRequest(q=query, collapse=collapse)
    counts = month_counts(searcher, request)
    assert counts.dated + counts.undated == run_search(searcher, request).total
    assert list(counts.months) == sorted(counts.months)


def test_a_story_copied_over_three_months_counts_once(searcher):
    collapsed = month_counts(searcher, SearchRequest(q="river authority"))
    assert collapsed.months == {"2019-01": 1} and collapsed.undated == 0
    copies = month_counts(searcher, SearchRequest(q="river authority", collapse=False))
    assert copies.months == {"2019-01": 1, "2019-02": 1, "2019-03": 1} and copies.undated == 1


def test_everything_leaves_the_query_out_and_keeps_the_filters(searcher):
    every = month_counts(searcher, SearchRequest(q="no such word"), everything=True)
    stories = run_search(searcher, SearchRequest(q="flood OR museum OR nothing OR pluie"))
    assert every.dated + every.undated == stories.total
    assert every.months["2021-05"] == 2
    french = month_counts(searcher, SearchRequest(q="", lang="fr"), everything=True)
    assert french.months == {"2021-05": 1} and french.undated == 0
