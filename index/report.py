"""What an indexing run did, as data: counts by outcome, rejected inputs, timings."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime


@dataclass
class RejectedInput:
    """An input (file, or line of a file) that could not be indexed, and why."""

    path: str
    reason: str


@dataclass
class Duplicate:
    """An article not indexed because another one has the same text or id: ``duplicate_of``
    is the id of the one kept, or, when both carry the same id (``reason`` "same id"), where
    the one kept was read (a file, or ``file#L<line>``), so that it never names itself."""

    id: str
    duplicate_of: str
    path: str
    reason: str = "same text"


@dataclass
class IndexReport:
    index_dir: str = ""
    files: int = 0
    files_skipped: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    relearned: int = 0  # articles re-indexed after boilerplate was learned in this run
    duplicates: list[Duplicate] = field(default_factory=list)
    rejected: list[RejectedInput] = field(default_factory=list)
    seconds: float = 0.0
    committed: bool = False
    rebuild: bool = False
    finished_at: str = field(
        default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds")
    )
    schema_version: int = 0
    analysis_version: int = 0

    @property
    def changed(self) -> int:
        return self.added + self.updated

    def to_dict(self) -> dict:
        data = asdict(self)
        data["rejected_count"] = len(self.rejected)
        data["duplicate_count"] = len(self.duplicates)
        return data

    def summary(self) -> str:
        return (
            f"{self.files} files: {self.added} added, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.deleted} deleted, "
            f"{len(self.duplicates)} duplicates, {len(self.rejected)} rejected "
            f"in {self.seconds:.2f}s"
        )
