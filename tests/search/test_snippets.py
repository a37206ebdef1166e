"""Snippets are text + spans; ``to_html`` escapes everything and marks only the spans."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from builders import SAMPLE_DIR
from index.analysis import analyze, analyzer_for, lang_key
from search.snippets import (
    ELLIPSIS,
    Snippet,
    _all_tokens,
    _tokens,
    _word_matches,
    highlight_all,
    make_snippet,
    to_html,
)


def terms(text: str, lang: str = "fr") -> set[str]:
    return set(analyze(text, lang))


def test_marks_words_as_written_not_stems():
    s = make_snippet("Les manifestations ont eu lieu à Paris.", "fr", terms("manifestation"))
    assert to_html(s) == "Les <mark>manifestations</mark> ont eu lieu à Paris."


def test_elision_outside_the_mark():
    s = make_snippet("Il a rejoint l’OTAN hier.", "fr", terms("otan"))
    assert "l’<mark>OTAN</mark>" in to_html(s)


def test_long_text_is_cut_at_word_boundaries_with_ellipses():
    text = " ".join(["mot"] * 200) + " Stoltenberg parle. " + " ".join(["fin"] * 200)
    s = make_snippet(text, "fr", terms("Stoltenberg"), width=120)
    assert s.text.startswith(ELLIPSIS) and s.text.endswith(ELLIPSIS)
    assert len(s.text) <= 122
    inner = s.text.strip(ELLIPSIS)
    assert inner == inner.strip() and " mo " not in f" {inner} "[:5]
    assert to_html(s).count("<mark>Stoltenberg</mark>") == 1


def test_window_prefers_the_passage_with_most_distinct_terms():
    text = "Lavrov " + "x " * 300 + "Lavrov et Stoltenberg se parlent. " + "y " * 300
    s = make_snippet(text, "fr", terms("Lavrov Stoltenberg"), width=150)
    assert "Stoltenberg" in s.text and s.text.count("Lavrov") == 1


def test_no_match_gives_none():
    assert make_snippet("Rien à voir.", "fr", terms("OTAN")) is None


def test_html_in_article_text_is_escaped():
    s = highlight_all('<script>alert("x")</script> OTAN & co', "fr", terms("OTAN"))
    html = to_html(s)
    assert "<script>" not in html
    assert html == "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; <mark>OTAN</mark> &amp; co"


def test_to_html_merges_overlapping_spans():
    assert to_html(Snippet("abcdef", [(0, 3), (2, 4)])) == "<mark>abcd</mark>ef"


def test_cjk_bigrams_highlight_as_one_run():
    s = make_snippet("他在北京大学工作。", "zh", set(analyze("北京大学", "zh")))
    assert to_html(s) == "他在<mark>北京大学</mark>工作。"


@given(st.text(max_size=400), st.text(max_size=30))
def test_snippet_text_comes_from_the_source_and_no_raw_markup_escapes(text: str, query: str):
    s = make_snippet(text, "fr", terms(query)) if query.strip() else None
    if s is None:
        return
    for piece in s.text.split(ELLIPSIS):
        assert piece.strip() in text.replace("\n", " ")
    for start, end in s.spans:
        assert 0 <= start < end <= len(s.text)
    assert "<" not in to_html(s).replace("<mark>", "").replace("</mark>", "")


def test_second_passage_shows_terms_the_first_lacks():
    text = "Lavrov parle. " + "x " * 300 + "Plus loin, Stoltenberg répond. " + "y " * 300
    s = make_snippet(text, "fr", terms("Lavrov Stoltenberg"), width=120)
    html = to_html(s)
    assert "<mark>Lavrov</mark>" in html and "<mark>Stoltenberg</mark>" in html
    assert s.text.count(ELLIPSIS) >= 2 and len(s.text) < 260
    one = make_snippet(text, "fr", terms("Lavrov Stoltenberg"), width=120, passages=1)
    assert "Stoltenberg" not in one.text


def _whole_text_matches(text: str, lang: str, terms: set[str]) -> list[tuple[int, int, str]]:
    from index.analysis import analyzer_for

    analyzer = analyzer_for(lang)
    tokens = analyzer(text, chars=True, positions=True, removestops=True)
    return [(t.startchar, t.endchar, t.text) for t in tokens if t.text in terms]


def test_word_by_word_matching_finds_what_the_whole_chain_finds():
    # find_matches analyses each word once and remembers it; it must agree with running the
    # language's chain over the whole text, on the golden inputs and the sample articles.
    from builders import ROOT, SAMPLE_DIR
    from search.snippets import find_matches

    cases: list[tuple[str, str]] = []
    for path in sorted((ROOT / "tests" / "data").glob("golden_tokens_*.tsv")):
        lang = path.stem.rsplit("_", 1)[1]
        lines = path.read_text(encoding="utf-8").splitlines()
        cases += [(line.split("\t")[0], lang) for line in lines if line and line[0] != "#"]
    golden = len(cases)
    for line in (SAMPLE_DIR / "sample.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        cases.append((f"{record.get('title', '')}\n\n{record['text']}", record["lang"]))
    assert golden > 100 and len(cases) - golden > 150
    for text, lang in cases:
        terms = set(analyze(text, lang))
        assert find_matches(text, lang, terms) == _whole_text_matches(text, lang, terms), text[:80]


def test_word_matches_equal_the_tokenizer_walk():
    """The fast paths of ``find_matches`` and ``find_phrases`` find what walking the
    tokenizer's tokens finds."""
    lines = (SAMPLE_DIR / "sample.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    compared = 0
    for i, record in enumerate(records):
        lang = record["lang"]
        key, analyzer = lang_key(lang), analyzer_for(lang)
        forms = analyze(record["title"] + " " + record["text"][:400], lang)
        terms = set(forms[i % 3 :: 3]) | {"absent"}
        slow = [t for t in _tokens(record["text"], lang) if t[2] in terms]
        assert _word_matches(record["text"], analyzer, key, terms) == slow
        assert _all_tokens(record["text"], lang) == list(_tokens(record["text"], lang))
        compared += bool(slow)
    assert compared > 100


PHRASE_TEXT = (
    "La Russie critique l’OTAN depuis des mois, et l’OTAN répond à la Russie. "
    + "Rien ne change. " * 30
    + "Le premier Conseil OTAN-Russie depuis 2014 s’est tenu à Bruxelles."
)


def test_a_phrase_is_one_span_where_it_occurs():
    s = make_snippet(
        PHRASE_TEXT, "fr", terms("Conseil OTAN-Russie"), width=160, phrases=["Conseil OTAN-Russie"]
    )
    html = to_html(s)
    assert "<mark>Conseil OTAN-Russie</mark>" in html
    assert html.count("<mark>") == 1  # the words elsewhere are not what the phrase matched


def test_a_phrase_found_nowhere_in_the_text_gives_no_snippet():
    text = "La Russie critique l’OTAN. Le conseil municipal se réunit."
    query = "Conseil OTAN-Russie"
    assert make_snippet(text, "fr", terms(query), phrases=[query]) is None
    assert make_snippet(text, "fr", terms(query)) is not None  # words alone do match


def test_other_words_of_the_query_are_still_marked():
    text = "Le Conseil OTAN-Russie a eu lieu à Bruxelles, loin de Moscou."
    s = make_snippet(
        text, "fr", terms("Conseil OTAN-Russie Moscou"), phrases=["Conseil OTAN-Russie"]
    )
    assert to_html(s) == (
        "Le <mark>Conseil OTAN-Russie</mark> a eu lieu à Bruxelles, loin de <mark>Moscou</mark>."
    )


def test_a_phrase_in_a_title_is_one_span():
    title = "Le premier Conseil OTAN-Russie depuis 2014, sans la Russie?"
    s = highlight_all(title, "fr", terms("Conseil OTAN-Russie"), ["Conseil OTAN-Russie"])
    assert to_html(s) == "Le premier <mark>Conseil OTAN-Russie</mark> depuis 2014, sans la Russie?"


def test_the_sample_phrase_is_marked_in_the_title_and_nowhere_else(sample_index):
    from engines import open_engine
    from search.request import SearchRequest

    result = open_engine(sample_index).search(SearchRequest(q='"Conseil OTAN-Russie"').validate())
    assert result.hits
    for hit in result.hits:
        phrase_spans = [hit.title[s:e] for s, e in hit.title_snippet.spans]
        body_spans = [hit.snippet.text[s:e] for s, e in hit.snippet.spans]
        assert phrase_spans + body_spans, hit.id
        assert {*phrase_spans, *body_spans} == {"Conseil OTAN-Russie"}, hit.id


def test_words_analysed_in_one_stream_give_what_each_gives_alone(monkeypatch):
    """``_analysed`` runs many words through the chain at once; each word's forms (offsets
    moved by elision or possessives, stop words giving none) are those it gives alone."""
    from builders import ROOT
    from index.analysis.tokenizers import WORD_PATTERN
    from search import snippets

    texts: dict[str, list[str]] = {}
    for path in sorted((ROOT / "tests" / "data").glob("golden_tokens_*.tsv")):
        lang = path.stem.rsplit("_", 1)[1]
        lines = path.read_text(encoding="utf-8").splitlines()
        texts.setdefault(lang, []).extend(line.split("\t")[0] for line in lines if line[:1] != "#")
    for line in (SAMPLE_DIR / "sample.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        texts.setdefault(record["lang"], []).append(record["title"] + "\n" + record["text"])
    compared = 0
    for lang, parts in texts.items():
        key, analyzer = lang_key(lang), analyzer_for(lang)
        if key == "cjk":
            continue  # bigrams span words: never analysed word by word
        words = {w for text in parts for w in WORD_PATTERN.findall(text)}
        monkeypatch.setattr(snippets, "_FORMS", {})
        together = snippets._analysed(analyzer, key, words)
        for word in words:
            alone = analyzer(word, chars=True, positions=True, removestops=True)
            assert together[word] == tuple((t.startchar, t.endchar, t.text) for t in alone), word
        compared += len(words)
        assert any(s > 0 for forms in together.values() for s, _e, _f in forms) or key != "fr"
    assert compared > 5000
