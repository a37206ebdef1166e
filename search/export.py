"""Every hit of a query as plain rows, read one at a time (the CSV export streams them).

Each engine yields them (``Engine.export_rows``).
"""

from __future__ import annotations

from dataclasses import dataclass

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
