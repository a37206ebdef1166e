"""Measuring instruments: a command's wall time and the peak memory of its whole process
tree (sampled from /proc every 50 ms, so parse workers count), percentiles, and wrk."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import threading
import time
from pathlib import Path

WRK_SCRIPT = """
local paths, i = {}, 0
for line in io.lines(os.getenv("WRK_PATHS")) do paths[#paths + 1] = line end
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %f, "p50_ms": %f, "p95_ms": %f, "p99_ms": %f, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3,
    latency:percentile(95) / 1e3, latency:percentile(99) / 1e3,
    e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def _children(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            tasks = Path(f"/proc/{current}/task").iterdir()
            for task in tasks:
                kids = (task / "children").read_text().split()
                todo.extend(int(k) for k in kids)
        except OSError:
            continue
    return found


def tree_rss_kb(pid: int) -> tuple[int, int]:
    """Resident kB of the process tree: all of it, and its private (anonymous) part.

    The difference is file pages mapped into the processes: Whoosh reads its segments through
    mmap, so the index files it has touched count in RSS though they are the kernel's page
    cache (a ``read()`` of the same pages, as SQLite does, would not count).
    """
    total = anon = 0
    for member in _children(pid):
        try:
            fields = dict(
                line.split(":", 1)
                for line in Path(f"/proc/{member}/status").read_text().splitlines()
                if line.startswith(("VmRSS", "RssAnon"))
            )
            total += int(fields["VmRSS"].split()[0])
            anon += int(fields["RssAnon"].split()[0])
        except (OSError, KeyError, ValueError):
            continue
    return total, anon


def run_measured(cmd: list[str], env: dict | None = None) -> dict:
    """Run ``cmd``; its wall seconds, peak RSS of its process tree, exit code and stdout."""
    peak = peak_anon = 0
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env)
        stop = threading.Event()

        def sample() -> None:
            nonlocal peak, peak_anon
            while not stop.is_set():
                total, anon = tree_rss_kb(proc.pid)
                peak, peak_anon = max(peak, total), max(peak_anon, anon)
                stop.wait(0.05)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        code = proc.wait()
        stop.set()
        sampler.join()
        seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    return {
        "seconds": round(seconds, 3),
        "peak_rss_mb": round(peak / 1024, 1),
        "peak_anon_mb": round(peak_anon / 1024, 1),
        "exit_code": code,
        "stdout": stdout,
        "stderr": stderr[-3000:],
    }


def percentiles(values: list[float]) -> dict:
    ordered = sorted(values)

    def at(p: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))], 2)

    return {"n": len(ordered), "p50_ms": at(50), "p95_ms": at(95), "p99_ms": at(99)}


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def wrk(url: str, paths: list[str], connections: int, seconds: int) -> dict:
    """Load ``url`` with wrk for ``seconds`` at ``connections``, cycling through ``paths``."""
    with tempfile.TemporaryDirectory() as tmp:
        script, listing = Path(tmp, "paths.lua"), Path(tmp, "paths.txt")
        script.write_text(WRK_SCRIPT)
        listing.write_text("\n".join(paths) + "\n")
        proc = subprocess.run(
            [
                "wrk",
                f"-t{min(2, connections)}",
                f"-c{connections}",
                f"-d{seconds}s",
                "--timeout",
                "10s",
                "-s",
                str(script),
                url,
            ],
            capture_output=True,
            text=True,
            env={**os.environ, "WRK_PATHS": str(listing)},
            check=True,
        )
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["requests_per_s"] = round(result["requests"] / result["seconds"], 1)
    result["errors_total"] = sum(result["errors"].values())
    result["connections"] = connections
    return result
