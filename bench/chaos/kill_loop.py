"""A job killed again and again still gets the collection in (issue 14.3: commits by time).

    python bench/chaos/kill_loop.py [--articles 3000] [--kills 4] [--at 0.8] [--work DIR]

The same ``manchette index`` job (the same few thousand synthetic articles, the same index) is
started and SIGKILLed ``--kills`` times in a row, each time at ``--at`` (80 %) of its normal
run time, as a cron job killed by a timeout or the OOM killer would be. Its normal run time is
measured, before each kill, by running the job uninterrupted on a copy of the index as the
previous kill left it: a job killed at 80 % of the time it needs to finish never finishes, so
every one of the runs is really killed (killed at 80 % of a first, full run, the second run
would finish: it has only what the first did not commit left to do). Run time is the CPU
time of the job's processes (the job and its parsing worker), not wall time: on a shared
machine wall time varies twofold from one run to the next, CPU time much less. After each
kill: no process of the job survives, ``manchette check`` passes, and the index holds more
articles than after the previous kill, unless it already held them all: the job commits what
it read before its last commit's merge, so a run with little left to do gets it in even when
killed in that merge (the merge is most of such a run's time), and the runs after it have
nothing left to add (they are still killed, and must lose nothing). Before that, a run with
a file or two left committed nothing before its merge, and kill after kill added nothing.
Then the job runs to its end: exit 0, every article, the very same content as a run never
killed. Without commits by time (a job of fewer than 10,000 articles commits only at its
end), every kill would leave the index empty.

``commit_seconds`` (wall time) is the setting's default (20 s), or a 40th of the first
normal run when that is shorter (at least 0.1 s), so that the last, short runs have room for a
commit. Commits go by wall time, so a run's CPU time varies with the machine's load: a run
that finishes before its kill is the new measure of the normal run time, and the kill is
tried again from the same index (at most twice; ``retries`` in the results).
Results: chaos-kill-loop.json in var/chaos-results/ (or $CHAOS_RESULTS); exit 1 on any
failure.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
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
    copy_index,
    index_env,
    results_dir,
    wait_gone,
    write_corpus,
)

from index.config import COMMIT_SECONDS

MIN_COMMIT_SECONDS = 0.1
MAX_RETRIES = 2


@dataclass
class Kill:
    run: int
    normal_seconds: float  # CPU time of the same job, uninterrupted, from the same index
    killed_after: float
    retries: int  # runs that finished before their kill (then measured the normal time again)
    killed: bool  # False when the job ended before the signal
    articles: int  # in the index after the kill
    all_in_before: bool  # every article was in before the kill: nothing left to add
    check_ok: bool
    orphans: int
    problems: list[str] = field(default_factory=list)


TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """CPU time of a process, its reaped children and its live ones (from /proc)."""
    total = 0.0
    for one in (pid, *children_of(pid)):
        try:
            fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(v) for v in fields[11:15]) / TICK  # utime stime cutime cstime
    return total


def start_job(inputs: Path, index_dir: Path, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [MANCHETTE, "index", str(inputs), "--index-dir", str(index_dir), "--quiet"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def timed_run(inputs: Path, index_dir: Path, env: dict[str, str]) -> tuple[float, int]:
    """CPU seconds of an uninterrupted ``manchette index`` run, and its exit code."""
    proc = start_job(inputs, index_dir, env)
    _, status, usage = os.wait4(proc.pid, 0)  # the job's usage and its reaped worker's
    proc.returncode = os.waitstatus_to_exitcode(status)
    return usage.ru_utime + usage.ru_stime, proc.returncode


def killed_run(inputs: Path, index_dir: Path, env: dict[str, str], after: float):
    """Start the job and SIGKILL it after ``after`` CPU seconds: (killed, processes left,
    CPU seconds it used)."""
    proc = start_job(inputs, index_dir, env)
    family: set[int] = set()
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:  # it ended by itself
            break
        if cpu_seconds(proc.pid) >= after:
            os.kill(proc.pid, signal.SIGKILL)
            _, status, usage = os.wait4(proc.pid, 0)
            break
        family.update(children_of(proc.pid))
        time.sleep(0.02)
    proc.returncode = os.waitstatus_to_exitcode(status)
    killed = proc.returncode == -signal.SIGKILL
    orphans = wait_gone(sorted(family), timeout=5.0)
    for pid in orphans:
        os.kill(pid, signal.SIGKILL)
    return killed, orphans, usage.ru_utime + usage.ru_stime


def kill_once(
    number: int, inputs: Path, work: Path, env: dict[str, str], at: float, before: int, total: int
) -> Kill:
    """Measure the job's normal run time from the index as it is, then kill it at ``at`` of
    that time, and look at what it left."""
    index_dir = work / "loop"
    before_kill = work / "before"
    if index_dir.exists():
        copy_index(index_dir, before_kill)
        measure = copy_index(index_dir, work / "measure")
    else:
        measure = work / "measure"
    normal, code = timed_run(inputs, measure, env)
    assert code == 0, f"the uninterrupted run exited {code}"
    retries = 0
    while True:
        after = at * normal
        killed, orphans, used = killed_run(inputs, index_dir, env, after)
        if killed or retries == MAX_RETRIES:
            break
        # it finished first: commits go by wall time, so a run's CPU time varies with the
        # machine's load; this run is the normal run time now. Start again from the same index.
        normal, retries = used, retries + 1
        if before_kill.exists():
            copy_index(before_kill, index_dir)
        else:
            shutil.rmtree(index_dir)
    verdict = check_index(index_dir)
    articles = int(verdict.get("articles") or 0)
    problems = []
    if not killed:
        problems.append("the job ended before it was killed")
    if orphans:
        problems.append(f"{len(orphans)} process(es) of the killed job still alive")
    if verdict["exit_code"] != 0:
        problems.append(f"check failed after the kill: {verdict.get('problems')}")
    all_in_before = before == total
    if articles <= before and not all_in_before:
        problems.append(f"no progress: {articles} article(s) after the kill, {before} before")
    if articles < before:
        problems.append(f"articles lost: {articles} after the kill, {before} before")
    return Kill(
        number,
        round(normal, 2),
        round(after, 2),
        retries,
        killed,
        articles,
        all_in_before,
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
        first_started = time.monotonic()
        _, code = timed_run(inputs, work / "reference", index_env())
        first = time.monotonic() - first_started
        reference = check_index(work / "reference")
        assert code == 0 and reference["articles"] == args.articles, (code, reference)
        commit_seconds = max(MIN_COMMIT_SECONDS, min(COMMIT_SECONDS, first / 40))
        env = index_env(MANCHETTE_COMMIT_SECONDS=f"{commit_seconds:.2f}")
        print(
            f"kill loop: {args.articles} articles, a first run of {first:.1f}s (wall), a commit "
            f"every {commit_seconds:.2f}s, {args.kills} kills at {args.at:.0%} of the run",
            flush=True,
        )
        kills: list[Kill] = []
        count = 0
        for number in range(1, args.kills + 1):
            kill = kill_once(number, inputs, work, env, args.at, count, args.articles)
            count = kill.articles
            kills.append(kill)
            flag = "FAIL " + "; ".join(kill.problems) if kill.problems else "ok"
            print(
                f"  kill {number}: normal run {kill.normal_seconds:5.1f}s CPU, killed after "
                f"{kill.killed_after:5.1f}s CPU (killed={kill.killed}, retries {kill.retries}): "
                f"{kill.articles:5} articles{' (all in before it)' if kill.all_in_before else ''}, "
                f"check {'ok' if kill.check_ok else 'FAILED'}; {flag}",
                flush=True,
            )
        final_seconds, final_code = timed_run(inputs, work / "loop", env)  # CPU
        final = check_index(work / "loop")
        same = final.get("digest") == reference["digest"]
        problems = [f"kill {k.run}: {problem}" for k in kills for problem in k.problems]
        if final_code != 0:
            problems.append(f"the full run exited {final_code}")
        if final.get("articles") != args.articles or not same:
            problems.append(
                f"after the full run the index holds {final.get('articles')} article(s), "
                f"digest {final.get('digest')}, not the uninterrupted run's {reference['digest']}"
            )
        print(
            f"  full run: exit {final_code}, {final.get('articles')} articles in "
            f"{final_seconds:.1f}s CPU, the same content as a run never killed: {same}",
            flush=True,
        )
    summary = {
        "articles": args.articles,
        "first_run_wall_seconds": round(first, 2),
        "commit_seconds": round(commit_seconds, 2),
        "kill_at": args.at,
        "counts_after_kills": [k.articles for k in kills],
        "all_in_after_kill": next((k.run for k in kills if k.articles == args.articles), None),
        "kills": [asdict(k) for k in kills],
        "final_exit_code": final_code,
        "final_articles": final.get("articles"),
        "final_cpu_seconds": round(final_seconds, 2),
        "same_as_uninterrupted": same,
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
