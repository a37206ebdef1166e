"""The ``manchette`` command line, run in-process through click's runner."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from builders import SEED, write_jsonl
from index.cli import main
from index.layout import job_lock

SEED_TITLE = (
    "«Pas de coopération» : le premier Conseil OTAN-Russie depuis 2014 n’a pas abouti à grand-chose"
)


def test_parse_json_on_the_seed(runner):
    result = runner.invoke(main, ["parse", str(SEED), "--json"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    article = json.loads(lines[0])
    assert article["title"] == SEED_TITLE
    assert article["body"].startswith("Le 20 avril")
    assert "Stoltenberg" in article["body"] and "provocation" in article["body"]
    for banner in ("cookies", "Tout Accepter", "Paramétrer", "Suivez RT France"):
        assert banner not in article["body"]
    assert len(article["related"]) == 2
    assert article["related"][0].endswith("L’OTAN veut renouer le contact avec la Russie")
    assert article["related"][1].startswith("L'OTAN renforce ses moyens militaire")
    assert article["credit"] == "Capture d'écran du site www.nato.int"
    assert article["date"] is None
    assert article["lang"] == "fr"
    assert set(article) >= {
        "id",
        "title",
        "lead",
        "body",
        "related",
        "credit",
        "source",
        "url",
        "lang",
        "date",
        "path",
    }


def test_index_exit_codes(runner, tmp_path: Path):
    good = write_jsonl(
        tmp_path / "good.jsonl",
        [{"id": "x1", "lang": "en", "title": "Hello", "text": "A text about lighthouses."}],
    )
    ix_dir = tmp_path / "ix"
    ok = runner.invoke(main, ["index", str(good), "--index-dir", str(ix_dir)])
    assert ok.exit_code == 0, ok.output
    assert "1 added" in ok.output

    again = runner.invoke(main, ["index", str(good), "--index-dir", str(ix_dir), "--quiet"])
    assert (again.exit_code, again.output) == (0, "")

    bad = runner.invoke(
        main, ["index", str(good), str(tmp_path / "nope.txt"), "--index-dir", str(ix_dir)]
    )
    assert bad.exit_code == 1
    assert "nope.txt" in bad.stderr

    with job_lock(ix_dir):
        locked = runner.invoke(main, ["index", str(good), "--index-dir", str(ix_dir)])
    assert locked.exit_code == 75
    assert "another manchette job" in locked.stderr

    usage = runner.invoke(main, ["index", "--index-dir", str(ix_dir)])
    assert usage.exit_code == 2


def test_index_dir_comes_from_the_environment(runner, tmp_path: Path):
    good = write_jsonl(
        tmp_path / "good.jsonl",
        [{"id": "x1", "lang": "en", "title": "Hello", "text": "A text about lighthouses."}],
    )
    env = {"MANCHETTE_INDEX_DIR": str(tmp_path / "envix")}
    assert runner.invoke(main, ["index", str(good)], env=env).exit_code == 0
    found = runner.invoke(main, ["search", "lighthouses", "--json"], env=env)
    assert json.loads(found.stdout)["total"] == 1


def test_report_file(runner, tmp_path: Path):
    good = write_jsonl(
        tmp_path / "good.jsonl",
        [{"id": "x1", "lang": "en", "title": "Hello", "text": "A text about lighthouses."}],
    )
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "ok", "title": "Fine", "text": "Fine text here."}\n{not json\n')
    out = tmp_path / "report.json"
    result = runner.invoke(
        main,
        ["index", str(good), str(bad), "--index-dir", str(tmp_path / "ix"), "--report", str(out)],
    )
    assert result.exit_code == 1
    report = json.loads(out.read_text())
    assert (report["files"], report["added"], report["rejected_count"]) == (2, 2, 1)
    assert report["rejected"][0]["path"].endswith("bad.jsonl#L2")
    assert report["rejected"][0]["reason"]
    assert report["seconds"] > 0 and report["committed"] is True
    assert report["analysis_version"] >= 1 and report["schema_version"] >= 1
    assert {"unchanged", "updated", "deleted", "duplicates", "finished_at"} <= set(report)


def test_analyze_explain_shows_each_stage(runner):
    result = runner.invoke(
        main, ["analyze", "l’OTAN et les manœuvres", "--lang", "fr", "--explain"]
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert len(lines) >= 4
    assert lines[-1].split()[1:] == ["otan", "manoeuvr"]
    plain = runner.invoke(main, ["analyze", "Coopération", "--lang", "fr"])
    assert plain.stdout.strip() == "cooper"


def test_search_and_show(runner, sample_index: Path):
    found = runner.invoke(
        main, ["search", "Stoltenberg", "--index-dir", str(sample_index), "--json"]
    )
    assert found.exit_code == 0, found.output
    data = json.loads(found.stdout)
    assert set(data) >= {"query", "total", "page", "took_ms", "hits"}
    hit = data["hits"][0]
    assert set(hit) >= {"id", "title", "url", "source", "lang", "date", "score", "snippet"}
    assert "<mark>Stoltenberg</mark>" in hit["snippet"]
    shown = runner.invoke(main, ["show", hit["id"], "--index-dir", str(sample_index), "--json"])
    assert json.loads(shown.stdout)["credit"] == "Capture d'écran du site www.nato.int"
    text = runner.invoke(main, ["search", "Stoltenberg", "--index-dir", str(sample_index)])
    assert "OTAN-Russie" in text.stdout
    missing = runner.invoke(main, ["show", "no-such-id", "--index-dir", str(sample_index)])
    assert missing.exit_code != 0 and "no-such-id" in missing.stderr


def test_search_without_an_index_says_how_to_make_one(runner, tmp_path: Path):
    result = runner.invoke(main, ["search", "x", "--index-dir", str(tmp_path / "none")])
    assert result.exit_code == 3
    assert "manchette index" in result.stderr


def test_indexing_path_never_imports_flask():
    code = (
        "import sys; from index.cli import main; from index import build;"
        "print('flask' in sys.modules, 'search' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_index_gives_up_after_wait_and_says_how_long_it_waited(runner, tmp_path: Path):
    good = write_jsonl(tmp_path / "good.jsonl", [{"id": "w1", "lang": "en", "text": "Waiting."}])
    ix_dir = tmp_path / "ix"
    with job_lock(ix_dir):
        waited = runner.invoke(
            main, ["index", str(good), "--index-dir", str(ix_dir), "--wait", "0.4"]
        )
    assert waited.exit_code == 75
    assert "--wait" not in waited.stderr
    assert "waited 0.4 s" in waited.stderr


def test_index_of_missing_paths_creates_nothing(runner, tmp_path: Path):
    ix_dir = tmp_path / "X"
    result = runner.invoke(
        main, ["index", str(tmp_path / "nonexistent"), "--index-dir", str(ix_dir)]
    )
    assert result.exit_code == 2
    assert not ix_dir.exists()
    assert "nothing to index" in result.stderr and "nonexistent" in result.stderr


def test_check_where_no_job_committed_says_so(runner, tmp_path: Path):
    empty_folder = tmp_path / "empty"
    empty_folder.mkdir()
    indexed_nothing = tmp_path / "ix"
    assert runner.invoke(main, ["index", str(empty_folder), "--index-dir", str(indexed_nothing)])
    never_indexed = tmp_path / "fresh"
    never_indexed.mkdir()
    killed_first = tmp_path / "killed"  # what a first job killed before its commit leaves
    (killed_first / "builds" / "b1").mkdir(parents=True)
    (killed_first / "builds" / "b1" / "MAIN_WRITELOCK").touch()
    (killed_first / "job.lock").write_text('{"pid": 999999, "started": "2026-01-01T00:00:00"}\n')
    for ix_dir in (indexed_nothing, never_indexed, killed_first):
        result = runner.invoke(main, ["check", "--index-dir", str(ix_dir)])
        assert result.exit_code == 3
        assert result.stdout.splitlines()[0] == f"{ix_dir}: no committed index yet"
        assert "NOT SOUND" not in result.output and "Error" not in result.output
        verdict = json.loads(
            runner.invoke(main, ["check", "--index-dir", str(ix_dir), "--json"]).stdout
        )
        assert verdict["committed"] is False and verdict["ok"] is False


def test_check_of_a_damaged_index_names_no_exception_class(runner, tmp_path: Path):
    records = [{"id": f"d{n}", "lang": "en", "text": f"Damaged text {n}."} for n in range(20)]
    ix_dir = tmp_path / "ix"
    runner.invoke(
        main, ["index", str(write_jsonl(tmp_path / "d.jsonl", records)), "--index-dir", str(ix_dir)]
    )
    segments = list((ix_dir / "current").glob("*.seg"))  # the compound segment file
    assert segments
    for segment in segments:
        segment.write_bytes(segment.read_bytes()[: segment.stat().st_size * 2 // 3])
    # in a process of its own, as a user runs it (whoosh leaves the damaged file open)
    manchette = str(Path(sys.executable).parent / "manchette")
    result = subprocess.run(
        [manchette, "check", "--index-dir", str(ix_dir)], capture_output=True, text=True
    )
    assert result.returncode == 3
    assert "NOT SOUND" in result.stdout
    said = result.stdout + result.stderr
    assert not re.search(r"\b\w+(Error|Exception)\b", said), said
