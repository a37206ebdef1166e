"""``manchette batch``, ``trends`` and ``export``: the library's answers, printed."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from engines.whoosh.engine import WhooshEngine
from index.cli import main
from search.request import SearchRequest


def _run(runner, *args: str, env: dict | None = None):
    return runner.invoke(main, list(args), env=env)


def test_batch_json_csv_and_text(runner, tools_index: Path, tmp_path: Path):
    names = tmp_path / "names.txt"
    names.write_text("# to check\nriver authority\n\nmuseum\nzzzq\n", encoding="utf-8")
    ix = ["--index-dir", str(tools_index)]
    data = json.loads(_run(runner, "batch", str(names), "--json", *ix).stdout)
    assert [r["query"] for r in data["queries"]] == ["river authority", "museum", "zzzq"]
    engine = WhooshEngine(tools_index)
    totals = [engine.search(SearchRequest(q=r["query"])).total for r in data["queries"]]
    engine.close()
    assert [r["total"] for r in data["queries"]] == totals
    rows = list(csv.reader(io.StringIO(_run(runner, "batch", str(names), "--csv", *ix).stdout)))
    assert rows[0][:4] == ["query", "total", "first_date", "last_date"]
    assert rows[1][:4] == ["river authority", "1", "2019-01-30", "2019-03-02"]
    text = _run(runner, "batch", str(names), *ix)
    assert text.exit_code == 0 and "river authority" in text.stdout


def test_batch_usage_errors_exit_2(runner, tools_index: Path, tmp_path: Path):
    names = tmp_path / "many.txt"
    names.write_text("name\n" * 5001, encoding="utf-8")
    ix = ["--index-dir", str(tools_index)]
    assert _run(runner, "batch", str(names), *ix).exit_code == 2
    names.write_text("name\n", encoding="utf-8")
    assert _run(runner, "batch", str(names), "--from", "May", *ix).exit_code == 2
    assert _run(runner, "batch", str(names), "--json", "--csv", *ix).exit_code == 2


def test_trends(runner, tools_index: Path):
    ix = ["--index-dir", str(tools_index)]
    found = _run(runner, "trends", "rain gauge", "pluie", "--interval", "year", "--json", *ix)
    data = json.loads(found.stdout)
    assert data["interval"] == "year" and [s["query"] for s in data["series"]] == [
        "rain gauge",
        "pluie",
    ]
    assert [p["count"] for p in data["series"][0]["points"]] == [12, 0]
    table = _run(runner, "trends", "rain gauge", "--csv", *ix).stdout.splitlines()
    assert table[0] == "query,period,count,share" and len(table) == 1 + 12
    assert _run(runner, "trends", "a", "b", "c", "d", "e", *ix).exit_code == 2


def test_export_streams_every_match(runner, sample_index: Path, tmp_path: Path, monkeypatch):
    ix = ["--index-dir", str(sample_index)]
    engine = WhooshEngine(sample_index)
    total = engine.search(SearchRequest(q="the OR la")).total
    engine.close()
    lines = _run(runner, "export", "the OR la", *ix).stdout.splitlines()
    assert len(lines) == total and set(json.loads(lines[0])) == {
        "id", "title", "url", "source", "lang", "date", "score"
    }  # fmt: skip
    out = tmp_path / "all.csv"
    assert _run(runner, "export", "the OR la", "--format", "csv", "--output", str(out), *ix)
    assert len(out.read_text(encoding="utf-8").splitlines()) == total + 1
    capped = _run(runner, "export", "the OR la", *ix, env={"MANCHETTE_MAX_EXPORT_ROWS": "5"})
    assert capped.stdout.splitlines() == lines[:5]
