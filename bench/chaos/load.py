"""A real server under a real HTTP load tool (wrk) while cron-like jobs re-index.

    python bench/chaos/load.py --seconds 90 --every 20     # indexing under load (contention)
    python bench/chaos/load.py --seconds 600 --every 60    # the 10-minute soak

A synthetic archive is indexed and served by ``manchette serve`` (waitress). ``wrk`` sends a
mix of requests (searches in every form, JSON, deep pages, facets, article pages, health)
for ``--seconds``; meanwhile a job runs every ``--every`` seconds, like cron: new articles
each time, every third run a ``--rebuild`` (a swap of the live build), each time followed by
polling the server until the new articles are found, without restarting it. The server's
memory (RSS) is sampled every 5 s. Pass: no failed request (non-2xx or socket error), every
job committed and was served, and, for a run of 3 minutes or more, memory flat: the last
minute's median private (anonymous) memory within 15 % of the second minute's (the first is
warm-up), or within 10 MB. Private memory is what a leak grows; RSS also counts the mmapped
pages of an index that grows with every job, so it is reported beside it but not judged.
A shorter run reports both curves without judging them: its only reference would be the
warm-up minute. Results: chaos-<name>.json in var/chaos-results/ (or $CHAOS_RESULTS).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests" / "chaos"))

from chaoslib import make_record, results_dir, run_manchette, serve, write_corpus

QUERIES = [
    "harbour",
    "council river",
    '"harbour council"',
    "market OR school",
    "storm -police",
    "title:budget",
    "ba*",
    "lang:en bridge",
    "date:2015..2020 museum",
    "harbour&sort=newest",
    "river&page=3",
    "village&lang=en&sort=oldest",
    "nothingmatchesthis",
    "Stoltenbreg",
    "<script>alert(1)</script>",
]


def request_paths(ids: list[str]) -> list[str]:
    paths = ["/", "/healthz"]
    for query in QUERIES:
        base, _, extra = query.partition("&")
        tail = f"&{extra}" if extra else ""
        paths += [f"/search?q={quote(base)}{tail}", f"/search.json?q={quote(base)}{tail}"]
    paths += [f"/articles/{quote(i)}" for i in ids[:10]]
    paths += [f"/articles/{quote(i)}.json" for i in ids[10:20]]
    return paths


def wrk_script(paths: list[str], target: Path) -> Path:
    lines = ",\n".join(f'  "{p}"' for p in paths)
    target.write_text(
        f"local paths = {{\n{lines}\n}}\n"
        "local i = math.random(#paths)\n"
        "local threads = {}\n"
        "counts = {}\n"
        "function setup(thread) table.insert(threads, thread) end\n"
        "request = function()\n"
        "  i = i % #paths + 1\n"
        '  return wrk.format("GET", paths[i])\n'
        "end\n"
        "function response(status, headers, body)\n"  # what failed, to be told
        "  if status ~= 200 then\n"
        '    local key = status .. " " .. string.gsub(string.sub(body or "", 1, 300), "%s+", " ")\n'
        "    counts[key] = (counts[key] or 0) + 1\n"
        "  end\n"
        "end\n"
        "function done(summary, latency, requests)\n"
        "  for _, thread in ipairs(threads) do\n"
        '    for key, n in pairs(thread:get("counts")) do\n'
        '      io.write("NON200 ", n, " ", key, "\\n")\n'
        "    end\n"
        "  end\n"
        "end\n",
        encoding="utf-8",
    )
    return target


def parse_wrk(output: str) -> dict:
    def number(pattern: str) -> int:
        match = re.search(pattern, output)
        return int(match.group(1)) if match else 0

    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    socket_errors = sum(int(g) for g in errors.groups()) if errors else 0
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    latency = {p: m for p, m in re.findall(r"\s+(50|90|99)%\s+([\d.]+\w+)", output)}
    failures = [line.removeprefix("NON200 ") for line in output.splitlines()]
    return {
        "failures": [line for line in failures if line[:1].isdigit()][:50],
        "requests": number(r"(\d+) requests in"),
        "non_2xx": number(r"Non-2xx or 3xx responses: (\d+)"),
        "socket_errors": socket_errors,
        "requests_per_s": float(rate.group(1)) if rate else 0.0,
        "latency": latency,
    }


def cron_jobs(
    work: Path, index_dir: Path, server, every: float, stop: threading.Event, log: list
) -> None:
    """Every ``every`` seconds a new file of articles and a job; every third a rebuild."""
    number = 0
    next_run = time.monotonic() + every / 2
    while not stop.wait(max(0.0, next_run - time.monotonic())):
        next_run += every
        number += 1
        marker = f"cronmark{number}x"
        # a seed of its own: the same seed as the corpus would repeat a text, and an exact
        # duplicate is indexed once (the rebuild's first file wins: a served id would vanish)
        record = make_record(random.Random(f"cron-{number}"), f"cron{number}", 0)
        record["title"] = f"{marker} {record['title']}"
        path = work / "input" / f"cron-{number:03d}.jsonl"
        path.write_text(json.dumps(record) + "\n", encoding="utf-8")
        args = ["--rebuild"] if number % 3 == 0 else []
        started = time.monotonic()
        done = run_manchette(
            "index", str(work / "input"), "--index-dir", str(index_dir), "--quiet", *args
        )
        indexed = time.monotonic()
        seen_after = None
        poll_errors = []
        while time.monotonic() - indexed < 60:
            try:
                status, _, body = server.get(f"/search.json?q={marker}", timeout=60)
            except OSError as exc:  # a timeout: the server did not answer in 60 s
                poll_errors.append(f"{type(exc).__name__}: {exc}")
                continue
            if status != 200:
                poll_errors.append(f"HTTP {status}: {body[:200]!r}")
            elif json.loads(body)["total"] >= 1:
                seen_after = round(time.monotonic() - indexed, 2)
                break
            time.sleep(0.2)
        log.append(
            {
                "job": number,
                "rebuild": bool(args),
                "exit_code": done.returncode,
                "seconds": round(indexed - started, 2),
                "served_after_s": seen_after,
                "poll_errors": poll_errors,
                "stderr": done.stderr[-300:],
            }
        )
        print(f"  job {number}{' (rebuild)' if args else ''}: exit {done.returncode}, "
              f"{indexed - started:.1f}s, served after {seen_after}s", flush=True)  # fmt: skip


def sample_memory(server, stop: threading.Event, samples: list, started: float) -> None:
    while not stop.wait(5.0):
        samples.append((round(time.monotonic() - started, 1), server.rss_kb(), server.anon_kb()))


def per_minute_mb(samples: list[tuple], column: int) -> dict[int, float]:
    """Median of one memory column (kB) per minute of the run, in MB."""
    minutes: dict[int, list[int]] = {}
    for sample in samples:
        minutes.setdefault(int(sample[0] // 60), []).append(sample[column])
    return {minute: round(statistics.median(v) / 1024, 1) for minute, v in minutes.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=90)
    parser.add_argument("--every", type=float, default=20.0)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--name", default=None)
    args = parser.parse_args()
    name = args.name or ("soak" if args.seconds >= 300 else "load")
    wrk = shutil.which("wrk")
    if wrk is None:
        print("wrk is not installed (apt-get install -y wrk)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix=f"chaos-{name}-") as tmp:
        work = Path(tmp)
        write_corpus(work / "input", args.articles, tag="load", seed=3)
        index_dir = work / "index"
        done = run_manchette("index", str(work / "input"), "--index-dir", str(index_dir), "-q")
        assert done.returncode == 0, done.stderr
        ids = [f"load-{i}" for i in range(0, args.articles, max(1, args.articles // 20))]
        script = wrk_script(request_paths(ids), work / "mix.lua")
        with serve(index_dir, "--threads", "8") as server:
            stop = threading.Event()
            jobs: list[dict] = []
            memory: list[tuple[float, int]] = []
            started = time.monotonic()
            memory.append((0.0, server.rss_kb(), server.anon_kb()))
            threads = [
                threading.Thread(
                    target=cron_jobs, args=(work, index_dir, server, args.every, stop, jobs)
                ),
                threading.Thread(target=sample_memory, args=(server, stop, memory, started)),
            ]
            for thread in threads:
                thread.start()
            command = [wrk, "-t2", f"-c{args.connections}", f"-d{args.seconds}s", "--timeout",
                       "30s", "--latency", "-s", str(script), server.base]  # fmt: skip
            load = subprocess.run(command, capture_output=True, text=True, check=False)
            stop.set()
            for thread in threads:
                thread.join()
            alive = server.proc.poll() is None
            server_log = server.stderr()
    result = parse_wrk(load.stdout)
    curve = per_minute_mb(memory, 1)
    private_curve = per_minute_mb(memory, 2)
    minutes = sorted(private_curve)
    judged = len(minutes) >= 3
    if judged:
        reference, last = private_curve[minutes[1]], private_curve[minutes[-1]]
        flat = last <= reference * 1.15 or last - reference <= 10
    else:
        flat = None  # too short to have a reference after warm-up: reported, not judged
    failed_jobs = [
        j for j in jobs if j["exit_code"] != 0 or j["served_after_s"] is None or j["poll_errors"]
    ]
    summary = {
        "seconds": args.seconds,
        "every": args.every,
        "wrk": result,
        "wrk_output": load.stdout,
        "jobs": jobs,
        "failed_jobs": len(failed_jobs),
        "error_rate": (result["non_2xx"] + result["socket_errors"]) / max(result["requests"], 1),
        "memory_mb_per_minute": curve,
        "private_memory_mb_per_minute": private_curve,
        "memory_samples_kb": memory,
        "memory_flat": flat,
        "server_alive": alive,
        "server_log_tail": server_log[-4000:],
    }
    out = results_dir() / f"chaos-{name}.json"
    out.write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    print(
        f"{name}: {result['requests']} requests ({result['requests_per_s']}/s), "
        f"{result['non_2xx']} non-2xx, {result['socket_errors']} socket errors; "
        f"{len(jobs)} jobs, {len(failed_jobs)} failed; RSS MB per minute {curve}, "
        f"private {private_curve} (flat: {'not judged, under 3 min' if flat is None else flat})"
        f" -> {out}"
    )
    ok = (
        result["requests"] > 0
        and result["non_2xx"] == 0
        and result["socket_errors"] == 0
        and not failed_jobs
        and jobs
        and flat is not False
        and alive
    )
    if not ok:  # say what failed: CI keeps only this output
        for line in result["failures"][:10]:
            print(f"  failed request: {line[:300]}")
        for job in failed_jobs:
            print(f"  failed job {job['job']}: exit {job['exit_code']}, poll errors "
                  f"{job['poll_errors'][:3]}, stderr {job['stderr']!r}")  # fmt: skip
        errors = [line for line in server_log.splitlines() if "ERROR" in line or "Error" in line]
        for line in errors[-15:]:
            print(f"  server: {line[:300]}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
