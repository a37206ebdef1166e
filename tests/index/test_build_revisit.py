"""The revisit: after a run learned boilerplate, only the articles read before it was learned
are read and written again, and the index ends as if every article had been cleaned with all
that was learned (``index.build._revisit``)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from builders import write_jsonl
from engines import index_paths
from engines.whoosh.writer import WhooshSink, open_index
from index import build
from index.article import Article
from index.build import run_job
from index.layout import live_dir
from index.learned import load_learned
from index.sources import Rejected, read_again, read_path
from index.sources.jsonl import read_jsonl

SOURCES = ("Daily Bugle", "Le Petit Écho", "Morning Wire")
PROMOS = {  # paragraphs each source repeats: learned once seen in MIN_ARTICLES articles
    s: [f"Subscribe to {s} for more.", f"Follow {s} on every network.", f"{s} © all day."]
    for s in SOURCES
}
LATE = "A promotion first printed late in the run."
RARE = "A paragraph printed a few times only, too few to be learned."
WORDS = [
    "harbour",
    "bridge",
    "museum",
    "election",
    "orchestra",
    "rainfall",
    "library",
    "tram",
    "council",
    "budget",
]


def story(rng: random.Random, number: int, source: str, promos: bool = True) -> dict:
    """A story of ``source``: two paragraphs of its own, and maybe some promotions."""
    topic = " ".join(rng.sample(WORDS, 3))
    body = [
        f"Story {number} opens with a long paragraph about the {topic} and what the council "
        f"decided about it on Monday evening after a long debate number {number}.",
        f"More details about story {number} and the {topic} follow in a second paragraph.",
    ]
    for promo in PROMOS[source] if promos else ():
        if rng.random() < 0.35:
            body.insert(rng.randrange(len(body) + 1), promo)
    if number % 17 == 0:
        body.append(RARE)
    return {
        "id": f"s{number}",
        "lang": "en",
        "source": source,
        "title": f"Story number {number}",
        "text": "\n\n".join(body),
    }


def write_corpus(folder: Path) -> list[Path]:
    """JSON Lines files and a JSON array, promotions learned at various points of the run, a
    same-text duplicate, and a same-id duplicate in a later file that holds a paragraph
    learned after it was read (the first occurrence, read before, is the one kept)."""
    rng = random.Random(13)
    folder.mkdir()
    files, number = [], 0
    for f in range(4):
        records = []
        for _ in range(30):
            records.append(story(rng, number, SOURCES[number % len(SOURCES)], number != 1))
            number += 1
        if f == 2:
            records.append(dict(records[0], id="same-text"))
            late = dict(story(rng, 999, SOURCES[1], promos=False), id="s1")  # s1: in file 0
            records.append(dict(late, text=f"{late['text']}\n\n{LATE}"))
        if f == 3:
            for record in records[1:16:3]:  # SOURCES[1]'s
                record["text"] += f"\n\n{LATE}"
        files.append(write_jsonl(folder / f"part-{f}.jsonl", records))
    array = [story(rng, number + i, SOURCES[i % len(SOURCES)]) for i in range(12)]
    (folder / "part-9.json").write_text(json.dumps(array), encoding="utf-8")
    return [*files, folder / "part-9.json"]


def stored(ix_dir: Path) -> dict[str, dict]:
    with open_index(ix_dir).searcher() as searcher:
        return {fields["id"]: fields for fields in searcher.all_stored_fields()}


@pytest.mark.parametrize(("workers", "inline"), [(0, 2_000), (1, 2_000), (1, 0)])
def test_the_index_holds_every_article_cleaned_with_all_that_was_learned(
    tmp_path: Path, workers: int, inline: int, monkeypatch
):
    """With a parse worker, a revisit of up to ``REVISIT_INLINE`` articles is parsed in the
    writing process (not by a worker forked from the grown writer), a larger one by a worker:
    the same index either way."""
    monkeypatch.setattr(build, "REVISIT_INLINE", inline)
    forked = []
    real = build.parsed_files
    monkeypatch.setattr(
        build, "parsed_files", lambda paths, n, **kw: forked.append(n) or real(paths, n, **kw)
    )
    files = write_corpus(tmp_path / "in")
    report = index_paths([tmp_path / "in"], tmp_path / "ix", parse_workers=workers)
    learned = load_learned(live_dir(tmp_path / "ix"))
    expected_learned = {s: len(PROMOS[s]) + (s == SOURCES[1]) for s in SOURCES}  # not RARE
    assert {s: len(learned.known[s]) for s in SOURCES} == expected_learned
    read = {a.path: a for f in files for a in read_path(f) if isinstance(a, Article)}
    docs = stored(tmp_path / "ix")
    assert len(docs) == 4 * 30 + 12  # the two duplicates are not indexed
    assert docs["s1"]["path"] == f"{files[0]}#L2"  # the first occurrence of an id wins
    relearned = 0
    for article_id, fields in docs.items():
        raw = read[fields["path"]]
        expected = learned.clean(raw)
        assert (fields["id"], fields["lead"], fields["body"]) == (
            article_id,
            expected.lead,
            expected.body,
        )
        assert not any(p in fields["body"] for promos in PROMOS.values() for p in [*promos, LATE])
        relearned += expected is not raw  # cleaned by the revisit, or in the first pass
    assert 0 < report.relearned < relearned  # only those read before learning were revisited
    assert forked == [workers, 0 if inline else workers]  # the first pass, then the revisit
    assert sum(RARE in f["body"] for f in docs.values()) == len(range(0, 132, 17))


def test_a_second_run_reads_nothing_again(tmp_path: Path):
    write_corpus(tmp_path / "in")
    index_paths([tmp_path / "in"], tmp_path / "ix")
    before = stored(tmp_path / "ix")
    again = index_paths([tmp_path / "in"], tmp_path / "ix")
    assert (again.added, again.updated, again.relearned) == (0, 0, 0)
    assert stored(tmp_path / "ix") == before


def test_read_again_gives_the_articles_read_path_gives_at_those_places(tmp_path: Path):
    for path in write_corpus(tmp_path / "in"):
        articles = [a for a in read_path(path) if isinstance(a, Article)]
        wanted = {articles[1].path, articles[-1].path, f"{path}#L999"}
        assert list(read_again(path, wanted)) == [articles[1], articles[-1]]
        assert list(read_again(path, set())) == []


def test_json_lines_parses_only_the_lines_asked_for(tmp_path: Path):
    path = tmp_path / "a.jsonl"
    path.write_text('{"id": "a", "text": "Kept."}\nnot JSON at all\n{"id": "c", "text": "C."}\n')
    assert any(isinstance(item, Rejected) for item in read_jsonl(path))
    found = list(read_jsonl(path, only={f"{path}#L3"}))
    assert [(a.id, a.body, a.path) for a in found] == [("c", "C.", f"{path}#L3")]


class _KilledInTheRevisit(WhooshSink):
    """The engine's sink, but the job dies at the first update (only the revisit updates)."""

    def update(self, doc: dict) -> None:
        raise KeyboardInterrupt


def test_a_job_killed_in_the_revisit_is_completed_by_the_next_run(tmp_path: Path):
    write_corpus(tmp_path / "in")
    index_paths([tmp_path / "in"], tmp_path / "whole")
    with pytest.raises(KeyboardInterrupt):
        run_job(
            lambda rebuild: _KilledInTheRevisit(tmp_path / "ix", rebuild),
            [tmp_path / "in"],
            tmp_path / "ix",
            commit_seconds=0,  # checkpoints all along the first pass
        )
    first_pass = stored(tmp_path / "ix")
    assert first_pass.keys() == stored(tmp_path / "whole").keys()
    assert first_pass != stored(tmp_path / "whole")  # the revisit's updates are missing
    index_paths([tmp_path / "in"], tmp_path / "ix")
    assert stored(tmp_path / "ix") == stored(tmp_path / "whole")


def simhashes(ix_dir: Path) -> dict[str, tuple[str, str]]:
    """Each article's SimHash and cluster, as stored."""
    with open_index(ix_dir).reader() as reader:
        simhash, cluster = reader.column_reader("simhash"), reader.column_reader("cluster")
        return {f["id"]: (simhash[n], cluster[n]) for n, f in reader.iter_docs()}


def test_simhashes_computed_in_the_worker_are_those_of_the_bodies_indexed(tmp_path: Path):
    write_corpus(tmp_path / "in")
    index_paths([tmp_path / "in"], tmp_path / "inline", parse_workers=0)
    index_paths([tmp_path / "in"], tmp_path / "worker", parse_workers=1)
    inline = simhashes(tmp_path / "inline")
    assert sum(bool(value) for value, _cluster in inline.values()) > 100
    assert simhashes(tmp_path / "worker") == inline


class _NotingMerges(WhooshSink):
    """The engine's sink, noting whether each commit was asked to merge segments."""

    def __init__(self, index_dir: Path, rebuild: bool) -> None:
        super().__init__(index_dir, rebuild)
        self.merges: list[bool] = []

    def commit(self, merge: bool = True) -> bool:
        self.merges.append(merge)
        return super().commit(merge)


@pytest.mark.parametrize("commit_seconds", [0, 3600])
def test_a_run_with_a_revisit_merges_once_in_its_last_commit(tmp_path: Path, commit_seconds: int):
    """The first pass's last commit leaves the merge to the revisit's: a merge rewrites whole
    segments, and the first pass's new segment would be merged again."""
    write_corpus(tmp_path / "in")
    sinks: list[_NotingMerges] = []

    def open_sink(rebuild: bool) -> _NotingMerges:
        sinks.append(_NotingMerges(tmp_path / "ix", rebuild))
        return sinks[-1]

    report = run_job(open_sink, [tmp_path / "in"], tmp_path / "ix", commit_seconds=commit_seconds)
    assert report.relearned > 0
    assert sinks[0].merges[-1] is True and sinks[0].merges.count(True) == 1
    assert len(sinks[0].merges) == report.commits >= 2
