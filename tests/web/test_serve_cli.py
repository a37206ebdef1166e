"""``manchette serve`` on an address it cannot listen on: one line, exit 2, nothing served."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

MANCHETTE = str(Path(sys.executable).parent / "manchette")


@pytest.fixture
def busy_port():
    """A port some other program is listening on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)
        yield sock.getsockname()[1]


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_busy_port_is_one_clear_line_and_exit_2(sample_index: Path, busy_port: int, workers):
    command = [MANCHETTE, "serve", "--index-dir", str(sample_index), "--port", str(busy_port)]
    done = subprocess.run(
        [*command, "--workers", workers],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert f"127.0.0.1:{busy_port}" in lines[0]
    assert "already in use" in lines[0] and "--port" in lines[0]
    assert "serving" not in done.stderr.lower()
    assert "Traceback" not in done.stderr and "Error" not in done.stderr
