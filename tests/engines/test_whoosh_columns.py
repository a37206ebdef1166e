"""A whole index's columns when a segment has none of a column's values (a commit of undated
articles writes no ``published`` column)."""

from __future__ import annotations

from pathlib import Path

from builders import write_jsonl
from engines import index_paths
from engines.whoosh.columns import column_reader, column_values
from engines.whoosh.equivalence import compare
from engines.whoosh.execute import run_search
from engines.whoosh.searchers import IndexHandle
from engines.whoosh.writer import open_index
from search.request import SearchRequest


def articles(prefix: str, count: int, dated: bool) -> list[dict]:
    return [
        {
            "id": f"{prefix}{i}",
            "lang": "en",
            "title": f"Harbour ferry timetable {prefix} {i}",
            "text": f"The harbour ferry {prefix}{i} sails at dawn across the bay, article {i}.",
            **({"date": f"2021-03-{10 + i:02d}"} if dated else {}),
        }
        for i in range(count)
    ]


def two_segments(tmp_path: Path) -> Path:
    """Dated articles committed first, undated ones by a second job (a job's own commits of
    single articles would be merged by its last commit)."""
    folder, index_dir = tmp_path / "in", tmp_path / "index"
    folder.mkdir()
    write_jsonl(folder / "a-dated.jsonl", articles("d", 3, dated=True))
    index_paths([folder], index_dir, parse_workers=0)
    write_jsonl(folder / "b-undated.jsonl", articles("u", 5, dated=False))
    index_paths([folder], index_dir, parse_workers=0)
    return index_dir


def test_a_segment_without_dates_reads_as_undated(tmp_path: Path) -> None:
    index_dir = two_segments(tmp_path)
    with open_index(index_dir).reader() as reader:
        leaves = reader.leaf_readers()
        has = [s.has_column("published") for s, _ in leaves]
        assert any(has) and not all(has)  # segments with and without the column
        column = column_reader(reader, "published", translate=False)
        ids = column_reader(reader, "id")
        undated = {ids[d] for d in range(reader.doc_count_all()) if column[d] >= 2**63}
    assert undated == {f"u{i}" for i in range(5)}


def test_column_values_are_the_values_read_one_by_one(tmp_path: Path) -> None:
    index_dir = two_segments(tmp_path)
    with open_index(index_dir).reader() as reader:
        leaves = [segment for segment, _offset in reader.leaf_readers()]
        assert not all(segment.has_column("year") for segment in leaves)  # the undated one
        for segment in leaves:
            count = segment.doc_count_all()
            for name in ("id", "hash", "text_hash", "simhash", "cluster", "year"):
                one_by_one = column_reader(segment, name)
                assert column_values(segment, name) == [one_by_one[d] for d in range(count)]


def test_recency_ranks_an_archive_with_a_segment_without_dates(tmp_path: Path) -> None:
    """The matchers' path (the vectorised executor's reference) and the executor agree, and
    every article comes back, dated ones first."""
    handle = IndexHandle(two_segments(tmp_path))
    request = SearchRequest(q="harbour ferry", recency=True).validate()
    with handle.searcher() as searcher:
        outcome = compare(searcher, request)
        result = run_search(searcher, request)
    assert outcome.problem is None and outcome.matches == 8
    shown = [hit.id for hit in result.hits]
    assert len(shown) == 8 and {a[0] for a in shown[:3]} == {"d"}
