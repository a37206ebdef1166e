"""The indexing job, written to OpenSearch instead of the embedded Whoosh index.

The job itself is ``index.build.Job`` (readers, boilerplate, languages, dates, duplicates,
clusters, the manifest of unchanged files): only where it writes changes. ``INDEX_DIR`` keeps
the job's own state (the ``job.lock`` flock, the manifest of input files, the learned
boilerplate and ``last_run.json``); the articles live in the cluster.

Articles the cluster did not acknowledge after every retry are listed in the report as
rejected (exit code 1) and their files are dropped from the manifest, so the next run reads
them again and writes what is missing: nothing acknowledged is lost, nothing refused is
forgotten.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Iterable
from pathlib import Path

from opensearchpy.exceptions import ConnectionError as OSConnectionError
from opensearchpy.exceptions import TransportError

from index.analysis import ANALYSIS_VERSION
from index.build import Job, Progress, _revisit, list_inputs
from index.layout import LAST_RUN, job_lock
from index.learned import Learned, load_learned, save_learned
from index.manifest import load_manifest, save_manifest
from index.parallel import parsed_files
from index.report import IndexReport, RejectedInput
from index.schema import SCHEMA_VERSION
from index.sinks.opensearch import OpenSearchStore, WriteFailure
from index.writer import IndexState, open_writer

STATE_DIR = "opensearch"  # under INDEX_DIR: manifest and learned boilerplate of the archive


def _forget_unwritten(job: Job, failures: list[WriteFailure], report: IndexReport) -> None:
    """Report what the cluster refused and make the next run read those files again."""
    failed = {f.id: f for f in failures}
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
                    f"{len(missing)} article(s) not written to OpenSearch "
                    f"({missing[0].reason}); they are retried on the next run",
                )
            )
    for failure in failed.values():  # deletes of pruned files, and anything else unlisted
        if failure.id not in listed:
            report.rejected.append(
                RejectedInput(failure.id, f"{failure.action} failed: {failure.reason}")
            )


class OpenSearchUnavailable(OSError):
    """The cluster could not be reached or refused the job's set-up (``manchette index``
    exits 3, as when the disk fails)."""


def index_paths_opensearch(
    paths: Iterable[Path],
    index_dir: Path,
    *,
    wait: float = 0.0,
    rebuild: bool = False,
    prune: bool = False,
    progress: Progress | None = None,
    parse_workers: int = 1,
    store: OpenSearchStore | None = None,
) -> IndexReport:
    """``index.build.index_paths`` for the OpenSearch backend (same arguments, same report).

    A ``--rebuild`` fills a new index and swaps the alias at the end; on failure the new index
    is deleted and the alias never moves.
    """
    try:
        return _run(paths, Path(index_dir), wait, rebuild, prune, progress, parse_workers, store)
    except (OSConnectionError, TransportError) as exc:
        raise OpenSearchUnavailable(f"OpenSearch: {exc}") from exc


def _run(
    paths: Iterable[Path],
    index_dir: Path,
    wait: float,
    rebuild: bool,
    prune: bool,
    progress: Progress | None,
    parse_workers: int,
    store: OpenSearchStore | None,
) -> IndexReport:
    started = time.perf_counter()
    store = store or OpenSearchStore()
    report = IndexReport(
        index_dir=str(index_dir),
        schema_version=SCHEMA_VERSION,
        analysis_version=ANALYSIS_VERSION,
        rebuild=rebuild,
    )
    state_dir = index_dir / STATE_DIR
    with job_lock(index_dir, wait):
        state_dir.mkdir(parents=True, exist_ok=True)
        if rebuild:
            target = store.create_index()
            state, manifest, learned = IndexState(), {}, Learned()
        else:
            target = store.ensure_live()
            state = store.load_state(target)
            manifest, learned = load_manifest(state_dir), load_learned(state_dir)
        sink = store.sink(target)
        job = Job(open_writer(sink), state, manifest, report, learned, ix=sink)  # type: ignore[arg-type]
        try:
            files = list_inputs(paths, report)
            report.files = len(files)
            planned = [(path, new) for path in files if (new := job.plan(path))]
            # OpenSearch analyses on its side: no Whoosh postings computed ahead
            stream = parsed_files([path for path, _ in planned], parse_workers, analyse=False)
            with contextlib.closing(stream):
                for done, ((path, new), items) in enumerate(zip(planned, stream, strict=True), 1):
                    job.ingest(path, new, items)
                    if progress is not None:
                        progress(report, done, len(planned))
            if prune:
                job.prune()
            report.deleted = job.deleted
            job.writer.commit()
            if job.revisit:
                report.relearned = _revisit(sink, state, job, learned, parse_workers)  # type: ignore[arg-type]
            _forget_unwritten(job, sink.failures, report)
            report.committed = bool(report.changed or report.deleted or rebuild)
        except BaseException:
            job.writer.cancel()
            if rebuild:
                store.delete_index(target)
            raise
        if rebuild:
            store.refresh(target)
            previous = store.swap_alias(target)
            if previous:
                store.delete_index(previous)
        save_manifest(state_dir, job.manifest)
        save_learned(state_dir, learned)
        report.seconds = round(time.perf_counter() - started, 3)
        (index_dir / LAST_RUN).write_text(
            json.dumps(report.to_dict(), indent=1) + "\n", encoding="utf-8"
        )
    return report
