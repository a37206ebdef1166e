"""A running server sees what an indexing job committed, within seconds, without a restart."""

from __future__ import annotations

import time
from pathlib import Path

from builders import write_jsonl
from engines import index_paths
from web import create_app

REFRESH = 0.3  # seconds between checks for a new commit (1 s in production)


def story(i: str, word: str) -> dict:
    return {"id": i, "lang": "en", "title": f"About {word}", "text": f"A story about {word}."}


def total(client, q: str) -> int:
    return client.get("/search.json", query_string={"q": q}).get_json()["total"]


def test_running_app_sees_new_commits_and_rebuilds(tmp_path: Path):
    src = write_jsonl(tmp_path / "news.jsonl", [story("1", "otters")])
    index_paths([src], tmp_path / "ix")
    app = create_app({"INDEX_DIR": str(tmp_path / "ix"), "REFRESH_SECONDS": REFRESH})
    client = app.test_client()
    assert total(client, "otters") == 1 and total(client, "beavers") == 0

    write_jsonl(src, [story("1", "otters"), story("2", "beavers")])
    index_paths([src], tmp_path / "ix")  # what a cron job does
    deadline = time.monotonic() + 5
    while total(client, "beavers") == 0:
        assert time.monotonic() < deadline, "the new commit never became visible"
        time.sleep(0.05)
    assert client.get("/stats.json").get_json()["articles"] == 2

    write_jsonl(src, [story("3", "herons")])
    index_paths([src], tmp_path / "ix", rebuild=True)  # a new build swapped in
    time.sleep(REFRESH + 0.05)
    assert total(client, "herons") == 1 and total(client, "otters") == 0


def test_searcher_is_reused_between_refreshes(tmp_path: Path):
    src = write_jsonl(tmp_path / "news.jsonl", [story("1", "otters")])
    index_paths([src], tmp_path / "ix")
    app = create_app({"INDEX_DIR": str(tmp_path / "ix"), "REFRESH_SECONDS": 60})
    handle = app.extensions["manchette.engine"].handle
    client = app.test_client()
    total(client, "otters")
    first = handle.searcher()
    for _ in range(3):
        total(client, "otters")
    assert handle.searcher() is first  # not reopened on every request
