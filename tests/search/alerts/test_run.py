"""``alerts run`` end to end: a real index, a real SMTP server on the loopback, messages read
back. What arrived since a saved search was created is sent once; a failed delivery is sent
at the next run; nothing already known is ever sent again, across a ``--rebuild`` too."""

from __future__ import annotations

from pathlib import Path

import pytest
from alert_fixtures import LATER, Archive, article, free_port, lock_held_elsewhere

from search.alerts import run as alerts_run
from search.alerts.mail import Links
from search.alerts.run import (
    Mailer,
    add_saved_search,
    matching_ids,
    remove_saved_search,
    run_alerts,
)
from search.alerts.saved import SavedSearch
from search.alerts.smtp import deliver, parse_smtp_url
from search.alerts.state import AlertsLocked, load_state

GIRAFFES = SavedSearch("giraffes", "giraffes", ("desk@example.org", "chief@example.org"), "en")
LINKS = Links("http://manchette.test")


def mailer(url: str) -> Mailer:
    server = parse_smtp_url(url)
    return Mailer("alerts@example.org", LINKS, lambda message: deliver(server, message, 5))


def run(archive: Archive, url: str | None):
    send = mailer(url) if url else Mailer("alerts@example.org", LINKS)
    return run_alerts(archive.engine, archive.index_dir, send)


def save(archive: Archive, saved: SavedSearch) -> None:
    """``manchette alerts add``: the search, and what already matches it as its baseline."""
    add_saved_search(archive.index_dir, saved, matching_ids(archive.engine, saved))


def listed_ids(message) -> list[str]:
    plain = message.get_body(("plain",)).get_content()
    return [line.rsplit("/", 1)[1] for line in plain.splitlines() if "/articles/" in line]


def statuses(report) -> dict[str, str]:
    return {o.name: o.status for o in report.outcomes}


def test_only_what_arrives_after_the_search_is_saved_is_sent_once(archive: Archive, smtp):
    assert matching_ids(archive.engine, GIRAFFES) == ["g-1"]
    save(archive, GIRAFFES)
    assert statuses(run(archive, smtp.url)) == {"giraffes": "nothing-new"}
    assert smtp.received == []

    archive.add(LATER)
    report = run(archive, smtp.url)
    assert statuses(report) == {"giraffes": "sent"}
    [mail] = smtp.received
    assert mail.recipients == ["desk@example.org", "chief@example.org"]
    assert mail.message["Subject"] == "[Manchette] giraffes: 2 new articles"
    # newest first; the old article counts: it is new to the archive; the French one is not
    # in the saved language
    assert listed_ids(mail.message) == ["g-2", "g-3"]
    html = mail.message.get_body(("html",)).get_content()
    assert "<mark>Giraffes</mark> were seen again" in html
    assert "Example Wire · 2021-04-10 · en" in html

    assert statuses(run(archive, smtp.url)) == {"giraffes": "nothing-new"}
    assert len(smtp.received) == 1
    state = load_state(archive.index_dir)["giraffes"]
    assert state.sent == 2 and state.known == {"g-1", "g-2", "g-3"}


def test_a_failed_delivery_is_retried_nothing_lost_nothing_sent_twice(archive: Archive, smtp):
    save(archive, GIRAFFES)
    archive.add(LATER[:1])

    down = run(archive, f"smtp://127.0.0.1:{free_port()}")  # nobody listens
    assert statuses(down) == {"giraffes": "failed"}
    assert "cannot reach the server" in down.failed[0].error
    smtp.handler.fail_with = "451 4.3.0 try again later"
    refused = run(archive, smtp.url)
    assert statuses(refused) == {"giraffes": "failed"} and "451" in refused.failed[0].error
    assert smtp.received == []
    assert load_state(archive.index_dir)["giraffes"].known == {"g-1"}

    archive.add(LATER[1:])  # more news while the relay was down
    smtp.handler.fail_with = None
    assert statuses(run(archive, smtp.url)) == {"giraffes": "sent"}
    assert statuses(run(archive, smtp.url)) == {"giraffes": "nothing-new"}
    assert [listed_ids(m.message) for m in smtp.received] == [["g-2", "g-3"]]


def test_the_state_survives_a_rebuild(archive: Archive, smtp):
    save(archive, GIRAFFES)
    archive.add(LATER)
    run(archive, smtp.url)
    archive.add(
        [article("g-4", "Giraffes again", "2021-05-01", "Giraffes, once more.")], rebuild=True
    )
    assert (archive.index_dir / "alerts" / "searches.json").is_file()
    run(archive, smtp.url)
    assert [listed_ids(m.message) for m in smtp.received] == [["g-2", "g-3"], ["g-4"]]


def test_a_long_list_is_sent_over_several_runs(archive: Archive, smtp, monkeypatch):
    monkeypatch.setattr(alerts_run, "MAX_PER_EMAIL", 1)
    save(archive, GIRAFFES)
    archive.add(LATER)
    first = run(archive, smtp.url)
    assert (first.outcomes[0].listed, first.outcomes[0].pending) == (1, 1)
    run(archive, smtp.url)
    run(archive, smtp.url)
    assert [listed_ids(m.message) for m in smtp.received] == [["g-2"], ["g-3"]]
    assert "1 more will follow" in smtp.received[0].message.get_body(("plain",)).get_content()


def test_a_dry_run_sends_and_records_nothing(archive: Archive, smtp):
    save(archive, GIRAFFES)
    archive.add(LATER)
    before = load_state(archive.index_dir)
    dry = run(archive, None)
    assert statuses(dry) == {"giraffes": "would-send"}
    assert listed_ids(dry.outcomes[0].message) == ["g-2", "g-3"]
    assert load_state(archive.index_dir) == before and smtp.received == []
    run(archive, smtp.url)
    assert [listed_ids(m.message) for m in smtp.received] == [["g-2", "g-3"]]


def test_without_an_index_the_first_run_records_the_baseline(tmp_path: Path, smtp):
    archive = Archive(tmp_path)
    add_saved_search(archive.index_dir, GIRAFFES, None)  # the archive cannot be searched yet
    archive.add(LATER[:1])
    assert statuses(run(archive, smtp.url)) == {"giraffes": "baseline"}
    archive.add(LATER[1:2])
    run(archive, smtp.url)
    assert [listed_ids(m.message) for m in smtp.received] == [["g-3"]]


def test_each_search_has_its_own_state_and_removing_forgets_it(archive: Archive, smtp):
    everything = SavedSearch("all-giraffes", "giraffes OR girafes", ("desk@example.org",))
    for saved in (GIRAFFES, everything):
        save(archive, saved)
    archive.add(LATER)
    assert statuses(run(archive, smtp.url)) == {"all-giraffes": "sent", "giraffes": "sent"}
    by_name = {m.message["X-Manchette-Alert"]: listed_ids(m.message) for m in smtp.received}
    assert by_name == {"all-giraffes": ["g-fr", "g-2", "g-3"], "giraffes": ["g-2", "g-3"]}

    removed = remove_saved_search(archive.index_dir, "giraffes")
    assert removed == GIRAFFES and list(load_state(archive.index_dir)) == ["all-giraffes"]
    save(archive, GIRAFFES)
    assert load_state(archive.index_dir)["giraffes"].sent == 0  # a fresh baseline
    quiet = {"all-giraffes": "nothing-new", "giraffes": "nothing-new"}
    assert statuses(run(archive, smtp.url)) == quiet


def test_two_runs_never_overlap(archive: Archive, smtp):
    save(archive, GIRAFFES)
    archive.add(LATER)
    with lock_held_elsewhere(archive.index_dir), pytest.raises(AlertsLocked):
        run(archive, smtp.url)
    assert smtp.received == []
    run(archive, smtp.url)
    assert len(smtp.received) == 1
