"""Where the indexing job writes: the interface every engine's write side implements.

An engine opens a :class:`Sink` for one job, with the job lock held (``index.build``). The
sink loads what the job must know (the stored articles' hashes and clusters, the manifest of
input files, the learned boilerplate), takes documents keyed by id, commits or cancels, and
at the end stores the job's state and makes a rebuild live. Documents are the dicts of
``index.document.article_to_doc``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path

from index.document import IndexState, Prepare
from index.learned import Learned, load_learned, save_learned
from index.manifest import FileState, load_manifest, save_manifest


@dataclass(frozen=True)
class WriteFailure:
    """An article the engine did not acknowledge after every retry."""

    id: str
    action: str  # index or delete
    reason: str


@dataclass
class JobState:
    """What a job starts from: the stored articles, the input files read, the boilerplate."""

    articles: IndexState = field(default_factory=IndexState)
    manifest: dict[str, FileState] = field(default_factory=dict)
    learned: Learned = field(default_factory=Learned)


class Sink(ABC):
    """One job's writes into one engine.

    ``prepare`` (or None) runs on each new article in the parsing process, computing ahead
    what the engine would otherwise compute while writing. ``failures`` lists the writes the
    engine refused for good (the job reports them and reads their files again next time).
    """

    prepare: Prepare | None = None
    target = "the index"  # where the writes go, as reports name it

    def __init__(self) -> None:
        self.failures: list[WriteFailure] = []

    @abstractmethod
    def load(self) -> JobState:
        """The state the job starts from (empty for a rebuild)."""

    def load_files(self) -> JobState:
        """The state the job starts from, but for the stored articles when the engine reads
        them apart (``load_articles``): a run with no file to read (a no-op re-run) never
        reads them. By default, the whole state (``load``)."""
        return self.load()

    def load_articles(self) -> IndexState | None:
        """The stored articles that ``load_files`` left out; None when it left nothing out."""
        return None

    @abstractmethod
    def add(self, doc: dict) -> None: ...

    @abstractmethod
    def update(self, doc: dict) -> None: ...

    @abstractmethod
    def delete(self, article_id: str) -> int:
        """Delete an article by id; the number of documents deleted."""

    @abstractmethod
    def commit(self, merge: bool = True) -> bool:
        """Make what was written durable and visible; writing may go on afterwards.

        ``merge=False`` (the job's intermediate commits) may skip merging segments: the
        commit is then quick, and the last one merges. False when nothing was committed:
        nothing was written since the last commit and there was nothing to merge.
        """

    def buffered_bytes(self) -> int:
        """Bytes the engine holds for what was written since the last commit (0 when it does
        not count them): the job commits when they reach its budget (``commit_mb``)."""
        return 0

    @abstractmethod
    def cancel(self) -> None:
        """Drop what was written since the last commit."""

    @abstractmethod
    def save(self, state: JobState) -> None:
        """Keep the job's manifest and learned boilerplate (after the last commit)."""

    @abstractmethod
    def checkpoint(self, state: JobState) -> None:
        """Keep the state of an intermediate commit where the next job reads it if this job
        is killed (a rebuild's state may wait for ``finish``: a killed rebuild is dropped)."""

    @abstractmethod
    def finish(self) -> None:
        """The job succeeded: a rebuild goes live (and its state with it)."""

    @abstractmethod
    def abandon(self) -> None:
        """The job failed: cancel, drop a rebuild, leave the live index as it was."""


def read_job_files(directory: Path, articles: IndexState) -> JobState:
    """A job's state: the articles an engine read back, the files kept in ``directory``."""
    return JobState(articles, load_manifest(directory), load_learned(directory))


def write_job_files(directory: Path, state: JobState) -> None:
    """Keep the job's manifest and learned boilerplate in ``directory``."""
    save_manifest(directory, state.manifest)
    save_learned(directory, state.learned)
