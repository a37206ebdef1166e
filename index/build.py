"""The indexing job: files → articles → index, incremental and all-or-nothing per run."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path

from index.analysis import ANALYSIS_VERSION
from index.article import Article
from index.report import IndexReport, RejectedInput
from index.schema import SCHEMA_VERSION
from index.sources import Rejected, iter_files, read_path
from index.writer import article_to_doc, create_or_open, known_hashes, open_writer

Progress = Callable[[IndexReport], None]


def read_inputs(paths: Iterable[Path], report: IndexReport) -> Iterable[Article]:
    """Every article of every file; unreadable inputs are recorded in the report, never fatal."""
    for raw in paths:
        if not Path(raw).exists():
            report.rejected.append(RejectedInput(str(raw), "no such file or directory"))
    for path in iter_files([p for p in paths if Path(p).exists()]):
        report.files += 1
        try:
            for item in read_path(path):
                if isinstance(item, Rejected):
                    where = f"{item.path}#L{item.line}" if item.line else item.path
                    report.rejected.append(RejectedInput(where, item.reason))
                else:
                    yield item
        except (OSError, ValueError, UnicodeError, EOFError) as exc:
            report.rejected.append(RejectedInput(str(path), f"{type(exc).__name__}: {exc}"))


def index_paths(
    paths: Iterable[Path],
    index_dir: Path,
    *,
    wait: float = 0.0,
    progress: Progress | None = None,
) -> IndexReport:
    """Index files and folders into ``index_dir``; commit once, only if something changed.

    Raises ``IndexLocked`` when another job holds the lock; on any other exception the writer
    is cancelled and the index stays at its last commit.
    """
    started = time.perf_counter()
    report = IndexReport(
        index_dir=str(index_dir),
        schema_version=SCHEMA_VERSION,
        analysis_version=ANALYSIS_VERSION,
    )
    ix = create_or_open(Path(index_dir))
    known = known_hashes(ix)
    writer = open_writer(ix, wait)
    seen: set[str] = set()
    try:
        for article in read_inputs(list(paths), report):
            content_hash = article.content_hash()
            if article.id in seen:  # first occurrence in a run wins
                report.duplicates += 1
                continue
            seen.add(article.id)
            previous = known.get(article.id)
            if previous == content_hash:
                report.unchanged += 1
                continue
            doc = article_to_doc(article, content_hash)
            if previous is None:
                writer.add_document(**doc)
                report.added += 1
            else:
                writer.update_document(**doc)
                report.updated += 1
            known[article.id] = content_hash
            if progress is not None:
                progress(report)
        if report.changed:
            writer.commit()
            report.committed = True
        else:
            writer.cancel()
    except BaseException:
        writer.cancel()
        raise
    finally:
        report.seconds = round(time.perf_counter() - started, 3)
    return report
