"""The one document shape: every reader yields `Article`s, the writer stores them."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field


@dataclass
class Article:
    """A news article split into its fields.

    ``date`` is an ISO 8601 string (``YYYY-MM-DD`` or a full timestamp) or ``None``; it is never
    guessed. ``related`` holds the titles of "read also" links, kept out of ``body``.
    """

    id: str
    title: str = ""
    lead: str = ""
    body: str = ""
    related: list[str] = field(default_factory=list)
    credit: str = ""
    source: str = ""
    url: str | None = None
    lang: str = ""
    date: str | None = None
    path: str = ""

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Article:
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        return cls(**known)

    def content_hash(self) -> str:
        """A digest of everything that is indexed, used to skip unchanged articles."""
        payload = json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha1(payload.encode("utf-8")).hexdigest()
