"""The parser builds one query tree for every engine: caps, de-duplication and notices."""

from __future__ import annotations

from datetime import datetime

from search.notices import TOO_MANY_CLAUSES, TOO_MANY_PREFIXES, Notice
from search.parse import MAX_CLAUSES, MAX_EXPANSIONS_TOTAL, parse_query
from search.tree import AnyOf, DateRange, LangIs, Phrase, Prefix, SourceIs, Word


def test_words_phrases_fields_negations_and_filters():
    tree = parse_query('otan "conseil de sécurité" title:paix -guerre lang:FR source:Le_Monde')
    assert tree.must == [Word("otan"), Phrase("conseil de sécurité"), Word("paix", "title")]
    assert tree.must_not == [Word("guerre")]
    assert tree.filters == [LangIs("fr"), SourceIs(("le", "monde"))]
    assert tree.langs == ["fr"] and tree.notices == []


def test_or_groups_the_clauses_it_joins():
    tree = parse_query("otan OR nato OR alliance russie")
    assert tree.must == [AnyOf((Word("otan"), Word("nato"), Word("alliance"))), Word("russie")]


def test_dates_become_ranges():
    tree = parse_query("date:2012-05..2012-06 after:2010 port")
    assert tree.filters == [
        DateRange(datetime(2012, 5, 1), datetime(2012, 6, 30, 23, 59, 59)),
        DateRange(datetime(2010, 1, 1), None),
    ]


def test_clauses_are_capped_once_with_one_notice():
    words = [f"w{n}" for n in range(42)]
    tree = parse_query(" ".join(words))
    assert tree.must == [Word(w) for w in words[:MAX_CLAUSES]]
    assert tree.notices == [Notice(TOO_MANY_CLAUSES, {"limit": MAX_CLAUSES})]
    assert tree.notice == "Only the first 16 words and phrases were searched."


def test_repeated_words_count_once():
    tree = parse_query("Obama obama OBAMA -obama -Obama")
    assert tree.must == [Word("Obama")] and tree.must_not == [Word("obama")]


def test_prefixes_expand_from_the_vocabulary_within_the_caps():
    def expand(prefix: str):
        return (f"{prefix}{n}" for n in range(1000))

    tree = parse_query("a* b* c*", expand=expand)
    sizes = [len(p.expansions or ()) for p in tree.must if isinstance(p, Prefix)]
    assert sizes == [200, 200] and sum(sizes) == MAX_EXPANSIONS_TOTAL
    assert Notice(TOO_MANY_PREFIXES, {"stem": "c"}) in tree.notices
    assert parse_query("otan*").must == [Prefix("otan", "otan")]  # the engine expands it


def test_nothing_to_search_is_dropped():
    assert parse_query("§ OR otan").must == [Word("otan")]
    assert parse_query("title:§").must == []
