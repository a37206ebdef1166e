"""The original before its re-sends, among copies of one story that score alike."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

import search.ranking as ranking
from builders import WIRE_COPIES, write_jsonl
from engines import index_paths
from engines.whoosh.engine import WhooshEngine
from search.copies import UNDATED, originals_first, originals_first_of
from search.request import SearchRequest

# --- the rule on arrays -----------------------------------------------------------------


def apply(scores, clusters, when, margin=0.05):
    scores = np.array(scores, dtype=float)
    order = np.lexsort((np.arange(len(scores)), -scores))
    order, scores = originals_first(
        order, scores, np.array(clusters), np.array(when, dtype=np.int64), margin
    )
    return order.tolist(), scores[order].tolist()


def test_the_earliest_copy_takes_the_best_place_and_its_score():
    # 0 and 2 are copies (cluster 7); 2 is older and scores 2% less
    order, scores = apply([100.0, 99.0, 98.0], [7, 1, 7], [20, 5, 10])
    assert order == [2, 1, 0]
    assert scores == [100.0, 99.0, 98.0]  # the places keep their scores: 1 does not move


def test_copies_apart_by_more_than_the_margin_keep_their_order():
    assert apply([100.0, 99.0, 90.0], [7, 1, 7], [20, 5, 10])[0] == [0, 1, 2]


def test_a_margin_of_zero_leaves_the_order_alone():
    assert apply([100.0, 99.0, 98.0], [7, 1, 7], [20, 5, 10], margin=0.0)[0] == [0, 1, 2]


def test_undated_copies_come_after_dated_ones_and_equal_dates_keep_the_engines_order():
    assert apply([100.0, 99.5, 99.0], [3, 3, 3], [UNDATED, 50, 50])[0] == [1, 2, 0]
    assert apply([100.0, 100.0], [3, 3], [UNDATED, UNDATED])[0] == [0, 1]


def test_each_story_is_sorted_among_its_own_places():
    order, _ = apply([10.0, 9.9, 9.8, 9.7, 1.0], [1, 2, 1, 2, 3], [4, 3, 2, 1, 0])
    assert order == [2, 3, 0, 1, 4]


def test_a_page_of_hits_gets_the_same_rule():
    # as an OpenSearch page gives them: scores, cluster keys and ISO dates, best first
    placed = originals_first_of(
        [10.0, 9.9, 9.8], ["a", "b", "a"], ["2021-03-02T08:00:00", None, "2021-03-01"]
    )
    assert placed == [(2, 10.0), (1, 9.9), (0, 9.8)]


# --- on an index ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> Iterator[WhooshEngine]:
    base = tmp_path_factory.mktemp("copies")
    index_paths([write_jsonl(base / "wire.jsonl", WIRE_COPIES)], base / "ix")
    found = WhooshEngine(base / "ix")
    yield found
    found.close()


def ids(engine: WhooshEngine, q: str, collapse: bool = False) -> list[str]:
    result = engine.search(SearchRequest(q=q, collapse=collapse).validate())
    return [h.id for h in result.hits]


def without_rule(monkeypatch) -> None:
    monkeypatch.setattr(
        ranking,
        "RULES",
        tuple(
            ranking.Rule(r.name, 0.0 if r.name == "copies.margin" else r.value, r.help)
            for r in ranking.RULES
        ),
    )


def test_the_resent_copy_scores_higher_without_the_rule(engine, monkeypatch):
    without_rule(monkeypatch)
    assert ids(engine, "close harbour bridge repairs") == ["resent", "original"]


def test_the_original_comes_first_among_copies_that_score_alike(engine):
    assert ids(engine, "close harbour bridge repairs") == ["original", "resent"]


def test_collapsed_the_story_is_shown_by_its_original(engine):
    result = engine.search(SearchRequest(q="close harbour bridge repairs").validate())
    assert [(h.id, h.cluster_size) for h in result.hits] == [("original", 2)]


def test_explain_shows_what_the_rule_gave_and_took(engine):
    request = SearchRequest(q="close harbour bridge repairs", collapse=False).validate()
    result, explained = engine.explain(request)
    gave = explained["original"]["copies.margin"]
    assert gave > 0
    assert explained["resent"]["copies.margin"] == pytest.approx(-gave, abs=1e-3)
    # the rest of each explanation is the copy's own score
    for hit in result.hits:
        assert sum(explained[hit.id].values()) == pytest.approx(hit.score, rel=1e-3)
    assert "copies.margin" not in engine.explain(
        SearchRequest(q="fishermen winter", collapse=False).validate()
    )[1].get("other", {})
