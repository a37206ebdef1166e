"""Query latency of several code trees and plain Whoosh on the same index, interleaved.

    python bench/query_paired.py --queries Q.json --index DIR --whoosh DIR \\
        --tree base=/path/to/an/export/of/main --tree mine=. [--rounds 3]

Each round runs ``bench/contenders.py query`` once per contender, in turn, each in a fresh
process (its warm-up pass, then the timed pass over the same queries, as ``bench/suite.py``
runs them): a tree's own ``contenders.py`` imports that tree's code first, so two versions of
Manchette answer the same queries from the same index in the same run. Rounds alternate the
order of the contenders, so a burst of the machine's other load weighs on all of them. The
table gives, per kind, each contender's p50 / p95 ms (the median over the rounds).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from measure import percentiles  # noqa: E402
from workload import ALL_KINDS  # noqa: E402


def run(tree: Path, engine: str, index: Path, queries: Path) -> dict:
    script = str(tree / "bench" / "contenders.py")
    command = [sys.executable, script, "query", engine, str(index), str(queries)]
    proc = subprocess.run(command, capture_output=True, text=True)
    if proc.returncode:
        raise SystemExit(f"{tree} {engine}: {proc.stderr[-2000:]}")
    return json.loads(proc.stdout)


def table(result: dict) -> dict:
    lat, kinds = result["latencies_ms"], result["kinds"]
    out = {"all": percentiles(lat)}
    for kind in ALL_KINDS:
        chosen = [v for v, k in zip(lat, kinds, strict=True) if k == kind]
        if chosen:
            out[kind] = percentiles(chosen)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=Path, required=True)
    parser.add_argument("--index", type=Path, required=True, help="a Manchette index")
    parser.add_argument("--whoosh", type=Path, help="a plain Whoosh index (contenders.py)")
    parser.add_argument("--tree", action="append", default=[], help="NAME=PATH of a code tree")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    named = [t.split("=", 1) for t in args.tree]
    contenders = [(name, Path(path), "manchette", args.index) for name, path in named]
    if args.whoosh:
        contenders.append(("whoosh", ROOT, "whoosh", args.whoosh))
    runs: dict[str, list[dict]] = {name: [] for name, *_ in contenders}
    for r in range(args.rounds):
        ordered = contenders if r % 2 == 0 else contenders[::-1]
        for name, tree, engine, index in ordered:
            runs[name].append(table(run(tree, engine, index, args.queries)))
            print(f"round {r + 1} {name}: {runs[name][-1]['all']}", file=sys.stderr)
    median = {
        name: {
            kind: {
                stat: round(statistics.median(t[kind][stat] for t in tables), 2)
                for stat in ("p50_ms", "p95_ms", "p99_ms")
            }
            for kind in tables[0]
        }
        for name, tables in runs.items()
    }
    if args.out:
        args.out.write_text(json.dumps({"median": median, "rounds": runs}, indent=1) + "\n")
    names = list(runs)
    print("| kind (p50 / p95 ms) | " + " | ".join(names) + " |")
    print("|---|" + "---:|" * len(names))
    for kind in median[names[0]]:
        cells = [f"{median[n][kind]['p50_ms']} / {median[n][kind]['p95_ms']}" for n in names]
        print(f"| {kind} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
