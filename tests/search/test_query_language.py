"""The query language on a small hand-made corpus: each operator changes the hits as documented."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builders import write_jsonl
from engines import index_paths
from engines.opensearch.compile import text_query
from engines.whoosh.compile import compile_tree
from engines.whoosh.execute import run_search
from engines.whoosh.schema import build_schema
from engines.whoosh.scoring import weighting
from engines.whoosh.writer import open_index
from search.notices import WILDCARD_LITERAL
from search.parse import normalize_query, parse_query
from search.request import SearchRequest

DOCS = [
    {
        "id": "manif",
        "lang": "fr",
        "source": "Le Monde",
        "date": "2012-05-03",
        "title": "Les manifestations continuent à Paris",
        "text": "Des milliers de personnes ont défilé contre la réforme. L'OTAN n'est pas citée.",
    },
    {
        "id": "manifestant",
        "lang": "fr",
        "source": "Libération",
        "date": "2012-11-20",
        "title": "Un manifestant interpellé",
        "text": "Un manifestant a été interpellé près de la gare en fin de journée.",
    },
    {
        "id": "otan",
        "lang": "fr",
        "source": "Le Monde",
        "date": "2015-02-01",
        "title": "Réunion de l’OTAN à Bruxelles",
        "text": "Les ministres de l’OTAN se sont réunis pour parler de sécurité en Europe.",
    },
    {
        "id": "nato",
        "lang": "en",
        "source": "Reuters",
        "date": "2015-03-10",
        "title": "NATO ministers meet in Brussels",
        "text": "NATO defence ministers met to discuss security in Europe and Stoltenberg spoke.",
    },
    {
        "id": "nodate",
        "lang": "en",
        "source": "Reuters",
        "date": None,
        "title": "Harvest season begins",
        "text": "Farmers began the harvest early this year because of the dry summer.",
    },
]


@pytest.fixture(scope="module")
def ix_dir(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("ql")
    index_paths([write_jsonl(base / "d.jsonl", DOCS)], base / "ix")
    return base / "ix"


def run(ix_dir: Path, q: str, **kw):
    with open_index(ix_dir).searcher(weighting=weighting()) as s:
        return run_search(s, SearchRequest(q=q, **kw).validate())


def ids(ix_dir: Path, q: str, **kw) -> set[str]:
    return {h.id for h in run(ix_dir, q, **kw).hits}


def test_unquoted_words_match_stems_and_exact_ranks_first(ix_dir):
    result = run(ix_dir, "manifestations")
    assert [h.id for h in result.hits] == ["manif", "manifestant"]


def test_quoted_word_matches_only_the_exact_form(ix_dir):
    assert ids(ix_dir, '"manifestations"') == {"manif"}
    assert ids(ix_dir, "«manifestations»") == {"manif"}


def test_or_and_not(ix_dir):
    assert ids(ix_dir, "otan OR nato") == {"otan", "nato", "manif"}
    assert ids(ix_dir, "otan -réforme") == {"otan"}
    assert ids(ix_dir, "otan NOT réforme") == {"otan"}


def test_title_field(ix_dir):
    assert ids(ix_dir, "title:otan") == {"otan"}


def test_lang_and_source_filters(ix_dir):
    assert ids(ix_dir, "ministers lang:en") == {"nato"}
    assert ids(ix_dir, "otan source:monde") == {"otan", "manif"}
    assert ids(ix_dir, "source:reuters") == {"nato", "nodate"}


def test_date_ranges(ix_dir):
    assert ids(ix_dir, "manifestant date:2012-05..2012-11") == {"manif", "manifestant"}
    assert ids(ix_dir, "manifestant date:2012-11") == {"manifestant"}
    assert ids(ix_dir, "security after:2015-03-01") == {"nato"}
    assert ids(ix_dir, "sécurité before:2015-02-28") == {"otan"}


def test_prefix_is_folded(ix_dir):
    assert ids(ix_dir, "Brux*") == {"otan"}
    assert ids(ix_dir, "sécu*") == {"otan", "nato"}


def test_malformed_queries_degrade_with_a_notice(ix_dir):
    result = run(ix_dir, "otan date:someday")
    assert {h.id for h in result.hits} == {"otan", "manif"}
    assert "date" in result.notice
    unclosed = run(ix_dir, '"ministres de')
    assert unclosed.notice and "quote" in unclosed.notice
    assert run(ix_dir, "foo:otan").notice


def test_facets_count_the_matches(ix_dir):
    facets = run(ix_dir, "otan OR nato OR manifestant").facets
    assert {f.value: f.count for f in facets["lang"]} == {"fr": 3, "en": 1}
    assert [f.value for f in facets["year"]] == ["2012", "2015"]
    assert {f.value: f.count for f in facets["month"]}["2012-11"] == 1


def test_facet_filter(ix_dir):
    assert ids(ix_dir, "otan OR nato", filters=(("source", "Reuters"),)) == {"nato"}
    assert ids(ix_dir, "otan OR nato", filters=(("year", "2012"),)) == {"manif"}


def test_did_you_mean(ix_dir):
    result = run(ix_dir, "Stoltenbreg")
    assert result.total == 0 and result.suggestion == "Stoltenberg"
    assert run(ix_dir, "Stoltenberg").suggestion is None


def test_sort_newest_puts_undated_last(ix_dir):
    order = [h.id for h in run(ix_dir, "source:reuters", sort="newest").hits]
    assert order == ["nato", "nodate"]


SCHEMA = build_schema()
QUERY_CHARS = st.sampled_from(list("ab \"«»-*:()OR NOT é’'\\\x00"))


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(max_size=60),
        st.lists(QUERY_CHARS, max_size=30).map("".join),
        st.sampled_from(["lang:", "date:..", 'title:"', "-", "OR OR", "a*", "NOT"]),
        st.lists(
            st.sampled_from(["a", "b~", "~2", "NEAR", "NEAR/x", "near/3", "?", "*", '"', "-"]),
            max_size=12,
        ).map(" ".join),
    )
)
def test_parser_never_raises_and_notices_explain_degradation(text):
    parsed = parse_query(text)
    assert parsed.text == normalize_query(text)
    cleaned = normalize_query(text)
    # The notice says exactly what was degraded: an unclosed quote, an unknown field.
    assert ("quote" in (parsed.notice or "")) == (cleaned.count('"') % 2 == 1)
    for field in re.findall(r"(?:^|\s)-?(\w+):(?=[^\s\"])", cleaned.split('"')[0]):
        if field.lower() not in (
            "lang",
            "source",
            "date",
            "after",
            "before",
            "title",
            "lead",
            "body",
        ):
            assert f"“{field}:”" in (parsed.notice or "")
    # both engines compile whatever the parser made of it
    compile_tree(parsed, SCHEMA)
    json.dumps(text_query(parsed))


def test_a_prefix_finds_all_that_the_whole_word_finds_on_the_sample(sample_index):
    """Issue 16.1: ``otan*`` missed ``l'OTAN`` written with a straight apostrophe."""
    for word in ("otan", "OTAN", "ministre", "Syrie", "élection"):
        whole = ids(sample_index, word, limit=100)
        assert whole, word
        assert whole <= ids(sample_index, f"{word}*", limit=100), word
    assert ids(sample_index, "otan", limit=100) <= ids(sample_index, "ota*", limit=100)


def test_a_prefix_finds_words_after_an_elided_article(ix_dir):
    assert ids(ix_dir, "OTA*") == {"otan", "manif"}  # l’OTAN, L'OTAN


def test_proximity_counts_the_words_between_in_any_order(ix_dir):
    assert ids(ix_dir, "NATO NEAR/0 defence") == {"nato"}
    assert ids(ix_dir, "defence NEAR/0 NATO") == {"nato"}  # any order
    assert ids(ix_dir, '"ministers security"~3') == {"nato"}  # ministers met to discuss security
    assert ids(ix_dir, '"ministers security"~2') == set()
    assert ids(ix_dir, "ministers NEAR/4 security NEAR/1 Europe") == {"nato"}
    assert ids(ix_dir, "ministers NEAR/4 security NEAR/0 harvest") == set()
    # ministres de l’OTAN se sont réunis: four words between
    assert ids(ix_dir, '"minist* réunis"~4') == {"otan"}
    assert ids(ix_dir, '"minist* réunis"~3') == set()
    # with other clauses, and chained with a wildcard part
    assert ids(ix_dir, 'Bruxelles "minist* réunis"~4') == {"otan"}
    assert ids(ix_dir, "Bruxelles OR harvest minist* NEAR/4 réunis NEAR/9 sécu*") == {"otan"}


def test_fuzzy_and_wildcards_find_the_variants(ix_dir):
    assert ids(ix_dir, "Stoltenbreg~") == {"nato"}  # 11 letters: two edits
    assert ids(ix_dir, "Brusels~") == {"nato"}
    assert ids(ix_dir, "Brusels~0") == set()  # not a fuzzy form: searched as typed
    assert ids(ix_dir, "m?nistres") == {"otan"}
    assert ids(ix_dir, "manif*ions") == {"manif"}
    assert ids(ix_dir, "*festant") == {"manifestant"}


def test_a_wildcard_that_matches_no_word_is_searched_as_written(ix_dir):
    """``défilé*contre`` matches no indexed word: its words, as written, find "ont défilé
    contre", and the notice says so; a wildcard that matches a word is not touched."""
    result = run(ix_dir, "défilé*contre")
    assert {h.id for h in result.hits} == {"manif"}
    assert [n.template for n in result.notices] == [WILDCARD_LITERAL]
    assert ids(ix_dir, "défilé*contre NEAR/3 réforme") == {"manif"}
    assert ids(ix_dir, "réforme -défilé*contre") == set()
    assert not run(ix_dir, "manif*ions").notices


def test_malformed_forms_never_fail(ix_dir):
    for query in ('"a b"~', '"a b"~-1', "NEAR/", "NEAR/3", "~", "~~2", "a~b~", "*?*", '"~"~'):
        run(ix_dir, query)
    result = run(ix_dir, "ministres NEAR/x réunis")
    assert {h.id for h in result.hits} == {"otan"} and "NEAR/x" in result.notice


def test_snippets_mark_the_forms_matched(ix_dir):
    (hit,) = run(ix_dir, "manif*ions").hits
    assert "<mark>manifestations</mark>" in hit.to_dict()["title_html"]
    (hit,) = run(ix_dir, "Stoltenbreg~").hits
    assert "<mark>Stoltenberg</mark>" in hit.to_dict()["snippet"]
    (hit,) = run(ix_dir, "ministers NEAR/4 security").hits
    assert {"<mark>ministers</mark>", "<mark>security</mark>"} <= set(
        re.findall(r"<mark>\w+</mark>", hit.to_dict()["snippet"])
    )


def test_a_suggestion_must_find_more_than_the_query(ix_dir):
    assert run(ix_dir, "Stoltenbreg OR harvest").suggestion == "Stoltenberg OR harvest"
    # Stoltenberg is only in the article Brussels already finds: respelling adds nothing
    assert run(ix_dir, "Stoltenbreg OR Brussels").suggestion is None
    # ... and it is English: a French query is not respelled into it
    assert run(ix_dir, "Stoltenbreg OR otan").suggestion is None


def test_suggestions_stay_in_the_query_language_on_the_sample(sample_index):
    """Issue 16.5: ``Poutine`` suggested the English ``Posting``, ``coopérer`` (2 hits)
    suggested ``comparer``."""
    poutine = run(sample_index, "Poutine")
    assert poutine.total == 0 and poutine.suggestion is None
    cooperer = run(sample_index, "coopérer")
    assert cooperer.total == 2 and cooperer.suggestion is None
    # what suggestions are for still works: a typo of a word of the archive
    assert run(sample_index, "Brucelles").suggestion == "Bruxelles"
    typo = run(sample_index, "minstre")
    assert typo.suggestion == "ministre"
    assert run(sample_index, typo.suggestion).total > typo.total
