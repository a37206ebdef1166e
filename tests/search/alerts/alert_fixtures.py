"""What the alerts tests share: a mail handler for aiosmtpd that keeps what it accepts, small
archives grown batch by batch, and the alerts lock held by another process."""

from __future__ import annotations

import multiprocessing
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from builders import write_jsonl
from engines import Engine, open_engine
from search.alerts.state import alerts_lock


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage


@dataclass
class MailHandler:
    received: list[Received] = field(default_factory=list)
    fail_with: str | None = None
    refuse: set[str] = field(default_factory=set)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.fail_with:
            return self.fail_with
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 2.0.0 accepted"


@dataclass
class LoopbackSmtp:
    url: str
    port: int
    handler: MailHandler

    @property
    def received(self) -> list[Received]:
        return self.handler.received


def article(article_id: str, title: str, date: str, text: str, **extra: str) -> dict:
    return {
        "id": article_id,
        "url": f"https://news.example.org/{article_id}",
        "source": "Example Wire",
        "lang": "en",
        "title": title,
        "date": date,
        "text": text,
        **extra,
    }


FIRST = [
    article(
        "g-1",
        "Giraffes counted in Kenya",
        "2021-03-01",
        "Rangers counted giraffes across the reserve this week.\n\n"
        "The census found more calves than last year.",
    ),
    article(
        "z-1",
        "Zebras cross the river",
        "2021-03-02",
        "Thousands of zebras crossed the river on Monday.\n\nGuides said the herd was late.",
    ),
]
LATER = [
    article(
        "g-2",
        "Giraffes return to the plains",
        "2021-04-10",
        "Giraffes were seen again on the northern plains.\n\nFarmers welcomed the herd.",
    ),
    article(
        "g-3",
        "Old report on giraffes found",
        "2019-01-05",  # published long ago, indexed now: new to the archive all the same
        "An old report about giraffes was found in the archive of the park.\n\n"
        "It describes the herd in detail.",
    ),
    article(
        "g-fr",
        "Les girafes du parc",
        "2021-04-11",
        "Les girafes giraffes du parc ont été comptées.\n\nLe recensement est terminé.",
        lang="fr",
    ),
]


class Archive:
    """A Whoosh archive grown batch by batch, as a newsroom's cron would, and its engine."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.batches = 0
        self.engine: Engine = open_engine(self.index_dir, backend="whoosh")

    @property
    def index_dir(self) -> Path:
        return self.base / "index"

    def add(self, records: list[dict], rebuild: bool = False) -> None:
        self.batches += 1
        path = write_jsonl(self.base / f"batch{self.batches}.jsonl", records)
        inputs = sorted(self.base.glob("batch*.jsonl")) if rebuild else [path]
        report = self.engine.index_paths(inputs, rebuild=rebuild)
        assert not report.rejected, report.rejected


def _hold(index_dir: Path, ready, release) -> None:
    with alerts_lock(index_dir):
        ready.set()
        release.wait(10)


@contextmanager
def lock_held_elsewhere(index_dir: Path) -> Iterator[None]:
    """The alerts lock held by another process (as another ``alerts run`` would)."""
    ctx = multiprocessing.get_context("fork")
    ready, release = ctx.Event(), ctx.Event()
    other = ctx.Process(target=_hold, args=(index_dir, ready, release))
    other.start()
    try:
        assert ready.wait(10)
        yield
    finally:
        release.set()
        other.join(10)
