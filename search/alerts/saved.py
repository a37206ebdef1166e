"""Saved searches: a name, a query, an optional language and who receives its alerts.

They are kept in ``INDEX_DIR/alerts/searches.json``, beside the index and outside ``builds/``
and ``current``, so a ``--rebuild`` keeps them. Every value is checked before it is saved:
the name becomes part of a URL (``/alerts/<name>.atom``) and of a mail subject, the addresses
become mail headers.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from index.layout import write_atomic
from search.request import MAX_LIMIT, InvalidRequest, SearchRequest

ALERTS_DIR = "alerts"
SEARCHES_FILE = "searches.json"
FORMAT_VERSION = 1
MAX_RECIPIENTS = 50
NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
# An address as a newsroom types it: RFC 5322's dot-atom local part and a host name; nothing
# that could end a mail header or open a comment (no spaces, quotes, brackets, commas).
EMAIL_RE = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*"
)


class InvalidSavedSearch(ValueError):
    """A saved search that cannot be kept, with a message for the user."""


def alerts_dir(index_dir: Path) -> Path:
    """Where saved searches and their state live: beside the index, never inside a build."""
    return Path(index_dir) / ALERTS_DIR


@dataclass(frozen=True)
class SavedSearch:
    name: str
    query: str
    emails: tuple[str, ...]
    lang: str | None = None
    created: str = ""

    def validate(self) -> SavedSearch:
        """Return self if every field is acceptable, else raise InvalidSavedSearch."""
        if not NAME_RE.fullmatch(self.name):
            raise InvalidSavedSearch(
                f"invalid name {self.name[:70]!r}: use 1-64 letters, digits, '-' or '_', "
                "starting with a letter or digit"
            )
        if not self.query.strip():
            raise InvalidSavedSearch("the query is empty")
        if not self.emails:
            raise InvalidSavedSearch("give at least one --email address")
        if len(self.emails) > MAX_RECIPIENTS:
            raise InvalidSavedSearch(f"at most {MAX_RECIPIENTS} addresses per saved search")
        for address in self.emails:
            if len(address) > 254 or not EMAIL_RE.fullmatch(address):
                raise InvalidSavedSearch(f"invalid e-mail address {address[:80]!r}")
        try:
            self.request().validate()
        except InvalidRequest as exc:
            raise InvalidSavedSearch(str(exc)) from None
        return self

    def request(self, limit: int = MAX_LIMIT, collapse: bool = False) -> SearchRequest:
        """The search it stands for: its query and language, newest first."""
        return SearchRequest(
            q=self.query, lang=self.lang, sort="newest", limit=limit, collapse=collapse
        )

    def to_dict(self) -> dict:
        """Everything, addresses included (the command line and the file)."""
        return {
            "name": self.name,
            "query": self.query,
            "lang": self.lang,
            "emails": list(self.emails),
            "created": self.created,
        }

    def public_dict(self) -> dict:
        """What the web shows: the number of recipients, never their addresses."""
        return {
            "name": self.name,
            "query": self.query,
            "lang": self.lang,
            "recipients": len(self.emails),
            "created": self.created,
        }

    @classmethod
    def from_dict(cls, data: dict) -> SavedSearch:
        return cls(
            name=str(data["name"]),
            query=str(data["query"]),
            emails=tuple(str(e) for e in data.get("emails") or ()),
            lang=data.get("lang") or None,
            created=str(data.get("created") or ""),
        )


def unique_emails(emails: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """The addresses trimmed, in the order given, each once (case-insensitively)."""
    seen: set[str] = set()
    kept = []
    for address in (e.strip() for e in emails):
        if address and address.lower() not in seen:
            seen.add(address.lower())
            kept.append(address)
    return tuple(kept)


def read_json(path: Path, unreadable: type[Exception]) -> dict:
    """The JSON object in ``path`` ({} when there is no file), else raise ``unreadable``."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise unreadable(f"cannot read {path}: {exc}") from None


def load_searches(index_dir: Path) -> dict[str, SavedSearch]:
    """The saved searches by name, sorted by name ({} when none was ever saved)."""
    data = read_json(alerts_dir(index_dir) / SEARCHES_FILE, InvalidSavedSearch)
    searches = [SavedSearch.from_dict(item) for item in data.get("searches", [])]
    return {s.name: s for s in sorted(searches, key=lambda s: s.name)}


def save_searches(index_dir: Path, searches: dict[str, SavedSearch]) -> None:
    """Write the definitions in one atomic rename (call with the alerts lock held)."""
    folder = alerts_dir(index_dir)
    folder.mkdir(parents=True, exist_ok=True)
    data = {
        "version": FORMAT_VERSION,
        "searches": [searches[name].to_dict() for name in sorted(searches)],
    }
    write_atomic(folder / SEARCHES_FILE, json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def with_search(searches: dict[str, SavedSearch], saved: SavedSearch) -> dict[str, SavedSearch]:
    """The searches plus a new one; a name already taken is refused."""
    if saved.name in searches:
        raise InvalidSavedSearch(
            f"a saved search named {saved.name!r} exists; remove it first "
            f"(manchette alerts remove {saved.name})"
        )
    return {**searches, saved.name: saved}


def without_search(searches: dict[str, SavedSearch], name: str) -> dict[str, SavedSearch]:
    """The searches less one; an unknown name is refused."""
    if name not in searches:
        raise InvalidSavedSearch(f"no saved search is named {name[:70]!r}")
    return {k: v for k, v in searches.items() if k != name}
