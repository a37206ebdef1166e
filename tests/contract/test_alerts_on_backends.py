"""Saved-search alerts on either engine: the same articles, in the same order, in the same
e-mails, delivered to a real SMTP server on the loopback (and retried after a refusal)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from builders import write_jsonl
from search.alerts.mail import Links
from search.alerts.run import Mailer, add_saved_search, matching_ids, run_alerts
from search.alerts.saved import SavedSearch
from search.alerts.smtp import deliver, parse_smtp_url
from tests.contract.archives import Archive
from tests.contract.conftest import CORPUS
from tests.search.alerts.alert_fixtures import LoopbackSmtp, MailHandler, free_port

LATER = ("fr-manifestant", "en-election")  # indexed after the searches are saved
SEARCHES = (
    SavedSearch("port-fr", "port", ("desk@example.org",), "fr"),
    SavedSearch("votes", "election OR manifestant", ("desk@example.org", "chief@example.org")),
    SavedSearch("zebras", "zebra", ("desk@example.org",)),
)


@pytest.fixture
def smtp() -> Iterator[LoopbackSmtp]:
    handler, port = MailHandler(), free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield LoopbackSmtp(f"smtp://127.0.0.1:{port}", port, handler)
    finally:
        controller.stop()


def batches(base: Path) -> tuple[Path, Path]:
    records = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()]
    first = [r for r in records if r["id"] not in LATER]
    later = [r for r in records if r["id"] in LATER]
    return write_jsonl(base / "first.jsonl", first), write_jsonl(base / "later.jsonl", later)


def listed(message) -> list[str]:
    plain = message.get_body(("plain",)).get_content()
    return [line.rsplit("/", 1)[1] for line in plain.splitlines() if "/articles/" in line]


def test_alerts_run_the_same_on_every_engine(empty_archive: Archive, smtp, tmp_path: Path):
    first, later = batches(tmp_path)
    empty_archive.index(first)
    for saved in SEARCHES:
        add_saved_search(empty_archive.index_dir, saved, matching_ids(empty_archive.backend, saved))
    empty_archive.index(later)
    server = parse_smtp_url(smtp.url)
    mailer = Mailer(
        "alerts@example.org", Links("http://manchette.test"), lambda m: deliver(server, m)
    )

    smtp.handler.fail_with = "451 4.3.0 try again later"
    refused = run_alerts(empty_archive.backend, empty_archive.index_dir, mailer)
    assert {o.name: o.status for o in refused.outcomes} == {
        "port-fr": "failed",
        "votes": "failed",
        "zebras": "nothing-new",
    }
    smtp.handler.fail_with = None
    run_alerts(empty_archive.backend, empty_archive.index_dir, mailer)
    run_alerts(empty_archive.backend, empty_archive.index_dir, mailer)

    sent = {m.message["X-Manchette-Alert"]: m for m in smtp.received}
    assert sorted(sent) == ["port-fr", "votes"] and len(smtp.received) == 2
    assert listed(sent["port-fr"].message) == ["fr-manifestant"]
    assert listed(sent["votes"].message) == ["en-election", "fr-manifestant"]  # newest first
    assert sent["votes"].recipients == ["desk@example.org", "chief@example.org"]
    html = sent["port-fr"].message.get_body(("html",)).get_content()
    assert "Un manifestant interpellé" in html and "<mark>port</mark>" in html
