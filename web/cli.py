"""``manchette serve``: the web front end behind waitress, a production WSGI server."""

from __future__ import annotations

from pathlib import Path

import click

from index.cli import index_dir_option
from index.config import load_settings


@click.command("serve")
@index_dir_option
@click.option("--host", default=None, help="Address to listen on [default 127.0.0.1].")
@click.option("--port", type=int, default=None, help="Port to listen on [default 8000].")
@click.option("--threads", type=int, default=None, help="Worker threads [default 8].")
def serve_command(
    index_dir: Path | None, host: str | None, port: int | None, threads: int | None
) -> None:
    """Serve the search page and JSON API with waitress (never Flask's debug server)."""
    import waitress

    from web import create_app

    settings = load_settings(index_dir=index_dir, host=host, port=port, threads=threads)
    app = create_app({"INDEX_DIR": str(settings.index_dir)})
    click.echo(
        f"Manchette serving {settings.index_dir} on http://{settings.host}:{settings.port}/",
        err=True,
    )
    waitress.serve(
        app, host=settings.host, port=settings.port, threads=settings.threads, ident="manchette"
    )
