"""The indexing job against a real on-disk Whoosh index."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from builders import SAMPLE_DIR, write_jsonl
from engines import index_paths
from engines.whoosh.writer import (
    VERSION_FILE,
    IndexLocked,
    RebuildRequired,
    WhooshSink,
    create_or_open,
    known_hashes,
    open_index,
    open_writer,
)
from index.build import run_job
from index.document import IndexState
from index.layout import job_lock, live_dir
from index.learned import LEARNED_FILE
from index.manifest import MANIFEST
from index.report import IndexReport

RECORDS = [
    {
        "id": f"a{i}",
        "url": f"https://example.org/{i}",
        "source": "Example",
        "lang": "en",
        "title": f"Story number {i} about harbours",
        "date": f"2020-01-0{i + 1}",
        "text": f"Paragraph one of story {i} about the harbour.\n\nParagraph two, ships {i}.",
    }
    for i in range(4)
]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    (folder / "nested").mkdir(parents=True)
    write_jsonl(folder / "one.jsonl", RECORDS[:2])
    write_jsonl(folder / "nested" / "two.jsonl", RECORDS[2:])
    return folder


def test_first_run_adds_every_article_from_nested_folders(corpus: Path, tmp_path: Path):
    report = index_paths([corpus], tmp_path / "ix")
    assert (report.files, report.added, report.updated, report.unchanged) == (2, 4, 0, 0)
    assert report.committed
    assert set(known_hashes(open_index(tmp_path / "ix"))) == {"a0", "a1", "a2", "a3"}


def test_rerun_on_unchanged_input_changes_nothing(corpus: Path, tmp_path: Path):
    index_paths([corpus], tmp_path / "ix")
    generation = open_index(tmp_path / "ix").latest_generation()
    report = index_paths([corpus], tmp_path / "ix")
    assert (report.added, report.updated, report.unchanged) == (0, 0, 4)
    assert not report.committed
    assert open_index(tmp_path / "ix").latest_generation() == generation


def test_changed_article_is_updated_not_duplicated(corpus: Path, tmp_path: Path):
    index_paths([corpus], tmp_path / "ix")
    changed = [dict(RECORDS[0], title="A new title"), RECORDS[1]]
    write_jsonl(corpus / "one.jsonl", changed)
    report = index_paths([corpus], tmp_path / "ix")
    assert (report.added, report.updated, report.unchanged) == (0, 1, 3)
    ix = open_index(tmp_path / "ix")
    assert ix.doc_count() == 4
    with ix.searcher() as s:
        assert s.document(id="a0")["title"] == "A new title"


def test_broken_file_is_reported_and_the_rest_is_indexed(corpus: Path, tmp_path: Path):
    (corpus / "broken.jsonl.gz").write_bytes(b"this is not gzip at all")
    report = index_paths([corpus, tmp_path / "missing.jsonl"], tmp_path / "ix")
    assert report.added == 4
    reasons = {Path(r.path.split("#")[0]).name: r.reason for r in report.rejected}
    assert set(reasons) == {"broken.jsonl.gz", "missing.jsonl"}
    assert all(reasons.values())


def test_same_id_twice_in_one_run_is_indexed_once(tmp_path: Path):
    src = write_jsonl(tmp_path / "dup.jsonl", [RECORDS[0], dict(RECORDS[0], title="Other")])
    report = index_paths([src], tmp_path / "ix")
    assert (report.added, len(report.duplicates)) == (1, 1)
    assert open_index(tmp_path / "ix").doc_count() == 1


def test_a_duplicate_entry_never_names_itself(tmp_path: Path):
    # Issue 16, item 14: the same id read twice was reported as a duplicate of itself.
    src = write_jsonl(tmp_path / "dup.jsonl", [RECORDS[0], dict(RECORDS[0], title="Other")])
    report = index_paths([src], tmp_path / "ix")
    (duplicate,) = report.duplicates
    assert duplicate.id == "a0" and duplicate.duplicate_of != duplicate.id
    assert (duplicate.duplicate_of, duplicate.path) == (f"{src}#L1", f"{src}#L2")
    assert duplicate.reason == "same id"
    assert report.to_dict()["duplicates"][0]["duplicate_of"] == f"{src}#L1"


def test_a_dump_and_an_html_save_of_one_article_land_in_one_cluster(tmp_path: Path):
    captures = Path(__file__).resolve().parent.parent / "data" / "captures"
    report = index_paths([captures], tmp_path / "ix")
    assert report.added == 2
    with open_index(tmp_path / "ix").searcher() as searcher:
        clusters = {fields["cluster"] for fields in searcher.all_stored_fields()}
    assert len(clusters) == 1


def test_a_second_writer_is_refused_at_once(corpus: Path, tmp_path: Path):
    ix = create_or_open(tmp_path / "ix")
    holder = open_writer(ix)
    try:
        with pytest.raises(IndexLocked, match="write lock"):
            index_paths([corpus], tmp_path / "ix")
    finally:
        holder.cancel()
    assert index_paths([corpus], tmp_path / "ix").added == 4


def test_failure_mid_run_leaves_the_last_commit(corpus: Path, tmp_path: Path, monkeypatch):
    index_paths([corpus], tmp_path / "ix")
    fresh = dict(RECORDS[0], id="new", title="Brand new", text="Different text.")
    write_jsonl(corpus / "three.jsonl", [fresh])

    def explode(report, done, total):
        raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError):
        index_paths([corpus], tmp_path / "ix", progress=explode)
    ix = open_index(tmp_path / "ix")
    assert ix.doc_count() == 4
    assert "new" not in known_hashes(ix)
    assert index_paths([corpus], tmp_path / "ix").added == 1  # the lock was released


def test_index_from_another_version_requires_a_rebuild(corpus: Path, tmp_path: Path):
    index_paths([corpus], tmp_path / "ix")
    (live_dir(tmp_path / "ix") / VERSION_FILE).write_text(json.dumps({"schema_version": 0}))
    with pytest.raises(RebuildRequired, match="rebuild required"):
        open_index(tmp_path / "ix")
    with pytest.raises(RebuildRequired):
        index_paths([corpus], tmp_path / "ix")
    assert index_paths([corpus], tmp_path / "ix", rebuild=True).added == 4
    assert open_index(tmp_path / "ix").doc_count() == 4


def test_unchanged_files_are_not_even_read(corpus: Path, tmp_path: Path, monkeypatch):
    index_paths([corpus], tmp_path / "ix")
    import index.parallel

    def no_reading(path):
        raise AssertionError(f"{path} was read")

    monkeypatch.setattr(index.parallel, "read_path", no_reading)
    report = index_paths([corpus], tmp_path / "ix")
    assert (report.files_skipped, report.unchanged, report.added) == (2, 4, 0)


class _CountingSink(WhooshSink):
    """The engine's sink, counting the times the job reads the stored articles."""

    def __init__(self, index_dir: Path, rebuild: bool) -> None:
        super().__init__(index_dir, rebuild)
        self.articles_read = 0

    def load_articles(self) -> IndexState | None:
        self.articles_read += 1
        return super().load_articles()


def _run_counting(corpus: Path, index_dir: Path) -> tuple[IndexReport, _CountingSink]:
    sinks: list[_CountingSink] = []

    def open_sink(rebuild: bool) -> _CountingSink:
        sinks.append(_CountingSink(index_dir, rebuild))
        return sinks[-1]

    return run_job(open_sink, [corpus], index_dir), sinks[0]


def test_a_no_op_rerun_reads_no_stored_article_and_rewrites_no_job_file(
    corpus: Path, tmp_path: Path
):
    index_paths([corpus], tmp_path / "ix")
    job_files = [live_dir(tmp_path / "ix") / name for name in (MANIFEST, LEARNED_FILE)]
    before = [(p.stat().st_ino, p.stat().st_mtime_ns) for p in job_files]
    report, sink = _run_counting(corpus, tmp_path / "ix")
    assert (report.files_skipped, report.unchanged, report.changed) == (2, 4, 0)
    assert sink.articles_read == 0
    assert [(p.stat().st_ino, p.stat().st_mtime_ns) for p in job_files] == before
    write_jsonl(corpus / "one.jsonl", [RECORDS[0], {**RECORDS[1], "text": "Edited."}])
    report, sink = _run_counting(corpus, tmp_path / "ix")
    assert (report.updated, report.unchanged, sink.articles_read) == (1, 3, 1)
    assert [(p.stat().st_ino, p.stat().st_mtime_ns) for p in job_files] != before


def test_touched_file_is_rehashed_but_not_reparsed(corpus: Path, tmp_path: Path):
    index_paths([corpus], tmp_path / "ix")
    target = corpus / "one.jsonl"
    os.utime(target, ns=(time.time_ns(), time.time_ns() + 10**9))
    report = index_paths([corpus], tmp_path / "ix")
    assert (report.files_skipped, report.unchanged, report.changed) == (2, 4, 0)


def test_article_removed_from_a_file_is_deleted(corpus: Path, tmp_path: Path):
    index_paths([corpus], tmp_path / "ix")
    write_jsonl(corpus / "one.jsonl", RECORDS[:1])
    report = index_paths([corpus], tmp_path / "ix")
    assert report.deleted == 1
    assert set(known_hashes(open_index(tmp_path / "ix"))) == {"a0", "a2", "a3"}


def test_prune_removes_articles_of_deleted_files(corpus: Path, tmp_path: Path):
    index_paths([corpus], tmp_path / "ix")
    (corpus / "nested" / "two.jsonl").unlink()
    kept = index_paths([corpus], tmp_path / "ix")
    assert kept.deleted == 0 and open_index(tmp_path / "ix").doc_count() == 4
    pruned = index_paths([corpus], tmp_path / "ix", prune=True)
    assert pruned.deleted == 2
    assert set(known_hashes(open_index(tmp_path / "ix"))) == {"a0", "a1"}


def test_exact_duplicate_text_is_indexed_once(tmp_path: Path):
    copy = dict(RECORDS[1], id="copy", title="Same story elsewhere")
    src = write_jsonl(tmp_path / "d.jsonl", [RECORDS[1], copy])
    report = index_paths([src], tmp_path / "ix")
    assert report.added == 1
    assert [(d.id, d.duplicate_of) for d in report.duplicates] == [("copy", "a1")]


def test_rebuild_swaps_in_a_fresh_index_atomically(corpus: Path, tmp_path: Path):
    ix_dir = tmp_path / "ix"
    index_paths([corpus], ix_dir)
    before = open_index(ix_dir)
    old_searcher = before.searcher()
    write_jsonl(corpus / "one.jsonl", [dict(RECORDS[0], id="fresh", text="Fresh text.")])
    report = index_paths([corpus], ix_dir, rebuild=True)
    assert report.rebuild and report.added == 3
    assert set(known_hashes(open_index(ix_dir))) == {"fresh", "a2", "a3"}
    # a searcher opened before the swap still reads its own, complete snapshot
    assert old_searcher.doc_count() == 4
    assert old_searcher.document(id="a1")["title"].startswith("Story number 1")
    old_searcher.close()
    assert len(list((ix_dir / "builds").iterdir())) == 1


def test_failed_rebuild_leaves_the_live_index(corpus: Path, tmp_path: Path):
    ix_dir = tmp_path / "ix"
    index_paths([corpus], ix_dir)

    def explode(report, done, total):
        raise RuntimeError("killed")

    with pytest.raises(RuntimeError):
        index_paths([corpus], ix_dir, rebuild=True, progress=explode)
    assert open_index(ix_dir).doc_count() == 4
    assert len(list((ix_dir / "builds").iterdir())) == 1


def test_lock_of_a_killed_job_does_not_block(corpus: Path, tmp_path: Path):
    ix_dir = tmp_path / "ix"
    code = (
        "import sys, time; from pathlib import Path; from index.layout import job_lock\n"
        "with job_lock(Path(sys.argv[1])):\n    print('locked', flush=True); time.sleep(60)\n"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", code, str(ix_dir)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(IndexLocked):
            index_paths([corpus], ix_dir)
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
    assert index_paths([corpus], ix_dir).added == 4


def test_wait_gives_up_after_the_given_time(corpus: Path, tmp_path: Path):
    with job_lock(tmp_path / "ix"):
        started = time.monotonic()
        with pytest.raises(IndexLocked):
            index_paths([corpus], tmp_path / "ix", wait=0.5)
        assert time.monotonic() - started >= 0.5


WIRE = (
    "The central bank raised its main interest rate by a quarter point on Tuesday, citing "
    "persistent inflation in services and a labour market that remains tight despite slower "
    "growth, and said further increases could follow if price pressures fail to ease over the "
    "coming months according to a statement released after the meeting in the capital. "
    "Analysts had expected the move after figures published last week showed consumer prices "
    "rising faster than forecast for a third month in a row, driven by rents, insurance and "
    "restaurant bills. The governor told reporters that the committee was united in its view "
    "that policy must stay restrictive for some time, but declined to say how high rates might "
    "go or when cuts could begin. Markets reacted calmly, with the currency little changed "
    "against the dollar and government bond yields edging up slightly in afternoon trading"
)


def test_near_duplicates_share_a_cluster_key(tmp_path: Path):
    records = [
        {"id": "wire-1", "lang": "en", "title": "Rates up", "text": WIRE + "."},
        {
            "id": "wire-2",
            "lang": "en",
            "title": "Bank lifts rates",
            "text": WIRE + ", officials said.",
        },
        {
            "id": "other",
            "lang": "en",
            "title": "Football",
            "text": "The home side won the derby three goals to one " * 5,
        },
    ]
    index_paths([write_jsonl(tmp_path / "w.jsonl", records)], tmp_path / "ix")
    later = {"id": "wire-3", "lang": "en", "title": "Rates", "text": "Update: " + WIRE + "!"}
    index_paths([write_jsonl(tmp_path / "w2.jsonl", [later])], tmp_path / "ix")
    with open_index(tmp_path / "ix").searcher() as s:
        clusters = {i: s.document(id=i)["cluster"] for i in ("wire-1", "wire-2", "wire-3", "other")}
    assert clusters == {
        "wire-1": "wire-1",
        "wire-2": "wire-1",
        "wire-3": "wire-1",
        "other": "other",
    }


def test_parsing_in_a_worker_process_gives_the_same_index(corpus: Path, tmp_path: Path):
    (corpus / "broken.jsonl.gz").write_bytes(b"not gzip")
    inline = index_paths([corpus], tmp_path / "a", parse_workers=0)
    worker = index_paths([corpus], tmp_path / "b", parse_workers=1)
    assert (inline.added, len(inline.rejected)) == (worker.added, len(worker.rejected)) == (4, 1)
    assert known_hashes(open_index(tmp_path / "a")) == known_hashes(open_index(tmp_path / "b"))


def _postings(index_dir: Path) -> set[tuple]:
    """Every posting of every field: (field, term, article id, encoded value)."""
    with open_index(index_dir).searcher() as searcher:
        reader = searcher.reader()
        ids = {docnum: fields["id"] for docnum, fields in reader.iter_docs()}
        found = set()
        for fieldname, term in reader.all_terms():
            matcher = reader.postings(fieldname, term)
            while matcher.is_active():
                found.add((fieldname, term, ids[matcher.id()], matcher.value()))
                matcher.next()
        return found


def test_analysis_in_the_worker_writes_the_very_same_postings(tmp_path: Path):
    # The worker analyses articles ahead; the writer must index exactly what it would have.
    index_paths([SAMPLE_DIR], tmp_path / "a", parse_workers=0)
    index_paths([SAMPLE_DIR], tmp_path / "b", parse_workers=1)
    inline, ahead = _postings(tmp_path / "a"), _postings(tmp_path / "b")
    assert len(inline) > 10_000
    assert inline == ahead


def test_a_changed_article_is_analysed_again(tmp_path: Path):
    from dataclasses import replace

    from engines.whoosh.schema import build_schema
    from engines.whoosh.writer import analyse_ahead
    from index.article import Article
    from index.document import article_to_doc

    article = Article(id="x", title="Les ports", body="Les navires rentrent au port.", lang="fr")
    analyse_ahead(article, build_schema())
    assert not isinstance(article_to_doc(article, "h")["body_fr"], str)  # used as analysed
    cleaned = replace(article, body="Les avions décollent.")
    assert article_to_doc(cleaned, "h")["body_fr"] == "Les avions décollent."
    article.body = "Un autre texte."  # changed in place: the analysis no longer applies
    assert article_to_doc(article, "h")["body_fr"] == "Un autre texte."


def test_large_runs_commit_in_batches(corpus: Path, tmp_path: Path, monkeypatch):
    import index.build

    monkeypatch.setattr(index.build, "BATCH_DOCS", 3)
    report = index_paths([corpus], tmp_path / "ix")
    ix = open_index(tmp_path / "ix")
    assert report.added == 4 and ix.doc_count() == 4
    assert ix.latest_generation() == 2  # two commits: 3 documents, then 1
    again = index_paths([corpus], tmp_path / "ix")
    assert (again.unchanged, again.committed) == (4, False)
