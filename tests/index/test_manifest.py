"""``files.json`` is written from compact records byte for byte as from the plain dicts it
held before, and an older one reads back the same (``index.manifest``, ``index.records``)."""

from __future__ import annotations

import json
from pathlib import Path

from engines import index_paths
from index.layout import live_dir
from index.manifest import MANIFEST, FileState, load_manifest, save_manifest
from index.records import Records, make_entry, record_digest


def entry(n: int, article_id: str) -> str:
    return make_entry(record_digest(f"record {n}".encode()), f"{n * 7919:040x}", article_id)


def plain_manifest() -> dict[str, FileState]:
    """Files as the job remembers them, with records in a plain dict as before."""
    lines = {f"L{n}": entry(n, f"reuters21578-{n}") for n in range(1, 300)}
    lines["L17"] = entry(17, "an id with  spaces ")  # the id is the rest of the entry
    lines["L18"] = entry(18, "https://example.org/é/18?q=1")  # written as is, not escaped
    lines["L19"] = "an entry of another form"
    lines["L2"] = entry(2, "updated-in-place")
    mixed = {"L3": entry(3, "bbc-tech-3"), "/articles/0": entry(0, "x"), "L1": entry(1, "y")}
    mixed |= {"L0": entry(0, "z"), "L٣": entry(3, "w"), "": "", "L2": "E" * 16}
    array = {f"/articles/{n}": entry(n, f"bbc-tech-{n}") for n in range(5)}
    manifest = {
        "/data/b.jsonl": FileState(10, 20, "ab" * 20, ids=["bbc-tech-3"]),
        "/data/a.jsonl": FileState(30, 40, "cd" * 20, ids=["r1"]),
        "/data/c.json": FileState(50, 60, "ef" * 20, learned=3),
        "/data/d.txt": FileState(1, 2, "00" * 20, ids=["d"], rejected=[["/data/d.txt", "odd"]]),
    }
    for key, records in (
        ("/data/b.jsonl", mixed),
        ("/data/a.jsonl", lines),
        ("/data/c.json", array),
    ):
        manifest[key].records = records  # type: ignore[assignment]
    return manifest


def compact(manifest: dict[str, FileState]) -> dict[str, FileState]:
    return {
        key: FileState(**{**vars(state), "records": Records(state.records)})
        for key, state in manifest.items()
    }


def test_files_json_is_written_as_from_plain_dicts(tmp_path: Path):
    plain_dir, compact_dir = tmp_path / "plain", tmp_path / "compact"
    plain_dir.mkdir(), compact_dir.mkdir()
    save_manifest(plain_dir, plain_manifest())
    save_manifest(compact_dir, compact(plain_manifest()))
    written = (compact_dir / MANIFEST).read_bytes()
    assert written == (plain_dir / MANIFEST).read_bytes()
    assert "é" in written.decode("utf-8")


def test_files_json_reads_back_and_is_written_again_the_same(tmp_path: Path):
    save_manifest(tmp_path, plain_manifest())  # as the plain dicts wrote it
    first = (tmp_path / MANIFEST).read_bytes()
    again = load_manifest(tmp_path)
    assert all(isinstance(state.records, Records) for state in again.values())
    for key, state in plain_manifest().items():
        assert list(again[key].records.items()) == list(state.records.items())
        assert vars(again[key]) | {"records": None} == vars(state) | {"records": None}
    save_manifest(tmp_path, again)
    assert (tmp_path / MANIFEST).read_bytes() == first


def test_an_older_files_json_without_records_loads(tmp_path: Path):
    old = {"/data/a.jsonl": {"size": 1, "mtime_ns": 2, "sha1": "ab" * 20, "ids": ["r1"]}}
    (tmp_path / MANIFEST).write_text(json.dumps(old), encoding="utf-8")
    (state,) = load_manifest(tmp_path).values()
    assert (state.ids, len(state.records), state.learned) == (["r1"], 0, 0)
    assert not state.records


def test_ids_read_back_are_held_once(tmp_path: Path):
    """A record's id read from files.json is the very string of its file's ids."""
    ids = [f"reuters21578-{n}" for n in range(1, 50)]
    records = {f"L{n}": entry(n, i) for n, i in enumerate(ids, start=1)}
    manifest = {"/data/a.jsonl": FileState(1, 2, "ab" * 20, ids=ids, records=Records(records))}
    save_manifest(tmp_path, manifest)
    (state,) = load_manifest(tmp_path).values()
    assert dict(state.records.items()) == records
    held = [place_entry[1].split(" ", 2)[2] for place_entry in state.records.items()]
    assert held == state.ids
    assert all(state.records._ids[n] is state.ids[n] for n in range(len(ids)))


def write_articles(path: Path, edited: int | None) -> None:
    articles = [
        {
            "id": f"bbc-tech-{n}",
            "url": f"https://example.org/{n}",
            "title": f"Tram line {n} opens",
            "date": "2021-03-01",
            "text": f"The tram line {n} opened today.{' Edited.' if n == edited else ''}\n\n"
            f"Passengers of line {n} were pleased with the new timetable.",
        }
        for n in range(6)
    ]
    path.write_text(json.dumps({"articles": articles}), encoding="utf-8")


def test_json_array_records_survive_files_json_across_runs(tmp_path: Path):
    """Places other than ``L<n>`` are written, read back, and passed over again."""
    folder = tmp_path / "in"
    folder.mkdir()
    write_articles(folder / "all.json", edited=None)
    index_paths([folder], tmp_path / "ix")
    (state,) = load_manifest(live_dir(tmp_path / "ix")).values()
    assert list(state.records) == [f"/articles/{n}" for n in range(6)]
    for edited, updated, passed_over in ((2, 1, 5), (4, 2, 4)):  # 2 back as it was, 4 edited
        write_articles(folder / "all.json", edited=edited)
        report = index_paths([folder], tmp_path / "ix")
        assert (report.updated, report.passed_over) == (updated, passed_over)
