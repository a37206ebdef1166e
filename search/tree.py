"""A parsed query as plain data: what to match, what to exclude, what to filter on.

``search.parse.parse_query`` builds it (the caps, de-duplication and notices are applied
there, once); each engine compiles it: to Whoosh queries (``engines/whoosh/compile.py``) or to
the OpenSearch query DSL (``engines/opensearch/compile.py``).

    must      every item matches: a clause, or ``AnyOf`` clauses (``a OR b``)
    must_not  no item matches
    every     ``*`` alone: every article matches when ``must`` is empty
    filters   lang:, source:, date:/after:/before: (they restrict, they do not rank)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from search.notices import Notice, joined


@dataclass(frozen=True)
class Word:
    """A word, stemmed in each language's fields (the exact, unstemmed match ranks higher);
    ``part`` restricts it to titles, leads or bodies."""

    text: str
    part: str | None = None


@dataclass(frozen=True)
class Phrase:
    """Words in this order (quoted); unstemmed unless restricted to a ``part``."""

    text: str
    part: str | None = None


@dataclass(frozen=True)
class Prefix:
    """Words starting with ``folded`` (one folded, lowercased token), as typed ``stem*``.

    ``expansions`` are the archive's words with that prefix, capped, when the engine gave its
    vocabulary to the parser; None lets the engine expand the prefix itself.
    """

    stem: str
    folded: str
    expansions: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Wildcard:
    """Words matching ``pattern`` (folded, lowercased; ``*`` any letters, ``?`` one), as typed
    ``coop*ration`` or ``m?nistre``. ``expansions`` as for :class:`Prefix`."""

    text: str
    pattern: str
    expansions: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Fuzzy:
    """Words within ``distance`` edits of ``folded`` (one folded, lowercased token; the first
    letter kept), as typed ``word~``, ``word~1`` or ``word~2``. ``expansions`` as for
    :class:`Prefix`."""

    text: str
    folded: str
    distance: int
    expansions: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Near:
    """Every part within ``slop`` words of the others, in any order (``"a b"~N``,
    ``a NEAR/N b``), matched on the exact (unstemmed) forms: a word, a phrase (its words in
    order), a prefix, a wildcard, a fuzzy word, or a nested ``Near`` (``a NEAR/2 b NEAR/5 c``:
    ``c`` within 5 words of where ``a`` and ``b`` are)."""

    parts: tuple[NearPart, ...]
    slop: int


NearPart = Word | Phrase | Prefix | Wildcard | Fuzzy | Near
Clause = Word | Phrase | Prefix | Wildcard | Fuzzy | Near


@dataclass(frozen=True)
class AnyOf:
    """At least one of the clauses (``a OR b OR c``)."""

    options: tuple[Clause, ...]


@dataclass(frozen=True)
class LangIs:
    code: str


@dataclass(frozen=True)
class SourceIs:
    """The source's name holds these words in this order (folded, lowercased)."""

    words: tuple[str, ...]


@dataclass(frozen=True)
class FieldIs:
    """A stored keyword field has this value exactly (a facet clicked: year, source, ...)."""

    field: str
    value: str


@dataclass(frozen=True)
class DateRange:
    """Published from ``start`` to ``end`` (both included; None is open-ended)."""

    start: datetime | None = None
    end: datetime | None = None


Filter = LangIs | SourceIs | FieldIs | DateRange


@dataclass
class QueryTree:
    text: str  # the query as normalised
    must: list[Clause | AnyOf] = field(default_factory=list)
    must_not: list[Clause] = field(default_factory=list)
    filters: list[Filter] = field(default_factory=list)
    langs: list[str] = field(default_factory=list)  # the analysis languages searched
    notices: list[Notice] = field(default_factory=list)
    every: bool = False  # ``*`` was typed: with no clause to match, every article matches

    @property
    def notice(self) -> str | None:
        return joined(self.notices)

    def positive_clauses(self) -> list[Clause]:
        """The clauses that find and rank articles, in query order (not the excluded ones)."""
        found: list[Clause] = []
        for item in self.must:
            found.extend(item.options if isinstance(item, AnyOf) else (item,))
        return found
