"""``Rejected``: an input that could not become an article, yielded by every reader."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Rejected:
    """An input that could not become an article: a whole file (``line`` None) or one line."""

    path: str
    reason: str
    line: int | None = None

    @property
    def where(self) -> str:
        """``path``, or ``path#L<line>`` for one line of a file."""
        return f"{self.path}#L{self.line}" if self.line is not None else self.path

    def to_dict(self) -> dict:
        return asdict(self)
