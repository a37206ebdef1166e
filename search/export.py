"""Every hit of a query as plain rows, read one at a time (CSV and JSON Lines exports).

Each engine yields them (``Engine.export_rows``). An export has no cap of its own:
``limit=None`` writes every match, and the ``MANCHETTE_MAX_EXPORT_ROWS`` setting
(``index.config``) is the only limit a deployment sets.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from index.schema import ID_FIELD

MAX_EXPORT_ROWS = 10_000  # the page-sized default of ``export_rows`` (pass None for every row)
EXPORT_COLUMNS = ("id", "date", "lang", "source", "title", "url", "score")
JSONL_KEYS = ("id", "title", "url", "source", "lang", "date", "score")
EXPORT_FORMATS = ("jsonl", "csv")
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def article_fields(fields: dict) -> dict:
    """What every listing of an article shows of its stored fields (as either engine returns
    them), by attribute name: ``id``, ``title``, ``url``, ``source``, ``lang``, ``date``."""
    return {
        "id": fields[ID_FIELD],
        "title": fields.get("title") or "",
        "url": fields.get("url"),
        "source": fields.get("source") or "",
        "lang": fields.get("lang") or "",
        "date": fields.get("date"),
    }


def article_dict(item: object) -> dict:
    """The ``JSONL_KEYS`` of a row or a page's hit, in that order, the score to 4 decimals."""
    values = {key: getattr(item, key) for key in JSONL_KEYS}
    values["score"] = round(values["score"], 4)
    return values


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
        return cls(**article_fields(fields), score=score)

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

    def to_dict(self) -> dict:
        return article_dict(self)


def csv_cell(value: str) -> str:
    """A cell a spreadsheet shows as text: a leading ``'`` defuses formula characters."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def csv_table(header: Iterable[str], rows: Iterable[Iterable[str]]) -> Iterator[str]:
    """The header, then one CSV line per row (cells defused), produced as the rows arrive."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def line(values: Iterable[str]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([csv_cell(v) for v in values])
        return buffer.getvalue()

    yield line(header)
    for row in rows:
        yield line(row)


def jsonl_lines(rows: Iterable[ExportRow]) -> Iterator[str]:
    """One JSON object per row and line (JSON Lines), produced as the rows arrive."""
    for row in rows:
        yield json.dumps(row.to_dict(), ensure_ascii=False) + "\n"


def export_lines(rows: Iterable[ExportRow], fmt: str) -> Iterator[str]:
    """The rows as JSON Lines or as CSV (header first)."""
    if fmt == "csv":
        return csv_table(EXPORT_COLUMNS, (row.values() for row in rows))
    return jsonl_lines(rows)
