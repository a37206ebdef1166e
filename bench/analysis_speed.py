"""Index-time analysis speed: Whoosh's chains (``field.index``) against the fast path
(``index.analysis.postings.document_postings``) on the text fields of real articles.

    python bench/analysis_speed.py /tmp/vector-bench/in-10000 --limit 3000 --rounds 2

Each measurement runs in a fresh process (the chains and the fast path share the stemmer and
folding caches: a warm cache would flatter whichever runs second), alternating the two, and
prints CPU and wall milliseconds per article. The fast path's items are checked equal to the
chains' on every article first.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

from engines.whoosh.schema import build_schema
from index.analysis.postings import document_postings
from index.article import Article
from index.document import text_values
from index.sources import read_path


def load(paths: list[Path], limit: int) -> list[dict[str, str]]:
    """The text values (``text_values``) of the first ``limit`` articles of the inputs."""
    files = sorted(f for p in paths for f in (p.rglob("*") if p.is_dir() else [p]) if f.is_file())
    values = []
    for path in files:
        for item in read_path(path):
            if isinstance(item, Article):
                values.append(text_values(item))
                if len(values) >= limit:
                    return values
    return values


def measure(mode: str, values: list[dict[str, str]]) -> tuple[float, float]:
    """CPU and wall milliseconds per article of analysing every text field of ``values``."""
    schema = build_schema()
    fields = {name: schema[name] for name in schema.names()}
    cpu, wall = time.process_time(), time.perf_counter()
    for texts in values:
        if mode == "chain":
            {name: list(fields[name].index(text)) for name, text in texts.items()}
        else:
            document_postings(fields, texts)
    n = max(len(values), 1)
    return (time.process_time() - cpu) * 1000 / n, (time.perf_counter() - wall) * 1000 / n


def check(values: list[dict[str, str]]) -> None:
    schema = build_schema()
    fields = {name: schema[name] for name in schema.names()}
    for texts in values:
        expected = {name: list(fields[name].index(text)) for name, text in texts.items()}
        if document_postings(fields, texts) != expected:
            raise SystemExit(f"the fast path differs on {texts}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--limit", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--mode", choices=["chain", "fast"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.mode:  # one measurement, in this fresh process
        cpu, wall = measure(args.mode, load(args.paths, args.limit))
        print(f"{args.mode}\t{cpu:.2f}\t{wall:.2f}")
        return
    values = load(args.paths, args.limit)
    check(values)
    print(f"{len(values)} articles, items equal; ms/article (cpu, wall):")
    base = [sys.executable, __file__, *map(str, args.paths), "--limit", str(args.limit)]
    for _ in range(args.rounds):
        for mode in ("chain", "fast"):
            subprocess.run([*base, "--mode", mode], check=True)


if __name__ == "__main__":
    main()
