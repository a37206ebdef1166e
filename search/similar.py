"""More like this: articles sharing an article's most distinctive words.

Each engine finds them (``Engine.more_like_this``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

KEY_TERMS = 12


@dataclass(frozen=True)
class Similar:
    id: str
    title: str
    source: str
    date: str | None
    lang: str

    def to_dict(self) -> dict:
        return asdict(self)
