"""What an indexing run did, as data: counts by outcome, rejected inputs, timings."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

LINE_SUFFIX = re.compile(r"#L\d+$")  # "file#L12": line 12 of a file


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
    """Counts of files (``files``, ``files_skipped``: unchanged, ``files_still_rejected``:
    unchanged and rejected before) and of records (articles, and the rejected inputs: a
    line, or a file that could not be read at all)."""

    index_dir: str = ""
    files: int = 0
    files_skipped: int = 0
    files_still_rejected: int = 0  # unchanged files with inputs rejected by an earlier run
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    passed_over: int = 0  # of ``unchanged``: records of changed files not parsed again
    deleted: int = 0
    relearned: int = 0  # articles re-indexed after boilerplate was learned in this run
    duplicates: list[Duplicate] = field(default_factory=list)
    rejected: list[RejectedInput] = field(default_factory=list)  # reported by this run
    still_rejected_inputs: list[RejectedInput] = field(default_factory=list)  # not again
    seconds: float = 0.0
    committed: bool = False
    commits: int = 0
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
        data["still_rejected"] = len(self.still_rejected_inputs)
        data["files_rejected"] = self.files_rejected
        return data

    @property
    def files_rejected(self) -> int:
        """Files with an input rejected by this run."""
        return len({LINE_SUFFIX.sub("", r.path) for r in self.rejected})

    def summary(self) -> str:
        """One line: files first, then records (articles and rejected inputs)."""
        read = self.files - self.files_skipped
        files = f"{self.files} files: {read} read, {self.files_skipped} unchanged, "
        files += f"{self.files_rejected} rejected"
        if self.files_still_rejected:
            files += f", {self.files_still_rejected} still rejected (unchanged, not reported again)"
        return (
            f"{files}; records: {self.added} added, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.deleted} deleted, "
            f"{len(self.duplicates)} duplicates, {len(self.rejected)} rejected "
            f"in {self.seconds:.2f}s"
        )
