"""The job's compact article table: what the index holds, what a run read and where."""

from __future__ import annotations

import hashlib

import pytest

from index.known import KnownArticles, Places, Reads


def sha1(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()


@pytest.mark.parametrize(
    "location",
    [
        "/data/news/part-00012.jsonl.gz#L345",
        "/data/news/export.json#/articles/3",
        "/data/a#b/page.html",  # a '#' in a folder name, no place
        "/data/news/crawl.warc.gz#record-17",
        "/data/news/odd.jsonl#L0",
        "/data/news/odd.jsonl#L007",
        "/data/news/odd.jsonl#L",
        "/data/news/huge.jsonl#L99999999999",
        "/data/news/whole-file.html",
        "relative/path.jsonl#L1",
        "/data/odd#L²",
        "/data/odd#L٣",
    ],
)
def test_every_location_comes_back_as_it_was(location):
    places = Places()
    code = places.code(location)
    places.code("/elsewhere/other.jsonl#L5")  # numbering other files changes nothing
    assert places.location(code) == location


def test_lines_of_one_file_share_the_file():
    places = Places()
    codes = [places.code(f"/d/f.jsonl#L{n}") for n in range(1, 2000)]
    assert len(set(codes)) == 1999 and places._files == ["/d/f.jsonl"] and not places._other


def test_the_table_holds_updates_and_forgets_articles():
    known = KnownArticles()
    for n in range(3000):  # more than one block of rows
        known.hold(f"id-{n}", sha1(f"v1 {n}"), sha1(f"text {n}"))
    assert len(known) == 3000 and "id-2999" in known and "id-3000" not in known
    assert known.same("id-7", sha1("v1 7")) and not known.same("id-7", sha1("v2 7"))
    assert known.content_hex("id-7") == sha1("v1 7")[:16]
    known.hold("id-7", sha1("v2 7"))
    assert known.same("id-7", sha1("v2 7")) and len(known) == 3000
    known.forget("id-7")
    assert "id-7" not in known and known.content("id-7") is None and len(known) == 2999
    assert known.content_hex("id-7") == ""
    known.forget("never-held")
    assert len(known) == 2999


def test_a_text_belongs_to_the_last_id_that_held_it():
    known = KnownArticles()
    known.hold("a", sha1("a"), sha1("same body"))
    assert known.holder_of(sha1("same body")) == "a"
    known.hold("b", sha1("b"), sha1("same body"))
    assert known.holder_of(sha1("same body")) == "b"
    assert known.holder_of(sha1("another body")) is None


def test_content_hashes_held_are_found_and_forgotten_ones_are_not():
    known = KnownArticles()
    for n in range(50):
        known.hold(f"id-{n}", sha1(f"v {n}"))
    known.forget("id-3")
    held = known.contents()
    assert sha1("v 10") in held and sha1("v 3") not in held and sha1("other") not in held
    assert len(held) == 49


def test_the_first_reading_of_an_id_is_kept():
    reads = Reads(KnownArticles())
    reads.read("x", "/d/a.jsonl#L3")
    reads.read("x", "/d/b.jsonl#L9")
    assert reads.where("x") == "/d/a.jsonl#L3" and "x" in reads and len(reads) == 1
    assert reads.where("y") is None and "y" not in reads


def test_ids_of_a_file_passed_over_are_read_there():
    reads = Reads(KnownArticles())
    reads.read("a", "/d/new.jsonl#L1")
    reads.read_all(["a", "b", "c"], "/d/unchanged.jsonl")
    assert {i: reads.where(i) for i in "abc"} == dict.fromkeys("abc", "/d/unchanged.jsonl")
    assert sorted(reads) == ["a", "b", "c"] and len(reads) == 3


def test_reads_move_to_the_table_loaded_later():
    empty = KnownArticles()
    reads = Reads(empty)
    reads.read_all([f"u-{n}" for n in range(1500)], "/d/unchanged.jsonl")
    reads.read("other", "/d/x.json#/articles/2")
    loaded = KnownArticles()
    for n in range(2000):
        loaded.hold(f"s-{n}", sha1(str(n)))
    moved = reads.moved_to(loaded)
    assert len(moved) == 1501 and moved.where("u-1499") == "/d/unchanged.jsonl"
    assert moved.where("other") == "/d/x.json#/articles/2" and "s-3" not in moved
    moved.read("s-3", "/d/y.jsonl#L4")
    assert moved.where("s-3") == "/d/y.jsonl#L4" and "s-3" in loaded
