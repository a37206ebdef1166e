"""A file's manifest records, held compact, read back exactly as they were written."""

from __future__ import annotations

import json

import pytest

from index.manifest import FileState, load_manifest, save_manifest
from index.records import Records, make_entry, record_digest


def entry(n: int, article_id: str | None = None) -> str:
    return make_entry(record_digest(f"line {n}".encode()), f"{n:040x}", article_id or f"id-{n}")


def test_every_entry_comes_back_as_it_was_set():
    given = {f"L{n}": entry(n) for n in range(1, 3000)}
    given["L7"] = entry(7, "an id with spaces")
    given["/articles/3"] = entry(3, "from-a-json-array")
    given["L0"] = entry(0)  # not a canonical line number: kept as it is
    given["L12"] = "an entry of another form"
    records = Records(given)
    assert dict(records) == given and len(records) == len(given)
    assert records["L12"] == "an entry of another form" and "L3000" not in records


def test_lines_out_of_order_and_entries_updated_in_place():
    records = Records()
    for n in [5, 3, 9, 1]:
        records[f"L{n}"] = entry(n)
    records["L3"] = entry(33, "id-3")
    records["L9"] = "odd"
    records["L9"] = entry(9)
    assert records["L3"] == entry(33, "id-3") and records["L9"] == entry(9)
    assert list(records) == ["L5", "L3", "L9", "L1"] and len(records) == 4


def test_a_manifest_round_trip_keeps_every_record(tmp_path):
    plain = {f"L{n}": entry(n) for n in range(1, 50)} | {"/articles/0": entry(0, "x")}
    manifest = {"/data/a.jsonl": FileState(10, 20, "ab" * 20, ids=["id-1"], records=Records(plain))}
    save_manifest(tmp_path, manifest)
    written = json.loads((tmp_path / "files.json").read_text())
    assert written["/data/a.jsonl"]["records"] == plain
    again = load_manifest(tmp_path)
    assert dict(again["/data/a.jsonl"].records) == plain and again["/data/a.jsonl"].ids == ["id-1"]


def test_records_cost_a_few_dozen_bytes_each():
    """A full build's manifest held ~200 bytes a record as two strings and a dict slot."""
    import tracemalloc

    ids = [f"reuters21578-{n}" for n in range(20_000)]  # the job holds the ids anyway
    digests = [record_digest(f"line {n}".encode()) for n in range(20_000)]
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        records = Records()
        for n, article_id in enumerate(ids):
            records.put(f"L{n + 1}", digests[n], f"{n:040x}", article_id)
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert len(records) == 20_000 and grown < 50 * 20_000
    assert records["L8"] == entry(7, ids[7])


def test_records_read_like_a_dict_whatever_was_done_to_them():
    """Random sets, updates, puts and deletes: the same entries in the same order as a dict."""
    import random

    rng = random.Random(20261204)
    places = [f"L{n}" for n in range(1, 40)] + ["L0", "L07", "L٣", "/articles/2", "/0", ""]
    records, plain = Records(), {}
    for step in range(3000):
        place, n = rng.choice(places), rng.randrange(10_000)
        action = rng.random()
        if action < 0.5:
            value = entry(n, rng.choice(["r1", "an id with spaces", "https://x.org/é", ""]))
            records[place] = plain[place] = value
        elif action < 0.7:
            digest, content = record_digest(str(n).encode()), rng.choice([f"{n:040x}", "F" * 40])
            records.put(place, digest, content, f"id-{n}")
            plain[place] = make_entry(digest, content, f"id-{n}")
        elif action < 0.8:
            records[place] = plain[place] = rng.choice(["odd", "a b", "0" * 16 + " x y", "z" * 40])
        elif place in plain:
            del records[place], plain[place]
        else:
            with pytest.raises(KeyError):
                del records[place]
        if step % 100 == 0 or step == 2999:
            assert list(records.items()) == list(plain.items())
            assert list(records) == list(plain) and len(records) == len(plain)
            assert all((p in records) == (p in plain) for p in places)
            assert all(records.get(p) == plain.get(p) for p in places)
    records.clear()
    assert not records and list(records.items()) == []


def test_entries_rewritten_while_read_in_order():
    """As ``Job.refresh_records`` does: each entry updated in place during ``items()``."""
    plain = {f"L{n}": entry(n) for n in range(1, 100)} | {"/articles/0": entry(0)}
    records = Records(plain)
    for place, old in records.items():
        digest, _content, article_id = old.split(" ", 2)
        records.put(place, digest, "f" * 40, article_id)
        plain[place] = make_entry(digest, "f" * 40, article_id)
    assert list(records.items()) == list(plain.items())


def test_other_keys_are_missing_as_from_a_dict():
    records = Records({"L1": entry(1)})
    assert 5 not in records and None not in records and "L١" not in records
    assert records.get(5) is None and records.get("L1") == entry(1)
    with pytest.raises(KeyError):
        records["L2"]
