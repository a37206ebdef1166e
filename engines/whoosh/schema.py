"""The Whoosh schema of the archive's fields (``index.schema``), with the analysis chains.

Whoosh pickles the field classes and analyzers into the index by import path: the classes
here and in ``index.analysis`` stay where they are, or ``SCHEMA_VERSION`` is bumped.
"""

from __future__ import annotations

from whoosh.fields import DATETIME, ID, STORED, TEXT, Schema

from index.analysis import LANGS, analyzer_for
from index.schema import STORED_FIELDS, TEXT_PARTS, text_field


class Analysed:
    """A field's postings computed ahead, in the parsing process: Whoosh's
    ``(term bytes, frequency, weight, encoded value)`` items for one document."""

    __slots__ = ("items",)

    def __init__(self, items: list[tuple[bytes, int, float, bytes]]) -> None:
        self.items = items


class ColumnID(ID):
    """A value kept in a column only, never searched: no terms, no postings (the content
    hashes are read from their columns, one per document)."""

    indexed = False


class AnalysedText(TEXT):
    """A text field that accepts ``Analysed`` values as well as text: the single writer
    process then only pools postings, and the analysis runs beside it (``index.parallel``)."""

    def index(self, value, **kwargs):
        if isinstance(value, Analysed):
            return value.items
        return super().index(value, **kwargs)


def build_schema() -> Schema:
    schema = Schema(
        id=ID(stored=True, unique=True, sortable=True),
        hash=ColumnID(sortable=True),
        text_hash=ColumnID(sortable=True),
        simhash=ColumnID(sortable=True),
        cluster=ID(stored=True, sortable=True),
        lang=ID(stored=True, sortable=True),
        source=ID(stored=True, sortable=True),
        source_key=AnalysedText(analyzer=analyzer_for("xx", exact=True), phrase=True),
        year=ID(sortable=True),
        month=ID(sortable=True),
        # Every word of title, lead and body, unstemmed (lowercased, folded), all languages:
        # quoted phrases, the exact-match bonus, prefixes and "did you mean" use it.
        exact=AnalysedText(analyzer=analyzer_for("xx", exact=True), phrase=True),
        # The title's words as typed (stop words kept), one field for every language: the
        # exactness rules score it with statistics shared by all languages (search/ranking.py).
        exact_title=AnalysedText(analyzer=analyzer_for("xx", exact=True), phrase=False),
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
