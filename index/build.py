"""The indexing job: files → articles → an engine's sink, incremental, locked, all or nothing.

One job for every engine: it writes through the :class:`~index.sink.Sink` an engine opens
(``engines.Engine.index_paths``); only where the articles go differs.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TypedDict

from index.analysis import ANALYSIS_VERSION
from index.article import Article
from index.config import COMMIT_MB, COMMIT_SECONDS
from index.dedup import body_simhash
from index.document import IndexState, article_to_doc, text_key
from index.known import Reads, hash_key
from index.layout import LAST_RUN, job_lock, write_atomic
from index.manifest import FileState, file_key, sha1_file, stat_state
from index.parallel import Item, parsed_files, safe_items
from index.records import (
    RecordReuse,
    Records,
    Unchanged,
    marked,
    place_of,
    split_entry,
)
from index.report import Duplicate, IndexReport, RejectedInput
from index.schema import SCHEMA_VERSION
from index.sink import JobState, Sink, WriteFailure
from index.sources import Rejected, iter_files, read_again

BATCH_DOCS = 10_000  # documents per commit: bounds the writer's memory on large collections
# A revisit of at most this many articles is parsed in the writing process: a parse worker
# forked from the writer once it has grown (after a full build's commits) doubled the job's
# resident memory (the pages they share count in both), for a few hundred articles.
REVISIT_INLINE = 2_000
PROGRESS_ARTICLES = 64  # within a file, report progress every this many articles read
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


def keep_articles(items: Iterable[Item], report: IndexReport) -> Iterator[Article]:
    """The articles of a stream; rejections go to the report."""
    for item in keep_records(items, report):
        if isinstance(item, Article):
            yield item


def keep_records(items: Iterable[Item], report: IndexReport) -> Iterator[Article | Unchanged]:
    """The articles of a stream and the records passed over unparsed (``index.records``);
    rejections go to the report."""
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
        sink: Sink,
        state: JobState,
        report: IndexReport,
        *,
        observing: bool = True,
        commit_seconds: float = COMMIT_SECONDS,
        commit_mb: float = COMMIT_MB,
    ) -> None:
        self.sink = sink
        self.state = state
        self.learned = state.learned
        self.observing = observing  # learn boilerplate from what is read (not when revisiting)
        self.revisit: set[str] = set()  # files holding articles to write again (``_revisit``)
        self.relearn: dict[str, set[str]] = {}  # file → locations of those articles in it
        self.seen = Reads(state.articles.known)  # the ids read in this run, and where first
        self.know(state.articles)
        self.manifest: dict[str, FileState] = state.manifest
        self.manifest_changed = False  # since loaded: else a run that read nothing saves nothing
        self.report = report
        self.deleted = 0
        self.pending = 0  # documents written (or deleted) since the last commit
        self.commits = 0
        self.commit_seconds = commit_seconds
        self.commit_bytes = int(commit_mb * 1024 * 1024)
        self.last_commit = time.monotonic()
        self.unsaved = False  # files done since the last checkpoint
        self.parsed_whole: set[str] = set()  # files read this run without passing over records
        self.tick: Callable[[], None] | None = None  # progress within a file

    def know(self, articles: IndexState) -> None:
        """Take the stored articles (read apart from the files when the engine can:
        ``Sink.load_articles``)."""
        self.state.articles = articles
        self.known = articles.known  # content hash by id, id by text hash
        self.clusters = articles.clusters
        if self.seen.table is not self.known:  # ids read before (unchanged files) stay read
            self.seen = self.seen.moved_to(self.known)

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
            self.manifest_changed = True
            self._skip(old, key)
            return None
        return FileState(size, mtime_ns, sha1)

    def ingest(self, path: Path, state: FileState, items: Iterable[Item]) -> None:
        """Index a file's parsed items and remember the file, with what it had that could not
        be indexed: an unchanged file is not read (nor reported) again. Its records are
        remembered too (``index.records``): those passed over unparsed keep their entries."""
        key = file_key(path)
        old = self.manifest.get(key)
        rejected_before = len(self.report.rejected)
        state.ids = []
        state.records = Records()
        state.learned = old.learned if old else 0
        passed_over = False
        for count, item in enumerate(keep_records(items, self.report), start=1):
            if isinstance(item, Unchanged):
                passed_over = True
                if self.keep_unchanged(item, path):
                    state.ids.append(item.id)
                    state.records[place_of(item.path)] = item.entry
            elif self.index_article(item, path):
                state.ids.append(item.id)
                if (where := marked(item)) is not None:
                    place, digest = where
                    state.records.put(place, digest, self.known.content_hex(item.id), item.id)
            if self.tick is not None and count % PROGRESS_ARTICLES == 0:
                self.tick()
        if not passed_over:
            self.parsed_whole.add(key)
        rejected = self.report.rejected[rejected_before:]
        gone = {i for i in set(old.ids) - set(state.ids) if i not in self.seen} if old else set()
        if rejected:  # a partial read deletes nothing: the articles stay with their file
            state.ids.extend(sorted(gone))
            state.rejected = [[r.path, r.reason] for r in rejected]
        else:
            self._delete(gone)
        self.manifest[key] = state
        self.manifest_changed = True
        self.unsaved = True
        self.maybe_commit()

    def maybe_commit(self) -> None:
        """Commit when the batch is full (``BATCH_DOCS`` documents, or ``commit_mb`` of what
        the engine buffers: memory stays flat however large the articles) or
        ``commit_seconds`` of work went by since the last commit: a job killed again and
        again (a timeout, the OOM killer) still gets on."""
        due = time.monotonic() - self.last_commit >= self.commit_seconds
        full = self.pending >= BATCH_DOCS or (
            self.pending and self.sink.buffered_bytes() >= self.commit_bytes
        )
        if full or (due and (self.pending or self.unsaved)):
            self.flush()

    def flush(self) -> None:
        """Commit what is buffered (without merging segments) and go on with a new writer:
        memory stays flat.

        Every commit is a complete, consistent state: the files marked done in the manifest
        saved with it are those whose articles are all committed (a file being read, or
        whose writes the engine refused, or whose articles hold boilerplate learned since,
        is read again by the next run); articles are keyed by id, so a job killed after a
        commit simply redoes the rest on its next run. A ``--rebuild`` commits into its own
        directory, which is swapped in only at the end.
        """
        if self.pending:  # else only files whose articles were committed before are done
            self.sink.commit(merge=False)
            self.commits += 1
        self.sink.checkpoint(self.checkpoint_state())
        self.pending = 0
        self.unsaved = False
        self.last_commit = time.monotonic()

    def checkpoint_state(self) -> JobState:
        """The job's state as of the commit just made (see ``flush``)."""
        failed = {f.id for f in self.sink.failures}
        stale = {file_key(Path(p)) for p in self.revisit}
        self.stamp_learned()
        manifest = {
            key: state
            for key, state in self.manifest.items()
            if key not in stale and not (failed and failed.intersection(state.ids))
        }
        return replace(self.state, manifest=manifest)

    def stamp_learned(self) -> None:
        """Note on each file read whole in this run the boilerplate its records were cleaned
        with: all that is learned now (what is learned later makes its articles read again,
        ``_revisit``; a file whose records were passed over keeps its older stamp)."""
        size = self.learned.size()
        for key in self.parsed_whole:
            if key in self.manifest:
                self.manifest[key].learned = size

    def reusable(self, planned: Iterable[Path]) -> RecordReuse | None:
        """What records of the files to read need no parsing: those of files remembered with
        their records under the boilerplate learned now (``index.records``)."""
        size = self.learned.size()
        records = {}
        for path in planned:
            old = self.manifest.get(file_key(path))
            if old is not None and old.records and old.learned == size:
                records[path] = old.records
        return RecordReuse(records, self.known, set(self.seen)) if records else None

    def keep_unchanged(self, item: Unchanged, path: Path) -> bool:
        """Count a record passed over unparsed as unchanged; parse it after all when this
        run read its id before or the index no longer holds it as indexed from there (the
        parsing process decided on what it knew when it started)."""
        _digest, content, article_id = split_entry(item.entry)
        if article_id in self.seen or not self.known.content_hex(article_id).startswith(content):
            kept = False
            for article in read_again(path, {item.path}):
                kept = self.index_article(article, path)
            return kept
        self.report.unchanged += 1
        self.report.passed_over += 1
        self.seen.read(article_id, item.path)
        return True

    def refresh_records(self, paths: Iterable[str]) -> None:
        """The records of files whose articles were written again (``_revisit``) name the
        content hashes indexed now."""
        for key in {file_key(Path(p)) for p in paths}:
            state = self.manifest.get(key)
            if state is None:
                continue
            for place, entry in state.records.items():
                digest, _content, article_id = split_entry(entry)
                if article_id in self.known:
                    content = self.known.content_hex(article_id)
                    state.records.put(place, digest, content, article_id)

    def _skip(self, state: FileState, key: str) -> None:
        report = self.report
        report.files_skipped += 1
        report.unchanged += len(state.ids)
        self.seen.read_all(state.ids, key)
        if state.rejected:  # reported when the file was read: listed, not reported again
            report.files_still_rejected += 1
            report.still_rejected_inputs.extend(RejectedInput(*r) for r in state.rejected)

    def reindex_file(self, path: Path, items: Iterable[Item]) -> None:
        """Index a file's items again regardless of the manifest (after new boilerplate was
        learned)."""
        for article in keep_articles(items, self.report):
            self.index_article(article, path)

    def index_article(self, article: Article, path: Path) -> bool:
        """Add, update or skip one article; True when the index holds it after this run."""
        if self.observing:
            for file, where in self.learned.observe(article, str(path)):
                self.revisit.add(file)
                self.relearn.setdefault(file, set()).add(where)
        article = self.learned.clean(article)
        report = self.report
        kept = self.seen.where(article.id)
        if kept is not None:  # the first occurrence in a run wins
            report.duplicates.append(Duplicate(article.id, kept, article.path, "same id"))
            return False
        content_hash = article.content_hash()
        text_hash = text_key(article)
        original = self.known.holder_of(text_hash) if text_hash else None
        if original is not None and original != article.id:
            report.duplicates.append(Duplicate(article.id, original, article.path, "same text"))
            return False
        self.seen.read(article.id, article.path)
        previous = self.known.content(article.id)
        if previous == hash_key(content_hash):
            report.unchanged += 1
            return True
        value = body_simhash(article)  # computed ahead by the parsing process, if any
        cluster = self.clusters.assign(value, article.id, article.title, article.body)
        doc = article_to_doc(article, content_hash, text_hash, value, cluster)
        if previous is None:
            self.sink.add(doc)
            report.added += 1
        else:
            self.sink.update(doc)
            report.updated += 1
        self.pending += 1
        self.maybe_commit()
        self.known.hold(article.id, content_hash, text_hash)
        return True

    def _delete(self, ids: Iterable[str]) -> None:
        for article_id in ids:
            self.deleted += self.sink.delete(article_id)
            self.pending += 1
            self.known.forget(article_id)

    def prune(self) -> None:
        """Forget files that no longer exist, and delete their articles."""
        for key in [k for k in self.manifest if not os.path.exists(k)]:
            self._delete({i for i in self.manifest.pop(key).ids if i not in self.seen})
            self.manifest_changed = True


def _revisit(sink: Sink, job: Job, parse_workers: int, merge: bool) -> tuple[int, int]:
    """Second commit: read again the articles that held paragraphs learned later in the run.

    Whoosh cannot update a document still buffered in the open writer, so this runs after the
    first commit; both commits are complete, consistent states of the index. The run merges
    segments once, in this commit (made even with nothing to write again when ``merge``: the
    first commit left the merge to it); a merge rewrites whole segments, and the first
    commit's new segment would be merged again here. Only those
    articles are read again (``Job.relearn``: a JSON Lines file parses only their lines), in
    file order, and only the occurrence of each id that the first pass kept: every other
    article would clean as it did then. Nothing is prepared ahead: cleaning changes each one.
    """
    sub = IndexReport()
    again = Job(sink, job.state, sub, observing=False, commit_seconds=job.commit_seconds)
    again.commit_bytes = job.commit_bytes
    again.revisit = set(job.revisit)  # not done until re-read: kept out of its checkpoints
    paths = [Path(p) for p in sorted(job.revisit)]
    only = {Path(p): job.relearn.get(p, set()) for p in job.revisit}
    kept = job.seen  # the ids read, and where the first pass read the article it kept
    try:
        stream = parsed_files(paths, parse_workers, only=only)
        with contextlib.closing(stream):
            for path, items in zip(paths, stream, strict=True):
                articles = keep_articles(items, sub)
                again.reindex_file(path, (a for a in articles if kept.where(a.id) == a.path))
        if again.pending or merge:
            again.commits += sink.commit()
        else:
            sink.cancel()
    except BaseException:
        sink.cancel()
        raise
    return sub.updated, again.commits


def _forget_unwritten(job: Job, sink: Sink, report: IndexReport) -> None:
    """Report what the engine refused and make the next run read those files again."""
    failed: dict[str, WriteFailure] = {f.id: f for f in sink.failures}
    if not failed:
        return
    listed = {i for s in job.manifest.values() for i in s.ids}
    for key, state in list(job.manifest.items()):
        missing = [failed[i] for i in state.ids if i in failed]
        if missing:
            del job.manifest[key]
            report.rejected.append(
                RejectedInput(
                    key,
                    f"{len(missing)} article(s) not written to {sink.target} "
                    f"({missing[0].reason}); they are retried on the next run",
                )
            )
    for failure in failed.values():  # deletes of pruned files, and anything else unlisted
        if failure.id not in listed:
            report.rejected.append(
                RejectedInput(failure.id, f"{failure.action} failed: {failure.reason}")
            )


OpenSink = Callable[[bool], Sink]  # rebuild → the sink of one job (called with the lock held)


class JobOptions(TypedDict, total=False):
    """The options of ``run_job`` (for those that pass them on)."""

    wait: float
    rebuild: bool
    prune: bool
    progress: Progress | None
    parse_workers: int
    commit_seconds: float
    commit_mb: float


def run_job(
    open_sink: OpenSink,
    paths: Iterable[Path],
    index_dir: Path,
    *,
    wait: float = 0.0,
    rebuild: bool = False,
    prune: bool = False,
    progress: Progress | None = None,
    parse_workers: int = 1,
    commit_seconds: float = COMMIT_SECONDS,
    commit_mb: float = COMMIT_MB,
) -> IndexReport:
    """Index files and folders through the sink ``open_sink`` opens; commit only if
    something changed.

    The job commits every ``BATCH_DOCS`` changed articles, when the engine buffers
    ``commit_mb`` megabytes and after ``commit_seconds`` of work, without merging segments,
    and at the end, merging them. ``progress`` is called after each file and every
    ``PROGRESS_ARTICLES`` articles read within a file.

    Raises ``IndexLocked`` when another job holds the lock of ``index_dir``. On any other
    exception nothing is committed: the sink is abandoned (a rebuild dropped) and the live
    index stays at its last commit.
    """
    started = time.perf_counter()
    index_dir = Path(index_dir)
    report = IndexReport(
        index_dir=str(index_dir),
        schema_version=SCHEMA_VERSION,
        analysis_version=ANALYSIS_VERSION,
        rebuild=rebuild,
    )
    with job_lock(index_dir, wait):
        sink = open_sink(rebuild)
        try:
            state = sink.load_files()
            job = Job(sink, state, report, commit_seconds=commit_seconds, commit_mb=commit_mb)
            files = list_inputs(paths, report)
            report.files = len(files)
            planned = [(path, new) for path in files if (new := job.plan(path))]
            # the stored articles are needed only when a file is read (not in a no-op re-run)
            if (planned or prune) and (articles := sink.load_articles()) is not None:
                job.know(articles)
            done = 0
            if progress is not None:
                progress(report, done, len(planned))
                job.tick = lambda: progress(report, done, len(planned))
            known = job.known.contents()  # content hashes: not prepared again
            reuse = job.reusable(path for path, _ in planned)
            stream = parsed_files(
                [path for path, _ in planned],
                parse_workers,
                prepare=sink.prepare,
                known=known,
                reuse=reuse,
            )
            with contextlib.closing(stream):  # stops the parsing process on any failure
                for (path, new), items in zip(planned, stream, strict=True):
                    job.ingest(path, new, items)
                    done += 1
                    if progress is not None:
                        progress(report, done, len(planned))
            if prune:
                job.prune()
            report.deleted = job.deleted
            owed = bool(job.pending or report.deleted or job.commits or rebuild)
            if owed:  # after intermediate commits, the run's last commit merges segments
                if job.pending and not job.revisit:
                    # what was read is committed before the merge: the merge can be most of a
                    # short run's time, and a job killed in it would lose what it read
                    job.flush()
                # a revisit's commit comes last: it merges
                job.commits += sink.commit(merge=not job.revisit)
            else:  # nothing new: only a merge a killed run left undone, when one is due
                sink.cancel()
                job.commits += sink.commit(merge=True)
            if job.revisit:
                small = sum(map(len, job.relearn.values())) <= REVISIT_INLINE
                workers = 0 if small else parse_workers
                report.relearned, again = _revisit(sink, job, workers, merge=owed)
                job.commits += again
                job.refresh_records(job.revisit)
            job.stamp_learned()
            _forget_unwritten(job, sink, report)
            report.committed = bool(report.changed or report.deleted or rebuild)
            report.commits = job.commits
            if job.manifest_changed or job.commits or rebuild:  # else the files are as loaded
                sink.save(job.state)
        except BaseException:
            sink.abandon()
            raise
        sink.finish()
        report.seconds = round(time.perf_counter() - started, 3)
        write_atomic(index_dir / LAST_RUN, json.dumps(report.to_dict(), indent=1) + "\n")
    return report
