"""Indexing throughput, paired: two Manchette builds and plain Whoosh on the same articles.

    python bench/index_paired.py --before /work/main/.venv/bin/manchette [--sizes 1000,10000]
        [--rounds 2] [--corpus ../shared/corpus] [--contenders before,after,whoosh,fts5]
        [--keep DIR]

For each size, a seeded sample of the corpus (``bench/workload.py``, as ``bench/suite.py``
draws it) is written as shards once; then, round after round, ``manchette index`` of the
``--before`` build, of this checkout (``--after``, default: beside this Python) and plain
Whoosh or FTS5 (``bench/contenders.py``) index it into fresh directories, one after the other (the
order reversed every other round, so that a load that drifts weighs on both alike). Each run
prints its wall time, articles/s and the CPU time of its processes (the parse worker's
included): on a shared machine the CPU time is the steadier figure; the peak RSS of its
process tree (``measure.run_measured``, as ``make bench`` measures it: all of it, and the
private part) and the segments the index ends with. One JSON line per run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from measure import run_measured  # noqa: E402
from workload import load_corpus, sample, write_shards  # noqa: E402

CONTENDERS = str(ROOT / "bench" / "contenders.py")


def command(who: str, binary: str, folder: Path, dest: Path) -> list[str]:
    if who in ("whoosh", "fts5"):
        shards = sorted(map(str, folder.glob("*.jsonl.gz")))
        return [sys.executable, CONTENDERS, "index", who, str(dest), *shards]
    return [binary, "index", str(folder), "--index-dir", str(dest), "--quiet"]


def run(who: str, binary: str, folder: Path, dest: Path, articles: int) -> dict:
    shutil.rmtree(dest, ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    measured = run_measured(command(who, binary, folder, dest))
    seconds = measured["seconds"]
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if measured["exit_code"] not in (0, 1):
        raise SystemExit(f"{who} failed: {measured['stderr'][-2000:]}")
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return {
        "who": who,
        "articles": articles,
        "seconds": round(seconds, 2),
        "articles_per_s": round(articles / seconds, 1),
        "cpu_s": round(cpu, 2),
        "peak_rss_mb": measured["peak_rss_mb"],
        "peak_anon_mb": measured["peak_anon_mb"],
        "segments": len(list(dest.rglob("*.seg"))),
        "load": round(os.getloadavg()[0], 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", required=True, help="the manchette executable to compare")
    parser.add_argument("--after", default=str(Path(sys.executable).parent / "manchette"))
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--contenders", default="before,after,whoosh")
    parser.add_argument("--keep", type=Path, help="build here and keep the last indexes")
    args = parser.parse_args()
    records = load_corpus(args.corpus)
    every = {"before": args.before, "after": args.after, "whoosh": "", "fts5": ""}
    binaries = {who: every[who] for who in args.contenders.split(",")}
    with tempfile.TemporaryDirectory(prefix="index-paired-") as tmp:
        work = Path(tmp) if args.keep is None else args.keep
        work.mkdir(parents=True, exist_ok=True)
        for size in map(int, args.sizes.split(",")):
            folder = work / f"in-{size}"
            write_shards(sample(records, size), folder)
            for n in range(args.rounds):
                order = list(binaries) if n % 2 == 0 else list(reversed(binaries))
                for who in order:
                    found = run(who, binaries[who], folder, work / f"{who}-{size}", size)
                    print(json.dumps({"round": n + 1, **found}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
