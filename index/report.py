"""What an indexing run did, as data: counts by outcome, rejected inputs, timings."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class RejectedInput:
    """An input (file, or line of a file) that could not be indexed, and why."""

    path: str
    reason: str


@dataclass
class IndexReport:
    index_dir: str = ""
    files: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    rejected: list[RejectedInput] = field(default_factory=list)
    seconds: float = 0.0
    committed: bool = False
    schema_version: int = 0
    analysis_version: int = 0

    @property
    def changed(self) -> int:
        return self.added + self.updated

    def to_dict(self) -> dict:
        data = asdict(self)
        data["rejected_count"] = len(self.rejected)
        return data

    def summary(self) -> str:
        return (
            f"{self.files} files: {self.added} added, {self.updated} updated, "
            f"{self.unchanged} unchanged, {len(self.rejected)} rejected "
            f"in {self.seconds:.2f}s"
        )
