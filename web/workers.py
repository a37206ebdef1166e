"""Serving with several waitress processes on one listening socket (a pre-fork server).

A search spends its time in Python (matching, scoring, snippets), so threads in one process
share one core through the GIL: on 2 cores one process served half of what two do. The parent
binds the socket, forks ``workers`` children that each open the index and run waitress on the
inherited socket (the kernel hands each connection to one of them), restarts a child that
dies, and stops them all on SIGTERM or SIGINT.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import time
from collections.abc import Callable

import waitress

from index.parallel import die_with_parent

App = Callable  # a WSGI application


def bind(host: str, port: int, backlog: int = 1024) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(backlog)
    sock.setblocking(False)
    return sock


def _child(sock: socket.socket, make_app: Callable[[], App], options: dict, parent: int) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    die_with_parent(parent)  # a SIGKILLed parent takes its workers with it
    try:
        waitress.serve(make_app(), sockets=[sock], **options)
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
    children: set[int] = set()
    stopping = False

    def spawn() -> None:
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:
            _child(sock, make_app, options, parent)
        children.add(pid)

    def stop(_signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for _ in range(workers):
        spawn()
    while children:
        try:
            pid, _status = os.wait()
        except ChildProcessError:
            break
        except InterruptedError:
            continue
        children.discard(pid)
        if not stopping:  # a worker died: replace it, without spinning if it dies at once
            time.sleep(0.5)
            spawn()
    sock.close()
