"""The three engines the suite compares, each behind ``index`` and ``query`` commands.

    python bench/contenders.py index  ENGINE DEST SHARD...    → JSON {"articles": n}
    python bench/contenders.py query  ENGINE DEST QUERIES.json → JSON latencies and hit counts
    python bench/contenders.py cold   ENGINE DEST QUERIES.json → JSON seconds to the first answer

ENGINE is ``manchette`` (the product's own library calls, exactly what the web views run:
facets, collapsing, snippets), ``whoosh`` (plain Whoosh as its tutorial shows:
StemmingAnalyzer, one writer with default settings, ``hit.highlights``) or ``fts5`` (SQLite
FTS5 with ``unicode61 remove_diacritics 2``, bm25 with title weight 3, ``snippet()``).
Each command runs in its own process so the suite can measure its memory.
"""

from __future__ import annotations

import gzip
import json
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from workload import Query  # noqa: E402

Search = Callable[[Query], int]  # runs a query, returns the number of hits shown


def read_shards(paths: list[Path]) -> Iterator[dict]:
    for path in paths:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                yield json.loads(line)


def year_of(record: dict) -> str:
    return str(record.get("date") or "")[:4]


# --- SQLite FTS5 ------------------------------------------------------------------------


def fts5_index(paths: list[Path], dest: Path) -> int:
    dest.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(dest / "fts5.db")
    db.execute(
        "CREATE VIRTUAL TABLE a USING fts5(id UNINDEXED, title, body, lang UNINDEXED, "
        "year UNINDEXED, tokenize = 'unicode61 remove_diacritics 2')"
    )
    with db:
        db.executemany(
            "INSERT INTO a VALUES (?, ?, ?, ?, ?)",
            (
                (str(r["id"]), r.get("title") or "", r["text"], r["lang"], year_of(r))
                for r in read_shards(paths)
            ),
        )
    count = db.execute("SELECT count(*) FROM a").fetchone()[0]
    db.close()
    return count


def fts5_open(dest: Path) -> Search:
    db = sqlite3.connect(dest / "fts5.db")

    def search(query: Query) -> int:
        words = [w.replace('"', "") for w in query.words]
        match = '"' + " ".join(words) + '"' if query.phrase else " ".join(f'"{w}"' for w in words)
        where, params = "a MATCH ?", [match]
        if query.lang:
            where, params = where + " AND lang = ?", [*params, query.lang]
        if query.year:
            where, params = where + " AND year = ?", [*params, query.year]
        rows = db.execute(
            "SELECT id, title, snippet(a, 2, '<mark>', '</mark>', '…', 24) FROM a "
            f"WHERE {where} ORDER BY bm25(a, 0, 3.0, 1.0) LIMIT 10",
            params,
        ).fetchall()
        return len(rows)

    return search


# --- plain Whoosh, as its tutorial shows ------------------------------------------------


def whoosh_schema():
    from whoosh.analysis import StemmingAnalyzer
    from whoosh.fields import ID, TEXT, Schema

    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(stored=True, analyzer=StemmingAnalyzer()),
        body=TEXT(stored=True, analyzer=StemmingAnalyzer()),
        lang=ID(stored=True),
        year=ID(stored=True),
    )


def whoosh_index(paths: list[Path], dest: Path) -> int:
    from whoosh import index

    dest.mkdir(parents=True, exist_ok=True)
    ix = index.create_in(str(dest), whoosh_schema())
    writer = ix.writer()
    count = 0
    for r in read_shards(paths):
        writer.add_document(
            id=str(r["id"]),
            title=r.get("title") or "",
            body=r["text"],
            lang=r["lang"],
            year=year_of(r),
        )
        count += 1
    writer.commit()
    return count


def whoosh_open(dest: Path) -> Search:
    from whoosh import index
    from whoosh import query as wq
    from whoosh.qparser import MultifieldParser

    ix = index.open_dir(str(dest))
    searcher = ix.searcher()
    parser = MultifieldParser(["title", "body"], ix.schema)

    def search(query: Query) -> int:
        parsed = parser.parse(query.text)
        terms = []
        if query.lang:
            terms.append(wq.Term("lang", query.lang))
        if query.year:
            terms.append(wq.Term("year", query.year))
        results = searcher.search(parsed, limit=10, filter=wq.And(terms) if terms else None)
        shown = 0
        for hit in results:
            hit.highlights("body")
            shown += 1
        return shown

    return search


# --- Manchette --------------------------------------------------------------------------


def manchette_open(dest: Path) -> Search:
    from engines.whoosh.execute import run_search
    from engines.whoosh.searchers import IndexHandle
    from search.request import SearchRequest

    handle = IndexHandle(dest)

    def search(query: Query) -> int:
        filters = (("year", query.year),) if query.year else ()
        request = SearchRequest(q=query.text, lang=query.lang, filters=filters).validate()
        return len(run_search(handle.searcher(), request).hits)

    return search


OPENERS: dict[str, Callable[[Path], Search]] = {
    "manchette": manchette_open,
    "whoosh": whoosh_open,
    "fts5": fts5_open,
}
INDEXERS = {"whoosh": whoosh_index, "fts5": fts5_index}


def load_queries(path: Path) -> list[Query]:
    return [
        Query(q["kind"], tuple(q["words"]), q["phrase"], q["lang"], q["year"])
        for q in json.loads(path.read_text(encoding="utf-8"))
    ]


def run_queries(engine: str, dest: Path, queries: list[Query]) -> dict:
    search = OPENERS[engine](dest)
    for query in queries:  # warm-up pass: caches, lazily loaded readers
        search(query)
    latencies, shown = [], 0
    for query in queries:
        started = time.perf_counter()
        shown += search(query)
        latencies.append((time.perf_counter() - started) * 1000)
    return {"latencies_ms": latencies, "kinds": [q.kind for q in queries], "hits_shown": shown}


def cold(engine: str, dest: Path, queries: list[Query]) -> dict:
    started = time.perf_counter()
    search = OPENERS[engine](dest)
    search(queries[0])
    return {"cold_start_s": time.perf_counter() - started}


def main(argv: list[str]) -> int:
    command, engine, dest = argv[0], argv[1], Path(argv[2])
    if command == "index":
        out = {"articles": INDEXERS[engine]([Path(p) for p in argv[3:]], dest)}
    elif command == "query":
        out = run_queries(engine, dest, load_queries(Path(argv[3])))
    elif command == "cold":
        out = cold(engine, dest, load_queries(Path(argv[3])))
    else:
        raise SystemExit(f"unknown command {command}")
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
