"""index.analysis.postings: the same items as ``field.index(text)``, for every field and chain.

Each test computes both sides for real (Whoosh's chain and format against the fast path) on the
bundled texts and on hostile generated ones.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from whoosh.analysis import CompositeAnalyzer, Filter, NgramFilter, StopFilter, Token
from whoosh.fields import KEYWORD, TEXT, FieldType

from builders import DATA, SAMPLE_DIR
from engines.whoosh.schema import AnalysedText, build_schema
from index.analysis import LANGS, analyzer_for
from index.analysis import postings as fast
from index.analysis.chains import _front
from index.analysis.tokenizers import APOSTROPHES, JOINERS, CJKBigramTokenizer, WordTokenizer
from index.article import Article
from index.document import text_values
from index.parallel import safe_items

SOURCES = (SAMPLE_DIR.parent, DATA)  # data/ (the sample, the seed) and tests/data/


@cache
def schema_fields() -> dict[str, FieldType]:
    """The text fields of the index schema (every language's title, lead and body, exact...)."""
    schema = build_schema()
    return {name: schema[name] for name in schema.names() if isinstance(schema[name], AnalysedText)}


def _kind(ftype: FieldType) -> tuple[int, type]:
    return id(ftype.analyzer), type(ftype.format)


@cache
def distinct_fields() -> dict[str, FieldType]:
    """One schema field of each kind (chain and format: ``lead_fr`` is analysed as ``body_fr``),
    then the exact chain of every language with both formats (the query side's chains)."""
    fields: dict[str, FieldType] = {}
    kinds = set()
    for name, ftype in schema_fields().items():
        if _kind(ftype) not in kinds:
            kinds.add(_kind(ftype))
            fields[name] = ftype
    for lang in LANGS:
        for phrase in (False, True):
            ftype = TEXT(analyzer=analyzer_for(lang, exact=True), phrase=phrase)
            if _kind(ftype) not in kinds:
                kinds.add(_kind(ftype))
                fields[f"{lang}-exact-{'positions' if phrase else 'frequency'}"] = ftype
    return fields


def test_every_field_kind_is_compared() -> None:
    kinds = {_kind(ftype) for ftype in distinct_fields().values()}
    assert {_kind(ftype) for ftype in schema_fields().values()} <= kinds
    assert len(kinds) == len(distinct_fields()) == 2 * 2 * len(LANGS)  # chains × formats


def _files() -> list[Path]:
    return [path for root in SOURCES for path in sorted(root.rglob("*")) if path.is_file()]


@cache
def bundled_articles() -> tuple[Article, ...]:
    items = (item for path in _files() for item in safe_items(path))
    return tuple(item for item in items if isinstance(item, Article))


@cache
def bundled_texts() -> tuple[str, ...]:
    """Every text of the bundled data: the articles' fields (their indexed texts are compared
    article by article below), and the text of each other file, whole and line by line
    (golden token tables, labelled articles in several scripts, READMEs)."""
    texts: set[str] = set()
    for article in bundled_articles():
        texts.update((article.title, article.lead, article.body, article.source or ""))
    for path in _files():
        if any(isinstance(item, Article) for item in safe_items(path)):
            continue  # its articles are in
        content = path.read_bytes().decode("utf-8", errors="replace")
        texts.add(content)
        texts.update(content.splitlines())
    return tuple(sorted(texts))


def chain_items(ftype: FieldType, text: str) -> list:
    return list(ftype.index(text))


def test_the_bundled_data_is_there() -> None:
    assert len(bundled_articles()) >= 200
    assert {"fr", "en", "de"} <= {article.lang for article in bundled_articles()}
    assert len(bundled_texts()) > 1000
    scripts = {"arabic": "\u0627", "cyrillic": "\u0430", "han": "\u4e2d"}
    for name, letter in scripts.items():
        assert any(letter in text for text in bundled_texts()), name


@pytest.mark.parametrize("name", sorted(distinct_fields()))
def test_every_field_gives_the_chains_items_on_the_bundled_texts(name: str) -> None:
    ftype = distinct_fields()[name]
    for text in bundled_texts():
        assert fast.field_postings(ftype, text) == chain_items(ftype, text), text[:200]


def test_every_article_gives_the_chains_items_field_by_field() -> None:
    fields = schema_fields()
    for article in bundled_articles():
        values = text_values(article)
        expected = {name: chain_items(fields[name], text) for name, text in values.items()}
        found = fast.document_postings(fields, values)
        assert found == expected, article.id
        assert list(found) == list(values)


def test_an_article_in_every_language() -> None:
    fields = schema_fields()
    for article in bundled_articles()[:40]:
        for lang in (*LANGS, "zh", None):
            values = text_values(replace(article, lang=lang or ""))
            expected = {name: chain_items(fields[name], text) for name, text in values.items()}
            assert fast.document_postings(fields, values) == expected, (article.id, lang)


# -- hostile text ----------------------------------------------------------------------------

_PIECES = [
    # Latin with accents and ligatures, decomposed accents, Turkish İ, compatibility forms.
    "é", "e\u0301", "œ", "ß", "İ", "ı", "ﬁ", "Ａ", "ᴴ", "ℋ", "ŀ", "Ø", "ǅ",
    # Apostrophes, joiners, hyphens, digit separators, white space of every kind.
    *APOSTROPHES, *JOINERS, "-", "\u2011", ".", ",", "\u066b", "\u066c", " ", "\n", "\t",
    "\u00a0", "\u2009", "\u3000", "\u200b", "_",
    # Words that elide, possessives, stop words, Portuguese nasal endings.
    "l'", "L’", "qu'", "jusqu’", "dell'", "'s", "’S", "de", "la", "the", "der", "nações",
    "informação", "milhões", "Obama", "été", "ÉTÉ",
    # Cyrillic (й ё and stress), Greek, Arabic (marks, tatweel, alef forms, digits, ة ى, و ال).
    "й", "ё", "о\u0301", "Ω", "ά", "وال", "فال", "المنطقة", "على", "ـ", "\u064e", "أ", "ى",
    "ة", "١", "٢", "۳", "\ufefb", "ه",
    # CJK, kana with voicing marks, half-width katakana, Hangul, Devanagari with marks.
    "東", "京", "都", "に", "行", "く", "ｶ", "ﾞ", "ﾟ", "한", "국", "어", "々", "क", "\u093f",
    # Digits, emoji (with skin tone and ZWJ sequences), symbols, lone surrogates.
    "0", "7", "²", "½", "😀", "👍🏽", "👩\u200d💻", "€", "§", "\ud800", "\udfff",
]  # fmt: skip
_ALPHABET = st.characters(blacklist_categories=("Cs",))
hostile = st.lists(
    st.one_of(st.sampled_from(_PIECES), st.text(_ALPHABET, max_size=4)), max_size=60
).map("".join)
long_words = st.tuples(st.sampled_from(["a", "é", "ب", "東", "1"]), st.integers(1, 3000)).map(
    lambda pair: pair[0] * pair[1]
)
texts = st.one_of(hostile, long_words, st.just(""), st.text(max_size=200))


def example_each(values: list[str]):
    """``hypothesis.example`` for each value."""

    def decorate(test):
        for value in reversed(values):
            test = example(value)(test)
        return test

    return decorate


def _same(ftype: FieldType, text: str) -> None:
    try:
        expected = chain_items(ftype, text)
    except Exception as exc:  # the fast path must fail the same way
        with pytest.raises(type(exc)):
            fast.field_postings(ftype, text)
        return
    assert fast.field_postings(ftype, text) == expected


EDGES = [
    "",
    "de la de",  # only stop words
    "de la France et de l'Europe",  # renumbered from the first kept word
    "ـ كتاب ـ \u064e الكتاب",  # tatweel or a mark alone: dropped, a gap in positions
    "على علي في المنطقه والحكومة",
    "jusqu’aujourd’hui l'OTAN dell’UE Obama's auto's",
    "東京都に行く 한국어 iPhone 2014 ｶﾞｷﾞ",
    "1,2 3.5 10.000 ١٫٥ pre\u00admier ﬁnal ᴴℋ İstanbul",
    "a" * 3000,
]


@settings(max_examples=200, deadline=None)
@given(texts)
@example_each(EDGES)
def test_hostile_texts_give_the_chains_items(text: str) -> None:
    for ftype in distinct_fields().values():
        _same(ftype, text)


@settings(max_examples=200, deadline=None)
@given(
    title=texts,
    lead=texts,
    rest=texts,
    gap=st.sampled_from(["", " ", "\n\n", "\u00a0", "\u3000 ", "-", "\u00ad"]),
    lang=st.sampled_from([*LANGS, "ja", None]),
    source=texts,
)
def test_hostile_articles_give_the_chains_items(
    title: str, lead: str, rest: str, gap: str, lang: str | None, source: str
) -> None:
    """Articles whose lead opens the body (the exact field is then joined from the others),
    with and without white space between them."""
    article = Article(
        id="x", title=title, lead=lead, body=lead + gap + rest, lang=lang or "", source=source
    )
    fields = schema_fields()
    values = text_values(article)
    expected = {name: chain_items(fields[name], text) for name, text in values.items()}
    assert fast.document_postings(fields, values) == expected


# -- the ground the fast path stands on -------------------------------------------------------

_SPACES = [chr(c) for c in range(sys.maxunicode + 1) if re.fullmatch(r"\s", chr(c))]


@pytest.mark.parametrize("tokenizer", [WordTokenizer(), CJKBigramTokenizer()])
def test_no_token_holds_white_space(tokenizer) -> None:
    """What lets a text joined from others by white space reuse their words."""
    assert len(_SPACES) > 20
    pairs = [("a", "b"), ("1", "2"), ("東", "京"), ("ب", "ت"), ("e", "\u0301"), ("a'", "b")]
    for space in _SPACES:
        for a, b in pairs:
            text = f"{a}{space}{b}"
            tokens = fast.words(tokenizer, text)
            assert all(space not in t for t in tokens), (hex(ord(space)), tokens)
            assert tokens == fast.words(tokenizer, a) + fast.words(tokenizer, b)


def test_words_are_the_tokenizers_texts() -> None:
    for tokenizer in (WordTokenizer(), CJKBigramTokenizer()):
        for text in bundled_texts()[:300]:
            assert fast.words(tokenizer, text) == [t.text for t in tokenizer(text)]


def test_a_full_memo_starts_again(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fast, "MEMO_LIMIT", 5)
    ftype = schema_fields()["exact"]
    for text in bundled_texts()[:50]:
        assert fast.field_postings(ftype, text) == chain_items(ftype, text)


def test_the_memos_of_all_chains_share_one_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every chain's memo together stays within ``MEMO_LIMIT`` words (one per chain grew the
    parsing process by ~100 MB on the full corpus), and the items stay the chains'."""
    limit = 400
    monkeypatch.setattr(fast, "MEMO_LIMIT", limit)
    fields = distinct_fields()
    chains = {id(ftype.analyzer) for ftype in fields.values()}
    assert len(chains) > 3
    most = 0
    for text in bundled_texts()[:60]:
        for ftype in fields.values():
            assert fast.field_postings(ftype, text) == chain_items(ftype, text)
            if len(set(fast.words(WordTokenizer(), text))) < limit // 2:
                assert fast.memo_words() <= limit
            most = max(most, fast.memo_words())
    assert most > limit // 2  # the budget was reached and started again


def test_a_smaller_memo_budget_holds_within_its_block(monkeypatch: pytest.MonkeyPatch) -> None:
    """``memo_limit`` (the writing process beside a parse worker): what the memos hold beyond
    the smaller budget is dropped on the way in, they stay within it inside, the items stay the
    chains', and the budget before is back on the way out."""
    monkeypatch.setattr(fast, "MEMO_LIMIT", 20_000)
    fields = distinct_fields()
    texts = bundled_texts()[:40]
    for text in texts:
        for ftype in fields.values():
            fast.field_postings(ftype, text)
    assert fast.memo_words() > 300
    with fast.memo_limit(300):
        assert fast.memo_words() <= 300
        most = 0
        for text in texts:
            for ftype in fields.values():
                assert fast.field_postings(ftype, text) == chain_items(ftype, text)
                if len(set(fast.words(WordTokenizer(), text))) < 150:
                    assert fast.memo_words() <= 300
                most = max(most, fast.memo_words())
        assert most > 150  # the smaller budget was used, not just the memos emptied
    assert fast.MEMO_LIMIT == 20_000


def test_other_chains_and_formats_are_left_to_whoosh() -> None:
    """A filter that makes several tokens of one (n-grams), Whoosh's own stop filter, or
    another format: the items are still the chain's."""
    text = "Les manœuvres de l'OTAN en Crimée, de nouveau"
    others = [
        TEXT(analyzer=_front() | NgramFilter(2, 3)),
        TEXT(analyzer=_front() | StopFilter()),
        TEXT(analyzer=analyzer_for("fr"), chars=True),
        KEYWORD(),
    ]
    for ftype in others:
        assert fast.field_postings(ftype, text) == chain_items(ftype, text)
        assert fast.document_postings({"f": ftype}, {"f": text}) == {"f": chain_items(ftype, text)}


class _Twice(Filter):
    """A filter that passes every token on twice."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            yield t
            yield t


def test_a_word_made_into_several_tokens_is_refused() -> None:
    with pytest.raises(fast._Unsupported):
        fast._run((_Twice(),), ["mot"])


def test_analyzers_without_a_plan() -> None:
    assert fast._make_plan(_front() | NgramFilter(2, 3)) is None
    assert fast._make_plan(CompositeAnalyzer(WordTokenizer())) is not None
    assert fast._make_plan(analyzer_for("ar")).renumber
    assert not fast._make_plan(analyzer_for("ar", exact=True)).renumber
