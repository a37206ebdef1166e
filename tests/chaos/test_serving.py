"""Serving, against real ``manchette serve`` processes: no debug mode, loopback by default,
the index directory only read, request size and time limits enforced."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path

import pytest
from chaoslib import MANCHETTE, Server, index_env, serve


def test_refuses_to_start_with_debug_enabled(hostile_archive: Path, tmp_path: Path):
    config = tmp_path / "web.cfg"
    config.write_text("DEBUG = True\n")
    for extra in ({"FLASK_DEBUG": "1"}, {"MANCHETTE_DEBUG": "true"},
                  {"MANCHETTE_WEB_CONFIG": str(config)}):  # fmt: skip
        done = subprocess.run(
            [MANCHETTE, "serve", "--index-dir", str(hostile_archive), "--port", "1"],
            capture_output=True,
            text=True,
            env=index_env(**extra),
            timeout=60,
            check=False,
        )
        assert done.returncode == 2, (extra, done.stderr)
        assert "refusing to serve with debug enabled" in done.stderr


def _listening(port: int) -> list[str]:
    """Local addresses of the sockets listening on ``port`` (from /proc/net/tcp{,6})."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, _, hex_port = local.partition(":")
            if state == "0A" and int(hex_port, 16) == port:
                found.append(address)
    return found


def test_listens_on_loopback_unless_told_otherwise(server: Server):
    assert _listening(server.port) == ["0100007F"]  # 127.0.0.1, nothing else


@pytest.fixture
def read_only_copy(hostile_archive: Path, tmp_path: Path):
    """A copy of the index on a read-only bind mount (as root), else made read-only by mode."""
    copy = tmp_path / "ro-index"
    subprocess.run(["cp", "-a", str(hostile_archive), str(copy)], check=True)
    mounted = (
        os.geteuid() == 0
        and subprocess.run(["mount", "--bind", str(copy), str(copy)], check=False).returncode == 0
    )
    if mounted:
        subprocess.run(["mount", "-o", "remount,ro,bind", str(copy)], check=True)
    else:
        subprocess.run(["chmod", "-R", "a-w", str(copy)], check=True)
    try:
        yield copy, mounted
    finally:
        if mounted:
            subprocess.run(["umount", str(copy)], check=False)
        subprocess.run(["chmod", "-R", "u+w", str(copy)], check=False)


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p): (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*")}


READ_PATHS = ["/search?q=zebra", "/search.json?q=harbour&page=2", "/articles/inj-1"]
READ_PATHS += ["/search.csv?q=zebra", "/search.atom?q=zebra", "/stats", "/healthz"]


def test_only_ever_reads_the_index_directory(read_only_copy):
    copy, mounted = read_only_copy
    with pytest.raises(OSError):  # really read-only, even for root
        (copy / "probe").write_text("x")
    before = _snapshot(copy)
    with serve(copy) as running:
        for path in READ_PATHS:
            status, _, body = running.get(path)
            assert status == 200, (path, status, body[:300])
        log = running.stderr()
    assert _snapshot(copy) == before
    assert "Read-only file system" not in log and "Permission denied" not in log
    assert mounted or os.geteuid() != 0


def _raw(server: Server, data: bytes, wait: float = 10.0) -> bytes:
    with socket.create_connection((server.host, server.port), timeout=wait) as sock:
        sock.sendall(data)
        chunks = []
        try:
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        except (ConnectionResetError, TimeoutError):
            pass
    return b"".join(chunks)


def test_request_body_and_header_sizes_are_limited(server: Server):
    body = b"x" * (1 << 20)
    head = (
        b"POST /search HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: %d\r\n\r\n"
        % len(body)
    )
    reply = _raw(server, head + body)
    assert reply.startswith(b"HTTP/1.1 413"), reply[:200]
    huge = (
        b"GET /search?q=a HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Junk: "
        + b"y" * 100_000
        + b"\r\n\r\n"
    )
    reply = _raw(server, huge)
    assert reply.split(b"\r\n")[0].split()[1] in (b"413", b"431", b"400"), reply[:200]
    long_url = (
        b"GET /search?q=" + b"a" * 40000 + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )  # 400
    status = int(_raw(server, long_url).split()[1])
    assert 400 <= status < 500


@pytest.mark.chaos
def test_a_slow_client_is_disconnected(hostile_archive: Path):
    """A half-sent request (slowloris) is dropped after CHANNEL_TIMEOUT seconds."""
    env = index_env(MANCHETTE_CHANNEL_TIMEOUT="2", MANCHETTE_CLEANUP_INTERVAL="1")
    with serve(hostile_archive, env=env) as running:
        started = time.monotonic()
        with socket.create_connection((running.host, running.port), timeout=30) as sock:
            sock.sendall(b"GET /search?q=zebra HTTP/1.1\r\nHost: x\r\n")  # never finished
            assert sock.recv(1024) == b""  # the server hung up
        waited = time.monotonic() - started
        status, _, _ = running.get("/healthz")
    assert waited < 15, waited
    assert status == 200
