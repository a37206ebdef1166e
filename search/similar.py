"""More like this: articles sharing an article's most distinctive words.

Each engine finds them (``Engine.more_like_this``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from index.schema import ID_FIELD

KEY_TERMS = 12


@dataclass(frozen=True)
class Similar:
    id: str
    title: str
    source: str
    date: str | None
    lang: str

    @classmethod
    def from_fields(cls, fields: dict) -> Similar:
        """The entry of an article's stored fields (as either engine returns them)."""
        return cls(
            id=fields[ID_FIELD],
            title=fields.get("title") or fields[ID_FIELD],
            source=fields.get("source") or "",
            date=fields.get("date"),
            lang=fields.get("lang") or "",
        )

    def to_dict(self) -> dict:
        return asdict(self)
