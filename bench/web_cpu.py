"""The CPU one ``/search`` request costs in the web process, split by what spends it.

Runs the bench's queries (the JSON ``bench/suite.py`` writes) as ``/search?q=…`` pages through
the real application (``create_app`` and Flask's test client: no socket, no waitress) and
times each stage with ``time.process_time`` (this process's CPU, so the machine's other load
does not count). A stage's figure is its own time, without the stages inside it:

- compile: the query tree and the Whoosh query (analysis of the words, fields, languages);
- executor: every match and its score (the vectorised executor, or Whoosh's matchers);
- order, collapse: ordering the matches and collapsing them on the cluster key;
- search: the rest of the search (the page's window, assembling the result);
- facets: counting the four facets from the matches;
- stored fields: reading the page's articles from the index;
- snippets: the page's body snippets and highlighted titles;
- suggestion: "did you mean" (the respelling and the count it needs);
- rendering: the page's template (with its filters, URLs and translations);
- the rest: routing, request parsing, the response, Flask and the test client.

The total is the request's CPU measured around the test client's ``get``. By default the
first 50 pages warm the process (as ``bench/suite.py`` warms the server) and every query is
then seen for the first time; ``--warm 1`` first runs them all once, as wrk's later passes
over the same queries find them.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import urllib.parse
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.append(str(ROOT / "bench"))

from measure import percentiles  # noqa: E402
from workload import Query  # noqa: E402

STAGES = (
    ("search", "engines.whoosh.engine", "run_search"),  # its own time: assembling the result
    ("search", "engines.whoosh.execute", "collect"),  # its own time: the page's window
    ("compile", "engines.whoosh.execute", "compile_request"),
    ("executor", "engines.whoosh.collect", "vectorized.matches"),
    ("executor", "engines.whoosh.collect", "walk"),
    ("order, collapse", "engines.whoosh.collect", "rank"),
    ("facets", "engines.whoosh.collect", "_facet"),
    ("stored fields", "whoosh.reading", "SegmentReader.stored_fields"),
    ("snippets", "engines.whoosh.execute", "_hit"),
    ("suggestion", "engines.whoosh.execute", "suggest"),
    ("rendering", "web.views", "render_template"),
)


class Clock:
    """Own CPU time per stage: a stage running inside another is taken out of the outer."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = defaultdict(float)
        self.stack: list[list] = []  # [stage, started, time of the stages inside]

    def wrap(self, stage: str, func: Callable) -> Callable:
        def timed(*args, **kwargs):
            # What "did you mean" searches to decide counts as the suggestion's.
            within = any(entry[0] == "suggestion" for entry in self.stack)
            self.stack.append(["suggestion" if within else stage, time.process_time(), 0.0])
            try:
                return func(*args, **kwargs)
            finally:
                name, started, inner = self.stack.pop()
                took = time.process_time() - started
                self.spent[name] += took - inner
                if self.stack:
                    self.stack[-1][2] += took

        return timed


def install(clock: Clock) -> None:
    """Wrap every stage where its callers look it up (module globals, or a class)."""
    import importlib

    for stage, module_name, attr in STAGES:
        module = importlib.import_module(module_name)
        owner, name = module, attr
        if "." in attr:
            owner_name, name = attr.split(".")
            owner = getattr(module, owner_name)
        setattr(owner, name, clock.wrap(stage, getattr(owner, name)))


def paths_of(queries: list[Query]) -> list[str]:
    """The same pages as bench/suite.py's web load."""
    paths = []
    for q in queries:
        params = {"q": q.text, **({"lang": q.lang} if q.lang else {})}
        params.update({"year": q.year} if q.year else {})
        paths.append("/search?" + urllib.parse.urlencode(params))
    return paths


def measure(index_dir: Path, paths: list[str], rounds: int, warm: int = 0) -> dict:
    from web import create_app

    clock = Clock()
    install(clock)  # before the searcher exists: it copies the reader's methods
    app = create_app({"INDEX_DIR": str(index_dir), "TESTING": True})
    client = app.test_client()
    for path in paths[:50] + paths * warm:  # warm: columns, caches, templates
        client.get(path)
    clock.spent.clear()
    totals = []
    for _ in range(rounds):
        for path in paths:
            started = time.process_time()
            response = client.get(path)
            totals.append((time.process_time() - started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{path}: HTTP {response.status_code}")
    count = len(totals)
    staged = {stage: spent * 1000 / count for stage, spent in clock.spent.items()}
    mean = sum(totals) / count
    names = dict.fromkeys(stage for stage, _module, _attr in STAGES)
    split = {stage: round(staged.get(stage, 0.0), 3) for stage in names}
    split["the rest"] = round(mean - sum(staged.values()), 3)
    return {
        "requests": count,
        "cpu_ms_per_request": round(mean, 3),
        **{f"cpu_{k}": v for k, v in percentiles(totals).items()},
        "split_ms": split,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("index_dir", type=Path)
    parser.add_argument("queries", type=Path, help="the queries JSON bench/suite.py writes")
    parser.add_argument("--rounds", type=int, default=1, help="passes over the queries")
    parser.add_argument("--limit", type=int, default=0, help="only the first N queries")
    parser.add_argument(
        "--warm",
        type=int,
        default=0,
        help="passes over the queries before measuring (wrk's later cycles: every cache warm)",
    )
    args = parser.parse_args()
    listed = json.loads(args.queries.read_text())
    queries = [Query(**{**q, "words": tuple(q["words"])}) for q in listed]
    if args.limit:
        queries = queries[: args.limit]
    result = measure(args.index_dir, paths_of(queries), args.rounds, args.warm)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
