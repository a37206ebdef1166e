"""Near-duplicate clusters: SimHash, and two captures of one page (issue 16, item 14)."""

from __future__ import annotations

import hashlib
import pickle
import re
from dataclasses import replace
from pathlib import Path

import pytest

from builders import corpus_lines
from index.article import Article
from index.dedup import (
    MAX_DISTANCE,
    MAX_TITLED_DISTANCE,
    Clusters,
    body_simhash,
    distance,
    opening_key,
    simhash,
    simhash_ahead,
    title_key,
)
from index.sources import read_path

CAPTURES = Path(__file__).resolve().parent.parent / "data" / "captures"


def _captures():
    (dump,) = read_path(CAPTURES / "fish-market.txt")
    (page,) = read_path(CAPTURES / "fish-market.html")
    return dump, page


def test_the_two_captures_differ_more_than_copies_of_a_wire_story():
    # What makes this case: the dump lost lines, the HTML save lists the footnotes.
    dump, page = _captures()
    assert dump.title == page.title
    assert MAX_DISTANCE < distance(simhash(dump.body), simhash(page.body)) <= MAX_TITLED_DISTANCE


def test_a_dump_and_an_html_save_of_one_article_share_a_cluster():
    dump, page = _captures()
    clusters = Clusters()
    first = clusters.assign(simhash(dump.body), dump.id, dump.title)
    second = clusters.assign(simhash(page.body), page.id, page.title)
    assert first == second == dump.id


def test_two_captures_that_lost_their_title_cluster_by_their_opening_words():
    # A dump's headline is not always found: the opening of the text vouches instead.
    dump, page = _captures()
    clusters = Clusters()
    first = clusters.assign(simhash(dump.body), dump.id, "More on: harbour", dump.body)
    second = clusters.assign(simhash(page.body), page.id, page.title, page.body)
    assert first == second == dump.id


def test_the_same_title_does_not_cluster_different_texts():
    dump, _page = _captures()
    other = " ".join(f"word{i} filler{i % 7} text{i % 13}" for i in range(120))
    clusters = Clusters()
    first = clusters.assign(simhash(dump.body), dump.id, dump.title)
    second = clusters.assign(simhash(other), "other", dump.title)
    assert (first, second) == (dump.id, "other")


def test_without_a_title_only_close_simhashes_cluster():
    dump, page = _captures()
    clusters = Clusters()
    clusters.assign(simhash(dump.body), dump.id)
    assert clusters.assign(simhash(page.body), page.id) == page.id


@pytest.mark.parametrize(
    ("title", "key"),
    [
        ("Saint-Aubin will close its fish market!", "saint aubin will close its fish market"),
        ("Live: latest news", ""),  # too short to vouch for two texts being one
        ("", ""),
    ],
)
def test_title_key(title: str, key: str):
    assert title_key(title) == key


def test_opening_key():
    text = "One two three four five six seven eight nine ten eleven twelve thirteen fourteen"
    assert opening_key(text) == ""  # fourteen words: too short to vouch
    assert opening_key(f"{text} Fifteen, sixteen.") == f"{text} fifteen".casefold()


def test_simhash_of_a_short_text_is_none():
    assert simhash("too short to compare") is None


def test_near_copies_are_close_and_different_texts_far():
    dump, _page = _captures()
    edited = dump.body.replace("fifteen to twelve", "sixteen to eleven")
    assert distance(simhash(dump.body), simhash(edited)) <= MAX_DISTANCE
    other = " ".join(f"word{i} filler{i % 7} text{i % 13}" for i in range(120))
    assert distance(simhash(dump.body), simhash(other)) > MAX_TITLED_DISTANCE


def _plain_simhash(text: str) -> int | None:
    """The SimHash by its definition, bit by bit: each bit is the majority vote of that bit of
    the shingles' 64-bit hashes (blake2b, little-endian)."""
    words = re.findall(r"\w+", text.casefold())
    if len(words) < 30:
        return None
    shingles = {" ".join(words[i : i + 4]) for i in range(len(words) - 3)}
    hashes = [
        int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest(), "little")
        for s in shingles
    ]
    ones = [sum(h >> bit & 1 for h in hashes) for bit in range(64)]
    return sum(1 << bit for bit, n in enumerate(ones) if 2 * n > len(hashes))


def test_simhash_is_the_majority_vote_of_the_shingles_bits():
    lines = [*corpus_lines()]
    texts = [" ".join(lines[i : i + 12]) for i in range(0, len(lines), 29)]
    values = [simhash(text) for text in texts]
    assert sum(v is not None for v in values) > 40
    assert values == [_plain_simhash(text) for text in texts]


def test_a_simhash_computed_ahead_is_used_while_the_body_is_the_same_string():
    article = Article(id="a", body=" ".join(f"word{i}" for i in range(40)))
    simhash_ahead(article)
    assert body_simhash(article) == simhash(article.body)
    article._simhash_ahead = (article.body, 12345)  # type: ignore[attr-defined]  # shows its use
    assert body_simhash(article) == 12345
    assert body_simhash(pickle.loads(pickle.dumps(article))) == 12345  # as the worker sends it
    cleaned = replace(article, body=article.body.replace("word3 ", ""))
    assert body_simhash(cleaned) == simhash(cleaned.body)
    assert body_simhash(Article(id="b", body=article.body)) == simhash(article.body)
