"""``manchette serve --workers N``: several real waitress processes on one port."""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

MANCHETTE = str(Path(sys.executable).parent / "manchette")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found.update(int(c) for c in (task / "children").read_text().split())
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0]
    except OSError:
        return False
    return state != "Z"


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read()


def _wait_until(check, seconds: float = 20.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            value = check()
        except OSError:
            value = None
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("timed out")


@pytest.fixture
def server(sample_index: Path):
    port = _free_port()
    proc = subprocess.Popen(
        [MANCHETTE, "serve", "--index-dir", str(sample_index), "--port", str(port), "--workers=2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until(lambda: _get(base + "/healthz"))
        yield proc, base
    finally:
        if proc.poll() is None:
            proc.terminate()
        proc.wait(timeout=10)


def test_two_processes_share_the_port_and_answer(server):
    proc, base = server
    workers = _wait_until(lambda: len(_children(proc.pid)) == 2 and _children(proc.pid))
    assert len(workers) == 2
    for _ in range(20):
        assert b"Stoltenberg" in _get(base + "/search?q=Stoltenberg")


def _sockets(pid: int) -> int:
    """Open sockets of a process: its listening socket and its connections."""
    count = 0
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):
            count += os.readlink(fd).startswith("socket:")
    return count


def test_long_lived_connections_are_shared_between_the_workers(server):
    proc, base = server
    workers = _wait_until(lambda: len(_children(proc.pid)) == 2 and _children(proc.pid))
    host, port = base.removeprefix("http://").split(":")
    connections = []
    try:
        for _ in range(8):  # kept open, as a browser's or a load test's connections
            connection = http.client.HTTPConnection(host, int(port), timeout=10)
            connection.connect()
            connections.append(connection)
            time.sleep(0.05)
        for connection in connections:  # each one answered: accepted by some worker
            connection.request("GET", "/healthz")
        for connection in connections:
            assert connection.getresponse().read()
        assert sorted(_sockets(pid) - 1 for pid in workers) == [4, 4]
    finally:
        for connection in connections:
            connection.close()


def test_a_dead_worker_is_replaced_and_sigterm_stops_them_all(server):
    proc, base = server
    first = _wait_until(lambda: len(_children(proc.pid)) == 2 and _children(proc.pid))
    victim = min(first)
    os.kill(victim, signal.SIGKILL)
    _wait_until(lambda: victim not in (c := _children(proc.pid)) and len(c) == 2)
    again = _children(proc.pid)
    assert len(again) == 2 and victim not in again
    for _ in range(10):  # whichever process takes the connection answers
        assert b"<mark>Stoltenberg</mark>" in _get(base + "/search?q=Stoltenberg")
    assert b'"status":"ok"' in _get(base + "/healthz").replace(b" ", b"")
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=15) == 0
    assert not any(_alive(pid) for pid in again)


def test_workers_die_with_a_killed_parent(server):
    proc, _base = server
    workers = _wait_until(lambda: len(_children(proc.pid)) == 2 and _children(proc.pid))
    proc.kill()  # SIGKILL: the parent cannot forward anything
    proc.wait(timeout=10)
    _wait_until(lambda: not any(_alive(pid) for pid in workers), seconds=10)
