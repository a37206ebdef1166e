"""``run_search`` latency with Whoosh's matchers and with the vectorised executor, paired.


Runs the bench's queries (the JSON ``bench/suite.py`` writes) plus whole titles (8 to 16
words of stored titles, a seeded pick of the index's own articles) as ``bench/contenders.py``
does: warm, in-process, one warm-up pass. Each query runs on both paths back to back (the
machine's load then weighs on both alike) and the table gives p50 / p95 / p99 ms per kind.
``--cache`` adds, apart, the same requests repeated with the per-generation result cache on
(``MANCHETTE_RESULT_CACHE``; off in every other figure).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.append(str(ROOT / "bench"))

from measure import percentiles  # noqa: E402
from workload import SEED, Query, typed_words  # noqa: E402

from engines.whoosh import vectorized  # noqa: E402
from engines.whoosh.execute import run_search  # noqa: E402
from engines.whoosh.result_cache import ResultCache  # noqa: E402
from engines.whoosh.searchers import IndexHandle  # noqa: E402
from search.request import SearchRequest  # noqa: E402


def whole_titles(handle: IndexHandle, count: int) -> list[Query]:
    """Pasted headlines: the first 8 to 16 words of a seeded pick of stored titles."""
    searcher = handle.searcher()
    reader = searcher.reader()
    docnums = list(reader.all_doc_ids())
    random.Random(SEED).shuffle(docnums)
    found: list[Query] = []
    for docnum in docnums:
        words = typed_words(reader.stored_fields(docnum).get("title") or "")
        if len(words) >= 8:
            found.append(Query("whole", tuple(words[:16])))
        if len(found) == count:
            break
    return found


def request(query: Query) -> SearchRequest:
    filters = (("year", query.year),) if query.year else ()
    return SearchRequest(q=query.text, lang=query.lang, filters=filters).validate()


def timed(handle: IndexHandle, query: Query, enabled: bool) -> float:
    vectorized.ENABLED = enabled
    started = time.perf_counter()
    run_search(handle.searcher(), request(query))
    return (time.perf_counter() - started) * 1000


def repeated(handle: IndexHandle, queries: list[Query]) -> dict[str, list[float]]:
    """Each request answered once, then timed when asked again (vectorised, cache on)."""
    vectorized.ENABLED = True
    cache = ResultCache(2 * len(queries))
    for query in queries:
        cache.answer(handle.searcher(), request(query), None, run_search)
    times: dict[str, list[float]] = {}
    for query in queries:
        started = time.perf_counter()
        cache.answer(handle.searcher(), request(query), None, run_search)
        times.setdefault(query.kind, []).append((time.perf_counter() - started) * 1000)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index-dir", type=Path, required=True)
    parser.add_argument("--queries", type=Path, required=True)
    parser.add_argument("--titles", type=int, default=100)
    parser.add_argument("--cache", action="store_true", help="also time repeated requests")
    args = parser.parse_args(argv)
    handle = IndexHandle(args.index_dir, refresh_seconds=3600)
    raw = json.loads(args.queries.read_text(encoding="utf-8"))
    queries = [Query(q["kind"], tuple(q["words"]), q["phrase"], q["lang"], q["year"]) for q in raw]
    queries += whole_titles(handle, args.titles)
    for query in queries:  # warm-up: lazily loaded readers, columns, caches
        timed(handle, query, False)
        timed(handle, query, True)
    runs: dict[str, dict[str, list[float]]] = {"matchers": {}, "vectorised": {}}
    for query in queries:
        runs["matchers"].setdefault(query.kind, []).append(timed(handle, query, False))
        runs["vectorised"].setdefault(query.kind, []).append(timed(handle, query, True))
    if args.cache:
        runs["cached"] = repeated(handle, queries)
    table = {
        path: {kind: percentiles(values) for kind, values in kinds.items()}
        for path, kinds in runs.items()
    }
    for path in runs:
        everything = [v for values in runs[path].values() for v in values]
        table[path]["all"] = percentiles(everything)
    print(json.dumps(table, indent=1))
    paths = list(runs)
    print("| kind | " + " | ".join(f"{p} p50 / p95 / p99 ms" for p in paths) + " |")
    print("|---|" + "---:|" * len(paths))
    for kind in table["matchers"]:
        cells = [" / ".join(f"{table[p][kind][k]:.2f}" for k in ("p50_ms", "p95_ms", "p99_ms"))
                 for p in paths]  # fmt: skip
        print(f"| {kind} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
