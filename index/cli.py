"""The ``manchette`` command line: thin commands over library functions.

Indexing commands live here and never import Flask; ``search``/``show`` (search package) and
``serve`` (web package) are loaded only when invoked, so a cron job loads the indexer alone.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from typing import NoReturn

import click

from index.config import SETTINGS, load_settings

EXIT_OK, EXIT_REJECTED, EXIT_USAGE, EXIT_ERROR, EXIT_LOCKED = 0, 1, 2, 3, 75

LAZY_COMMANDS = {
    "search": "search.cli:search_command",
    "show": "search.cli:show_command",
    "batch": "search.cli:batch_command",
    "trends": "search.cli:trends_command",
    "export": "search.cli:export_command",
    "serve": "web.cli:serve_command",
    "migrate": "engines.opensearch.cli:migrate_command",
    "alerts": "search.alerts.cli:alerts_group",
}


class LazyGroup(click.Group):
    """A click group whose commands from other packages are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *LAZY_COMMANDS])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in LAZY_COMMANDS:
            module, attr = LAZY_COMMANDS[cmd_name].split(":")
            return getattr(importlib.import_module(module), attr)
        return super().get_command(ctx, cmd_name)


def index_dir_option(func):
    setting = next(s for s in SETTINGS if s.name == "index_dir")
    return click.option(
        "--index-dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help=f"{setting.help} [env {setting.env}; default {setting.default}]",
    )(func)


def _setting_help(name: str) -> str:
    setting = next(s for s in SETTINGS if s.name == name)
    return f"{setting.help} [env {setting.env}; default {setting.default}]"


def resolve_index_dir(index_dir: Path | None) -> Path:
    return load_settings(index_dir=index_dir).index_dir


def fail(message: str, code: int) -> NoReturn:
    click.echo(f"manchette: {message}", err=True)
    sys.exit(code)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="manchette")
def main() -> None:
    """Manchette: index news articles and search them, from the terminal or the browser."""


@main.command("parse")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per article (JSON Lines).")
def parse_command(files: tuple[Path, ...], as_json: bool) -> None:
    """Show how FILES would be split into articles, without touching an index."""
    from index.build import read_inputs
    from index.report import IndexReport

    report = IndexReport()
    for article in read_inputs(list(files), report):
        if as_json:
            click.echo(json.dumps(article.to_dict(), ensure_ascii=False))
        else:
            click.echo(f"{article.id}\t{article.lang}\t{article.date or '-'}\t{article.title}")
    for rejected in report.rejected:
        click.echo(f"rejected: {rejected.path}: {rejected.reason}", err=True)
    sys.exit(EXIT_REJECTED if report.rejected else EXIT_OK)


@main.command("index")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@index_dir_option
@click.option(
    "--rebuild", is_flag=True, help="Build a fresh index from PATHS and swap it in atomically."
)
@click.option("--prune", is_flag=True, help="Delete articles whose files no longer exist.")
@click.option(
    "--wait",
    type=float,
    default=0.0,
    show_default=True,
    help="Seconds to wait for another job's lock before giving up (exit 75).",
)
@click.option(
    "--parse-workers",
    type=click.IntRange(0, 1),
    default=1,
    show_default=True,
    help="1: read and split files in a worker process while this one writes; 0: inline.",
)
@click.option(
    "--commit-seconds",
    type=click.FloatRange(min=0),
    default=None,
    help=f"{_setting_help('commit_seconds')}",
)
@click.option(
    "--commit-mb",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help=f"{_setting_help('commit_mb')}",
)
@click.option("--quiet", "-q", is_flag=True, help="Print nothing unless something went wrong.")
@click.option(
    "--report",
    "report_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the run's report as JSON to this file.",
)
def index_command(
    paths: tuple[Path, ...],
    index_dir: Path | None,
    rebuild: bool,
    prune: bool,
    wait: float,
    parse_workers: int,
    commit_seconds: float | None,
    commit_mb: float | None,
    quiet: bool,
    report_file: Path | None,
) -> None:
    """Index files and folders (recursively): .txt, .html, .json(l)[.gz], .warc[.gz].

    Unchanged inputs are skipped; so is an unchanged file whose rejections were reported by an
    earlier run (`manchette stats` lists it as still rejected).

    Exit codes: 0 all inputs indexed or unchanged; 1 committed, but some inputs were
    rejected; 2 usage error (none of PATHS exists: nothing is created); 75 another job
    holds the lock; 3 failed, nothing committed.
    """
    from engines import open_engine
    from engines.base import RebuildRequired
    from index.layout import IndexLocked
    from index.progress import ProgressLine

    try:
        settings = load_settings(
            index_dir=index_dir, commit_seconds=commit_seconds, commit_mb=commit_mb
        )
    except ValueError as exc:
        fail(str(exc), EXIT_USAGE)
    target = settings.index_dir
    if not any(path.exists() for path in paths):  # nothing to index: create no index dir
        missing = ", ".join(str(path) for path in paths[:3]) + (", ..." if len(paths) > 3 else "")
        fail(f"nothing to index: no such file or directory: {missing}", EXIT_USAGE)
    show_progress = not quiet and sys.stderr.isatty()
    try:
        report = open_engine(target).index_paths(
            list(paths),
            wait=wait,
            rebuild=rebuild,
            prune=prune,
            progress=ProgressLine(_echo_progress) if show_progress else None,
            parse_workers=parse_workers,
            commit_seconds=settings.commit_seconds,
            commit_mb=settings.commit_mb,
        )
    except IndexLocked as exc:
        fail(str(exc), EXIT_LOCKED)
    except (RebuildRequired, OSError) as exc:
        fail(f"indexing failed, nothing committed: {exc}", EXIT_ERROR)
    if show_progress:
        click.echo("", err=True)
    if report_file is not None:
        report_file.write_text(json.dumps(report.to_dict(), indent=2) + "\n", encoding="utf-8")
    for rejected in report.rejected:
        click.echo(f"rejected: {rejected.path}: {rejected.reason}", err=True)
    if not quiet or report.rejected:
        click.echo(report.summary(), err=bool(quiet))
    sys.exit(EXIT_REJECTED if report.rejected else EXIT_OK)


def _echo_progress(text: str) -> None:
    click.echo(text, err=True, nl=False)


@main.command("stats")
@index_dir_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def stats_command(index_dir: Path | None, as_json: bool) -> None:
    """Articles per language and source, index size, and the last indexing run."""
    from engines import open_engine
    from engines.base import IndexMissing, RebuildRequired

    try:
        stats = open_engine(resolve_index_dir(index_dir)).stats()
    except (IndexMissing, RebuildRequired) as exc:
        fail(str(exc), EXIT_ERROR)
    if as_json:
        click.echo(json.dumps(stats.to_dict(), ensure_ascii=False))
        return
    click.echo(f"{stats.articles:,} articles, {stats.size_bytes / 1e6:,.1f} MB on disk")
    for title, counts in (("language", stats.by_lang), ("source", stats.by_source)):
        click.echo(f"\nby {title}:")
        for name, count in counts.items():
            click.echo(f"  {count:>9,}  {name or '(unknown)'}")
    if stats.last_run:
        click.echo(
            f"\nlast run: {stats.last_run.get('finished_at')}: "
            f"{stats.last_run.get('added')} added, {stats.last_run.get('updated')} "
            f"updated, {stats.last_run.get('rejected_count')} rejected "
            f"in {stats.last_run.get('seconds')}s"
        )
        still = stats.last_run.get("still_rejected_inputs") or []
        if stats.last_run.get("still_rejected"):
            click.echo(
                f"still rejected: {stats.last_run['still_rejected']} input(s) of "
                f"{stats.last_run.get('files_still_rejected')} unchanged file(s), "
                "reported by an earlier run"
            )
        for item in still:
            click.echo(f"  {item.get('path')}: {item.get('reason')}")


@main.command("check")
@index_dir_option
@click.option("--json", "as_json", is_flag=True, help="Print the verdict as JSON.")
def check_command(index_dir: Path | None, as_json: bool) -> None:
    """Verify the index: segments, postings, stored fields, counts (read only).

    Exit codes: 0 the index is sound; 3 it is missing, needs a rebuild, or is damaged.
    """
    from engines import open_engine

    report = open_engine(resolve_index_dir(index_dir)).check()
    if as_json:
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False))
    else:
        click.echo(report.summary())
        for problem in report.problems:
            click.echo(f"problem: {problem}")
        for note in report.notes:
            click.echo(f"note: {note}", err=True)
    sys.exit(EXIT_OK if report.ok else EXIT_ERROR)


@main.command("analyze")
@click.argument("text")
@click.option("--lang", default="fr", show_default=True, help="Language whose chain to use.")
@click.option("--exact", is_flag=True, help="Use the unstemmed chain.")
@click.option("--explain", is_flag=True, help="Show the tokens after each stage of the chain.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def analyze_command(text: str, lang: str, exact: bool, explain: bool, as_json: bool) -> None:
    """Show the tokens the analysis chain of a language makes of TEXT."""
    from index.analysis import analyze
    from index.analysis import explain as explain_stages

    if explain:
        stages = explain_stages(text, lang, exact=exact)
        if as_json:
            click.echo(
                json.dumps([{"stage": n, "tokens": t} for n, t in stages], ensure_ascii=False)
            )
            return
        width = max(len(name) for name, _ in stages)
        for name, tokens in stages:
            click.echo(f"{name:<{width}}  " + " ".join(t["text"] for t in tokens))
        return
    words = analyze(text, lang, exact=exact)
    click.echo(json.dumps(words, ensure_ascii=False) if as_json else " ".join(words))
