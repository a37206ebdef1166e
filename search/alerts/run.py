"""One ``manchette alerts run``, and adding or removing a saved search, over any engine.

Searches go through the engine interface only (``engines.base.Engine``: ``export_rows``
lists every match's id, newest first, without near-duplicate collapsing; ``search`` and
``get_article`` give the e-mail its snippets), so both engines send the same alerts. State
advances per saved search right after its e-mail was accepted (``search.alerts.state`` has
the rule).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import TYPE_CHECKING

from search.alerts.mail import AlertItem, Links, build_message
from search.alerts.saved import (
    SavedSearch,
    load_searches,
    save_searches,
    with_search,
    without_search,
)
from search.alerts.smtp import DeliveryFailed
from search.alerts.state import (
    AlertState,
    alerts_lock,
    baseline,
    delivered,
    load_state,
    new_ids,
    ran,
    save_state,
)
from search.request import MAX_LIMIT

if TYPE_CHECKING:  # the library reads whichever engine the command line opened
    from engines.base import Engine

MAX_PER_EMAIL = 100  # articles listed in one e-mail; the rest follow at the next run
MAX_WATCHED = 100_000  # matches of a saved search looked at per run, newest first

Send = Callable[[EmailMessage], list[str]]  # delivers, returns refused recipients


def utc_now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


@dataclass(frozen=True)
class Mailer:
    """Who the e-mails come from, where they link to, and how they leave (None: dry run)."""

    sender: str
    links: Links
    send: Send | None = None


@dataclass
class AlertOutcome:
    name: str
    status: str  # baseline, nothing-new, sent, would-send, failed
    new: int = 0  # articles new at this run
    listed: int = 0  # of which listed in the e-mail (sent, or that would be)
    pending: int = 0  # of which left for the next e-mail
    refused: list[str] = field(default_factory=list)  # recipients the server refused
    error: str | None = None
    message: EmailMessage | None = field(default=None, repr=False)

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "status": self.status,
            "new": self.new,
            "listed": self.listed,
            "pending": self.pending,
            "refused": self.refused,
            "error": self.error,
        }


@dataclass
class RunReport:
    dry_run: bool = False
    outcomes: list[AlertOutcome] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failed(self) -> list[AlertOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    def to_dict(self) -> dict:
        return {
            "dry_run": self.dry_run,
            "seconds": round(self.seconds, 3),
            "alerts": [o.to_dict() for o in self.outcomes],
        }

    def summary(self) -> str:
        counts: dict[str, int] = {}
        for outcome in self.outcomes:
            counts[outcome.status] = counts.get(outcome.status, 0) + 1
        parts = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
        return f"{len(self.outcomes)} saved searches: {parts or 'none'} in {self.seconds:.1f} s"


def matching_ids(engine: Engine, saved: SavedSearch) -> list[str]:
    """Every article the saved search matches, newest first, near-duplicates included."""
    rows = engine.export_rows(saved.request(collapse=False), None, MAX_WATCHED)
    return [row.id for row in rows]


def alert_items(engine: Engine, saved: SavedSearch, ids: list[str]) -> list[AlertItem]:
    """The articles ``ids`` in that order, highlighted when they are among the newest matches;
    articles gone from the index since they were listed are left out."""
    newest = engine.search(saved.request(limit=MAX_LIMIT))
    hits = {hit.id: hit for hit in newest.hits}
    items = []
    for article_id in ids:
        if article_id in hits:
            items.append(AlertItem.from_hit(hits[article_id]))
            continue
        article = engine.get_article(article_id)
        if article is not None:
            items.append(AlertItem.from_article(article))
    return items


def run_one(
    engine: Engine,
    saved: SavedSearch,
    state: AlertState | None,
    mailer: Mailer,
    now: datetime,
) -> tuple[AlertOutcome, AlertState | None]:
    """What one saved search does at this run, and its next state (None: unchanged)."""
    stamp = now.isoformat()
    matches = matching_ids(engine, saved)
    if state is None:
        return AlertOutcome(saved.name, "baseline"), baseline(matches, stamp)
    fresh = new_ids(matches, state.known)
    if not fresh:
        return AlertOutcome(saved.name, "nothing-new"), ran(state, stamp)
    batch = fresh[:MAX_PER_EMAIL]
    pending = len(fresh) - len(batch)
    items = alert_items(engine, saved, batch)
    outcome = AlertOutcome(saved.name, "sent", len(fresh), len(items), pending)
    if not items:  # every one was deleted meanwhile: nothing to tell
        outcome.status = "nothing-new"
        return outcome, delivered(state, batch, stamp)
    outcome.message = build_message(saved, items, pending, mailer.sender, mailer.links, now)
    if mailer.send is None:
        outcome.status = "would-send"
        return outcome, None
    try:
        outcome.refused = mailer.send(outcome.message)
    except DeliveryFailed as exc:
        outcome.status, outcome.error = "failed", str(exc)
        return outcome, ran(state, stamp)
    return outcome, delivered(state, batch, stamp)


def run_alerts(
    engine: Engine,
    index_dir: Path,
    mailer: Mailer,
    wait: float = 0.0,
    now: Callable[[], datetime] = utc_now,
) -> RunReport:
    """Send each saved search's new articles; with ``mailer.send`` None, only say what would
    be sent (nothing is written and no lock is taken).

    Raises AlertsLocked when another run holds the lock, and what the engine raises when the
    archive cannot be searched (IndexMissing, RebuildRequired; state saved so far is kept).
    """
    dry_run = mailer.send is None
    report = RunReport(dry_run=dry_run)
    started = time.monotonic()
    if dry_run:
        _run_all(engine, index_dir, mailer, now, report)
    else:
        with alerts_lock(index_dir, wait):
            _run_all(engine, index_dir, mailer, now, report)
    report.seconds = time.monotonic() - started
    return report


def _run_all(
    engine: Engine,
    index_dir: Path,
    mailer: Mailer,
    now: Callable[[], datetime],
    report: RunReport,
) -> None:
    searches = load_searches(index_dir)
    states = {n: s for n, s in load_state(index_dir).items() if n in searches}
    for name, saved in searches.items():
        outcome, state = run_one(engine, saved, states.get(name), mailer, now())
        report.outcomes.append(outcome)
        if state is not None and mailer.send is not None:
            states[name] = state
            save_state(index_dir, states)  # at once: a crash later never resends this one


def add_saved_search(
    index_dir: Path,
    saved: SavedSearch,
    matches: list[str] | None,
    wait: float = 0.0,
    now: Callable[[], datetime] = utc_now,
) -> None:
    """Save a new search with its baseline: ``matches``, what already matches it
    (``matching_ids``), or None when the archive cannot be searched now (its first run then
    records the baseline). Articles indexed in between are simply new at the first run."""
    with alerts_lock(index_dir, wait):
        searches = with_search(load_searches(index_dir), saved.validate())
        save_searches(index_dir, searches)
        states = load_state(index_dir)
        states.pop(saved.name, None)  # a removed search's leftovers never carry over
        if matches is not None:
            states[saved.name] = baseline(matches, now().isoformat())
        save_state(index_dir, {n: s for n, s in states.items() if n in searches})


def remove_saved_search(index_dir: Path, name: str, wait: float = 0.0) -> SavedSearch:
    """Delete a saved search and what it remembered; return it."""
    with alerts_lock(index_dir, wait):
        searches = load_searches(index_dir)
        remaining = without_search(searches, name)
        save_searches(index_dir, remaining)
        states = load_state(index_dir)
        save_state(index_dir, {n: s for n, s in states.items() if n in remaining})
    return searches[name]
