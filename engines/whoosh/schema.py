"""The Whoosh schema of the archive's fields (``index.schema``), with the analysis chains.

Whoosh pickles the field classes and analyzers into the index by import path: the classes
here and in ``index.analysis`` stay where they are, or ``SCHEMA_VERSION`` is bumped.
"""

from __future__ import annotations

from array import array
from itertools import accumulate

from whoosh.fields import DATETIME, ID, STORED, TEXT, Schema

from index.analysis import LANGS, analyzer_for
from index.schema import STORED_FIELDS, TEXT_PARTS, text_field


class Analysed:
    """A field's postings computed ahead, in the parsing process, for one document: Whoosh's
    ``(term bytes, frequency, weight, encoded value)`` items, packed as the array pool takes
    them: the terms; frequencies (uint32), weights (float64) and value lengths (uint32) as
    bytes; the values joined; the field's length (the frequencies' sum). It crosses to the
    writer as a few bytes objects rather than a tuple per term, and is pooled without a
    loop over its terms; ``items`` unpacks it."""

    __slots__ = ("blob", "freqs", "length", "terms", "value_lengths", "weights")

    def __init__(self, items: list[tuple[bytes, int, float, bytes]]) -> None:
        terms, freqs, weights, values = zip(*items, strict=True) if items else ((), (), (), ())
        self.terms: tuple[bytes, ...] = terms
        counts = array("I", freqs)
        self.freqs: bytes = counts.tobytes()
        self.length: int = sum(counts)
        self.weights: bytes = array("d", weights).tobytes()
        self.value_lengths: bytes = array("I", map(len, values)).tobytes()
        self.blob: bytes = b"".join(values)

    def __getstate__(self) -> tuple:
        return self.terms, self.freqs, self.length, self.weights, self.value_lengths, self.blob

    def __setstate__(self, state: tuple) -> None:
        self.terms, self.freqs, self.length, self.weights, self.value_lengths, self.blob = state

    @property
    def items(self) -> list[tuple[bytes, int, float, bytes]]:
        """The items, as Whoosh's ``field.index`` gives them."""
        freqs, weights, sizes = array("I"), array("d"), array("I")
        freqs.frombytes(self.freqs)
        weights.frombytes(self.weights)
        sizes.frombytes(self.value_lengths)
        ends = list(accumulate(sizes))
        values = [self.blob[a:b] for a, b in zip([0, *ends], ends, strict=False)]
        return list(zip(self.terms, freqs, weights, values, strict=True))


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
