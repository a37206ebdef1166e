"""A job killed again and again still gets the collection in (issue 14.3: commits by time).

    python bench/chaos/kill_loop.py [--articles 3000] [--kills 4] [--at 0.8] [--work DIR]

The same ``manchette index`` job on a few thousand synthetic articles is first run to the end
(its normal run time, T). Then, on a fresh index, it is started and SIGKILLed after ``--at``
x T, ``--kills`` times in a row, as a cron job killed by a timeout or the OOM killer would be.
After each kill: no process of the job survives, ``manchette check`` passes, and the index
holds more articles than after the previous kill (commits by time: the job commits at least
every ``commit_seconds`` of work). Then the job runs to its end: exit 0, every article, the
very same content as the uninterrupted run.

``commit_seconds`` is the setting's default (20 s), or T / 5 when the run is too short for a
20 s commit to fit in a killed run (a fast machine): either way each killed run has room for
a few commits. Results: chaos-kill-loop.json in var/chaos-results/ (or $CHAOS_RESULTS); exit
1 on any failure.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests" / "chaos"))

from chaoslib import (
    MANCHETTE,
    check_index,
    children_of,
    index_env,
    results_dir,
    run_manchette,
    wait_gone,
    write_corpus,
)

from index.config import COMMIT_SECONDS


@dataclass
class Kill:
    run: int
    killed: bool  # False when the job ended before the signal
    seconds: float
    articles: int  # in the index after the kill
    check_ok: bool
    orphans: int
    problems: list[str] = field(default_factory=list)


def timed_run(inputs: Path, index_dir: Path, env: dict[str, str]) -> tuple[float, int]:
    started = time.monotonic()
    done = run_manchette("index", str(inputs), "--index-dir", str(index_dir), "--quiet", env=env)
    return time.monotonic() - started, done.returncode


def kill_once(
    number: int, inputs: Path, index_dir: Path, env: dict[str, str], after: float, before: int
) -> Kill:
    """Start the job, SIGKILL it after ``after`` seconds, and look at what it left."""
    started = time.monotonic()
    proc = subprocess.Popen(
        [MANCHETTE, "index", str(inputs), "--index-dir", str(index_dir), "--quiet"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    family: set[int] = set()
    while proc.poll() is None and time.monotonic() - started < after:
        family.update(children_of(proc.pid))
        time.sleep(0.05)
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    killed = proc.wait() == -signal.SIGKILL
    orphans = wait_gone(sorted(family), timeout=5.0)
    for pid in orphans:
        os.kill(pid, signal.SIGKILL)
    verdict = check_index(index_dir)
    articles = int(verdict.get("articles") or 0)
    problems = []
    if not killed:
        problems.append("the job ended before it was killed")
    if orphans:
        problems.append(f"{len(orphans)} process(es) of the killed job still alive")
    if verdict["exit_code"] != 0:
        problems.append(f"check failed after the kill: {verdict.get('problems')}")
    if articles <= before:
        problems.append(f"no progress: {articles} article(s) after the kill, {before} before")
    return Kill(
        number,
        killed,
        round(time.monotonic() - started, 2),
        articles,
        verdict["exit_code"] == 0,
        len(orphans),
        problems,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--kills", type=int, default=4)
    parser.add_argument("--at", type=float, default=0.8, help="kill after this share of T")
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    out = args.out or results_dir() / "chaos-kill-loop.json"
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="chaos-kill-loop-") as tmp:
        work = args.work or Path(tmp)
        inputs = work / "input"
        write_corpus(inputs, args.articles, per_file=100, tag="loop", seed=21)
        env = index_env()
        normal, code = timed_run(inputs, work / "reference", env)
        reference = check_index(work / "reference")
        assert code == 0 and reference["articles"] == args.articles, (code, reference)
        commit_seconds = min(COMMIT_SECONDS, normal / 5)
        env = index_env(MANCHETTE_COMMIT_SECONDS=f"{commit_seconds:.2f}")
        after = args.at * normal
        print(
            f"kill loop: {args.articles} articles, normal run {normal:.1f}s, killed after "
            f"{after:.1f}s, commit every {commit_seconds:.2f}s of work",
            flush=True,
        )
        kills: list[Kill] = []
        count = 0
        for number in range(1, args.kills + 1):
            kill = kill_once(number, inputs, work / "loop", env, after, count)
            count = kill.articles
            kills.append(kill)
            flag = "FAIL " + "; ".join(kill.problems) if kill.problems else "ok"
            print(
                f"  kill {number}: killed={kill.killed!s:5} articles={kill.articles:5} "
                f"check={'ok' if kill.check_ok else 'FAIL'} {kill.seconds:5.1f}s {flag}",
                flush=True,
            )
        final_seconds, final_code = timed_run(inputs, work / "loop", env)
        final = check_index(work / "loop")
        problems = [f"kill {k.run}: {problem}" for k in kills for problem in k.problems]
        if final_code != 0:
            problems.append(f"the full run exited {final_code}")
        if final.get("articles") != args.articles or final.get("digest") != reference["digest"]:
            problems.append(
                f"after the full run the index holds {final.get('articles')} article(s), "
                f"digest {final.get('digest')}, not the uninterrupted run's {reference['digest']}"
            )
        print(
            f"  full run: exit {final_code}, {final.get('articles')} articles in "
            f"{final_seconds:.1f}s, same content as the uninterrupted run: "
            f"{final.get('digest') == reference['digest']}",
            flush=True,
        )
    summary = {
        "articles": args.articles,
        "normal_seconds": round(normal, 2),
        "killed_after_seconds": round(after, 2),
        "commit_seconds": round(commit_seconds, 2),
        "counts_after_kills": [k.articles for k in kills],
        "kills": [asdict(k) for k in kills],
        "final_exit_code": final_code,
        "final_articles": final.get("articles"),
        "final_seconds": round(final_seconds, 2),
        "same_as_uninterrupted": final.get("digest") == reference["digest"],
        "failures": len(problems),
        "problems": problems,
        "seconds": round(time.monotonic() - started, 1),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    print(
        f"kill loop: counts {summary['counts_after_kills']} -> {summary['final_articles']}, "
        f"failures: {len(problems)}, {summary['seconds']}s -> {out}"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
