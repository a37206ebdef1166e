"""The Whoosh schema: one set of text fields per analysis language, plus stored metadata.

Whoosh pickles the analyzers into the index, so any change to a chain or to this schema bumps
``SCHEMA_VERSION`` (or ``ANALYSIS_VERSION``) and an older index must be rebuilt.
"""

from __future__ import annotations

from whoosh.fields import DATETIME, ID, STORED, TEXT, Schema

from index.analysis import ANALYSIS_VERSION, LANGS, analyzer_for

SCHEMA_VERSION = 6

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
SOURCE_KEY_FIELD = "source_key"
YEAR_FIELD = "year"
MONTH_FIELD = "month"
TEXT_PARTS = ("title", "lead", "body")
STORED_FIELDS = (
    "title", "lead", "body", "related", "credit", "url", "date", "path",
)  # fmt: skip


class Analysed:
    """A field's postings computed ahead, in the parsing process: Whoosh's
    ``(term bytes, frequency, weight, encoded value)`` items for one document."""

    __slots__ = ("items",)

    def __init__(self, items: list[tuple[bytes, int, float, bytes]]) -> None:
        self.items = items


class AnalysedText(TEXT):
    """A text field that accepts ``Analysed`` values as well as text: the single writer
    process then only pools postings, and the analysis runs beside it (``index.parallel``)."""

    def index(self, value, **kwargs):
        if isinstance(value, Analysed):
            return value.items
        return super().index(value, **kwargs)


def text_field(part: str, lang: str) -> str:
    """The searchable field of one part of an article in one language, e.g. ``title_fr``."""
    return f"{part}_{lang}"


def build_schema() -> Schema:
    schema = Schema(
        id=ID(stored=True, unique=True, sortable=True),
        hash=ID(sortable=True),
        text_hash=ID(sortable=True),
        simhash=ID(sortable=True),
        cluster=ID(stored=True, sortable=True),
        lang=ID(stored=True, sortable=True),
        source=ID(stored=True, sortable=True),
        source_key=AnalysedText(analyzer=analyzer_for("xx", exact=True), phrase=True),
        year=ID(sortable=True),
        month=ID(sortable=True),
        # Every word of title, lead and body, unstemmed (lowercased, folded), all languages:
        # quoted phrases, the exact-match bonus, prefixes and "did you mean" use it.
        exact=AnalysedText(analyzer=analyzer_for("xx", exact=True), phrase=True),
        published=DATETIME(sortable=True),
        dated=ID(sortable=True),  # "1" when the article has a date: undated ones sort last
    )
    for name in STORED_FIELDS:
        schema.add(name, STORED())
    for lang in LANGS:
        analyzer = analyzer_for(lang)
        for part in TEXT_PARTS:
            # Only the title gets a field boost at query time; BM25F needs the field lengths.
            # Lead and body keep frequencies only: quoted phrases are matched on the exact
            # field, so positions there would only double the postings (a third of the index).
            field = AnalysedText(analyzer=analyzer, phrase=part == "title")
            schema.add(text_field(part, lang), field)
    return schema


def index_version() -> dict[str, int]:
    return {"schema_version": SCHEMA_VERSION, "analysis_version": ANALYSIS_VERSION}
