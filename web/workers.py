"""Serving with several waitress processes on one listening socket (a pre-fork server).

A search spends its time in Python (matching, scoring, snippets), so threads in one process
share one core through the GIL: on 2 cores one process served half of what two do. The parent
binds the socket, forks ``workers`` children that each open the index and run waitress on the
inherited socket (the kernel hands each connection to one of them), restarts a child that
dies, and stops them all on SIGTERM or SIGINT.

Every worker is woken by a new connection, and the first to call ``accept`` gets it, so a few
long-lived connections (a browser's, a load balancer's, a benchmark's) can pile up on one
worker while the other idles: with 8 connections, 6 on one worker and 2 on the other happens
about one time in five, and the busier worker's requests then wait three times as long. So the
workers share their counts of open connections (``Loads``), and a worker holding more than
another leaves a new connection to it for a moment (``BALANCE_WAIT``) before taking it itself.
"""

from __future__ import annotations

import contextlib
import logging
import mmap
import os
import select
import signal
import socket
import time
from collections.abc import Callable
from typing import Any

import waitress

from index.parallel import die_with_parent

App = Callable  # a WSGI application
BALANCE_WAIT = 0.05  # seconds, at most, a busier worker leaves a new connection to another
BALANCE_STEP = 0.005  # seconds between its looks at whether the connection is still waiting


class Loads:
    """Each worker's count of open connections, in memory the forked workers share."""

    def __init__(self, workers: int) -> None:
        self._memory = mmap.mmap(-1, 8 * workers)  # anonymous and shared across fork()
        self.counts = memoryview(self._memory).cast("q")

    def note(self, slot: int, connections: int) -> None:
        self.counts[slot] = connections

    def busier(self, slot: int) -> bool:
        """Whether another worker holds fewer open connections than this one."""
        mine = self.counts[slot]
        return any(n < mine for i, n in enumerate(self.counts) if i != slot)


def balance(server: Any, loads: Loads, slot: int) -> None:
    """Make a waitress server note its open connections in ``loads`` and, when it holds more
    than another worker, wait ``BALANCE_WAIT`` before accepting a new one (the other worker,
    woken by the same connection, takes it meanwhile; if none does, this one does)."""
    readable, accept = server.readable, server.handle_accept

    def noting_readable() -> bool:  # asked on every turn of the server's loop
        loads.note(slot, len(server.active_channels))
        return readable()

    def balanced_accept() -> None:
        waited = 0.0
        while loads.busier(slot) and waited < BALANCE_WAIT:
            time.sleep(BALANCE_STEP)
            waited += BALANCE_STEP
            if not select.select([server.socket], [], [], 0)[0]:
                return  # another worker took it
        accept()  # gets nothing when another worker took the connection meanwhile
        loads.note(slot, len(server.active_channels))

    server.readable = noting_readable
    server.handle_accept = balanced_accept


def bind(host: str, port: int, backlog: int = 1024) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(backlog)
    sock.setblocking(False)
    return sock


def _child(
    sock: socket.socket,
    make_app: Callable[[], App],
    options: dict,
    parent: int,
    loads: Loads,
    slot: int,
) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    die_with_parent(parent)  # a SIGKILLed parent takes its workers with it
    try:
        logging.basicConfig()  # as waitress.serve does
        server = waitress.create_server(make_app(), sockets=[sock], **options)
        balance(server, loads, slot)
        server.print_listen("Serving on http://{}:{}")
        server.run()
    finally:
        os._exit(0)


def serve(
    make_app: Callable[[], App], host: str, port: int, workers: int, **options: object
) -> None:
    """Serve ``make_app()`` on host:port with ``workers`` processes (in this one when 1)."""
    serve_socket(make_app, bind(host, port), workers, **options)


def serve_socket(
    make_app: Callable[[], App], sock: socket.socket, workers: int, **options: object
) -> None:
    """Serve ``make_app()`` on a socket already bound (``bind``), so that a busy address is
    found before anything is announced or forked."""
    if workers <= 1:
        waitress.serve(make_app(), sockets=[sock], **options)
        return
    children: dict[int, int] = {}  # pid → its slot in ``loads``
    loads = Loads(workers)
    stopping = False

    def spawn(slot: int) -> None:
        parent = os.getpid()
        loads.note(slot, 0)
        pid = os.fork()
        if pid == 0:
            _child(sock, make_app, options, parent, loads, slot)
        children[pid] = slot

    def stop(_signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for slot in range(workers):
        spawn(slot)
    while children:
        try:
            pid, _status = os.wait()
        except ChildProcessError:
            break
        except InterruptedError:
            continue
        if pid not in children:
            continue
        slot = children.pop(pid)
        if not stopping:  # a worker died: replace it, without spinning if it dies at once
            time.sleep(0.5)
            spawn(slot)
    sock.close()
