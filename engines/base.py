"""The one interface an engine offers: the sink an indexing job writes to, and the reads.

The CLI and the web front end hold an :class:`Engine` (``engines.open_engine``) and never ask
which one it is. The write side is the job's :class:`~index.sink.Sink`, opened per job with
the lock held; the read side answers searches, exports, articles, similar articles, the
languages of the archive, its statistics, its health and a check of its contents.
"""

from __future__ import annotations

import hashlib
import json
from abc import ABC, abstractmethod
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Unpack

from index.build import JobOptions, run_job

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from index.report import IndexReport
    from index.sink import Sink
    from index.stats import IndexStats
    from search.daterange import DateSpan
    from search.export import ExportRow
    from search.periods import MonthCounts
    from search.request import SearchRequest
    from search.results import SearchResult, StoredArticle
    from search.similar import Similar


class IndexMissing(Exception):
    """There is no index at the given directory yet."""


class RebuildRequired(Exception):
    """The index was written with another schema or analysis version."""


class EngineUnavailable(IndexMissing):
    """The engine cannot answer (no node reachable): pages say 503, like a missing index."""


BackendUnavailable = EngineUnavailable  # the name it had before engines/


class Unsupported(Exception):
    """This engine does not offer the operation (the message says what to do instead)."""


SERVING = ("ok", "degraded")  # the statuses of an engine that answers every search


@dataclass
class Health:
    """ok; degraded (answers fully, but some copies are missing: one more failure loses data
    or answers); red (some articles cannot be searched: results are partial); unavailable
    (no answer at all: no index, no node reachable)."""

    status: str
    articles: int = 0
    detail: dict = field(default_factory=dict)

    @property
    def serving(self) -> bool:
        return self.status in SERVING

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class SegmentCheck:
    name: str
    documents: int  # live documents
    deleted: int
    terms: int = 0
    postings: int = 0


@dataclass
class CheckReport:
    index_dir: str
    live: str = ""
    generation: int = -1
    articles: int = 0
    digest: str = ""  # SHA-1 of the sorted (id, content hash) pairs: what the index holds
    segments: list[SegmentCheck] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    committed: bool = True  # False: no job has committed an index (with articles) here yet

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict:
        return {"ok": self.ok, **asdict(self)}

    def summary(self) -> str:
        if not self.committed:
            return f"{self.index_dir}: no committed index yet"
        verdict = "sound" if self.ok else f"NOT SOUND ({len(self.problems)} problems)"
        return (
            f"{self.index_dir}: {verdict}: {self.articles:,} articles in "
            f"{len(self.segments)} segment(s), generation {self.generation}, digest {self.digest}"
        )


def digest_pairs(pairs: dict[str, str]) -> str:
    """A short fingerprint of what an index holds: its (id, content hash) pairs, sorted."""
    blob = json.dumps(sorted(pairs.items())).encode("utf-8")
    return hashlib.sha1(blob).hexdigest()[:12]


class Engine(ABC):
    """An archive in one engine: written by the indexing job, read by search and the web.

    ``index_dir`` holds the job's lock and stored state whatever the engine (and, for
    Whoosh, the index itself).
    """

    name: str = ""

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = Path(index_dir)

    # -- the write side ----------------------------------------------------------------------

    @abstractmethod
    def open_sink(self, rebuild: bool) -> Sink:
        """The sink of one indexing job (called with the job lock held)."""

    def index_paths(self, paths: Iterable[Path], **options: Unpack[JobOptions]) -> IndexReport:
        """Index files and folders (``index.build.run_job`` over this engine's sink)."""
        return run_job(self.open_sink, paths, self.index_dir, **options)

    # -- the read side -----------------------------------------------------------------------

    @abstractmethod
    def search(self, request: SearchRequest, span: DateSpan | None = None) -> SearchResult: ...

    @abstractmethod
    def export_rows(
        self, request: SearchRequest, span: DateSpan | None = None, limit: int | None = 10_000
    ) -> Iterator[ExportRow]:
        """Every hit in the request's order, collapsed like the page, read as it is consumed
        (``limit=None``: all of them, memory flat)."""

    @abstractmethod
    def month_counts(
        self, request: SearchRequest, span: DateSpan | None = None, everything: bool = False
    ) -> MonthCounts:
        """Matches per month of publication, a story once in the month of its oldest dated
        copy when collapsed (``search.periods``); ``everything``: every article the request's
        filters allow, the query left out (the denominators of trends)."""

    @abstractmethod
    def get_article(self, article_id: str) -> StoredArticle | None: ...

    @abstractmethod
    def more_like_this(self, article: StoredArticle, limit: int = 5) -> list[Similar]: ...

    @abstractmethod
    def doc_count(self) -> int: ...

    @abstractmethod
    def languages(self) -> list[str]:
        """The language codes of the archive's articles, most articles first."""

    @abstractmethod
    def stats(self) -> IndexStats:
        """Counts per language and source, size, and the last indexing run."""

    @abstractmethod
    def health(self) -> Health:
        """How the engine is (never raises: an engine that cannot answer is unavailable)."""

    @abstractmethod
    def check(self) -> CheckReport:
        """Read everything back and report whether the archive is sound (never raises)."""

    def explain(self, request: SearchRequest) -> tuple[SearchResult, dict[str, dict[str, float]]]:
        """The result and, per hit, each ranking rule's contribution to its score."""
        raise Unsupported(f"--explain is not available with the {self.name} engine")

    @abstractmethod
    def close(self) -> None:
        """Release what the engine holds open (searchers, connections)."""
