"""``manchette alerts``: thin commands, honest exit codes (0, 1, 2, 3, 75)."""

from __future__ import annotations

import json
from pathlib import Path

from alert_fixtures import LATER, Archive, free_port, lock_held_elsewhere

from index.cli import main


def alerts(runner, archive_dir: Path, *args: str, smtp_url: str | None = None):
    env = {
        "MANCHETTE_INDEX_DIR": str(archive_dir),
        "MANCHETTE_SMTP_URL": smtp_url or "",
        "MANCHETTE_SMTP_FROM": "alerts@example.org",
        "MANCHETTE_PUBLIC_URL": "https://news.example.org/manchette/",
    }
    return runner.invoke(main, ["alerts", *args], env=env)


ADD = ("add", "giraffes", "giraffes", "--email", "desk@example.org", "--lang", "en")


def test_add_list_run_remove(runner, archive: Archive, smtp):
    added = alerts(runner, archive.index_dir, *ADD, "--email", "chief@example.org")
    assert added.exit_code == 0, added.output
    assert "1 article already matches" in added.stdout
    listed = json.loads(alerts(runner, archive.index_dir, "list", "--json").stdout)
    [row] = listed["alerts"]
    assert row["emails"] == ["desk@example.org", "chief@example.org"]
    assert (row["name"], row["query"], row["lang"], row["sent"]) == (
        "giraffes",
        "giraffes",
        "en",
        0,
    )

    archive.add(LATER)
    done = alerts(runner, archive.index_dir, "run", "--json", smtp_url=smtp.url)
    assert done.exit_code == 0, done.output
    [outcome] = json.loads(done.stdout)["alerts"]
    assert (outcome["status"], outcome["listed"]) == ("sent", 2)
    [mail] = smtp.received
    assert mail.sender == "alerts@example.org"
    plain = mail.message.get_body(("plain",)).get_content()
    assert "https://news.example.org/manchette/articles/g-2" in plain  # MANCHETTE_PUBLIC_URL

    text = alerts(runner, archive.index_dir, "list").stdout
    assert "giraffes: giraffes [lang en]" in text and "2 articles sent" in text
    assert alerts(runner, archive.index_dir, "remove", "giraffes").exit_code == 0
    assert json.loads(alerts(runner, archive.index_dir, "list", "--json").stdout) == {"alerts": []}


def test_dry_run_prints_the_mail_and_needs_no_server(runner, archive: Archive):
    alerts(runner, archive.index_dir, *ADD)
    archive.add(LATER)
    dry = alerts(runner, archive.index_dir, "run", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "Subject: [Manchette] giraffes: 2 new articles" in dry.stdout
    assert "Giraffes return to the plains" in dry.stdout
    assert "1 would-send" in dry.stdout


def test_usage_errors_exit_2(runner, archive: Archive):
    assert alerts(runner, archive.index_dir, *ADD).exit_code == 0
    again = alerts(runner, archive.index_dir, *ADD)
    assert again.exit_code == 2 and "exists" in again.stderr
    bad = alerts(runner, archive.index_dir, "add", "../etc", "x", "--email", "desk@example.org")
    assert bad.exit_code == 2 and "invalid name" in bad.stderr
    bad = alerts(runner, archive.index_dir, "add", "x", "x", "--email", "desk")
    assert bad.exit_code == 2 and "invalid e-mail address" in bad.stderr
    assert alerts(runner, archive.index_dir, "add", "x", "x").exit_code == 2  # no --email
    gone = alerts(runner, archive.index_dir, "remove", "nope")
    assert gone.exit_code == 2 and "no saved search" in gone.stderr
    unset = alerts(runner, archive.index_dir, "run")
    assert unset.exit_code == 2 and "MANCHETTE_SMTP_URL" in unset.stderr
    wrong = alerts(runner, archive.index_dir, "run", smtp_url="http://mail.example.org")
    assert wrong.exit_code == 2 and "smtp://" in wrong.stderr


def test_undelivered_exits_1_then_0_once_delivered(runner, archive: Archive, smtp):
    alerts(runner, archive.index_dir, *ADD)
    archive.add(LATER)
    down = alerts(runner, archive.index_dir, "run", smtp_url=f"smtp://127.0.0.1:{free_port()}")
    assert down.exit_code == 1 and "not delivered: giraffes" in down.stderr
    assert alerts(runner, archive.index_dir, "run", smtp_url=smtp.url).exit_code == 0
    assert len(smtp.received) == 1


def test_no_index_exits_3(runner, tmp_path: Path, smtp):
    added = alerts(runner, tmp_path / "none", *ADD)
    assert added.exit_code == 0 and "first run will record" in added.stdout
    failed = alerts(runner, tmp_path / "none", "run", smtp_url=smtp.url)
    assert failed.exit_code == 3 and "alerts run failed" in failed.stderr


def test_locked_exits_75(runner, archive: Archive, smtp):
    alerts(runner, archive.index_dir, *ADD)
    with lock_held_elsewhere(archive.index_dir):
        locked = alerts(runner, archive.index_dir, "run", smtp_url=smtp.url)
        assert locked.exit_code == 75 and "--wait" in locked.stderr
        assert alerts(runner, archive.index_dir, "remove", "giraffes").exit_code == 75
    assert alerts(runner, archive.index_dir, "run", "--wait", "5", smtp_url=smtp.url).exit_code == 0
