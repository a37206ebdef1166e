"""The benchmark suite: Manchette, plain Whoosh and SQLite FTS5 on the same articles, same run.

    python bench/suite.py [--corpus ../shared/corpus] [--sizes 1000,10000,all] [--web-seconds 30]

For each size, a seeded sample of the corpus is written as gzip JSON Lines shards, then:
Manchette indexes it through its real CLI (full run, no-op re-run, 1 % of the articles
edited), both baselines index the same shards, every engine answers the same 600 queries
(warm, in-process, the same library calls the web views make), and a fresh process measures
each engine's cold start. At 10,000 articles and above, `manchette serve` is loaded with wrk at
concurrency 1, 8 and 32. Writes bench/results/<date>.json and the tables in doc/benchmarks.md,
with issue 13's targets checked at every size they name.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from datetime import date
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from measure import dir_size, percentiles, run_measured, wrk  # noqa: E402
from workload import (  # noqa: E402
    ALL_KINDS,
    SEED,
    WHOLE,
    Query,
    load_corpus,
    make_queries,
    sample,
    write_shards,
)

BIN = Path(sys.executable).parent
ENGINES = str(ROOT / "bench" / "contenders.py")
KINDS = ALL_KINDS
WEB_FROM = 10_000  # articles: the web load runs at this size and above
WORKERS = ["--workers", str(os.cpu_count() or 1)]  # one server process per core (README)
START, END = "<!-- results:start -->", "<!-- results:end -->"


def machine() -> dict:
    meminfo = Path("/proc/meminfo").read_text().split("\n")[0].split()
    cpu = [line for line in Path("/proc/cpuinfo").read_text().splitlines() if "model name" in line]
    return {
        "cores": os.cpu_count(),
        "memory_gb": round(int(meminfo[1]) / 1024 / 1024, 1),
        "cpu": cpu[0].split(":", 1)[1].strip() if cpu else platform.processor(),
        "python": platform.python_version(),
        "whoosh": version("whoosh-reloaded"),
        "sqlite": sqlite3.sqlite_version,
        "manchette": version("manchette"),
        "platform": platform.platform(),
    }


def manchette_index(folder: Path, index_dir: Path) -> dict:
    report = index_dir.parent / f"report-{time.monotonic_ns()}.json"
    run = run_measured(
        [
            str(BIN / "manchette"),
            "index",
            str(folder),
            "--index-dir",
            str(index_dir),
            "--quiet",
            "--report",
            str(report),
        ]
    )
    if run["exit_code"] not in (0, 1):
        raise SystemExit(f"manchette index failed: {run['stderr']}")
    summary = json.loads(report.read_text())
    return {
        "seconds": run["seconds"],
        "peak_rss_mb": run["peak_rss_mb"],
        "peak_anon_mb": run.get("peak_anon_mb"),
        **{k: summary[k] for k in ("added", "updated", "unchanged") if k in summary},
    }


def engine(command: str, name: str, dest: Path, *args: str) -> dict:
    run = run_measured([sys.executable, ENGINES, command, name, str(dest), *args])
    if run["exit_code"] != 0:
        raise SystemExit(f"{name} {command} failed: {run['stderr']}")
    return {
        **json.loads(run["stdout"]),
        "seconds": run["seconds"],
        "peak_rss_mb": run["peak_rss_mb"],
    }


def edit_one_percent(records: list[dict], folder: Path) -> int:
    """Edit the text of 1 % of the articles and rewrite the shards that hold them."""
    rng = random.Random(SEED)
    chosen = set(rng.sample(range(len(records)), max(1, len(records) // 100)))
    for i in chosen:
        records[i] = {**records[i], "text": records[i]["text"] + " Edited for the benchmark."}
    write_shards(records, folder)
    return len(chosen)


def latency_table(run: dict) -> dict:
    lat, kinds = run["latencies_ms"], run["kinds"]
    table = {"all": percentiles(lat)}
    for kind in KINDS:
        table[kind] = percentiles([v for v, k in zip(lat, kinds, strict=True) if k == kind])
    table["hits_shown"] = run["hits_shown"]
    return table


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def web_load(index_dir: Path, queries: list[Query], seconds: int) -> list[dict]:
    port = free_port()
    server = subprocess.Popen(
        [
            str(BIN / "manchette"),
            "serve",
            "--index-dir",
            str(index_dir),
            "--port",
            str(port),
            *WORKERS,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        paths = []
        for q in queries:
            params = {"q": q.text, **({"lang": q.lang} if q.lang else {})}
            params.update({"year": q.year} if q.year else {})
            paths.append("/search?" + urllib.parse.urlencode(params))
        for path in paths[:50]:  # warm the server as the queries' own warm-up pass does
            urllib.request.urlopen(base + path, timeout=30).read()
        return [wrk(base, paths, c, seconds) for c in (1, 8, 32)]
    finally:
        server.terminate()
        server.wait(timeout=30)


def run_size(records: list[dict], size: int | None, work: Path, web_seconds: int) -> dict:
    chosen = sample(records, size)
    label = str(size) if size else "all"
    folder = work / f"in-{label}"
    write_shards(chosen, folder)
    shards = sorted(map(str, folder.glob("*.jsonl.gz")))
    index_dir = work / f"manchette-{label}"
    print(f"[{label}] {len(chosen)} articles: manchette index", file=sys.stderr)
    full = manchette_index(folder, index_dir)
    noop = manchette_index(folder, index_dir)
    edited = edit_one_percent(chosen, folder)
    update = manchette_index(folder, index_dir)
    stats = json.loads(
        subprocess.run(
            [str(BIN / "manchette"), "stats", "--index-dir", str(index_dir), "--json"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    out = {
        "articles": len(chosen),
        "manchette": {
            "index": {**full, "articles_per_s": round(len(chosen) / full["seconds"], 1)},
            "noop_rerun": noop,
            "update_1pct": {**update, "edited": edited},
            "index_mb": round(stats["size_bytes"] / 1e6, 1),
            "indexed_articles": stats["articles"],
        },
    }
    for name in ("whoosh", "fts5"):
        print(f"[{label}] {name} index", file=sys.stderr)
        dest = work / f"{name}-{label}"
        built = engine("index", name, dest, *shards)
        out[name] = {
            "index": {**built, "articles_per_s": round(len(chosen) / built["seconds"], 1)},
            "index_mb": round(dir_size(dest) / 1e6, 1),
        }
    queries = make_queries(chosen, whole=WHOLE)
    qfile = work / f"queries-{label}.json"
    qfile.write_text(json.dumps([q.__dict__ for q in queries], ensure_ascii=False))
    for name in ("manchette", "whoosh", "fts5"):
        print(f"[{label}] {name} queries", file=sys.stderr)
        dest = index_dir if name == "manchette" else work / f"{name}-{label}"
        out[name]["queries"] = latency_table(engine("query", name, dest, str(qfile)))
        out[name]["cold_start_s"] = round(engine("cold", name, dest, str(qfile))["cold_start_s"], 3)
    if web_seconds:
        print(f"[{label}] web load", file=sys.stderr)
        out["web"] = web_load(index_dir, queries, web_seconds)
    return out


def ratios(run: dict) -> dict:
    m, w, f = run["manchette"], run["whoosh"], run["fts5"]
    return {
        "index_speed_vs_whoosh": round(
            m["index"]["articles_per_s"] / w["index"]["articles_per_s"], 2
        ),
        "index_speed_vs_fts5": round(
            m["index"]["articles_per_s"] / f["index"]["articles_per_s"], 2
        ),
        "index_size_vs_whoosh": round(m["index_mb"] / w["index_mb"], 2),
        "index_size_vs_fts5": round(m["index_mb"] / f["index_mb"], 2),
        "p95_vs_whoosh": round(m["queries"]["all"]["p95_ms"] / w["queries"]["all"]["p95_ms"], 2),
        "p95_vs_fts5": round(m["queries"]["all"]["p95_ms"] / f["queries"]["all"]["p95_ms"], 2),
    }


def _web8(run: dict) -> dict | None:
    return next((w for w in run.get("web", []) if w["connections"] == 8), None)


def targets(results: dict) -> list[tuple[str, str, bool]]:
    """Issue 13's targets, each at the sizes it names: (target, measured, met)."""
    sizes = results["sizes"]
    runs = list(sizes.values())
    full = sizes.get("all", runs[-1])
    at = f"{full['articles']:,}"
    rows: list[tuple[str, str, bool]] = []
    m = full["manchette"]
    q = m["queries"]
    rows += [
        (f"query p50 ≤ 8 ms ({at})", f"{q['all']['p50_ms']} ms", q["all"]["p50_ms"] <= 8),
        (f"query p95 ≤ 25 ms ({at})", f"{q['all']['p95_ms']} ms", q["all"]["p95_ms"] <= 25),
        (
            f"whole titles p95 ≤ 50 ms, p99 ≤ 100 ms ({at})",
            f"{q['whole']['p95_ms']} / {q['whole']['p99_ms']} ms",
            q["whole"]["p95_ms"] <= 50 and q["whole"]["p99_ms"] <= 100,
        ),
    ]
    for label, run in sizes.items():
        mine, whoosh = run["manchette"]["queries"], run["whoosh"]["queries"]
        slower = [
            f"{kind} {stat[:3]}"
            for kind in KINDS
            for stat in ("p50_ms", "p95_ms")
            if mine[kind][stat] >= whoosh[kind][stat]
        ]
        rows.append(
            (
                f"faster than plain Whoosh at p50 and p95, every kind ({label})",
                "slower: " + ", ".join(slower) if slower else "all faster",
                not slower,
            )
        )
    for label, run in sizes.items():
        web8 = _web8(run)
        if not web8:
            continue
        floor = 100 if label == "all" else 150
        rows.append(
            (
                f"web ≥ {floor} req/s at c=8"
                + (", p95 < 100 ms" if floor == 150 else "")
                + f" ({label})",
                f"{web8['requests_per_s']} req/s, p95 {web8['p95_ms']:.0f} ms, "
                f"{web8['errors_total']} errors",
                web8["requests_per_s"] >= floor
                and (floor == 100 or web8["p95_ms"] < 100)
                and web8["errors_total"] == 0,
            )
        )
    speed = full["ratios"]["index_speed_vs_whoosh"]
    rows += [
        (f"indexing ≥ 1.5× plain Whoosh articles/s ({at})", f"{speed}×", speed >= 1.5),
        (
            f"indexed in < 240 s ({at}; the target is for the whole corpus)",
            f"{m['index']['seconds']:.0f} s",
            m["index"]["seconds"] < 240,
        ),
        (
            f"peak indexing memory < 1 GB ({at}; RSS of the process tree, private part)",
            f"{m['index']['peak_rss_mb']:.0f} MB ({m['index'].get('peak_anon_mb') or 0:.0f} MB)",
            m["index"]["peak_rss_mb"] < 1024,
        ),
    ]
    smallest = runs[0]["manchette"]["index"]
    if len(runs) > 1:
        grew = m["index"]["peak_rss_mb"] / smallest["peak_rss_mb"]
        rows.append(
            (
                f"peak memory flat: {at} within 1.5× of {runs[0]['articles']:,} articles",
                f"{grew:.2f}×",
                grew <= 1.5,
            )
        )
    rows += [
        (
            f"no-op re-run < 2 s ({at})",
            f"{m['noop_rerun']['seconds']:.1f} s",
            m["noop_rerun"]["seconds"] < 2,
        ),
        (
            f"1 % edited < 15 s ({at})",
            f"{m['update_1pct']['seconds']:.1f} s",
            m["update_1pct"]["seconds"] < 15,
        ),
    ]
    for label, run in sizes.items():
        size = run["ratios"]["index_size_vs_whoosh"]
        rows.append((f"index size ≤ 1.2× plain Whoosh ({label})", f"{size}×", size <= 1.2))
    return rows


def markdown(results: dict) -> str:
    mach = results["machine"]
    lines = [
        f"Measured on {results['date']} by `make bench` (`python bench/suite.py`): "
        f"{mach['cores']} cores ({mach['cpu']}), {mach['memory_gb']} GB, Python {mach['python']}, "
        f"Whoosh {mach['whoosh']}, SQLite {mach['sqlite']}, Manchette {mach['manchette']}. "
        "All three engines index the same seeded sample and answer the same "
        f"{results['queries_per_size']} queries in the same run.",
        "",
    ]
    for label, run in results["sizes"].items():
        m, w, f = run["manchette"], run["whoosh"], run["fts5"]
        lines += [
            f"### {run['articles']:,} articles ({label})",
            "",
            "| engine | index s | articles/s | peak MB | size MB "
            "| p50 ms | p95 ms | p99 ms | cold s |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for name, e in (("Manchette", m), ("plain Whoosh", w), ("SQLite FTS5", f)):
            q = e["queries"]["all"]
            lines.append(
                f"| {name} | {e['index']['seconds']:.1f} | {e['index']['articles_per_s']:,.0f} "
                f"| {e['index']['peak_rss_mb']:.0f} | {e['index_mb']:.1f} | {q['p50_ms']} "
                f"| {q['p95_ms']} | {q['p99_ms']} | {e['cold_start_s']} |"
            )
        r = run["ratios"]
        lines += [
            "",
            f"Manchette against plain Whoosh: indexing {r['index_speed_vs_whoosh']}× the "
            f"articles/s, index {r['index_size_vs_whoosh']}× the size, p95 "
            f"{r['p95_vs_whoosh']}×. Against FTS5: {r['index_speed_vs_fts5']}×, "
            f"{r['index_size_vs_fts5']}×, {r['p95_vs_fts5']}×. No-op re-run "
            f"{m['noop_rerun']['seconds']:.1f} s; {m['update_1pct']['edited']} articles (1 %) "
            f"edited: {m['update_1pct']['seconds']:.1f} s.",
            "",
            "| query kind (p50 / p95 ms) | Manchette | plain Whoosh | SQLite FTS5 |",
            "|---|---:|---:|---:|",
        ]
        for kind in KINDS:
            cells = " | ".join(
                f"{e['queries'][kind]['p50_ms']} / {e['queries'][kind]['p95_ms']}"
                for e in (m, w, f)
            )
            lines.append(f"| {kind} ({m['queries'][kind]['n']}) | {cells} |")
        lines.append("")
        if run.get("web"):
            lines += [
                "`manchette serve` (waitress) under wrk, `/search?q=…` over the same queries:",
                "",
                "| connections | requests/s | p50 ms | p95 ms | p99 ms | errors |",
                "|---:|---:|---:|---:|---:|---:|",
            ]
            for wl in run["web"]:
                lines.append(
                    f"| {wl['connections']} | {wl['requests_per_s']} | {wl['p50_ms']:.1f} "
                    f"| {wl['p95_ms']:.1f} | {wl['p99_ms']:.1f} | {wl['errors_total']} |"
                )
            lines.append("")
    lines += [
        "### Targets (issue 13)",
        "",
        "| target | measured | met |",
        "|---|---:|:---:|",
    ]
    for name, measured, met in targets(results):
        lines.append(f"| {name} | {measured} | {'yes' if met else '**no**'} |")
    return "\n".join(lines) + "\n"


def write_doc(results: dict) -> None:
    doc = ROOT / "doc" / "benchmarks.md"
    text = doc.read_text(encoding="utf-8") if doc.exists() else f"# Benchmarks\n\n{START}\n{END}\n"
    head, rest = text.split(START, 1)
    tail = rest.split(END, 1)[1]
    doc.write_text(f"{head}{START}\n{markdown(results)}{END}{tail}", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--sizes", default="1000,10000,all")
    parser.add_argument("--web-seconds", type=int, default=30)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    records = load_corpus(args.corpus)
    if not records:
        print(f"no corpus in {args.corpus}: nothing to measure", file=sys.stderr)
        return 2
    sizes = [None if s == "all" else int(s) for s in args.sizes.split(",")]
    results: dict = {
        "date": date.today().isoformat(),
        "machine": machine(),
        "seed": SEED,
        "corpus": str(args.corpus),
        "queries_per_size": 600 + WHOLE,
        "sizes": {},
    }
    with tempfile.TemporaryDirectory(prefix="manchette-bench-") as tmp:
        for i, size in enumerate(sizes):
            last = i == len(sizes) - 1
            loaded = last or (size or len(records)) >= WEB_FROM
            run = run_size(records, size, Path(tmp), args.web_seconds if loaded else 0)
            run["ratios"] = ratios(run)
            results["sizes"][str(size) if size else "all"] = run
    results["targets"] = [{"target": t, "measured": v, "met": ok} for t, v, ok in targets(results)]
    out = args.out or ROOT / "bench" / "results" / f"{results['date']}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    write_doc(results)
    print(markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
