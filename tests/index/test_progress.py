"""The progress line (issue 16.12): no rate before a second of data, progress within a file."""

from __future__ import annotations

from pathlib import Path

from builders import write_jsonl
from engines import index_paths
from index.build import PROGRESS_ARTICLES
from index.progress import MIN_SECONDS, ProgressLine, progress_text
from index.report import IndexReport


def test_no_rate_and_no_eta_before_a_second_of_data():
    early = progress_text(1, 10, 40_000, 40_000, elapsed=0.001)
    assert "/s" not in early and "ETA" not in early
    assert early.startswith("1/10 files · 40,000 articles · 40,000 indexed")
    later = progress_text(1, 10, 4_000, 3_000, elapsed=2 * MIN_SECONDS)
    assert f"{3_000 / (2 * MIN_SECONDS):,.0f} articles/s" in later
    assert "ETA" in later


def test_the_first_reading_of_the_line_has_no_rate():
    now = [100.0]
    shown: list[str] = []
    line = ProgressLine(shown.append, clock=lambda: now[0])
    now[0] += 0.3  # the first file, 868,810 articles, read in 0.3 s of a cached run
    line(IndexReport(added=868_810), 1, 3)
    now[0] += 2.0
    line(IndexReport(added=900_000), 2, 3)
    assert "/s" not in shown[0]
    assert "articles/s" in shown[1]


def test_progress_is_reported_within_a_single_large_file(tmp_path: Path):
    records = [
        {"id": f"p{n}", "title": f"Notice {n} on the harbour", "lang": "en",
         "text": f"Harbour notice {n}: the quay {n} is closed."}
        for n in range(3 * PROGRESS_ARTICLES)
    ]  # fmt: skip
    seen: list[tuple[int, int, int]] = []

    def progress(report: IndexReport, done: int, total: int) -> None:
        seen.append((done, total, report.changed))

    index_paths([write_jsonl(tmp_path / "one.jsonl", records)], tmp_path / "ix", progress=progress)
    within = [changed for done, total, changed in seen if done == 0 and changed]
    assert within and within == sorted(within) and len(within) >= 2
    assert seen[-1] == (1, 1, len(records))
