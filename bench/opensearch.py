"""The benchmark workload on both backends: Whoosh (embedded) and OpenSearch (one local node).

    python bench/opensearch.py [--corpus ../shared/corpus] [--sizes 1000,10000] [--url URL]

The articles and the 600 queries are those of ``bench/suite.py`` (``workload.py``: a seeded
sample, typed title words, short queries, phrases, language and year filters). Each backend
indexes the same shards through Manchette's real job and answers every query through the same
library call the web views make (``run_search`` / ``Engine.search``: facets, collapse,
snippets). Without ``--url`` a single OpenSearch 2.19 node is started on loopback with the test
harness (``tests/opensearch/cluster.py``, heap 512 MB). Reports indexing time, query latency
percentiles and how far the two backends agree on the first page; writes
``bench/results/opensearch-<date>.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from measure import percentiles  # noqa: E402
from workload import Query, load_corpus, make_queries, sample, write_shards  # noqa: E402

from engines import index_paths  # noqa: E402
from engines.base import Engine  # noqa: E402
from engines.opensearch.engine import OpenSearchEngine  # noqa: E402
from engines.opensearch.settings import OpenSearchConfig  # noqa: E402
from engines.opensearch.store import OpenSearchStore  # noqa: E402
from engines.whoosh.engine import WhooshEngine  # noqa: E402
from search.request import SearchRequest  # noqa: E402


def request_of(query: Query) -> SearchRequest:
    filters = (("year", query.year),) if query.year else ()
    return SearchRequest(q=query.text, lang=query.lang, filters=filters).validate()


def run_queries(backend: Engine, queries: list[Query]) -> tuple[dict, list[list[str]]]:
    for query in queries:  # warm-up pass
        backend.search(request_of(query))
    latencies, pages = [], []
    for query in queries:
        started = time.perf_counter()
        result = backend.search(request_of(query))
        latencies.append((time.perf_counter() - started) * 1000)
        pages.append([h.id for h in result.hits])
    return percentiles(latencies), pages


def agreement(a: list[list[str]], b: list[list[str]]) -> dict:
    """How often the first pages hold the same articles (as sets, and the same first hit)."""
    same_set = sum(set(x) == set(y) for x, y in zip(a, b, strict=True))
    same_top = sum(x[:1] == y[:1] for x, y in zip(a, b, strict=True))
    overlap = [
        len(set(x) & set(y)) / max(len(set(x) | set(y)), 1) for x, y in zip(a, b, strict=True)
    ]
    n = len(a)
    return {
        "same_page_set": round(same_set / n, 3),
        "same_first_hit": round(same_top / n, 3),
        "mean_jaccard": round(sum(overlap) / n, 3),
    }


def run_size(records: list[dict], size: int, work: Path, url: str) -> dict:
    chosen = sample(records, size)
    shards = write_shards(chosen, work / f"shards-{size}")
    queries = make_queries(chosen)
    started = time.perf_counter()
    whoosh_report = index_paths(shards, work / f"whoosh-{size}")
    whoosh_seconds = time.perf_counter() - started
    store = OpenSearchStore(OpenSearchConfig(hosts=(url,), alias=f"bench{size}", replicas=0))
    started = time.perf_counter()
    remote = OpenSearchEngine(work / f"os-{size}", store)
    remote_report = remote.index_paths(shards)
    remote_seconds = time.perf_counter() - started
    whoosh_latency, whoosh_pages = run_queries(WhooshEngine(work / f"whoosh-{size}"), queries)
    remote_latency, remote_pages = run_queries(remote, queries)
    store.client.indices.delete(index=store.config.pattern)
    return {
        "articles": len(chosen),
        "queries": len(queries),
        "whoosh": {
            "indexed": whoosh_report.added,
            "index_s": round(whoosh_seconds, 2),
            "articles_per_s": round(whoosh_report.added / whoosh_seconds),
            "query": whoosh_latency,
        },
        "opensearch": {
            "indexed": remote_report.added,
            "index_s": round(remote_seconds, 2),
            "articles_per_s": round(remote_report.added / remote_seconds),
            "query": remote_latency,
        },
        "agreement": agreement(whoosh_pages, remote_pages),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--url", help="an OpenSearch node to use instead of a local one")
    args = parser.parse_args()
    records = load_corpus(args.corpus)
    results: dict = {"date": date.today().isoformat(), "runs": []}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        cluster = None
        url = args.url
        if url is None:
            from tests.opensearch.cluster import LocalCluster

            cluster = LocalCluster(work / "node").start()
            url = cluster.urls[0]
            results["node_start_s"] = round(cluster.started_seconds, 2)
        try:
            for size in (int(s) for s in args.sizes.split(",")):
                run = run_size(records, size, work, url)
                results["runs"].append(run)
                print(json.dumps(run), flush=True)
        finally:
            if cluster is not None:
                cluster.close()
    out = ROOT / "bench" / "results" / f"opensearch-{results['date']}.json"
    out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
