"""The indexing job: files → articles → index, incremental, locked and all-or-nothing per run."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from whoosh.index import FileIndex
from whoosh.writing import SegmentWriter

from index.analysis import ANALYSIS_VERSION
from index.article import Article
from index.dedup import simhash
from index.layout import (
    LAST_RUN,
    job_lock,
    live_dir,
    new_build_dir,
    remove_build,
    remove_stale_builds,
    swap_in,
    write_atomic,
)
from index.learned import Learned, load_learned, save_learned
from index.manifest import (
    FileState,
    file_key,
    load_manifest,
    save_manifest,
    sha1_file,
    stat_state,
)
from index.parallel import parsed_files
from index.report import Duplicate, IndexReport, RejectedInput
from index.schema import ID_FIELD, SCHEMA_VERSION
from index.sinks.settings import backend_name
from index.sources import Rejected, iter_files, read_path
from index.writer import (
    IndexState,
    abandon_writer,
    article_to_doc,
    create_index,
    create_or_open,
    discard_uncommitted,
    load_state,
    open_writer,
    text_key,
)

BATCH_DOCS = 10_000  # documents per commit: bounds the writer's memory on large collections
Progress = Callable[[IndexReport, int, int], None]  # report, files done, files total


def read_inputs(paths: Iterable[Path], report: IndexReport) -> Iterator[Article]:
    """Every article of every file; unreadable inputs are recorded in the report, never fatal."""
    for path in list_inputs(paths, report):
        report.files += 1
        yield from read_file(path, report)


def list_inputs(paths: Iterable[Path], report: IndexReport) -> list[Path]:
    paths = list(paths)
    for raw in paths:
        if not Path(raw).exists():
            report.rejected.append(RejectedInput(str(raw), "no such file or directory"))
    return list(iter_files([p for p in paths if Path(p).exists()]))


def safe_items(path: Path) -> Iterator[Article | Rejected]:
    """A file's articles, and a ``Rejected`` for anything that cannot be read; never raises."""
    try:
        yield from read_path(path)
    except (OSError, ValueError, UnicodeError, EOFError) as exc:
        yield Rejected(str(path), f"{type(exc).__name__}: {exc}")


def keep_articles(items: Iterable[Article | Rejected], report: IndexReport) -> Iterator[Article]:
    """The articles of a stream; rejections go to the report."""
    for item in items:
        if isinstance(item, Rejected):
            where = f"{item.path}#L{item.line}" if item.line else item.path
            report.rejected.append(RejectedInput(where, item.reason))
        else:
            yield item


def read_file(path: Path, report: IndexReport) -> Iterator[Article]:
    return keep_articles(safe_items(path), report)


class Job:
    """One run's state: what the index holds, what this run has seen, and the open writer."""

    def __init__(
        self,
        writer: SegmentWriter,
        state: IndexState,
        manifest: dict,
        report: IndexReport,
        learned: Learned,
        *,
        ix: FileIndex,
        observing: bool = True,
    ) -> None:
        self.ix = ix
        self.writer = writer
        self.learned = learned
        self.observing = observing  # learn boilerplate from what is read (not when revisiting)
        self.revisit: set[str] = set()
        self.known = state.by_id  # id → content hash
        self.texts = state.by_text  # text hash → id
        self.clusters = state.clusters
        self.manifest: dict[str, FileState] = manifest
        self.report = report
        self.seen: set[str] = set()
        self.first_read: dict[str, str] = {}  # id → where it was read first in this run
        self.deleted = 0
        self.pending = 0  # documents written since the last commit
        self.commits = 0

    def plan(self, path: Path) -> FileState | None:
        """The file's new state when it must be read, or None when it is unchanged."""
        key = file_key(path)
        old = self.manifest.get(key)
        try:
            size, mtime_ns = stat_state(path)
            if old and (old.size, old.mtime_ns) == (size, mtime_ns):
                self._skip(old, key)
                return None
            sha1 = sha1_file(path)
        except OSError as exc:
            self.report.rejected.append(RejectedInput(str(path), f"unreadable: {exc}"))
            return None
        if old and old.sha1 == sha1:
            self.manifest[key] = replace(old, size=size, mtime_ns=mtime_ns)
            self._skip(old, key)
            return None
        return FileState(size, mtime_ns, sha1)

    def ingest(self, path: Path, state: FileState, items: Iterable[Article | Rejected]) -> None:
        """Index a file's parsed items and remember the file if it was read cleanly."""
        key = file_key(path)
        old = self.manifest.get(key)
        rejected_before = len(self.report.rejected)
        articles = keep_articles(items, self.report)
        state.ids = [a.id for a in articles if self.index_article(a, path)]
        if len(self.report.rejected) == rejected_before:  # only a clean read is remembered
            if old:
                self._delete(set(old.ids) - set(state.ids) - self.seen)
            self.manifest[key] = state

    def flush(self) -> None:
        """Commit what is buffered and go on with a new writer: memory stays flat.

        Every commit is a complete, consistent state (articles are keyed by id, so a job
        killed after one simply redoes the rest on its next run); a ``--rebuild`` commits into
        its own directory, which is swapped in only at the end.
        """
        self.writer.commit()
        self.commits += 1
        self.pending = 0
        self.writer = open_writer(self.ix)

    def _skip(self, state: FileState, key: str) -> None:
        self.report.files_skipped += 1
        self.report.unchanged += len(state.ids)
        self.seen.update(state.ids)
        self.first_read.update(dict.fromkeys(state.ids, key))

    def reindex_file(self, path: Path, items: Iterable[Article | Rejected]) -> None:
        """Index a file's items again regardless of the manifest (after new boilerplate was
        learned)."""
        for article in keep_articles(items, self.report):
            self.index_article(article, path)

    def index_article(self, article: Article, path: Path) -> bool:
        """Add, update or skip one article; True when the index holds it after this run."""
        if self.observing:
            self.revisit |= self.learned.observe(article, str(path))
        article = self.learned.clean(article)
        report = self.report
        if article.id in self.seen:  # the first occurrence in a run wins
            kept = self.first_read.get(article.id, "")
            report.duplicates.append(Duplicate(article.id, kept, article.path, "same id"))
            return False
        content_hash = article.content_hash()
        text_hash = text_key(article)
        original = self.texts.get(text_hash) if text_hash else None
        if original is not None and original != article.id:
            report.duplicates.append(Duplicate(article.id, original, article.path, "same text"))
            return False
        self.seen.add(article.id)
        self.first_read[article.id] = article.path
        previous = self.known.get(article.id)
        if previous == content_hash:
            report.unchanged += 1
            return True
        value = simhash(article.body)
        cluster = self.clusters.assign(value, article.id, article.title)
        doc = article_to_doc(article, content_hash, text_hash, value, cluster)
        if previous is None:
            self.writer.add_document(**doc)
            report.added += 1
        else:
            self.writer.update_document(**doc)
            report.updated += 1
        self.pending += 1
        if self.pending >= BATCH_DOCS:
            self.flush()
        self.known[article.id] = content_hash
        if text_hash:
            self.texts[text_hash] = article.id
        return True

    def _delete(self, ids: Iterable[str]) -> None:
        for article_id in ids:
            self.deleted += self.writer.delete_by_term(ID_FIELD, article_id)
            self.known.pop(article_id, None)

    def prune(self) -> None:
        """Forget files that no longer exist, and delete their articles."""
        for key in [k for k in self.manifest if not os.path.exists(k)]:
            self._delete(set(self.manifest.pop(key).ids) - self.seen)


def _revisit(
    ix: FileIndex, state: IndexState, job: Job, learned: Learned, parse_workers: int
) -> int:
    """Second commit: re-read files whose articles held paragraphs learned later in the run.

    Whoosh cannot update a document still buffered in the open writer, so this runs after the
    first commit; both commits are complete, consistent states of the index. The files are
    parsed again in the worker process, as in the first pass.
    """
    sub = IndexReport()
    writer = open_writer(ix)
    again = Job(writer, state, job.manifest, sub, learned, ix=ix, observing=False)
    paths = [Path(p) for p in sorted(job.revisit)]
    try:
        with contextlib.closing(parsed_files(paths, parse_workers)) as stream:
            for path, items in zip(paths, stream, strict=True):
                again.reindex_file(path, items)
        if again.pending:
            again.writer.commit()
        else:
            again.writer.cancel()
    except BaseException:
        again.writer.cancel()
        raise
    return sub.updated


def index_paths(
    paths: Iterable[Path],
    index_dir: Path,
    *,
    wait: float = 0.0,
    rebuild: bool = False,
    prune: bool = False,
    progress: Progress | None = None,
    parse_workers: int = 1,
) -> IndexReport:
    """Index files and folders into ``index_dir``; commit once, only if something changed.

    Raises ``IndexLocked`` when another job holds the lock. On any other exception nothing is
    committed: the writer is cancelled (or the fresh rebuild deleted) and the live index stays
    at its last commit.
    """
    if backend_name() == "opensearch":  # the same job, written to OpenSearch (index/sinks)
        from index.sinks.job import index_paths_opensearch

        options = {"wait": wait, "rebuild": rebuild, "prune": prune, "progress": progress}
        return index_paths_opensearch(paths, index_dir, parse_workers=parse_workers, **options)
    started = time.perf_counter()
    index_dir = Path(index_dir)
    report = IndexReport(
        index_dir=str(index_dir),
        schema_version=SCHEMA_VERSION,
        analysis_version=ANALYSIS_VERSION,
        rebuild=rebuild,
    )
    with job_lock(index_dir, wait):
        remove_stale_builds(index_dir)
        if rebuild:
            build = new_build_dir(index_dir)
            ix = create_index(build)
            state, manifest, learned = IndexState(), {}, Learned()
        else:
            ix = create_or_open(index_dir)
            build = live_dir(index_dir)
            state = load_state(ix)
            manifest = load_manifest(build)
            learned = load_learned(build)
        writer = open_writer(ix)
        discard_uncommitted(ix, keep=writer)  # left by a killed job or a full disk
        job = Job(writer, state, manifest, report, learned, ix=ix)
        try:
            files = list_inputs(paths, report)
            report.files = len(files)
            planned = [(path, new) for path in files if (new := job.plan(path))]
            known = set(state.by_id.values())  # content hashes: not analysed again
            stream = parsed_files([path for path, _ in planned], parse_workers, known=known)
            with contextlib.closing(stream):  # stops the parsing process on any failure
                for done, ((path, new), items) in enumerate(
                    zip(planned, stream, strict=True), start=1
                ):
                    job.ingest(path, new, items)
                    if progress is not None:
                        progress(report, done, len(planned))
            if prune:
                job.prune()
            report.deleted = job.deleted
            if job.pending or report.deleted or (rebuild and not job.commits):
                job.writer.commit()
            else:
                job.writer.cancel()
            report.committed = bool(report.changed or report.deleted or rebuild)
            if job.revisit:
                report.relearned = _revisit(ix, state, job, learned, parse_workers)
            save_manifest(build, job.manifest)
            save_learned(build, learned)
        except BaseException:
            abandon_writer(job.writer)
            if rebuild:
                shutil.rmtree(build, ignore_errors=True)
            else:  # a failed commit's files would keep a full disk full
                discard_uncommitted(ix)
            raise
        if rebuild:
            remove_build(index_dir, swap_in(index_dir, build))
        report.seconds = round(time.perf_counter() - started, 3)
        write_atomic(index_dir / LAST_RUN, json.dumps(report.to_dict(), indent=1) + "\n")
    return report
