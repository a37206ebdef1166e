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
    SETTLE_FROM,
    Buckets,
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


def test_buckets_keep_each_keys_entries_in_the_order_added(monkeypatch):
    monkeypatch.setattr("index.dedup.SETTLE_FROM", 7)  # settled into the arrays again and again
    buckets = Buckets()
    expected: dict[int, list[int]] = {}
    keys = [0, 2**64 - 1, 2**63, 5, 17, 2**40 + 3]
    for entry in range(200):
        key = keys[(entry * 7 + entry // 5) % len(keys)]
        buckets.add(key, entry)
        expected.setdefault(key, []).append(entry)
        if entry % 13 == 0:
            assert {k: buckets.get(k) for k in keys} == {k: expected.get(k, []) for k in keys}
    assert {k: buckets.get(k) for k in keys} == {k: expected.get(k, []) for k in keys}
    assert sum(map(len, expected.values())) == 200
    assert buckets.get(6) == []
    assert len(buckets) == 200 and len(buckets.recent) <= 7


def test_buckets_keep_the_order_added_even_when_entries_decrease(monkeypatch):
    monkeypatch.setattr("index.dedup.SETTLE_FROM", 3)
    buckets = Buckets()
    for entry in [50, 40, 30, 20, 10, 60, 5]:
        buckets.add(9, entry)
        buckets.add(entry, entry)
    assert buckets.get(9) == [50, 40, 30, 20, 10, 60, 5]
    assert buckets.get(40) == [40] and len(buckets) == 14


def test_clusters_are_held_in_arrays_a_few_dozen_bytes_an_article():
    """The job keeps every article's SimHash, bands and vouching keys: in arrays (dicts of
    tuples took ~1.5 KB an article, 100 MB on the corpus)."""
    clusters = Clusters()
    articles = 20_000
    for n in range(articles):
        value = int.from_bytes(hashlib.blake2b(str(n).encode(), digest_size=8).digest(), "little")
        clusters.assign(value, f"id{n}", f"title number {n} of the day", f"text {n}")
    assert len(clusters) == articles
    assert clusters.nbytes() < 120 * articles
    for buckets in (clusters._bands, clusters._vouched):  # few entries left in the dict
        assert buckets.pending <= max(SETTLE_FROM, len(buckets.keys) // 8) < len(buckets) // 4


def test_near_duplicates_are_found_across_settled_and_recent_entries(monkeypatch):
    monkeypatch.setattr("index.dedup.SETTLE_FROM", 3)
    clusters = Clusters()
    base = 0x0123_4567_89AB_CDEF
    assert clusters.assign(base, "first") == "first"
    for n in range(10):  # unrelated articles, so that ``first`` is settled in the arrays
        other = int.from_bytes(hashlib.blake2b(bytes([n]), digest_size=8).digest(), "little")
        clusters.assign(other, f"other{n}")
    assert clusters.assign(base ^ 0b101, "copy") == "first"  # 2 bits apart
    assert clusters.assign(base ^ 0xF0F0, "far") == "far"  # 8 bits apart, no title
    titled = "Harbour fish market reopens after storm"
    assert clusters.assign(base ^ 0xFF00_0000, "a", titled) == "a"
    assert clusters.assign(base ^ 0xFF00_00FF, "b", titled) == "a"  # 8 bits, same title
