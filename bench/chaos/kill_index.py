"""Crash safety: SIGKILL ``manchette index`` at random moments, inside commits and swaps.

    python bench/chaos/kill_index.py [--seed 1] [--random 10] [--in-commit 6] [--work DIR]

Two jobs on a few thousand synthetic articles, each started from the same base index: an
incremental run (new files, updated and deleted articles; a commit every 300 articles) and a
``--rebuild``. Each is first run to the end to record every state it commits; then, trial
after trial, it is killed (SIGKILL, from outside at a random time or timed to land inside a
commit, or by itself at a named crash point such as between writing a commit and renaming
it into place, or between the rebuild's new symlink and its rename over ``current``).

After every kill: no process of the job survives; ``manchette check`` passes; the index holds
exactly the last state the job committed (or the one it was committing); it is searchable;
the next run is not blocked by the dead job's lock, clears its leftovers and completes to the
full state of the uninterrupted run. Results: chaos-kill.json in var/chaos-results/ (or
$CHAOS_RESULTS); exit 1 on any failure.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from dataclasses import asdict, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests" / "chaos"))

from chaoslib import (
    KillScenario,
    Reference,
    TrialResult,
    kill_corpus,
    results_dir,
    run_reference,
    run_trial,
)

INCREMENTAL_POINTS = ["commit.begin:2", "commit.toc:1", "commit.toc:3", "commit.end:2"]
INCREMENTAL_POINTS += ["commit.toc:last", "manifest.tmp:1"]
REBUILD_POINTS = ["commit.toc:1", "commit.toc:last", "swap.link:1", "swap.done:1"]
REBUILD_POINTS += ["remove.old:1", "manifest.tmp:1"]


def plan(
    rng: random.Random, ref: Reference, points: list[str], randoms: int, in_commit: int
) -> list[dict]:
    commits = ref.commits
    trials = [{"kind": "point", "point": p.replace("last", str(commits))} for p in points]
    for _ in range(in_commit):
        trials.append(
            {
                "kind": "in-commit",
                "commit": rng.randint(1, max(commits - 1, 1)),
                "delay": rng.uniform(0, ref.commit_seconds * 0.8),
            }
        )
    for _ in range(randoms):
        trials.append({"kind": "random", "delay": rng.uniform(0.3, ref.seconds * 0.8)})
    return trials


def run_scenario(
    name: str, scenario: KillScenario, work: Path, trials: list[dict] | None, args
) -> tuple[Reference, list[TrialResult]]:
    min_kills = args.min_kills // 3 if scenario.rebuild else args.min_kills - args.min_kills // 3
    rng = random.Random(f"{args.seed}-{name}")
    ref = run_reference(scenario, work)
    print(
        f"{name}: reference run {ref.seconds:.1f}s, {len(ref.states) - 1} state(s) after the "
        f"base, longest commit {ref.commit_seconds:.2f}s",
        flush=True,
    )
    if trials is None:
        points = REBUILD_POINTS if scenario.rebuild else INCREMENTAL_POINTS
        randoms = args.random // 2 if scenario.rebuild else args.random
        in_commit = 0 if scenario.rebuild else args.in_commit
        trials = plan(rng, ref, points, randoms, in_commit)
    results = []
    planned = len(trials)
    for number, trial in enumerate(trials, 1):
        result = run_trial(scenario, work, ref, **trial)
        results.append(result)
        if (
            number >= planned
            and sum(r.killed for r in results) < min_kills
            and number < 2 * planned
        ):
            # the job finished before the signal: one more kill, at a random time
            trials.append({"kind": "random", "delay": rng.uniform(0.3, ref.seconds * 0.6)})
        flag = "FAIL " + "; ".join(result.problems) if result.failed else "ok"
        print(
            f"  {name} {number:2}/{planned} {result.kind:9} {result.detail:22} "
            f"killed={result.killed!s:5} commits={result.commits_seen} state={result.state} "
            f"allowed={','.join(result.allowed)} stale_cleared={result.stale_cleared!s:5} "
            f"{result.seconds:5.1f}s {flag}",
            flush=True,
        )
    return ref, results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", default="1")
    parser.add_argument("--random", type=int, default=10, help="random-time kills (incremental)")
    parser.add_argument("--in-commit", type=int, default=6, help="kills timed inside commits")
    parser.add_argument("--min-kills", type=int, default=30, help="add trials until this many")
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--only", choices=("incremental", "rebuild"), default=None)
    parser.add_argument("--out", type=Path, default=None, help="[default RESULTS/chaos-kill.json]")
    args = parser.parse_args()
    args.out = args.out or results_dir() / "chaos-kill.json"
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="chaos-kill-") as tmp:
        work = args.work or Path(tmp)
        scenario = kill_corpus(work)
        summary = {"seed": args.seed, "scenarios": {}}
        failures = 0
        for name, this in (
            ("incremental", scenario),
            ("rebuild", replace(scenario, args=("--rebuild",))),
        ):
            if args.only and name != args.only:
                continue
            ref, results = run_scenario(name, this, work, None, args)
            failures += sum(r.failed for r in results)
            summary["scenarios"][name] = {
                "reference_seconds": round(ref.seconds, 2),
                "states": ref.states,
                "trials": len(results),
                "killed": sum(r.killed for r in results),
                "failures": sum(r.failed for r in results),
                "data_lost": sum(r.data_lost for r in results),
                "stale_lock_records_cleared": sum(r.stale_cleared for r in results),
                "results": [asdict(r) | {"data_lost": r.data_lost} for r in results],
            }
    total = sum(s["trials"] for s in summary["scenarios"].values())
    summary.update(
        trials=total,
        killed=sum(s["killed"] for s in summary["scenarios"].values()),
        failures=failures,
        data_lost=sum(s["data_lost"] for s in summary["scenarios"].values()),
        seconds=round(time.monotonic() - started, 1),
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    print(
        f"kill trials: {total} ({summary['killed']} killed), failures: {failures}, "
        f"data lost: {summary['data_lost']}, "
        f"{summary['seconds']}s -> {args.out}"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
