"""Boilerplate learned from the collection: recurring short paragraphs of one source."""

from __future__ import annotations

from pathlib import Path

from builders import write_jsonl
from engines import index_paths
from engines.whoosh.writer import open_index
from index.article import Article
from index.layout import live_dir
from index.learned import MIN_ARTICLES, Learned, load_learned

PROMO = "Subscribe to the Daily Bugle newsletter for more stories like this."
TOPICS = ["harbour", "bridge", "museum", "election", "orchestra", "rainfall", "library", "tram"]


def story(i: int, source: str = "Daily Bugle", promo: bool = True) -> dict:
    body = [
        f"The {TOPICS[i]} story opens with a long paragraph about the {TOPICS[i]} and "
        f"what the city council decided about it on Monday evening after a long debate.",
        f"More details about the {TOPICS[i]} follow in a second paragraph.",
    ]
    if promo:
        body.append(PROMO)
    return {
        "id": f"{source[:3]}-{i}",
        "lang": "en",
        "source": source,
        "title": f"News about the {TOPICS[i]}",
        "text": "\n\n".join(body),
    }


def bodies(index_dir: Path) -> dict[str, str]:
    with open_index(index_dir).searcher() as s:
        return {f["id"]: f["body"] for f in s.all_stored_fields()}


def test_recurring_paragraph_is_removed_from_every_article_of_the_source(tmp_path: Path):
    src = write_jsonl(tmp_path / "a.jsonl", [story(i) for i in range(7)])
    report = index_paths([src], tmp_path / "ix")
    assert report.relearned == MIN_ARTICLES - 1  # those read before the line was learned
    found = bodies(tmp_path / "ix")
    assert len(found) == 7
    assert not any(PROMO in body for body in found.values())
    assert all("More details" in body for body in found.values())


def test_learning_is_kept_for_later_runs(tmp_path: Path):
    index_paths([write_jsonl(tmp_path / "a.jsonl", [story(i) for i in range(6)])], tmp_path / "ix")
    assert load_learned(live_dir(tmp_path / "ix")).known["Daily Bugle"]
    index_paths([write_jsonl(tmp_path / "b.jsonl", [story(7)])], tmp_path / "ix")
    assert PROMO not in bodies(tmp_path / "ix")["Dai-7"]


def test_rare_paragraphs_and_other_sources_are_kept(tmp_path: Path):
    records = [story(i) for i in range(MIN_ARTICLES - 1)]
    records += [story(i, source="Other Times", promo=False) for i in range(3)]
    records += [dict(story(5, source="Other Times"), id="Oth-promo")]
    index_paths([write_jsonl(tmp_path / "a.jsonl", records)], tmp_path / "ix")
    found = bodies(tmp_path / "ix")
    assert PROMO in found["Dai-0"] and PROMO in found["Oth-promo"]


def test_clean_recomputes_the_lead():
    learned = Learned({"S": set()})
    article = Article(
        id="x", source="S", body="Promo line.\n\nReal first paragraph.", lead="Promo line."
    )
    for i in range(MIN_ARTICLES):
        learned.observe(Article(id=str(i), source="S", body="Promo line."), f"f{i}")
    cleaned = learned.clean(article)
    assert (cleaned.lead, cleaned.body) == ("Real first paragraph.", "Real first paragraph.")


def test_learning_returns_where_the_earlier_holders_were_read():
    learned = Learned()
    where = []
    for n in range(MIN_ARTICLES):
        article = Article(id=f"a{n}", source="S", body=f"{PROMO}\n\nStory {n}.", path=f"f#L{n}")
        where.append(learned.observe(article, "f"))
    assert where[:-1] == [set()] * (MIN_ARTICLES - 1)
    assert where[-1] == {("f", f"f#L{n}") for n in range(MIN_ARTICLES - 1)}
    assert learned.known["S"] and learned.learned_now == 1
    other = Article(id="b", source="T", body=PROMO, path="g#L1")  # another source: not learned
    assert learned.observe(other, "g") == set() and not learned.known["T"]


def test_learning_returns_locations_of_every_form_as_they_were_read():
    learned = Learned()
    holders = [
        ("/d/a.jsonl", "/d/a.jsonl#L12"),
        ("/d/b.json", "/d/b.json#/articles/3"),
        ("/d/page.html", "/d/page.html"),
        ("/d/c.warc.gz", "/d/c.warc.gz#record-9"),
        ("/d/a.jsonl", "/d/a.jsonl#L0"),
    ]
    found = []
    for n, (file, location) in enumerate(holders):
        article = Article(id=f"a{n}", source="S", body=f"{PROMO}\n\nStory {n}.", path=location)
        found.append(learned.observe(article, file))
    assert found[-1] == set(holders[:-1]) and learned.pending() == len(holders)  # the stories
    assert found[:-1] == [set()] * (len(holders) - 1)


def test_paragraphs_seen_once_cost_a_few_dozen_bytes_each():
    """What a job keeps of the short paragraphs it has not learned (most of them: each seen
    once) stays small: ~330 bytes a paragraph in dicts of strings and lists grew the writer
    by 30 MB on the corpus, and a dict of numbers ~14 MB."""
    import tracemalloc

    articles = [
        Article(
            id=f"a{n}",
            source=f"source {n % 7}",
            body="\n\n".join(f"Paragraph {k} of article {n}." for k in range(3)),
            path=f"file-{n // 1000}.jsonl#L{n}",
        )
        for n in range(6_000)
    ]
    learned = Learned()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for article in articles:
            learned.observe(article, article.path.partition("#")[0])
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert learned.pending() == 3 * len(articles)
    assert grown < 60 * 3 * len(articles)
