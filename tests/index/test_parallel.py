"""The parse worker's batches (``index.parallel``): what it prepares ahead, and when."""

from __future__ import annotations

import json
import multiprocessing as mp
from pathlib import Path

from index.analysis import postings
from index.article import Article
from index.dedup import body_simhash, simhash
from index.parallel import (
    BATCH,
    WRITER_STARVING,
    parsed_files,
    prepared_batches,
    writer_busy,
)
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


def _note_budget(article: Article) -> None:
    article._memo_budget = postings.MEMO_LIMIT  # type: ignore[attr-defined]


def test_the_writing_process_keeps_a_smaller_memo_than_the_worker(tmp_path: Path) -> None:
    """The worker analyses every new article with the whole memo budget; the writing process
    only analyses again what learned boilerplate changed, with ``WRITER_MEMO_LIMIT`` words
    (its memos set part of the job's peak), and has its budget back once the files are read."""
    path = tmp_path / "news.jsonl"
    lines = [
        {"id": f"n{i}", "title": f"Storm {i}", "body": f"The harbour flooded {i}."}
        for i in range(5)
    ]
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    before = postings.MEMO_LIMIT
    assert before > postings.WRITER_MEMO_LIMIT
    in_worker, in_writer = set(), set()
    for items in parsed_files([path], 1, prepare=_note_budget):
        for item in items:
            assert isinstance(item, Article)
            in_worker.add(item._memo_budget)  # type: ignore[attr-defined]
            in_writer.add(postings.MEMO_LIMIT)
    assert in_worker == {before}
    assert in_writer == {postings.WRITER_MEMO_LIMIT}
    assert before == postings.MEMO_LIMIT
