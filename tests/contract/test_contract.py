"""One contract, two backends: the same articles give the same fields, hits, highlights,
facets, collapsing and pages on the embedded Whoosh index and on a real OpenSearch node."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from builders import WIRE_COPIES, write_jsonl
from search.notices import WILDCARD_LITERAL
from search.request import SearchRequest
from tests.contract.archives import Archive
from tests.contract.conftest import CORPUS

# query → the articles it must find (collapse off: every copy counts)
HITS = {
    # accents and ligatures are optional
    "Crimee": {"fr-crimee"},
    "crimée": {"fr-crimee"},
    "manoeuvres": {"fr-otan"},
    "manœuvres": {"fr-otan"},
    # elided articles, with either apostrophe
    "l'OTAN": {"fr-otan"},
    "l’OTAN": {"fr-otan"},
    "OTAN": {"fr-otan"},
    "alliance": {"fr-otan", "en-nato"},  # l'Alliance, the alliance's
    # stemming; quotes ask for the exact words
    "manifestation": {"fr-crimee", "fr-manifestant"},
    '"manifestations"': {"fr-crimee"},
    "election": {"en-election"},
    "elected": {"en-election"},
    # phrases
    '"conseil de sécurité"': {"fr-crimee"},
    "«conseil de securite»": {"fr-crimee"},
    '"sécurité du conseil"': set(),
    # operators, fields, prefixes
    "otan OR nato": {"fr-otan", "en-nato"},
    "port -otan": {"fr-crimee", "fr-manifestant", "en-nato", "en-undated"},
    "port NOT otan NOT nato": {"fr-crimee", "fr-manifestant", "en-undated"},
    "title:otan": {"fr-otan"},
    "title:port": set(),
    "secu*": {"fr-crimee", "fr-otan", "en-nato"},
    # a prefix finds all the whole word finds, after an elided article too (issue 16.1)
    "alli*": {"fr-otan", "en-nato"},  # l'Alliance, the alliance's
    "ota*": {"fr-otan"},  # l’OTAN
    # filters
    "lang:en port": {"en-nato", "en-undated"},
    "source:reuters": {"en-nato", "en-election", "wire-1"},
    "date:2015": {"fr-otan", "en-nato"},
    "date:2015-06-11": {"en-nato"},
    "date:2014..2015-06-10 port": {"fr-crimee", "fr-otan"},
    "after:2016-01-01 port": {"fr-manifestant"},
    "before:2014-12 port": {"fr-crimee"},
    "before:2015 port": {"fr-crimee", "fr-otan", "en-nato"},  # the end of 2015 included
    "lang:fr date:2016": {"fr-manifestant"},
    "zebra": set(),
    # proximity: at most N words between, in any order; chained; wildcards inside (15.1)
    '"conseil nations"~3': {"fr-crimee"},  # Conseil de sécurité des Nations
    '"nations conseil"~3': {"fr-crimee"},
    '"conseil nations"~2': set(),
    "conseil NEAR/3 nations": {"fr-crimee"},
    "conseil NEAR/2 nations": set(),
    "conseil NEAR/3 nations NEAR/0 unies": {"fr-crimee"},
    "conseil NEAR/3 nations NEAR/0 blindés": set(),
    '"minist* sécurité"~4': {"fr-otan"},  # ministres de l'Alliance jugent la sécurité
    "minist* NEAR/3 securite": set(),
    "baltique NEAR port": {"fr-otan"},  # bare NEAR: 5
    "crimea~ NEAR/1 tension": {"fr-crimee"},  # a fuzzy part: La Crimée sous tension
    "m?nifestations NEAR/3 simferopol": {"fr-crimee"},  # a wildcard part
    "m?nifestations NEAR/2 simferopol": set(),
    # fuzzy: one edit, two from 8 letters; accents and case folded first
    "Crimea~": {"fr-crimee"},
    "gdask~": {"en-nato"},
    "electoin~": {"en-election"},
    "electoin~1": {"en-election"},  # a transposition is one edit
    "electoni~1": set(),
    "Crimee~9": {"fr-crimee"},  # not a fuzzy form: the word as typed
    # wildcards anywhere in a word
    "m?nifestant": {"fr-manifestant"},
    "manif*ions": {"fr-crimee"},
    "*ansk": {"en-nato"},
    # a star alone: every article, with the filters (issue 16.2)
    "*": {
        "fr-crimee", "fr-otan", "fr-manifestant", "en-nato", "en-election", "wire-1", "wire-2",
        "en-undated",
    },
    "* lang:fr -otan": {"fr-crimee", "fr-manifestant"},
    "otan OR *": {
        "fr-crimee", "fr-otan", "fr-manifestant", "en-nato", "en-election", "wire-1", "wire-2",
        "en-undated",
    },
}  # fmt: skip


@pytest.mark.parametrize("query", list(HITS))
def test_same_hits(archive: Archive, query: str):
    assert set(archive.ids(query, collapse=False)) == HITS[query]


def test_request_filters(archive: Archive):
    assert set(archive.ids("port", lang="en")) == {"en-nato", "en-undated"}
    assert set(archive.ids("port", filters=(("source", "Le Monde"),))) == {
        "fr-crimee",
        "fr-manifestant",
    }
    assert archive.ids("port", filters=(("year", "2015"), ("month", "2015-06"))) in (
        ["en-nato", "fr-otan"],
        ["fr-otan", "en-nato"],
    )


def test_same_stored_fields(archive: Archive):
    article = archive.backend.get_article("fr-otan")
    assert article is not None
    data = article.to_dict()
    assert data.pop("path").endswith("articles.jsonl#L2")
    assert data == {
        "id": "fr-otan",
        "title": "L’OTAN renforce sa présence à l’Est",
        "lead": "Les manœuvres de l’OTAN commencent mardi en Pologne.",
        "body": "Les manœuvres de l’OTAN commencent mardi en Pologne.\n\nLes ministres de "
        "l'Alliance jugent la sécurité du continent menacée et veulent des navires dans chaque "
        "port de la Baltique.",
        "related": [],
        "credit": "",
        "source": "Libération",
        "url": "https://example.org/fr-otan",
        "lang": "fr",
        "date": "2015-06-10",
    }
    assert archive.backend.get_article("no-such-article") is None


def test_same_hit_fields(archive: Archive):
    (hit,) = archive.search("Crimee").to_dict()["hits"]
    assert {k: hit[k] for k in ("id", "title", "url", "source", "lang", "date")} == {
        "id": "fr-crimee",
        "title": "La Crimée sous tension",
        "url": "https://example.org/fr-crimee",
        "source": "Le Monde",
        "lang": "fr",
        "date": "2014-03-01",
    }
    assert hit["cluster_size"] == 1 and hit["score"] > 0


@pytest.mark.parametrize(
    ("query", "article", "title_html", "in_snippet"),
    [
        ("Crimee", "fr-crimee", "La <mark>Crimée</mark> sous tension", "en <mark>Crimée</mark>"),
        (
            "l'otan",
            "fr-otan",
            "L’<mark>OTAN</mark> renforce sa présence à l’Est",
            "l’<mark>OTAN</mark>",
        ),
        ("manifestation", "fr-crimee", "La Crimée sous tension", "<mark>manifestations</mark>"),
        ("manoeuvre", "fr-otan", None, "Les <mark>manœuvres</mark> de"),
        ("NATO", "en-nato", "<mark>NATO</mark> ministers meet in Brussels", "<mark>NATO</mark>"),
        # the forms a proximity, a wildcard or a fuzzy word matched (issue 15.1)
        ("conseil NEAR/3 nations", "fr-crimee", None, "des <mark>Nations</mark> unies"),
        ("manif*ions", "fr-crimee", None, "Les <mark>manifestations</mark> se"),
        ("Crimea~", "fr-crimee", "La <mark>Crimée</mark> sous tension", "en <mark>Crimée</mark>"),
    ],
)
def test_highlights_as_written(
    archive: Archive, query: str, article: str, title_html: str | None, in_snippet: str
):
    hits = {h["id"]: h for h in archive.search(query).to_dict()["hits"]}
    hit = hits[article]
    if title_html is not None:
        assert hit["title_html"] == title_html
    assert in_snippet in hit["snippet"]


@pytest.mark.parametrize(
    ("query", "suggestion"),
    [
        ("Simferopl", "Simferopol"),
        ("Simferopl port", "Simferopol port"),
        ("Simferopl OR Crimee", None),  # respelled, it finds nothing more
        ("manifestation", None),  # a word of the archive (stemmed), however few its hits
    ],
)
def test_suggestions_find_more(archive: Archive, query: str, suggestion: str | None):
    """Issue 16.5: a suggestion finds more than the query, in the query's language."""
    result = archive.search(query)
    assert result.suggestion == suggestion
    if suggestion is not None:
        assert archive.search(suggestion).total > result.total


def test_facets(archive: Archive):
    facets = archive.search("port").to_dict()["facets"]
    assert facets == {
        "lang": [{"value": "fr", "count": 3}, {"value": "en", "count": 2}],
        "source": [
            {"value": "Le Monde", "count": 2},
            {"value": "Harbour Gazette", "count": 1},
            {"value": "Libération", "count": 1},
            {"value": "Reuters", "count": 1},
        ],
        "year": [
            {"value": "2014", "count": 1},
            {"value": "2015", "count": 2},
            {"value": "2016", "count": 1},
        ],
        "month": [
            {"value": "2014-03", "count": 1},
            {"value": "2015-06", "count": 2},
            {"value": "2016-02", "count": 1},
        ],
    }


@pytest.mark.parametrize("query", ["central bank", "rates", "inflation"])
def test_collapse(archive: Archive, query: str):
    collapsed = archive.search(query)
    assert collapsed.total == 1 and len(collapsed.hits) == 1
    assert collapsed.hits[0].id in {"wire-1", "wire-2"}
    assert collapsed.hits[0].cluster_size == 2
    # a facet counts the stories that have a copy there (what clicking it would show)
    assert {f.value: f.count for f in collapsed.facets["source"]} == {
        "Daily Herald": 1,
        "Reuters": 1,
    }
    every = archive.search(query, collapse=False)
    assert every.total == 2 and {h.id for h in every.hits} == {"wire-1", "wire-2"}
    assert all(h.cluster_size == 1 for h in every.hits)


@pytest.mark.parametrize(
    "options", [{"lang": "en"}, {"filters": (("year", "2017"),)}, {"q_extra": " lang:en"}]
)
def test_collapse_holds_under_filters(archive: Archive, options: dict):
    # Whoosh's own CollapseCollector silently stops collapsing under a filter.
    options = dict(options)  # the parameter is shared by both backends' runs
    extra = options.pop("q_extra", "")
    result = archive.search("central bank" + extra, **options)
    assert result.total == 1 and [h.cluster_size for h in result.hits] == [2]


@pytest.mark.parametrize(
    ("sort", "pages"),
    [
        ("newest", [["fr-manifestant", "en-nato"], ["fr-otan", "fr-crimee"], ["en-undated"], []]),
        ("oldest", [["fr-crimee", "fr-otan"], ["en-nato", "fr-manifestant"], ["en-undated"], []]),
    ],
)
def test_paging(archive: Archive, sort: str, pages: list[list[str]]):
    for number, expected in enumerate(pages, start=1):
        result = archive.search("port", sort=sort, limit=2, page=number)
        assert [h.id for h in result.hits] == expected, number
        assert (result.total, result.page_count) == (5, 3)
        assert all(isinstance(h.to_dict()["score"], float) for h in result.hits)


def test_relevance_pages_do_not_overlap(archive: Archive):
    seen = [h.id for p in (1, 2, 3) for h in archive.search("port", limit=2, page=p).hits]
    assert sorted(seen) == sorted(HITS["port -otan"] | {"fr-otan"})


@pytest.mark.parametrize("sort", ["relevance", "newest", "oldest"])
@pytest.mark.parametrize("collapse", [True, False])
def test_export_pages_through_every_hit_once(
    archive: Archive, sort: str, collapse: bool, monkeypatch: pytest.MonkeyPatch
):
    """An export (the CSV) gives every hit of the search once, in the page's order, also
    when it takes several round trips (OpenSearch: search_after, or from/size collapsed)."""
    request = SearchRequest(q="port OR crimée OR banque", sort=sort, collapse=collapse).validate()
    whole = [row.id for row in archive.backend.export_rows(request)]
    monkeypatch.setattr("engines.opensearch.engine.EXPORT_PAGE", 2)
    paged = [row.id for row in archive.backend.export_rows(request)]
    listed = archive.ids(request.q, sort=sort, collapse=collapse)
    assert len(whole) >= 5 and len(set(whole)) == len(whole)
    assert paged == whole == listed
    assert [row.id for row in archive.backend.export_rows(request, limit=3)] == whole[:3]


def test_languages_of_the_archive(archive: Archive):
    counts = Counter(json.loads(line)["lang"] for line in CORPUS.read_text().splitlines())
    assert archive.backend.languages() == sorted(counts, key=lambda c: (-counts[c], c))
    assert len(counts) >= 2


def test_a_42_word_query_searches_the_same_first_16_clauses(archive: Archive):
    """Both engines search the clauses the parser kept (the first 16 distinct ones) and say
    so: "otan" is the 3rd word and is searched, "election" the 30th and is not."""
    words = [f"zq{n}x" for n in range(42)]
    words[2], words[29] = "otan", "election"
    result = archive.search(" OR ".join(words), collapse=False, limit=100)
    assert [h.id for h in result.hits] == ["fr-otan"]
    assert result.notice == "Only the first 16 words and phrases were searched."
    assert [n.params for n in result.notices] == [{"limit": 16}]
    assert archive.ids("otan OR election", collapse=False) != ["fr-otan"]  # both match alone


def test_a_wildcard_that_matches_no_word_is_searched_as_written(archive: Archive):
    """``nations*unies`` matches no word of the archive (a dataset that writes its figures
    ``USD*NUMBER*`` gets such queries): both engines search its words as written, in a
    proximity and an exclusion too, and say so."""
    result = archive.search("nations*unies", collapse=False)
    assert [h.id for h in result.hits] == ["fr-crimee"]
    assert [(n.template, n.params) for n in result.notices] == [
        (WILDCARD_LITERAL, {"form": "nations*unies"})
    ]
    assert archive.ids("conseil NEAR/3 nations?unies", collapse=False) == ["fr-crimee"]
    assert set(archive.ids("port -nations*unies", collapse=False)) == {
        "fr-otan", "fr-manifestant", "en-nato", "en-undated",
    }  # fmt: skip
    matched = archive.search("m?nifestant", collapse=False)
    assert [h.id for h in matched.hits] == ["fr-manifestant"] and not matched.notices


def test_suggestion(archive: Archive):
    result = archive.search("Simferopl")
    assert result.total == 0 and result.suggestion == "Simferopol"
    assert archive.search("Crimee").suggestion is None


def test_more_like_this_never_shows_the_article_or_its_copies(archive: Archive):
    wire = archive.backend.get_article("wire-1")
    assert wire is not None and wire.cluster == "wire-1"
    assert not {s.id for s in archive.backend.more_like_this(wire)} & {"wire-1", "wire-2"}
    crimea = archive.backend.get_article("fr-crimee")
    assert crimea is not None
    similar = archive.backend.more_like_this(crimea)
    assert similar and all(s.lang == "fr" and s.id != "fr-crimee" for s in similar)


def test_counts_and_health(archive: Archive):
    assert archive.backend.doc_count() == 8
    health = archive.backend.health()
    assert (health.status, health.articles) == ("ok", 8)


def test_incremental_updates_and_deletes(empty_archive: Archive, tmp_path):
    from builders import write_jsonl

    folder = tmp_path / "news"
    folder.mkdir()
    first = [
        {"id": "q1", "lang": "fr", "title": "Le phare rallumé", "text": "Le phare brille."},
        {"id": "q2", "lang": "en", "title": "Ferry delayed", "text": "The ferry is late."},
    ]
    path = write_jsonl(folder / "a.jsonl", first)
    report = empty_archive.index(folder)
    assert (report.added, empty_archive.backend.doc_count()) == (2, 2)
    assert empty_archive.index(folder).unchanged == 2  # nothing changed: nothing written
    changed = [{**first[0], "title": "Le sémaphore rallumé"}, first[1]]
    write_jsonl(path, changed)
    report = empty_archive.index(folder)
    assert (report.updated, report.unchanged) == (1, 1)
    assert empty_archive.ids("semaphore") == ["q1"] and empty_archive.ids("phare") == ["q1"]
    assert empty_archive.ids("title:phare") == []
    write_jsonl(path, [changed[0]])  # q2 left the file: deleted
    report = empty_archive.index(folder)
    assert report.deleted == 1 and empty_archive.ids("ferry") == []
    assert empty_archive.backend.get_article("q2") is None
    path.unlink()
    report = empty_archive.index(folder, prune=True)
    assert report.deleted == 1 and empty_archive.backend.doc_count() == 0


def test_learned_boilerplate_is_removed_on_the_second_pass(empty_archive: Archive, tmp_path):
    from builders import write_jsonl
    from index.learned import MIN_ARTICLES

    promo = "Subscribe to the Daily Bugle newsletter for more stories like this."
    topics = ["harbour", "bridge", "museum", "election", "orchestra", "rainfall", "library"]
    records = [
        {
            "id": f"bugle-{i}",
            "lang": "en",
            "source": "Daily Bugle",
            "title": f"News about the {topic}",
            "text": f"The {topic} story opens with a long paragraph about the {topic} and what "
            f"the council decided on Monday.\n\nMore details about the {topic}.\n\n{promo}",
        }
        for i, topic in enumerate(topics)
    ]
    report = empty_archive.index(write_jsonl(tmp_path / "bugle.jsonl", records))
    assert (report.added, report.relearned) == (7, MIN_ARTICLES - 1)
    assert empty_archive.ids("newsletter") == []
    assert len(empty_archive.ids("details")) == 7


def test_a_job_stopped_after_a_commit_by_time_keeps_its_articles(empty_archive: Archive, tmp_path):
    """Issue 14.3 on every engine: commits by time, each with its manifest of files done."""
    from builders import write_jsonl

    folder = tmp_path / "news"
    folder.mkdir()
    for number in range(3):
        records = [
            {"id": f"t{number}-{i}", "lang": "en", "title": f"Tide table {number} {i}",
             "text": f"High tide {number} {i} at the harbour."}
            for i in range(2)
        ]  # fmt: skip
        write_jsonl(folder / f"t{number}.jsonl", records)

    def stop_after_two_files(report, done, total):
        if done == 2:
            raise RuntimeError("killed")

    with pytest.raises(RuntimeError):
        empty_archive.backend.index_paths(
            [folder], commit_seconds=0, progress=stop_after_two_files, parse_workers=1
        )
    assert empty_archive.backend.doc_count() == 4
    assert len(empty_archive.ids("harbour")) == 4
    again = empty_archive.index(folder)
    assert (again.files_skipped, again.added, again.unchanged) == (2, 2, 4)
    assert empty_archive.backend.doc_count() == 6


def test_the_original_takes_the_best_place_among_copies_that_score_alike(
    empty_archive: Archive, tmp_path: Path
):
    # the re-sent copy's shorter title scores a little higher (search/copies.py)
    empty_archive.index(write_jsonl(tmp_path / "wire.jsonl", WIRE_COPIES))
    query = "close harbour bridge repairs"
    every = empty_archive.search(query, collapse=False)
    assert [h.id for h in every.hits] == ["original", "resent"]
    assert every.hits[0].score >= every.hits[1].score
    assert [(h.id, h.cluster_size) for h in empty_archive.search(query).hits] == [("original", 2)]
