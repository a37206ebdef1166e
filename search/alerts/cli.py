"""``manchette alerts add|list|remove|run``: thin commands over ``alerts.run``.

Exit codes, like ``manchette index``: 0 done; 1 some e-mails were not delivered (they are
retried at the next run); 2 usage error; 3 failed (no index, unreadable state); 75 another
``alerts`` command holds the lock.
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import click

from engines import Engine, open_engine
from engines.base import IndexMissing, RebuildRequired
from index.cli import (
    EXIT_ERROR,
    EXIT_LOCKED,
    EXIT_OK,
    EXIT_REJECTED,
    EXIT_USAGE,
    fail,
    index_dir_option,
)
from index.config import Settings, load_settings
from search.alerts.mail import Links
from search.alerts.run import (
    Mailer,
    add_saved_search,
    matching_ids,
    remove_saved_search,
    run_alerts,
    utc_now,
)
from search.alerts.saved import InvalidSavedSearch, SavedSearch, load_searches, unique_emails
from search.alerts.smtp import deliver, parse_smtp_url
from search.alerts.state import AlertsLocked, StateUnreadable, load_state


def wait_option(func):
    return click.option(
        "--wait",
        type=float,
        default=0.0,
        show_default=True,
        help="Seconds to wait for another alerts command's lock before giving up (exit 75).",
    )(func)


def _settings(index_dir: Path | None) -> Settings:
    try:
        return load_settings(index_dir=index_dir)
    except ValueError as exc:
        fail(str(exc), EXIT_USAGE)


def _engine(index_dir: Path) -> Engine:
    try:
        return open_engine(index_dir)
    except ValueError as exc:  # MANCHETTE_BACKEND names no engine
        fail(str(exc), EXIT_USAGE)


@contextlib.contextmanager
def _edit_failures() -> Iterator[None]:
    """An edit of the saved searches that fails exits: a bad search with EXIT_USAGE, the lock
    held with EXIT_LOCKED, an unreadable state or file with EXIT_ERROR."""
    try:
        yield
    except InvalidSavedSearch as exc:
        fail(str(exc), EXIT_USAGE)
    except AlertsLocked as exc:
        fail(str(exc), EXIT_LOCKED)
    except (StateUnreadable, OSError) as exc:
        fail(str(exc), EXIT_ERROR)


@click.group("alerts")
def alerts_group() -> None:
    """Saved searches and their e-mail alerts (`alerts run` is meant for cron)."""


@alerts_group.command("add")
@click.argument("name")
@click.argument("query")
@click.option("--email", "emails", multiple=True, required=True, help="A recipient (repeat).")
@click.option("--lang", default=None, help="Only articles in this language (fr, en, ...).")
@index_dir_option
@wait_option
def add_command(
    name: str,
    query: str,
    emails: tuple[str, ...],
    lang: str | None,
    index_dir: Path | None,
    wait: float,
) -> None:
    """Save QUERY as NAME; its recipients get the articles that match from now on.

    What already matches is recorded and never sent.
    """
    settings = _settings(index_dir)
    saved = SavedSearch(name, query, unique_emails(emails), lang or None, utc_now().isoformat())
    with _edit_failures():
        saved.validate()
        try:
            matches: list[str] | None = matching_ids(_engine(settings.index_dir), saved)
        except (IndexMissing, RebuildRequired):
            matches = None
        add_saved_search(settings.index_dir, saved, matches, wait)
    if matches is None:
        click.echo(
            f"saved {name}; the archive cannot be searched now: its first run will "
            "record what already matches"
        )
    else:
        already = "article already matches" if len(matches) == 1 else "articles already match"
        click.echo(f"saved {name}: {len(matches):,} {already} (not sent)")


@alerts_group.command("list")
@index_dir_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def list_command(index_dir: Path | None, as_json: bool) -> None:
    """The saved searches, their recipients and their last e-mail."""
    settings = _settings(index_dir)
    try:
        searches = load_searches(settings.index_dir)
        states = load_state(settings.index_dir)
    except (InvalidSavedSearch, StateUnreadable) as exc:
        fail(str(exc), EXIT_ERROR)
    rows = []
    for name, saved in searches.items():
        state = states.get(name)
        rows.append(
            {
                **saved.to_dict(),
                "last_run": state.last_run if state else None,
                "last_sent": state.last_sent if state else None,
                "sent": state.sent if state else 0,
            }
        )
    if as_json:
        click.echo(json.dumps({"alerts": rows}, ensure_ascii=False))
        return
    if not rows:
        click.echo("no saved searches (add one with `manchette alerts add`)")
    for row in rows:
        lang = f" [lang {row['lang']}]" if row["lang"] else ""
        click.echo(f"{row['name']}: {row['query']}{lang}")
        click.echo(f"  to {', '.join(row['emails'])}")
        click.echo(f"  last e-mail {row['last_sent'] or 'never'}, {row['sent']:,} articles sent")


@alerts_group.command("remove")
@click.argument("name")
@index_dir_option
@wait_option
def remove_command(name: str, index_dir: Path | None, wait: float) -> None:
    """Delete the saved search NAME and what it remembered."""
    settings = _settings(index_dir)
    with _edit_failures():
        remove_saved_search(settings.index_dir, name, wait)
    click.echo(f"removed {name}")


@alerts_group.command("run")
@index_dir_option
@click.option("--dry-run", is_flag=True, help="Print the e-mails instead; send and record nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the run's report as JSON.")
@wait_option
def run_command(index_dir: Path | None, dry_run: bool, as_json: bool, wait: float) -> None:
    """E-mail each saved search's new articles through MANCHETTE_SMTP_URL (for cron).

    Exit codes: 0 done; 1 some e-mails were not delivered (retried at the next run); 2 usage
    error (no or bad MANCHETTE_SMTP_URL); 3 failed (no index); 75 another run holds the lock.
    """
    settings = _settings(index_dir)
    send = None
    if not dry_run:
        if not settings.smtp_url:
            fail("set MANCHETTE_SMTP_URL (e.g. smtp://localhost:25) or pass --dry-run", EXIT_USAGE)
        try:
            server = parse_smtp_url(settings.smtp_url)
        except ValueError as exc:
            fail(str(exc), EXIT_USAGE)

        def send(message):
            return deliver(server, message)

    mailer = Mailer(settings.smtp_from, Links(settings.public_url), send)
    try:
        report = run_alerts(_engine(settings.index_dir), settings.index_dir, mailer, wait)
    except AlertsLocked as exc:
        fail(str(exc), EXIT_LOCKED)
    except (IndexMissing, RebuildRequired, InvalidSavedSearch, StateUnreadable, OSError) as exc:
        fail(f"alerts run failed: {exc}", EXIT_ERROR)
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False))
    for outcome in report.outcomes:
        if dry_run and outcome.message is not None and not as_json:
            text = outcome.message.get_body(("plain",))
            click.echo(f"To: {outcome.message['To']}\nSubject: {outcome.message['Subject']}\n")
            click.echo(text.get_content() if text else "")
        if outcome.error:
            click.echo(f"not delivered: {outcome.name}: {outcome.error}", err=True)
        if outcome.refused:
            refused = ", ".join(outcome.refused)
            click.echo(f"refused by the server: {outcome.name}: {refused}", err=True)
    click.echo(report.summary(), err=as_json)
    sys.exit(EXIT_REJECTED if report.failed else EXIT_OK)
