"""The progress line of ``manchette index`` on a terminal: files, articles, rate, ETA.

Rates need data: none is shown before ``MIN_SECONDS`` of work, so the first reading is never a
division by almost nothing. The job reports progress within a file too (every few dozen
articles read), so a single large ``.jsonl.gz`` moves the line as it is read.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from index.report import IndexReport

MIN_SECONDS = 1.0  # no rate, no ETA before this much work
REFRESH_SECONDS = 0.25  # the line is redrawn at most this often (and on the last file)


def progress_text(done: int, total: int, articles: int, indexed: int, elapsed: float) -> str:
    """``12/40 files · 5,120 articles · 3,000 indexed · 1,500 articles/s · ETA 42s``."""
    parts = [f"{done}/{total} files", f"{articles:,} articles", f"{indexed:,} indexed"]
    if elapsed >= MIN_SECONDS:
        parts.append(f"{indexed / elapsed:,.0f} articles/s")
        if 0 < done < total:
            parts.append(f"ETA {elapsed / done * (total - done):,.0f}s")
    return " · ".join(parts)


class ProgressLine:
    """A progress callback for the job (``index.build.Progress``) that redraws one line."""

    def __init__(
        self, write: Callable[[str], None], clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.write = write
        self.clock = clock
        self.started = clock()  # the job's start: rates count its whole work
        self.shown = float("-inf")

    def __call__(self, report: IndexReport, done: int, total: int) -> None:
        now = self.clock()
        if now - self.shown < REFRESH_SECONDS and done < total:
            return
        self.shown = now
        articles = report.changed + report.unchanged + len(report.duplicates)
        text = progress_text(done, total, articles, report.changed, now - self.started)
        self.write(f"\r{text} ")
