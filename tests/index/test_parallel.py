"""The parse worker's batches (``index.parallel``): what it prepares ahead, and when."""

from __future__ import annotations

import multiprocessing as mp

from index.article import Article
from index.dedup import body_simhash, simhash
from index.parallel import BATCH, WRITER_STARVING, prepared_batches, writer_busy
from index.sources import Rejected


def articles(count: int) -> list[Article]:
    return [
        Article(id=f"a{i}", body=f"river {i} council budget harbour storm {i % 7}")
        for i in range(count)
    ]


def ahead(article: Article) -> bool:
    return getattr(article, "_simhash_ahead", None) is not None


def test_simhash_ahead_only_while_the_writer_is_busy() -> None:
    """Asked before each batch: a batch the writer is waiting for leaves its SimHashes to the
    writer, which computes the same ones."""
    found = articles(2 * BATCH + 10)
    answers = iter([True, False, True])
    batches = list(prepared_batches(iter(found), None, (), lambda: next(answers)))
    assert [len(b) for b in batches] == [BATCH, BATCH, 10]
    assert [{ahead(a) for a in b} for b in batches] == [{True}, {False}, {True}]
    assert [body_simhash(a) for a in found] == [simhash(a.body) for a in found]


def test_known_and_rejected_items_are_passed_on_unprepared() -> None:
    found = articles(5)
    rejected = Rejected("broken.json", "not JSON")
    known = {found[1].content_hash()}
    prepared: list[str] = []
    items = [found[0], rejected, *found[1:]]
    (batch,) = prepared_batches(iter(items), lambda a: prepared.append(a.id), known, lambda: True)
    assert batch == items
    assert prepared == ["a0", "a2", "a3", "a4"]
    assert [ahead(a) for a in found] == [True, False, True, True, True]


def test_the_writer_is_busy_with_enough_batches_waiting() -> None:
    queue: mp.Queue = mp.get_context("fork").Queue()
    try:
        for _ in range(WRITER_STARVING - 1):
            queue.put([])
        assert not writer_busy(queue)
        queue.put([])
        assert writer_busy(queue)
    finally:
        queue.close()
        queue.join_thread()
