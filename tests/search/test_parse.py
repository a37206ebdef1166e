"""The parser builds one query tree for every engine: caps, de-duplication and notices."""

from __future__ import annotations

from datetime import datetime

from search.notices import (
    DISTANCE_CAPPED,
    NEAR_ALONE,
    NOT_A_DISTANCE,
    NOT_FUZZY,
    PATTERN_CAPPED,
    TOO_MANY_CLAUSES,
    TOO_MANY_PATTERNS,
    TOO_MANY_PREFIXES,
    WALK_CAPPED,
    WILDCARD_LITERAL,
    Notice,
)
from search.parse import (
    DEFAULT_DISTANCE,
    MAX_CLAUSES,
    MAX_DISTANCE,
    MAX_EXPANSIONS_TOTAL,
    literal_wildcards,
    parse_query,
)
from search.tree import (
    AnyOf,
    DateRange,
    Fuzzy,
    LangIs,
    Near,
    Phrase,
    Prefix,
    SourceIs,
    Wildcard,
    Word,
)


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


def test_a_star_alone_means_every_article():
    assert parse_query("*").every and parse_query("*").must == []
    assert parse_query("** lang:fr").every
    tree = parse_query("* -otan")
    assert tree.every and tree.must_not == [Word("otan")]
    assert parse_query("otan OR *").must == [] and parse_query("otan OR *").every
    assert parse_query("* OR otan russie").must == [Word("russie")]
    assert not parse_query("-*").every and not parse_query('"*"').every
    assert not parse_query("otan").every


def test_proximity_as_quoted_words_with_a_distance():
    assert parse_query('"otan russie"~3').must == [Near((Word("otan"), Word("russie")), 3)]
    assert parse_query('"otan russie"~').must == [Near((Word("otan"), Word("russie")), 5)]
    # the words are analysed as in phrases: a hyphenated word is two parts
    tree = parse_query('"Conseil OTAN-Russie"~0')
    assert tree.must == [Near((Word("conseil"), Word("otan"), Word("russie")), 0)]
    assert parse_query('"otan"~3').must == [Word("otan")]  # one word: nothing to be near


def test_near_is_an_operator_that_chains():
    assert parse_query("otan NEAR/3 russie").must == [Near((Word("otan"), Word("russie")), 3)]
    assert parse_query("otan near/2 russie").must == [Near((Word("otan"), Word("russie")), 2)]
    assert parse_query("otan NEAR russie").must == [Near((Word("otan"), Word("russie")), 5)]
    chained = parse_query("otan NEAR/3 russie NEAR/1 sommet lang:fr")
    inner = Near((Word("otan"), Word("russie")), 3)
    assert chained.must == [Near((inner, Word("sommet")), 1)]
    # a field is dropped inside a proximity (it is matched on the whole article)
    assert parse_query("title:otan NEAR/1 russie").must == [Near((Word("otan"), Word("russie")), 1)]
    assert parse_query("the ship sailed near the coast").must[3] == Word("near")


def test_wildcards_inside_a_proximity_are_expanded():
    def expand(prefix: str):
        return (w for w in ("ministre", "ministres", "minuit") if w.startswith(prefix))

    tree = parse_query('"minist* sécurité"~4', expand=expand)
    assert tree.must == [
        Near((Prefix("minist", "minist", ("ministre", "ministres")), Word("securite")), 4)
    ]
    tree = parse_query("m?n*stre NEAR sécurité", expand=expand)
    assert tree.must[0].parts[0] == Wildcard("m?n*stre", "m?n*stre", ("ministre",))


def test_malformed_proximities_degrade_with_a_notice():
    tree = parse_query('"otan russie"~x')
    assert tree.must == [Near((Word("otan"), Word("russie")), DEFAULT_DISTANCE)]
    assert tree.notices == [
        Notice(NOT_A_DISTANCE, {"form": "~x", "limit": MAX_DISTANCE, "default": 5})
    ]
    assert parse_query("otan NEAR/² russie").notices[0].template == NOT_A_DISTANCE
    tree = parse_query("otan NEAR/99 russie")
    assert tree.must == [Near((Word("otan"), Word("russie")), MAX_DISTANCE)]
    assert tree.notices == [Notice(DISTANCE_CAPPED, {"form": "NEAR/99", "limit": 50})]
    for query in ("NEAR/3 otan", "otan NEAR", "otan NEAR -russie", "otan OR nato NEAR russie"):
        tree = parse_query(query)
        assert not any(isinstance(c, Near) for c in tree.must), query
        assert [n.template for n in tree.notices] == [NEAR_ALONE], query
    assert "NEAR" in str(parse_query("otan NEAR/2").notices[0])


def test_fuzzy_words_allow_one_edit_or_two_from_eight_letters():
    assert parse_query("Poutine~").must == [Fuzzy("Poutine", "poutine", 1)]
    assert parse_query("Coopération~").must == [Fuzzy("Coopération", "cooperation", 2)]
    assert parse_query("otan~2").must == [Fuzzy("otan", "otan", 2)]
    assert parse_query("otan~1").must == [Fuzzy("otan", "otan", 1)]
    tree = parse_query("otan~7")
    assert tree.must == [Word("otan")]
    assert tree.notices == [Notice(NOT_FUZZY, {"form": "otan~7"})]


def test_fuzzy_expansions_come_from_the_vocabulary_within_the_caps():
    seen = []

    def within(word: str, edits: int):
        seen.append((word, edits))
        return (f"{word}{n}" for n in range(300))

    tree = parse_query("Crimée~ otan~2 russie~", within=within)
    assert seen == [("crimee", 1), ("otan", 2)]
    sizes = [len(c.expansions) for c in tree.must if isinstance(c, Fuzzy)]
    assert sizes == [200, 200]
    assert Notice(PATTERN_CAPPED, {"form": "Crimée~", "limit": 200}) in tree.notices
    assert Notice(TOO_MANY_PATTERNS, {"form": "russie~"}) in tree.notices


def test_wildcards_anywhere_in_a_word():
    assert parse_query("coop*ration").must == [Wildcard("coop*ration", "coop*ration")]
    assert parse_query("M?nistre").must == [Wildcard("M?nistre", "m?nistre")]
    assert parse_query("*ansk").must == [Wildcard("*ansk", "*ansk")]
    assert parse_query("Poutine?").must == [Word("Poutine?")]  # a question, not a wildcard
    assert parse_query("otan*").must == [Prefix("otan", "otan")]
    assert parse_query("?* *?").must == [] and not parse_query("?* *?").notices

    def expand(prefix: str):
        vocabulary = ("cooperation", "cooperatives", "coordination", "l'cooperation")
        return (w for w in vocabulary if w.startswith(prefix))

    tree = parse_query("coop*ation", expand=expand)  # after an elided article too
    assert tree.must == [Wildcard("coop*ation", "coop*ation", ("cooperation", "l'cooperation"))]

    def many(prefix: str):
        return (f"{prefix}x{n}a" for n in range(500))

    tree = parse_query("b*a", expand=many)
    assert len(tree.must[0].expansions) == 200
    assert tree.notices == [Notice(PATTERN_CAPPED, {"form": "b*a", "limit": 200})]


def test_patterns_starting_with_a_wildcard_walk_a_capped_part_of_the_vocabulary(monkeypatch):
    import search.parse

    walked = []

    def expand(prefix: str):
        for n in range(10_000):
            walked.append(n)
            yield f"{prefix}w{n:05d}"

    monkeypatch.setattr(search.parse, "MAX_WALKED", 1000)
    tree = parse_query("*99 *98", expand=expand)
    assert [c.expansions for c in tree.must] == [("w00099", "w00199", "w00299", "w00399",
        "w00499", "w00599", "w00699", "w00799", "w00899", "w00999"), ()]  # fmt: skip
    assert len(walked) <= 1002  # each walk stops at its first word past the budget
    assert tree.notices == [
        Notice(WALK_CAPPED, {"form": "*99", "limit": 1000}),
        Notice(WALK_CAPPED, {"form": "*98", "limit": 1000}),
    ]


def _vocabulary(*words: str):
    def expand(prefix: str):
        return (w for w in sorted(words) if w.startswith(prefix))

    return expand


def test_a_wildcard_that_matches_no_word_is_searched_as_written():
    """``USD*NUMBER`` in a dataset that writes its figures ``USD*NUMBER*``: no indexed word
    matches the pattern, so the word is searched as written (its tokens usd, number), and the
    notice says so."""
    expand = _vocabulary("usd", "number", "numbers", "novia")
    tree = parse_query("novia USD*NUMBER", expand=expand)
    assert tree.must == [Word("novia"), Word("USD*NUMBER")]
    assert tree.notices == [Notice(WILDCARD_LITERAL, {"form": "USD*NUMBER"})]
    assert "USD*NUMBER" in str(tree.notices[0])
    # the same inside a proximity, an OR group and an exclusion
    tree = parse_query("novia NEAR/3 usd?number OR n?via -x*y", expand=expand)
    near = Near((Word("novia"), Word("usd?number")), 3)
    assert tree.must == [AnyOf((near, Wildcard("n?via", "n?via", ("novia",))))]
    assert tree.must_not == [Word("x*y")]
    assert [n.params["form"] for n in tree.notices] == ["usd?number", "x*y"]


def test_a_wildcard_that_matches_a_word_is_not_taken_literally():
    tree = parse_query("num*er", expand=_vocabulary("usd", "number"))
    assert tree.must == [Wildcard("num*er", "num*er", ("number",))] and tree.notices == []
    # nothing to search as written either (no token): the empty wildcard stays, quiet
    tree = parse_query("_*_", expand=_vocabulary("usd"))
    assert tree.must == [Wildcard("_*_", "_*_", ())] and tree.notices == []


def test_the_literal_fallback_for_an_engine_that_expands_wildcards_itself():
    """Without a vocabulary the parser leaves wildcards to the engine; ``literal_wildcards``
    replaces those the engine says match nothing, asking once per wildcard."""
    tree = parse_query("coop*ration usd*number -usd*number m?nistre NEAR/2 usd*number")
    asked = []

    def matches(node: Wildcard) -> bool:
        asked.append(node.text)
        return node.text != "usd*number"

    tree = literal_wildcards(tree, matches)
    assert asked == ["coop*ration", "usd*number", "m?nistre"]
    assert tree.must == [
        Wildcard("coop*ration", "coop*ration"),
        Word("usd*number"),
        Near((Wildcard("m?nistre", "m?nistre"), Word("usd*number")), 2),
    ]
    assert tree.must_not == [Word("usd*number")]
    assert tree.notices == [Notice(WILDCARD_LITERAL, {"form": "usd*number"})]
    unchanged = literal_wildcards(parse_query("coop*ration"), lambda node: True)
    assert unchanged.must == [Wildcard("coop*ration", "coop*ration")] and not unchanged.notices
