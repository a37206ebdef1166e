"""Every hit of a query as plain rows, read one at a time (the CSV export streams them).

Each engine yields them (``Engine.export_rows``).
"""

from __future__ import annotations

from dataclasses import dataclass

from index.schema import ID_FIELD

MAX_EXPORT_ROWS = 10_000
EXPORT_COLUMNS = ("id", "date", "lang", "source", "title", "url", "score")


@dataclass(frozen=True)
class ExportRow:
    id: str
    date: str | None
    lang: str
    source: str
    title: str
    url: str | None
    score: float

    @classmethod
    def from_fields(cls, fields: dict, score: float = 0.0) -> ExportRow:
        """The row of an article's stored fields (as either engine returns them)."""
        return cls(
            id=fields[ID_FIELD],
            date=fields.get("date"),
            lang=fields.get("lang") or "",
            source=fields.get("source") or "",
            title=fields.get("title") or "",
            url=fields.get("url"),
            score=score,
        )

    def values(self) -> list[str]:
        return [
            self.id,
            self.date or "",
            self.lang,
            self.source,
            self.title,
            self.url or "",
            f"{self.score:.4f}",
        ]
