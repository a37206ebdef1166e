"""Batch search and complete exports on the research corpus (issue 15).

    python bench/batch.py [--corpus ../shared/corpus] [--size all|10000] [--names 1000]
                          [--index-dir DIR] [--out bench/results/tools-<size>-<date>.json]

Indexes a seeded sample of the corpus through the real CLI (or reuses ``--index-dir``), then
measures, each in a fresh ``manchette`` process:

- ``manchette batch`` of ``--names`` names: capitalised words from the sample's titles (not a
  title's first word, which is capitalised anyway), the kind of list a newsroom pastes.
  Target: 1,000 names against the full corpus in under 60 s.
- ``manchette export`` of a broad query to a file: rows written, seconds and the peak RSS of
  the process (anonymous memory apart: Whoosh maps its files, which counts in RSS).
  Target: under 200 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from measure import run_measured  # noqa: E402
from workload import SEED, load_corpus, sample, title_of, write_shards  # noqa: E402

BIN = Path(sys.executable).parent
NAME = re.compile(r"[A-ZÀ-Ý][\w'-]{2,}")
BROAD_QUERY = "the OR la OR de OR der OR que OR في"


def pick_names(records: list[dict], count: int) -> list[str]:
    """``count`` distinct capitalised words from titles, seeded."""
    found: set[str] = set()
    for record in records:
        words = title_of(record).split()
        for word in words[1:]:
            word = word.strip("\"'“”«»‘’„:;,.!?()[]")
            if NAME.fullmatch(word) and not word.isupper():
                found.add(word)
    names = sorted(found)
    random.Random(SEED).shuffle(names)
    return names[:count]


def manchette(*args: str) -> dict:
    run = run_measured([str(BIN / "manchette"), *args])
    if run["exit_code"] not in (0, 1):
        raise SystemExit(f"manchette {args[0]} failed: {run['stderr']}")
    return run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--size", default="all")
    parser.add_argument("--names", type=int, default=1000)
    parser.add_argument("--index-dir", type=Path, default=None, help="reuse this index")
    parser.add_argument("--query", default=BROAD_QUERY, help="the exported query")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    records = load_corpus(args.corpus)
    if not records:
        print(f"no corpus in {args.corpus}: nothing to measure", file=sys.stderr)
        return 2
    chosen = sample(records, None if args.size == "all" else int(args.size))
    with tempfile.TemporaryDirectory(prefix="manchette-tools-") as tmp:
        work = Path(tmp)
        index_dir = args.index_dir or work / "index"
        if args.index_dir is None or not index_dir.exists():
            write_shards(chosen, work / "in")
            print(f"indexing {len(chosen)} articles", file=sys.stderr)
            manchette("index", str(work / "in"), "--index-dir", str(index_dir), "-q")
        names = pick_names(chosen, args.names)
        listing = work / "names.txt"
        listing.write_text("\n".join(names) + "\n", encoding="utf-8")
        print(f"batch of {len(names)} names", file=sys.stderr)
        batch = manchette("batch", str(listing), "--json", "--index-dir", str(index_dir))
        rows = json.loads(batch["stdout"])
        print(f"export of {args.query!r}", file=sys.stderr)
        exported = work / "export.jsonl"
        export = manchette("export", args.query, "--output", str(exported), "--index-dir",
                           str(index_dir))  # fmt: skip
        with exported.open(encoding="utf-8") as handle:
            exported_rows = sum(1 for _ in handle)
    matched = [r for r in rows["queries"] if r["total"]]
    results = {
        "date": date.today().isoformat(),
        "articles": len(chosen),
        "cores": os.cpu_count(),
        "load_average_1m": round(os.getloadavg()[0], 1),  # other work on the machine
        "batch": {
            "names": len(names),
            "names_found": len(matched),
            "seconds": batch["seconds"],
            "took_ms": rows["took_ms"],
            "ms_per_name": round(rows["took_ms"] / max(len(names), 1), 2),
            "peak_rss_mb": batch["peak_rss_mb"],
            "target_met": batch["seconds"] < 60 if len(names) >= 1000 else None,
        },
        "export": {
            "query": args.query,
            "rows": exported_rows,
            "seconds": export["seconds"],
            "rows_per_s": round(exported_rows / max(export["seconds"], 1e-6)),
            "peak_rss_mb": export["peak_rss_mb"],
            "peak_anon_mb": export["peak_anon_mb"],
            "target_met": export["peak_rss_mb"] < 200,
        },
    }
    label = args.size
    out = args.out or ROOT / "bench" / "results" / f"tools-{label}-{results['date']}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
