"""``manchette migrate``: a thin command over ``engines.opensearch.migrate``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from index.cli import EXIT_ERROR, EXIT_LOCKED, EXIT_OK, fail, index_dir_option, resolve_index_dir


@click.command("migrate")
@click.option(
    "--to",
    "target",
    type=click.Choice(["opensearch"]),
    required=True,
    help="The backend to copy the archive into.",
)
@index_dir_option
@click.option(
    "--wait", type=float, default=0.0, show_default=True, help="Seconds to wait for the job lock."
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def migrate_command(target: str, index_dir: Path | None, wait: float, as_json: bool) -> None:
    """Copy the Whoosh archive of --index-dir into OpenSearch (MANCHETTE_OPENSEARCH_URL).

    Every article is copied with its fields, hashes and cluster keys into a new index, which is
    put behind the alias (MANCHETTE_OPENSEARCH_INDEX) only once all of it is written; then set
    MANCHETTE_BACKEND=opensearch. The Whoosh index is left as it was.

    Exit codes: 0 migrated; 3 failed, nothing switched; 75 an indexing job holds the lock.
    """
    from opensearchpy.exceptions import OpenSearchException

    from engines.base import IndexMissing, RebuildRequired
    from engines.opensearch.migrate import MigrationFailed, migrate_to_opensearch
    from index.layout import IndexLocked

    source = resolve_index_dir(index_dir)
    try:
        report = migrate_to_opensearch(source, wait=wait)
    except IndexLocked as exc:
        fail(str(exc), EXIT_LOCKED)
    except (IndexMissing, RebuildRequired, MigrationFailed, OpenSearchException, OSError) as exc:
        fail(f"migration failed, nothing switched: {exc}", EXIT_ERROR)
    click.echo(json.dumps(report.to_dict()) if as_json else report.summary())
    sys.exit(EXIT_OK)
