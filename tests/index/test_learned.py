"""Boilerplate learned from the collection: recurring short paragraphs of one source."""

from __future__ import annotations

from pathlib import Path

from builders import write_jsonl
from engines import index_paths
from engines.whoosh.writer import open_index
from index.article import Article
from index.dedup import SETTLE_FROM
from index.layout import live_dir
from index.learned import MIN_ARTICLES, Learned, load_learned, paragraph_key

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


def test_learning_after_thousands_of_paragraphs_returns_the_places_as_they_were_read():
    """What a user sees of the compact state: among thousands of paragraphs seen once (the
    multimap merges its recent entries into its arrays several times), a paragraph is learned
    on its MIN_ARTICLES-th article of a source, not before, not for another source, and the
    earlier holders' places come back exactly as read, whatever their form."""
    forms = [
        ("/d/part-00012.jsonl.gz", "/d/part-00012.jsonl.gz#L{n}"),
        ("/d/a.json", "/d/a.json#/articles/{n}"),
        ("/d/c.warc.gz", "/d/c.warc.gz#offset={n}"),
        ("/d/page-{n}.html", "/d/page-{n}.html"),  # a whole file
        ("/d/odd#name.jsonl", "/d/odd#name.jsonl#L{n}"),  # a "#" in the file name
        ("/d/z.jsonl", "/d/z.jsonl#L0{n}"),  # a leading zero: not a plain line number
        ("/d/été.jsonl", "/d/été.jsonl#L{n}"),
        ("/d/moved.jsonl", "/elsewhere/moved.jsonl#L{n}"),  # not the file's own prefix
    ]
    promos = [PROMO, "Follow the Daily Bugle on every network."]
    step = 100 * len(forms) + 1  # holders far apart, each read from the next form
    half = len(forms) // 2  # the second promo's holders start at the forms the first's end
    # Article number → its source and the promo it holds. Source S0 holds each promo in
    # MIN_ARTICLES + 1 articles (learned, then read again), S1 the first in one fewer than
    # learning takes; S0's articles have even numbers, S1's odd ones.
    at = {
        2 * (i * step + j * half): ("S0", promo)
        for j, promo in enumerate(promos)
        for i in range(MIN_ARTICLES + 1)
    }
    at |= {2 * (i * step + 50) + 1: ("S1", PROMO) for i in range(MIN_ARTICLES - 1)}
    learned = Learned()
    holders: dict[tuple[str, str], list[tuple[str, str]]] = {held: [] for held in at.values()}
    returned = {}  # article number → what observe returned, when not empty
    count = 2 * step * (MIN_ARTICLES + 1)
    for n in range(count):
        source = f"S{n % 2}"
        file, location = (form.format(n=n) for form in forms[(n // 2) % len(forms)])
        body = [f"Story {n}, first paragraph.", f"Story {n}, second paragraph."]
        if n in at:
            body.append(at[n][1])
            holders[at[n]].append((file, location))
        article = Article(id=f"a{n}", source=source, body="\n\n".join(body), path=location)
        if found := learned.observe(article, file):
            returned[n] = found
    assert len(learned._seen.keys) > 2 * SETTLE_FROM  # the premise: entries were merged
    assert returned == {
        2 * ((MIN_ARTICLES - 1) * step + j * half): set(holders["S0", promo][: MIN_ARTICLES - 1])
        for j, promo in enumerate(promos)
    }
    returned_forms = {
        (i + j * half) % len(forms) for j in range(len(promos)) for i in range(MIN_ARTICLES - 1)
    }
    assert returned_forms == set(range(len(forms)))  # the premise: every form is read again
    assert learned.known == {"S0": set(map(paragraph_key, promos)), "S1": set()}
    assert learned.learned_now == len(promos)
    assert learned.pending() == 2 * count + 1  # every story paragraph, and S1's promo
