"""Indexing benchmark on the real corpus: full run, no-op re-run, touched files, counts.

    python bench/index_corpus.py [--corpus ../shared/corpus] [--limit-files N]

Runs the real CLI (`manchette index`) in subprocesses so peak memory is measured per run,
then checks `manchette stats --json` against the input's own counts (minus the exact
duplicates the report lists). Writes bench/results/index-<date>.json.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MANCHETTE = str(Path(sys.executable).parent / "manchette")


def run_index(paths: list[Path], index_dir: Path, *extra: str) -> dict:
    report_file = index_dir.parent / f"report-{time.monotonic_ns()}.json"
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    proc = subprocess.run(
        [
            MANCHETTE,
            "index",
            *map(str, paths),
            "--index-dir",
            str(index_dir),
            "--quiet",
            "--report",
            str(report_file),
            *extra,
        ],
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if proc.returncode not in (0, 1):
        raise SystemExit(f"manchette index failed ({proc.returncode}): {proc.stderr[-2000:]}")
    report = json.loads(report_file.read_text())
    report["wall_seconds"] = round(seconds, 2)
    report["peak_rss_mb"] = round(max(peak_kb, before) / 1024, 1)
    report["exit_code"] = proc.returncode
    return report


def input_records(files: list[Path]) -> dict[str, tuple[str, str]]:
    """id → (lang, source) of every input record."""
    records = {}
    for path in files:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                records[str(record["id"])] = (record["lang"], record["source"])
    return records


def touched_files_check(raw: Path, work: Path) -> dict:
    files = sorted((raw / "text").glob("*.txt"))
    if len(files) < 10:
        return {}
    copy = work / "raw"
    copy.mkdir()
    for path in files:
        (copy / path.name).write_bytes(path.read_bytes())
    index_dir = work / "raw-index"
    run_index([copy], index_dir)
    for path in sorted(copy.iterdir())[:10]:
        # Edit the article text itself: the longest line of the dump gets a few more words.
        lines = path.read_bytes().split(b"\n")
        longest = max(range(len(lines)), key=lambda i: len(lines[i]))
        lines[longest] += b" Edited for the benchmark."
        path.write_bytes(b"\n".join(lines))
    second = run_index([copy], index_dir)
    return {
        "files": len(files),
        "touched": 10,
        "files_read_again": second["files"] - second["files_skipped"],
        "updated": second["updated"],
        "added": second["added"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    args = parser.parse_args()
    files = sorted(args.corpus.glob("*.jsonl.gz"))
    if not files:
        print(f"no corpus in {args.corpus}: nothing to measure", file=sys.stderr)
        return 0
    records = input_records(files)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        index_dir = work / "index"
        first = run_index(files, index_dir)
        noop = run_index(files, index_dir)
        stats = json.loads(
            subprocess.run(
                [MANCHETTE, "stats", "--index-dir", str(index_dir), "--json"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
        touched = touched_files_check(args.corpus / "raw", work)
    dropped = {d["id"] for d in first["duplicates"]}
    kept = [v for k, v in records.items() if k not in dropped]
    expected_lang = Counter(lang for lang, _ in kept)
    expected_source = Counter(source for _, source in kept)
    results = {
        "date": date.today().isoformat(),
        "machine": {
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "input_articles": len(records),
        "indexed_articles": stats["articles"],
        "duplicates": len(first["duplicates"]),
        "rejected": len(first["rejected"]),
        "first_run_s": first["wall_seconds"],
        "articles_per_s": round(stats["articles"] / first["wall_seconds"], 1),
        "first_run_peak_rss_mb": first["peak_rss_mb"],
        "noop_run_s": noop["wall_seconds"],
        "noop_share_of_first": round(noop["wall_seconds"] / first["wall_seconds"], 4),
        "noop_unchanged": noop["unchanged"],
        "index_size_mb": round(stats["size_bytes"] / 1e6, 1),
        "by_lang_input": dict(expected_lang),
        "by_lang_index": stats["by_lang"],
        "counts_match": dict(expected_lang) == stats["by_lang"]
        and dict(expected_source) == stats["by_source"],
        "touched_files": touched,
    }
    out = ROOT / "bench" / "results" / f"index-{results['date']}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
