"""What each saved search has already sent, the rule that decides what is new, and the lock.

The rule: a saved search remembers the ids of the articles it *knows*. When it is created (or,
if the archive cannot be read then, at its first run) it records every article that already
matches as known, and sends nothing: its baseline. At each run, the articles that match and
are not known are new. Once the SMTP server has accepted the e-mail listing them, and only
then, they become known. So an article is never sent twice (the article id is its key, and
ids survive a ``--rebuild``), and one whose delivery failed stays new until a run delivers it.
An article that only comes to match later (indexed late, or updated) is new when it does,
whatever its publication date.

``INDEX_DIR/alerts/state.json`` holds it, written atomically after each delivery;
``INDEX_DIR/alerts/lock`` (flock) keeps two runs, or a run and an edit, from overlapping.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from index.layout import flock_within, write_atomic
from search.alerts.saved import alerts_dir, read_json

STATE_FILE = "state.json"
LOCK_FILE = "lock"
FORMAT_VERSION = 1


class AlertsLocked(Exception):
    """Another ``manchette alerts`` command holds the alerts lock."""


class StateUnreadable(Exception):
    """The state file exists but cannot be read: running would send everything again."""


@dataclass(frozen=True)
class AlertState:
    known: frozenset[str] = field(default_factory=frozenset)  # baseline and sent articles
    baseline_at: str = ""
    last_run: str | None = None
    last_sent: str | None = None
    sent: int = 0  # articles listed in delivered e-mails, over the alert's life

    def to_dict(self) -> dict:
        return {
            "baseline_at": self.baseline_at,
            "last_run": self.last_run,
            "last_sent": self.last_sent,
            "sent": self.sent,
            "known": sorted(self.known),
        }

    @classmethod
    def from_dict(cls, data: dict) -> AlertState:
        return cls(
            known=frozenset(str(i) for i in data.get("known") or ()),
            baseline_at=str(data.get("baseline_at") or ""),
            last_run=data.get("last_run"),
            last_sent=data.get("last_sent"),
            sent=int(data.get("sent") or 0),
        )


def baseline(matches: Iterable[str], now: str) -> AlertState:
    """The state of a new saved search: everything that matches now is known, nothing sent."""
    return AlertState(known=frozenset(matches), baseline_at=now, last_run=now)


def new_ids(matches: Iterable[str], known: Collection[str]) -> list[str]:
    """The matches not yet known, in the order given (newest first), each once."""
    seen: set[str] = set()
    fresh = []
    for article_id in matches:
        if article_id not in known and article_id not in seen:
            seen.add(article_id)
            fresh.append(article_id)
    return fresh


def delivered(state: AlertState, ids: Iterable[str], now: str) -> AlertState:
    """The state once the server accepted an e-mail listing ``ids``."""
    ids = list(ids)
    return replace(
        state, known=state.known | set(ids), last_run=now, last_sent=now, sent=state.sent + len(ids)
    )


def ran(state: AlertState, now: str) -> AlertState:
    """The state after a run that sent nothing for this search."""
    return replace(state, last_run=now)


def load_state(index_dir: Path) -> dict[str, AlertState]:
    data = read_json(alerts_dir(index_dir) / STATE_FILE, StateUnreadable)
    return {name: AlertState.from_dict(item) for name, item in data.get("alerts", {}).items()}


def save_state(index_dir: Path, states: dict[str, AlertState]) -> None:
    """Write every search's state in one atomic rename (call with the alerts lock held)."""
    folder = alerts_dir(index_dir)
    folder.mkdir(parents=True, exist_ok=True)
    data = {
        "version": FORMAT_VERSION,
        "alerts": {name: states[name].to_dict() for name in sorted(states)},
    }
    write_atomic(folder / STATE_FILE, json.dumps(data, ensure_ascii=False) + "\n")


@contextlib.contextmanager
def alerts_lock(index_dir: Path, wait: float = 0.0) -> Iterator[None]:
    """Hold ``INDEX_DIR/alerts/lock``, waiting up to ``wait`` seconds, else raise AlertsLocked.

    Its own flock, not the indexing job's: an ``alerts run`` never makes ``manchette index``
    exit 75, and an index job never delays the alerts. The kernel releases it if we die.
    """
    folder = alerts_dir(index_dir)
    folder.mkdir(parents=True, exist_ok=True)

    def busy() -> Exception:
        return AlertsLocked(
            "another `manchette alerts` command is running on this index; "
            "try again later (or pass --wait SECONDS)"
        )

    with flock_within(folder / LOCK_FILE, wait, busy):
        yield
