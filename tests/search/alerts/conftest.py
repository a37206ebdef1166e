"""The alerts tests' fixtures: a real SMTP server on the loopback (aiosmtpd) and an archive.

``smtp`` answers like a mail relay; set ``smtp.handler.fail_with`` to an SMTP reply (``"451
4.3.0 try again later"``) to make it refuse every message, or add addresses to
``smtp.handler.refuse`` to refuse those recipients only.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from alert_fixtures import FIRST, Archive, LoopbackSmtp, MailHandler, free_port


@pytest.fixture
def smtp() -> Iterator[LoopbackSmtp]:
    handler = MailHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield LoopbackSmtp(f"smtp://127.0.0.1:{port}", port, handler)
    finally:
        controller.stop()


@pytest.fixture
def archive(tmp_path: Path) -> Iterator[Archive]:
    grown = Archive(tmp_path)
    grown.add(FIRST)
    yield grown
    grown.engine.close()
