"""index.analysis: golden tokens, offsets, pickling, query mode, explain, and a real index."""

from __future__ import annotations

import pickle
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import snowballstemmer
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import index as whoosh_index
from whoosh.fields import ID, TEXT, Schema
from whoosh.qparser import QueryParser

from index.analysis import (
    ANALYSIS_VERSION,
    LANGS,
    analyze,
    analyzer_for,
    explain,
    lang_key,
)
from index.analysis.filters import fold, load_stopwords, normalize_apostrophes

DATA = Path(__file__).resolve().parent.parent / "data"
CHAINS = [(lang, exact) for lang in LANGS for exact in (False, True)]
CHAIN_IDS = [f"{lang}-{'exact' if exact else 'stemmed'}" for lang, exact in CHAINS]
_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


def _golden_rows() -> list:
    rows = []
    for lang in ("fr", "en"):
        path = DATA / f"golden_tokens_{lang}.tsv"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            source, stemmed, *rest = line.split("\t")
            text = _ESCAPE.sub(lambda m: chr(int(m[1], 16)), source)
            exact = rest[0].split() if rest else None
            rows.append(pytest.param(lang, text, stemmed.split(), exact, id=f"{lang}:{n}:{source}"))
    return rows


@pytest.mark.parametrize(("lang", "text", "stemmed", "exact"), _golden_rows())
def test_golden_tokens(lang: str, text: str, stemmed: list[str], exact: list[str] | None) -> None:
    assert analyze(text, lang) == stemmed
    if exact is not None:
        assert analyze(text, lang, exact=True) == exact


def test_golden_tables_cover_the_hard_cases() -> None:
    fr = (DATA / "golden_tokens_fr.tsv").read_text(encoding="utf-8")
    for case in ("l'", "l’", "d'", "d’", "qu'", "qu’", "jusqu'", "jusqu’", "lorsqu'", "lorsqu’"):
        assert case in fr, case
    for case in ("aujourd'hui", "œ", "æ", "OTAN-Russie", "\\u00ad", "Crimee", "Sergueï"):
        assert case in fr, case


# -- the API ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "key"),
    [
        ("fr", "fr"), ("FR", "fr"), ("fr-CA", "fr"), ("fr_BE", "fr"), ("fra", "fr"),
        ("en", "en"), ("en-GB", "en"), ("eng", "en"), ("de", "xx"), ("xx", "xx"),
        ("", "xx"), (None, "xx"), ("zz-Latn", "xx"),
    ],
)  # fmt: skip
def test_lang_key(code: str | None, key: str) -> None:
    assert lang_key(code) == key


def test_registry_shape() -> None:
    assert LANGS == ("fr", "en", "xx")
    assert isinstance(ANALYSIS_VERSION, int)
    assert analyzer_for("fr") is analyzer_for("fr-FR")
    assert analyzer_for("de") is analyzer_for("xx")
    assert analyzer_for("fr") is not analyzer_for("fr", exact=True)


def test_fallback_folds_and_lowercases_without_stemming_or_stop_words() -> None:
    assert analyze("Les Élections à München", "de") == ["les", "elections", "a", "munchen"]
    assert analyze("Les Élections", "xx", exact=True) == ["les", "elections"]


def test_other_scripts_stay_whole_and_cjk_splits_into_characters() -> None:
    assert analyze("हिन्दी 한국어 Ελλάδα", "xx") == ["हिन्दी", "한국어", "ελλαδα"]
    assert analyze("東京", "xx") == ["東", "京"]


@pytest.mark.parametrize(("lang", "exact"), CHAINS, ids=CHAIN_IDS)
def test_explain_stages_end_with_analyze(lang: str, exact: bool) -> None:
    text = "Les manœuvres de l’OTAN en Crimée, pre\u00admier 1,2 Obama's"
    stages = explain(text, lang, exact=exact)
    assert stages[0][0] == "tokenize"
    assert [t["text"] for t in stages[-1][1]] == analyze(text, lang, exact=exact)
    for _, tokens in stages:
        for token in tokens:
            assert set(token) == {"text", "start", "end", "pos"}


def test_explain_french_stage_order() -> None:
    names = [name for name, _ in explain("l'été", "fr")]
    assert names == [
        "tokenize", "apostrophe", "elision", "soft_hyphen", "lowercase", "fold", "stop", "stem",
    ]  # fmt: skip
    exact = [name for name, _ in explain("l'été", "fr", exact=True)]
    assert exact == names[:-2]
    assert [name for name, _ in explain("x", "en")][2] == "possessive"


# -- stop lists ------------------------------------------------------------------------------


def test_french_stop_list_is_french_only_and_keeps_content_words() -> None:
    stops = load_stopwords("fr")
    for word in ("le", "la", "les", "de", "des", "du", "un", "une", "et", "en", "a", "au", "aux"):
        assert word in stops
    for word in ("pour", "par", "sur", "dans", "que", "qui", "ne", "pas", "ce", "se", "sa"):
        assert word in stops
    for word in ("ete", "est", "son", "avions"):  # content words too: summer, east, sound, planes
        assert word not in stops
    for word in ("the", "and", "of", "is", "to"):
        assert word not in stops


def test_english_stop_list_keeps_names() -> None:
    stops = load_stopwords("en")
    assert {"the", "and", "of", "is"} <= stops
    assert not {"us", "who", "may", "le", "les"} & stops


# -- offsets ---------------------------------------------------------------------------------


def _spans(text: str, lang: str, exact: bool = False, **kwargs) -> list[tuple[str, int, int]]:
    tokens = analyzer_for(lang, exact)(text, chars=True, positions=True, **kwargs)
    return [(t.text, t.startchar, t.endchar) for t in tokens]


def test_elision_moves_the_start_past_the_article() -> None:
    text = "Selon l’OTAN et l'UE, jusqu'à Paris"
    spans = _spans(text, "fr")
    assert [text[s:e] for _, s, e in spans] == ["Selon", "OTAN", "UE", "Paris"]


def test_possessive_moves_the_end_back() -> None:
    text = "Obama’s plan"
    assert [text[s:e] for _, s, e in _spans(text, "en")] == ["Obama", "plan"]


def test_soft_hyphen_span_covers_the_whole_word() -> None:
    text = "le pre\u00admier étage"
    assert _spans(text, "fr", exact=True)[1] == ("premier", 3, 11)


def _normalise_span(span: str) -> str:
    return fold(normalize_apostrophes(span).replace("\u00ad", "").lower())


@pytest.mark.parametrize(("lang", "exact"), CHAINS, ids=CHAIN_IDS)
def test_offsets_point_at_the_token_in_the_text(lang: str, exact: bool) -> None:
    text = "L’OTAN-Russie : les manœuvres en Crimée du pre\u00admier ministre, Obama's 1,2 km."
    exact_spans = _spans(text, lang, exact=True)
    for token, start, end in exact_spans:
        assert _normalise_span(text[start:end]) == token
    # The stemmed chain only drops tokens and rewrites their text: same spans, a subset.
    assert {(s, e) for _, s, e in _spans(text, lang, exact)} <= {(s, e) for _, s, e in exact_spans}


@settings(max_examples=300, deadline=None)
@given(text=st.text())
def test_analyzers_never_raise_and_offsets_stay_in_order(text: str) -> None:
    for lang, exact in CHAINS:
        for mode in ("index", "query"):
            previous_end, previous_pos = 0, -1
            tokens = analyzer_for(lang, exact)(text, chars=True, positions=True, mode=mode)
            for t in tokens:
                assert previous_end <= t.startchar < t.endchar <= len(text)
                assert t.pos > previous_pos
                assert t.text
                previous_end, previous_pos = t.endchar, t.pos


@settings(max_examples=100, deadline=None)
@given(text=st.text(alphabet="aàeéèiïoœuüç’'- lLdDqQ\u00ad\u00a0.,19", max_size=40))
def test_exact_spans_normalise_to_their_tokens(text: str) -> None:
    for lang in LANGS:
        for token, start, end in _spans(text, lang, exact=True):
            assert _normalise_span(text[start:end]) == token


@given(text=st.text())
@settings(max_examples=100, deadline=None)
def test_explain_ends_with_analyze_on_any_text(text: str) -> None:
    stages = explain(text, "fr")
    assert [t["text"] for t in stages[-1][1]] == analyze(text, "fr")


def test_empty_and_punctuation_only_inputs() -> None:
    for lang, exact in CHAINS:
        for text in ("", " ", "...", "« — »", "\u00ad", "'", "’’"):
            assert analyze(text, lang, exact=exact) == []
            assert list(analyzer_for(lang, exact)(text, mode="query", chars=True)) == []


# -- query mode ------------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "exact"), CHAINS, ids=CHAIN_IDS)
def test_query_mode_matches_index_mode(lang: str, exact: bool) -> None:
    analyzer = analyzer_for(lang, exact)
    for word in ("Crimée", "Crimee", "l’OTAN", "manœuvres", "running", "Sergueï", "2014"):
        as_query = [t.text for t in analyzer(word, mode="query")]
        assert as_query == [t.text for t in analyzer(word, mode="index")]


def test_query_mode_keeps_stop_words_when_asked() -> None:
    tokens = analyzer_for("fr")("les avions", mode="query", removestops=False)
    assert [(t.text, t.stopped) for t in tokens] == [("les", True), ("avion", False)]


# -- pickling (Whoosh pickles the schema, analyzers included, on every commit) ---------------


def test_pystemmer_is_the_stemmer_under_test() -> None:
    assert type(snowballstemmer.stemmer("french")).__module__ == "Stemmer"


@pytest.mark.parametrize(("lang", "exact"), CHAINS, ids=CHAIN_IDS)
def test_analyzers_pickle_round_trip(lang: str, exact: bool) -> None:
    text = "Les manœuvres de l’OTAN en Crimée ; Obama's runs"
    analyzer = analyzer_for(lang, exact)
    analyze(text, lang, exact)  # stemmers now exist: they must not leak into the state
    clone = pickle.loads(pickle.dumps(analyzer))
    assert clone == analyzer
    assert [t.text for t in clone(text)] == analyze(text, lang, exact)


def test_stemming_from_many_threads() -> None:
    text = "Les coopérations sécuritaires aux frontières de la Crimée " * 50
    expected = analyze(text, "fr")
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: analyze(text, "fr"), range(16)))
    assert all(result == expected for result in results)


# -- a real Whoosh index ---------------------------------------------------------------------


def test_real_index_folds_elides_and_highlights(tmp_path: Path) -> None:
    schema = Schema(id=ID(stored=True), body=TEXT(analyzer=analyzer_for("fr"), stored=True))
    ix = whoosh_index.create_in(str(tmp_path), schema)
    with ix.writer() as writer:
        writer.add_document(id="crimea", body="Les manœuvres russes en Crimée.")
        writer.add_document(id="otan", body="Le sommet de l'OTAN s'ouvre à Bruxelles.")
        writer.add_document(id="summer", body="Les avions de l'été sont arrivés.")
    ix = whoosh_index.open_dir(str(tmp_path))  # the unpickled schema from disk
    parser = QueryParser("body", ix.schema)
    with ix.searcher() as searcher:

        def ids(query: str) -> list[str]:
            return [hit["id"] for hit in searcher.search(parser.parse(query))]

        assert ids("Crimee") == ["crimea"]
        assert ids("manoeuvre") == ["crimea"]
        assert ids("l’OTAN") == ["otan"]
        assert ids("otan") == ["otan"]
        assert ids('"avions de l’ete"') == ["summer"]
        hit = searcher.search(parser.parse("l’OTAN"))[0]
        assert "l'<b" in hit.highlights("body")
