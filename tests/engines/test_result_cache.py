"""The per-generation result cache: off by default, repeated answers served, a commit drops them."""

from __future__ import annotations

from builders import write_jsonl
from engines import index_paths
from engines.whoosh.engine import WhooshEngine
from search.request import SearchRequest

RECORDS = [
    {"id": f"a{i}", "lang": "en", "source": "Wire", "date": f"2020-01-0{i + 1}",
     "title": f"Harbour crane number {i}", "text": f"The harbour crane {i} was repaired."}
    for i in range(3)
]  # fmt: skip


def test_off_unless_configured(sample_index, monkeypatch):
    monkeypatch.delenv("MANCHETTE_RESULT_CACHE", raising=False)
    assert WhooshEngine(sample_index).results is None


def test_repeated_requests_are_served_until_a_commit(tmp_path, monkeypatch):
    monkeypatch.setenv("MANCHETTE_RESULT_CACHE", "8")
    source = write_jsonl(tmp_path / "a.jsonl", RECORDS)
    index_dir = tmp_path / "ix"
    index_paths([source], index_dir)
    engine = WhooshEngine(index_dir)
    request = SearchRequest(q="harbour crane").validate()
    first = engine.search(request)
    again = engine.search(request)
    assert engine.results is not None and engine.results.hits == 1
    assert [h.id for h in again.hits] == [h.id for h in first.hits] and again.total == 3
    engine.search(SearchRequest(q="harbour crane", sort="newest").validate())
    assert engine.results.hits == 1  # another request is another answer

    more = [*RECORDS, {"id": "a9", "lang": "en", "title": "Harbour crane nine", "text": "x."}]
    write_jsonl(tmp_path / "a.jsonl", more)
    index_paths([source], index_dir)
    after = engine.search(request)
    assert after.total == 4 and engine.results.hits == 1  # the commit dropped the answer
    engine.close()
