"""``manchette serve``: the web front end behind waitress, a production WSGI server.

Limits (each a Flask config key, so ``MANCHETTE_<KEY>`` or the config file can change it):

- ``MAX_CONTENT_LENGTH``: request body, 64 KiB;
- ``MAX_HEADER_BYTES``: request line and headers, 64 KiB (a 10,000-character query fits);
- ``CHANNEL_TIMEOUT``: seconds a connection may stay idle, half-sent requests included, 30
  (checked every ``CLEANUP_INTERVAL``, 10 s);
- ``CONNECTION_LIMIT``: open connections, 100.

Query cost is bounded by ``search.parse``'s caps (words, prefix expansions). The server only
reads the index directory.
"""

from __future__ import annotations

import errno
import socket
import sys
from pathlib import Path

import click

from index.cli import EXIT_USAGE, index_dir_option
from index.config import load_settings

SERVER_LIMITS = {  # Flask config key → (waitress option, default)
    "MAX_CONTENT_LENGTH": ("max_request_body_size", 64 * 1024),
    "MAX_HEADER_BYTES": ("max_request_header_size", 64 * 1024),
    "CHANNEL_TIMEOUT": ("channel_timeout", 30),
    "CONNECTION_LIMIT": ("connection_limit", 100),
    "CLEANUP_INTERVAL": ("cleanup_interval", 10),  # how often idle connections are checked
}
_TRUE = {"1", "true", "yes", "on"}


def debug_requested(environ: dict[str, str], config: dict) -> str | None:
    """Where debug mode was asked for (an environment variable or config key), else None."""
    for name in ("FLASK_DEBUG", "MANCHETTE_DEBUG"):
        if environ.get(name, "").strip().lower() in _TRUE:
            return name
    if config.get("DEBUG") or config.get("ENV") == "development":
        return "the web config file (DEBUG)"
    return None


def bind_failure(host: str, port: int, exc: OSError) -> str:
    """One line saying why the server cannot listen on host:port, and what to try."""
    where = f"{host}:{port}"
    if exc.errno == errno.EADDRINUSE:
        return f"cannot serve on {where}: the address is already in use; try another --port"
    if exc.errno == errno.EACCES:
        return f"cannot serve on {where}: permission denied; try a --port above 1023"
    if exc.errno == errno.EADDRNOTAVAIL or isinstance(exc, socket.gaierror):
        return f"cannot serve on {where}: no such address on this machine; check --host"
    return f"cannot serve on {where}: {exc.strerror or exc}; try another --host or --port"


@click.command("serve")
@index_dir_option
@click.option("--host", default=None, help="Address to listen on [default 127.0.0.1].")
@click.option("--port", type=int, default=None, help="Port to listen on [default 8000].")
@click.option("--threads", type=int, default=None, help="Worker threads [default 8].")
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Server processes sharing the port (searches are CPU-bound: one per core).",
)
def serve_command(
    index_dir: Path | None,
    host: str | None,
    port: int | None,
    threads: int | None,
    workers: int,
) -> None:
    """Serve the search page and JSON API with waitress (never Flask's debug server).

    Refuses to start (exit 2) when debug mode is asked for (FLASK_DEBUG, MANCHETTE_DEBUG or
    DEBUG in the config file): the debugger runs code sent by the browser.
    Also exits 2, saying why in one line, when it cannot listen (a busy port, say).
    """
    import os

    from flask import Config

    from web import create_app
    from web.workers import bind, serve_socket

    layered = Config(str(Path.cwd()))
    layered.from_envvar("MANCHETTE_WEB_CONFIG", silent=True)
    layered.from_prefixed_env("MANCHETTE")
    where = debug_requested(dict(os.environ), layered)
    if where is not None:
        click.echo(f"manchette: refusing to serve with debug enabled (by {where})", err=True)
        sys.exit(EXIT_USAGE)
    settings = load_settings(index_dir=index_dir, host=host, port=port, threads=threads)
    app = create_app({"INDEX_DIR": str(settings.index_dir)})
    limits = {
        option: app.config.get(key, default) for key, (option, default) in SERVER_LIMITS.items()
    }
    try:
        sock = bind(settings.host, settings.port)
    except OSError as exc:
        click.echo(f"manchette: {bind_failure(settings.host, settings.port, exc)}", err=True)
        sys.exit(EXIT_USAGE)
    click.echo(
        f"Manchette serving {settings.index_dir} on http://{settings.host}:{settings.port}/",
        err=True,
    )
    serve_socket(
        lambda: app,
        sock,
        workers,
        threads=settings.threads,
        ident="manchette",
        expose_tracebacks=False,
        **limits,
    )
