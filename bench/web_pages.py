"""The bodies of many ``/search`` pages, to compare two versions of the web path byte for byte.

Runs the bench's queries (the JSON ``bench/suite.py`` writes) through the application that the
running interpreter imports (``create_app`` and Flask's test client), as the bench's page and
in variants (English interface, page 2, every version, newest first, the JSON twin), and writes
one JSON line per request: its path, status and body, with the search's own duration masked
(it differs from run to run). Run it with each version's interpreter on the same index, then
compare the two files::

    /work/main/.venv/bin/python bench/web_pages.py INDEX queries.json before.jsonl
    .venv/bin/python bench/web_pages.py INDEX queries.json after.jsonl
    cmp before.jsonl after.jsonl

This file does not put the project on ``sys.path``: the interpreter's own install decides
which ``web`` is measured.
"""

from __future__ import annotations

import argparse
import json
import re
import urllib.parse
from pathlib import Path

# "(12 ms)" in the summary, in either interface language; "took_ms": 12.34 in the JSON.
_TOOK = re.compile(r"\(\d+(?:[.,]\d+)?[\s\u202f\u00a0]ms\)")
_TOOK_JSON = re.compile(r'"took_ms":\s*[0-9.]+')


def variants(query: dict, index: int) -> list[dict]:
    """The bench's page for a query, and (for some queries) variants of it."""
    params: dict = {"q": " ".join(query["words"]) if not query.get("text") else query["text"]}
    if query.get("phrase"):
        params["q"] = f'"{params["q"]}"'
    if query.get("lang"):
        params["lang"] = query["lang"]
    if query.get("year"):
        params["year"] = query["year"]
    pages = [params]
    extra = (
        {"hl": "en"},
        {"page": "2"},
        {"collapse": "0"},
        {"sort": "newest", "hl": "fr"},
        {"json": True},
    )
    pages.append({**params, **extra[index % len(extra)]})
    return pages


def path_of(params: dict) -> str:
    route = "/search.json" if params.pop("json", False) else "/search"
    return route + "?" + urllib.parse.urlencode(params)


def masked(body: str) -> str:
    return _TOOK_JSON.sub('"took_ms": 0', _TOOK.sub("(0 ms)", body))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("index_dir", type=Path)
    parser.add_argument("queries", type=Path, help="the queries JSON bench/suite.py writes")
    parser.add_argument("out", type=Path, help="one JSON line per request")
    parser.add_argument("--limit", type=int, default=0, help="only the first N queries")
    args = parser.parse_args()

    from web import create_app

    queries = json.loads(args.queries.read_text())
    if args.limit:
        queries = queries[: args.limit]
    app = create_app({"INDEX_DIR": str(args.index_dir), "TESTING": True})
    client = app.test_client()
    with args.out.open("w", encoding="utf-8") as out:
        for i, query in enumerate(queries):
            for params in variants(query, i):
                path = path_of(dict(params))
                response = client.get(path)
                row = {
                    "path": path,
                    "status": response.status_code,
                    "body": masked(response.get_data(as_text=True)),
                }
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
