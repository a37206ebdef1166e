"""The vectorised executor against Whoosh's matchers on the bench's queries.

    python bench/vectorized_check.py --index-dir DIR --queries FILE
    python bench/vectorized_check.py --corpus ../shared/corpus [--size 10000]

Every query of the bench workload (the JSON file ``bench/suite.py`` writes, or the queries
generated from a seeded sample of the corpus indexed here), and 100 whole titles of the
index's articles, is run through both paths
(``engines/whoosh/equivalence.py``), ranked, then by date, then with recency. Exits 1 when
any query differs (same documents, same scores within 1e-6 relative), 0 otherwise; prints how
many queries each path answered.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from vectorized_latency import whole_titles  # noqa: E402
from workload import Query, load_corpus, make_queries, sample, write_shards  # noqa: E402

from engines.whoosh.equivalence import compare  # noqa: E402
from engines.whoosh.searchers import IndexHandle  # noqa: E402
from search.request import SearchRequest  # noqa: E402

WHOLE_TITLES = 100  # pasted headlines (8 to 16 title words) besides the bench's queries


def requests(query: Query) -> list[SearchRequest]:
    """The bench's request for a query (as bench/contenders.py makes it), and its variants."""
    filters = (("year", query.year),) if query.year else ()
    base = {"q": query.text, "lang": query.lang, "filters": filters}
    return [
        SearchRequest(**base).validate(),
        SearchRequest(**base, sort="newest").validate(),
        SearchRequest(**base, recency=True).validate(),
    ]


def check(index_dir: Path, queries: list[Query]) -> int:
    handle = IndexHandle(index_dir)
    queries = queries + whole_titles(handle, WHOLE_TITLES)
    searcher = handle.searcher()
    problems, declined, answered = [], 0, 0
    for query in queries:
        for request in requests(query):
            outcome = compare(searcher, request)
            answered += outcome.vectorised
            declined += not outcome.vectorised
            if outcome.problem:
                problems.append(outcome.problem)
    for problem in problems[:20]:
        print("MISMATCH", problem)
    print(
        f"{len(queries)} queries, {answered + declined} requests: {answered} vectorised, "
        f"{declined} on the matchers, {len(problems)} mismatches"
    )
    return 1 if problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index-dir", type=Path)
    parser.add_argument("--queries", type=Path)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--size", type=int, default=10_000)
    args = parser.parse_args(argv)
    if args.index_dir and args.queries:
        raw = json.loads(args.queries.read_text(encoding="utf-8"))
        queries = [
            Query(q["kind"], tuple(q["words"]), q["phrase"], q["lang"], q["year"]) for q in raw
        ]
        return check(args.index_dir, queries)
    records = sample(load_corpus(args.corpus), args.size)
    if not records:
        parser.error(f"no corpus at {args.corpus} (*.jsonl.gz)")
    queries = make_queries(records)
    with tempfile.TemporaryDirectory(prefix="vectorized-check-") as work:
        folder = Path(work) / "in"
        write_shards(records, folder)
        index_dir = Path(work) / "index"
        manchette = str(Path(sys.executable).parent / "manchette")
        subprocess.run(
            [manchette, "index", str(folder), "--index-dir", str(index_dir), "--quiet"],
            check=True,
        )
        return check(index_dir, queries)


if __name__ == "__main__":
    sys.exit(main())
