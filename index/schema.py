"""The archive's fields, by name: one set of text fields per analysis language, plus metadata.

Every engine stores these fields (``engines/whoosh/schema.py`` builds the Whoosh schema,
``engines/opensearch/template.py`` the OpenSearch mapping). Any change to a chain or to the
fields bumps ``SCHEMA_VERSION`` (or ``ANALYSIS_VERSION``) and an older index must be rebuilt.
"""

from __future__ import annotations

from index.analysis import ANALYSIS_VERSION

# 7: the Whoosh field classes moved to engines.whoosh.schema (Whoosh pickles their import path)
# 8: the exact_title field
SCHEMA_VERSION = 9  # 9: Manchette's posting codec (engines/whoosh/codec.py); hashes not indexed

# Field names shared by the writer and the searcher.
ID_FIELD = "id"
HASH_FIELD = "hash"
TEXT_HASH_FIELD = "text_hash"
SIMHASH_FIELD = "simhash"
CLUSTER_FIELD = "cluster"
LANG_FIELD = "lang"
SOURCE_FIELD = "source"
PUBLISHED_FIELD = "published"
EXACT_FIELD = "exact"
EXACT_TITLE_FIELD = "exact_title"  # the title as typed, every language: exactness rules
SOURCE_KEY_FIELD = "source_key"
YEAR_FIELD = "year"
MONTH_FIELD = "month"
DATED_FIELD = "dated"  # "1" when the article has a date: undated ones sort last
TEXT_PARTS = ("title", "lead", "body")
STORED_FIELDS = (
    "title", "lead", "body", "related", "credit", "url", "date", "path",
)  # fmt: skip


def text_field(part: str, lang: str) -> str:
    """The searchable field of one part of an article in one language, e.g. ``title_fr``."""
    return f"{part}_{lang}"


def index_version() -> dict[str, int]:
    return {"schema_version": SCHEMA_VERSION, "analysis_version": ANALYSIS_VERSION}
