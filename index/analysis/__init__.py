"""Text analysis: one registry, keyed by language, of Whoosh analysis chains.

>>> analyze("Les manœuvres de l’OTAN en Crimée", "fr")
['manoeuvr', 'otan', 'crim']

Each language key of ``LANGS`` gets its own index fields, analysed by ``analyzer_for(lang)``
(stemmed, stop words removed) or ``analyzer_for(lang, exact=True)`` (inflected forms and stop
words kept). Chinese, Japanese and Korean share the ``cjk`` key (overlapping bigrams). Any
other language falls back to ``xx`` (tokenize, lowercase, fold).

Whoosh pickles these analyzers into the index: bump ``ANALYSIS_VERSION`` whenever a chain, a
filter, the tokenizer or a stop list changes, so an older index is rebuilt.
"""

from __future__ import annotations

from functools import cache, lru_cache

from whoosh.analysis import Analyzer, CompositeAnalyzer

from index.analysis.chains import BUILDERS

__all__ = ["ANALYSIS_VERSION", "LANGS", "analyze", "analyzer_for", "explain", "lang_key"]

ANALYSIS_VERSION: int = 4  # 3: folded tokens lowercased again (ᴴ, ℋ); 4: French endings

LANGS: tuple[str, ...] = ("fr", "en", "de", "es", "pt", "it", "nl", "ru", "ar", "cjk", "xx")

# ISO 639-1, 639-2/B and 639-2/T (and a few 639-3) codes, English and native names, of the
# languages with a chain.
_NAMES = {
    "fr": "fr fra fre french français francais",
    "en": "en eng english",
    "de": "de deu ger german deutsch",
    "es": "es spa spanish español espanol castellano",
    "pt": "pt por portuguese português portugues",
    "it": "it ita italian italiano",
    "nl": "nl nld dut dutch nederlands flemish vlaams",
    "ru": "ru rus russian русский",
    "ar": "ar ara arb arabic العربية",
    "cjk": "cjk zh zho chi cmn yue chinese 中文 ja jpn japanese 日本語 ko kor korean 한국어",
}
_ALIASES = {name: key for key, names in _NAMES.items() for name in names.split()}


def lang_key(lang: str | None) -> str:
    """The key in ``LANGS`` for a language code: ``"fr-CA"`` → ``"fr"``; unknown/None → ``"xx"``."""
    if not lang:
        return "xx"
    primary = lang.strip().replace("_", "-").split("-", 1)[0].lower()
    return _ALIASES.get(primary, "xx")


@cache
def _analyzer(key: str, exact: bool) -> CompositeAnalyzer:
    return BUILDERS[key](exact)


def analyzer_for(lang: str, exact: bool = False) -> Analyzer:
    """The (shared, cached) analyzer of a language; an unknown language gets the ``xx`` chain."""
    return _analyzer(lang_key(lang), bool(exact))


def _stage_name(item: object) -> str:
    name = getattr(item, "stage", None)
    return name or type(item).__name__.removesuffix("Filter").lower()


def explain(text: str, lang: str, exact: bool = False) -> list[tuple[str, list[dict]]]:
    """The tokens after each stage of the chain, in order, like Elasticsearch's ``_analyze``.

    Each stage is ``(stage_name, tokens)``, each token ``{"text", "start", "end", "pos"}`` with
    character offsets into ``text``. The last stage's texts equal ``analyze(text, lang, exact)``.
    """
    items = list(_analyzer(lang_key(lang), bool(exact)).items)
    stages: list[tuple[str, list[dict]]] = []
    for n, item in enumerate(items, 1):
        # Tokens are one reused object: replay the chain up to this stage and copy the fields.
        tokens = items[0](text, positions=True, chars=True, mode="index")
        for stage in items[1:n]:
            tokens = stage(tokens)
        rows = [
            {"text": t.text, "start": t.startchar, "end": t.endchar, "pos": t.pos} for t in tokens
        ]
        stages.append((_stage_name(item), rows))
    return stages


def analyze(text: str, lang: str, exact: bool = False) -> list[str]:
    """The final token texts of ``text`` through the chain of ``lang``."""
    return [t.text for t in analyzer_for(lang, exact)(text, mode="index")]


@lru_cache(maxsize=50_000)
def analyze_query(text: str, lang: str, exact: bool = False) -> tuple[str, ...]:
    """``analyze`` for the words of a query, remembered: a query analyses each word in every
    language several times (stop words, terms, highlights), and words recur across queries."""
    return tuple(analyze(text, lang, exact))
