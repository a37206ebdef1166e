"""The OpenSearch index template: per-language analyzers that mirror ``index.analysis``.

Each chain is built from OpenSearch's own filters in the order of ours (``chains.py``)::

    apostrophes ’ ʼ ‘ → '  and soft hyphens dropped (char filters) → standard tokenizer
    → [elision (fr, it) | possessive (en, nl)] → lowercase → ascii folding → stop → stemmer

Folding runs BEFORE stemming, as in ours (the measured reason is in ``chains.py``); the stop
lists are ours, folded like our tokens. Portuguese and French put back the suffixes their
stemmer expects (``pattern_replace``) and fold the stem again, as ours. The ``exact`` sub-field
of every text field stops after folding (no stop words, no stemming): quoted phrases match it.
``cjk`` pairs characters into bigrams; ``xx`` only lowercases and folds. Where OpenSearch has
no equivalent, the nearest filter is used; ``tests/contract/test_opensearch_store.py`` compares
both on the golden token tables (identical for fr, en, de, es but one, it, pt, ru; the
differences are listed in ``doc/opensearch.md``).
"""

from __future__ import annotations

from index import schema
from index.analysis import LANGS
from index.analysis.filters import ELISIONS, load_stopwords
from search.ranking import bm25_parameters

# 3: French endings. Bump with any change below; a new version needs `--rebuild`.
TEMPLATE_VERSION = 3

# The deepest hit a search page can ask for (search.request: MAX_PAGE × MAX_LIMIT): pages use
# from/size because OpenSearch 2.19 cannot combine search_after with collapse.
MAX_RESULT_WINDOW = 100_000

STEMMERS = {
    "fr": "French",
    "en": "English",
    "de": "German2",  # Snowball's German with ae/oe/ue for ä/ö/ü, as snowballstemmer's
    "es": "Spanish",
    "pt": "Portuguese",
    "it": "Italian",
    "nl": "Dutch",
    "ru": "Russian",
    "ar": "Arabic",
}
POSSESSIVE = ("en", "nl")
NO_ASCII_FOLDING = ("ru",)  # OpenSearch's folding drops the breve of й; ours keeps it


FRENCH_ENDINGS = (
    ("manchette_ending_fr_ee", "ee", "ée"),
    ("manchette_ending_fr_iere", "iere", "ière"),
    ("manchette_ending_fr_ite", "ite", "ité"),
)


def _filters() -> dict:
    filters: dict = {
        "manchette_possessive": {"type": "stemmer", "name": "possessive_english"},
        # Portuguese -ão/-ões after folding: plural to singular, -ção put back (our nasal stage)
        "manchette_nasal_pt_cao": {
            "type": "pattern_replace",
            "pattern": "^(?=.{5})(.+?)c(?:ao|oes)$",
            "replacement": "$1ção",
        },
        "manchette_nasal_pt_ao": {
            "type": "pattern_replace",
            "pattern": "^(?=.{5})(.+?)(?:ao|oes)$",
            "replacement": "$1ao",
        },
    }
    # French -ée(s), -ière(s), -ité(s) after folding: the accent put back for Snowball (our
    # FrenchEndingFilter: tokens of 5 characters or more, two word characters before)
    for name, ending, accented in FRENCH_ENDINGS:
        filters[name] = {
            "type": "pattern_replace",
            "pattern": f"(?U)^(?=.{{5}})(.*\\w\\w){ending}(s?)$",
            "replacement": f"$1{accented}$2",
        }
    for lang, articles in ELISIONS.items():
        filters[f"manchette_elision_{lang}"] = {
            "type": "elision",
            "articles": sorted(articles),
            "articles_case": True,
        }
    for lang, algorithm in STEMMERS.items():
        filters[f"manchette_stop_{lang}"] = {
            "type": "stop",
            "stopwords": sorted(load_stopwords(lang)),
        }
        filters[f"manchette_stem_{lang}"] = {"type": "snowball", "language": algorithm}
    return filters


def _chain(lang: str, exact: bool) -> dict:
    """One analyzer, in the order of ``index.analysis.chains``."""
    char_filter = ["manchette_apostrophes"]
    if lang == "cjk":
        return {
            "type": "custom",
            "char_filter": char_filter,
            "tokenizer": "standard",
            # ORDER: width before lowercase and bigrams (full-width Ａ becomes a)
            "filter": ["cjk_width", "lowercase", "asciifolding", "cjk_bigram"],
        }
    filters: list[str] = []
    if lang in ELISIONS:
        filters.append(f"manchette_elision_{lang}")  # ORDER: before lowercase, like ours
    elif lang in POSSESSIVE:
        filters.append("manchette_possessive")
    filters.append("lowercase")
    if lang == "ar":
        filters.append("arabic_normalization")
    elif lang not in NO_ASCII_FOLDING:
        filters.append("asciifolding")  # ORDER: fold before stop words and stemming
    if not exact and lang == "pt":
        # ORDER: the nasal stage between the stop list and the stemmer, then fold the stem again
        nasal = ["manchette_nasal_pt_cao", "manchette_nasal_pt_ao"]
        filters += ["manchette_stop_pt", *nasal, "manchette_stem_pt", "asciifolding"]
    elif not exact and lang == "fr":
        # ORDER: the endings between the stop list and the stemmer, then fold the stem again
        endings = [name for name, _, _ in FRENCH_ENDINGS]
        filters += ["manchette_stop_fr", *endings, "manchette_stem_fr", "asciifolding"]
    elif not exact and lang in STEMMERS:
        filters += [f"manchette_stop_{lang}", f"manchette_stem_{lang}"]
    if lang == "ru":
        char_filter = [*char_filter, "manchette_ru"]
    return {
        "type": "custom",
        "char_filter": char_filter,
        "tokenizer": "standard",
        "filter": filters,
    }


def analyzer_name(lang: str, exact: bool = False) -> str:
    return f"manchette_{lang}" + ("_exact" if exact else "")


def analysis_settings() -> dict:
    analyzers = {
        analyzer_name(lang, exact): _chain(lang, exact) for lang in LANGS for exact in (False, True)
    }
    return {
        "char_filter": {
            "manchette_apostrophes": {
                "type": "mapping",
                # ’ ʼ ‘ become ' (elision and stop lists see one apostrophe); soft hyphens go.
                "mappings": [
                    "\\u2019=>'",
                    "\\u02BC=>'",
                    "\\u2018=>'",
                    "\\u00AD=>",
                    # non-breaking spaces are spaces ("10 000" is two numbers, as in ours)
                    "\\u00A0=>\\u0020",
                    "\\u202F=>\\u0020",
                ],
            },
            # ё → е and stress accents dropped, as our folding does (it keeps й)
            "manchette_ru": {
                "type": "mapping",
                "mappings": ["ё=>е", "Ё=>Е", "\\u0301=>", "\\u0300=>"],
            },
        },
        "filter": _filters(),
        "analyzer": analyzers,
    }


def _text(lang: str) -> dict:
    return {
        "type": "text",
        "analyzer": analyzer_name(lang),
        "fields": {"exact": {"type": "text", "analyzer": analyzer_name(lang, exact=True)}},
    }


def mappings() -> dict:
    keyword = {"type": "keyword"}
    properties: dict = {
        name: keyword
        for name in (
            schema.ID_FIELD, schema.HASH_FIELD, schema.TEXT_HASH_FIELD, schema.SIMHASH_FIELD,
            schema.CLUSTER_FIELD, schema.LANG_FIELD, schema.SOURCE_FIELD, schema.YEAR_FIELD,
            schema.MONTH_FIELD, schema.DATED_FIELD,
        )
    }  # fmt: skip
    properties[schema.PUBLISHED_FIELD] = {"type": "date"}
    properties[schema.SOURCE_KEY_FIELD] = {
        "type": "text",
        "analyzer": analyzer_name("xx", exact=True),
    }
    properties[schema.EXACT_FIELD] = {"type": "text", "analyzer": analyzer_name("xx", exact=True)}
    properties[schema.EXACT_TITLE_FIELD] = {
        "type": "text",
        "analyzer": analyzer_name("xx", exact=True),
        "index_options": "freqs",  # the exactness rules score it; no phrase is matched there
    }
    for name in schema.STORED_FIELDS:  # shown, never searched: kept in _source only
        properties[name] = {"type": "keyword", "index": False, "doc_values": False}
    properties["url"] = properties["path"] = {"type": "keyword", "index": False}
    for lang in LANGS:
        for part in schema.TEXT_PARTS:
            properties[schema.text_field(part, lang)] = _text(lang)
    return {
        "dynamic": "strict",
        "_source": {"excludes": [schema.EXACT_FIELD, schema.SOURCE_KEY_FIELD]},
        "_meta": {"template_version": TEMPLATE_VERSION},
        "properties": properties,
    }


def index_template(pattern: str, shards: int, replicas: int) -> dict:
    """The body of ``PUT _index_template/<name>`` for indices matching ``pattern``."""
    k1, b = bm25_parameters()  # BM25 as our ranking rules set it (search/ranking.py)
    return {
        "index_patterns": [pattern],
        "template": {
            "settings": {
                "number_of_shards": shards,
                "number_of_replicas": replicas,
                "max_result_window": MAX_RESULT_WINDOW,
                "similarity": {"default": {"type": "BM25", "k1": k1, "b": b}},
                "analysis": analysis_settings(),
            },
            "mappings": mappings(),
        },
        "_meta": {"template_version": TEMPLATE_VERSION},
    }
