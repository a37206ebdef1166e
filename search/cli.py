"""``manchette search``, ``show``, ``batch``, ``trends`` and ``export``: thin commands over the
engine (``search``, ``export_rows``) and the library (``run_batch``, ``run_trends``)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from engines import Engine, open_engine
from engines.base import IndexMissing, RebuildRequired, Unsupported
from index.cli import EXIT_ERROR, EXIT_USAGE, fail, index_dir_option, resolve_index_dir
from index.config import load_settings
from search.batch import BATCH_CSV_COLUMNS, read_queries, run_batch
from search.daterange import DateSpan
from search.export import EXPORT_FORMATS, csv_table, export_lines
from search.ranking import explain_rules
from search.request import InvalidRequest, SearchRequest
from search.results import SearchResult
from search.trends import INTERVALS, TRENDS_CSV_COLUMNS, check_queries, run_trends


@click.command("search")
@click.argument("query")
@index_dir_option
@click.option("--limit", type=int, default=10, show_default=True, help="Hits per page.")
@click.option("--page", type=int, default=1, show_default=True, help="Page number.")
@click.option("--lang", default=None, help="Only articles in this language (fr, en, ...).")
@click.option(
    "--sort",
    type=click.Choice(["relevance", "newest", "oldest"]),
    default="relevance",
    show_default=True,
)
@click.option("--recency", is_flag=True, help="Apply the recency rule: newer articles rank higher.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--explain", is_flag=True, help="Show the ranking rules and the parsed query.")
def search_command(
    query: str,
    index_dir: Path | None,
    limit: int,
    page: int,
    lang: str | None,
    sort: str,
    recency: bool,
    as_json: bool,
    explain: bool,
) -> None:
    """Search the index for QUERY and print ranked hits (see the README's query language)."""
    request = SearchRequest(q=query, page=page, limit=limit, lang=lang, sort=sort, recency=recency)
    try:
        request.validate()
    except InvalidRequest as exc:
        fail(str(exc), EXIT_USAGE)
    engine = open_engine(resolve_index_dir(index_dir))
    result, explained = _search(engine, request, explain)
    if as_json:
        data = result.to_dict()
        if explain:
            data["rules"] = explain_rules()
            for hit in data["hits"]:
                hit["explain"] = explained[hit["id"]]
        click.echo(json.dumps(data, ensure_ascii=False))
        return
    if explain:
        for rule in explain_rules():
            click.echo(f"rule {rule['name']} = {rule['value']}: {rule['help']}")
    if result.notice:
        click.echo(f"note: {result.notice}", err=True)
    click.echo(f"{result.total} hits ({result.took_ms:.1f} ms), page {result.page}")
    for n, hit in enumerate(result.hits, start=(page - 1) * limit + 1):
        click.echo(f"\n{n}. {hit.title}  [{hit.lang} · {hit.source} · {hit.date or 'no date'}]")
        click.echo(f"   id {hit.id}  score {hit.score:.3f}")
        if explain:
            parts = ", ".join(f"{k} {v:.3f}" for k, v in explained[hit.id].items())
            click.echo(f"   explain: {parts}")
        click.echo("   " + _terminal_snippet(hit.snippet.text, hit.snippet.spans))


def _search(engine, request: SearchRequest, explain: bool) -> tuple[SearchResult, dict]:
    try:
        if explain:
            return engine.explain(request)
        return engine.search(request), {}
    except Unsupported as exc:
        fail(str(exc), EXIT_USAGE)
    except (IndexMissing, RebuildRequired) as exc:
        fail(str(exc), EXIT_ERROR)
    finally:
        engine.close()


def _terminal_snippet(text: str, spans: list[tuple[int, int]]) -> str:
    out, pos = [], 0
    for start, end in sorted(spans):
        out += [text[pos:start], click.style(text[start:end], bold=True, underline=True)]
        pos = end
    out.append(text[pos:])
    return "".join(out)


@click.command("show")
@click.argument("article_id")
@index_dir_option
@click.option("--json", "as_json", is_flag=True, help="Print the article as JSON.")
def show_command(article_id: str, index_dir: Path | None, as_json: bool) -> None:
    """Print one stored article with all its fields."""
    engine = open_engine(resolve_index_dir(index_dir))
    try:
        article = engine.get_article(article_id)
    except (IndexMissing, RebuildRequired) as exc:
        fail(str(exc), EXIT_ERROR)
    finally:
        engine.close()
    if article is None:
        fail(f"no article with id {article_id!r}", EXIT_ERROR)
    if as_json:
        click.echo(json.dumps(article.to_dict(), ensure_ascii=False))
        return
    for name, value in article.to_dict().items():
        if name == "body":
            continue
        click.echo(f"{name}: {value}")
    click.echo("\n" + article.body)


@contextmanager
def _engine(index_dir: Path | None) -> Iterator[Engine]:
    """The engine of the archive, closed after; a missing or outdated archive exits 3."""
    engine = open_engine(resolve_index_dir(index_dir))
    try:
        yield engine
    except (IndexMissing, RebuildRequired) as exc:
        fail(str(exc), EXIT_ERROR)
    finally:
        engine.close()


def _span(date_from: str | None, date_to: str | None) -> DateSpan | None:
    try:
        return DateSpan.from_params(date_from, date_to)
    except InvalidRequest as exc:
        fail(str(exc), EXIT_USAGE)


def _date_options(func):
    func = click.option("--to", "date_to", default=None, help="Published on or before this date.")(
        func
    )
    func = click.option(
        "--from",
        "date_from",
        default=None,
        help="Published on or after: 2012, 2012-05, 2012-05-22.",
    )(func)
    return click.option("--lang", default=None, help="Only articles in this language.")(func)


@click.command("batch")
@click.argument("file", type=click.File("r", encoding="utf-8"))
@index_dir_option
@click.option("--json", "as_json", is_flag=True, help="Print the rows as JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="Print the rows as CSV.")
@_date_options
def batch_command(
    file,
    index_dir: Path | None,
    as_json: bool,
    as_csv: bool,
    lang: str | None,
    date_from: str | None,
    date_to: str | None,
) -> None:
    """Search every query of FILE (one per line; blank and # lines skipped; - for stdin).

    At most 5,000 queries. Each gets one row: total, first and last dates, top sources, top
    hits. Exit codes: 0 done; 2 usage error (too many queries, bad option); 3 no index.
    """
    if as_json and as_csv:
        fail("--json and --csv exclude each other", EXIT_USAGE)
    span = _span(date_from, date_to)
    try:
        queries = read_queries(file)
        SearchRequest(q="", lang=lang).validate()
    except InvalidRequest as exc:
        fail(str(exc), EXIT_USAGE)
    with _engine(index_dir) as engine:
        result = run_batch(engine, queries, lang, span)
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False))
    elif as_csv:
        for line in csv_table(BATCH_CSV_COLUMNS, (row.values() for row in result.rows)):
            click.echo(line, nl=False)
    else:
        for row in result.rows:
            dates = f"{row.first_date or '?'} … {row.last_date or '?'}" if row.total else "-"
            click.echo(f"{row.total:>8,}  {dates:<25}  {row.query}")
            if row.notice:
                click.echo(f"note: {row.query}: {row.notice}", err=True)
        click.echo(f"{len(result.rows)} queries in {result.took_ms / 1000:.1f} s", err=True)


@click.command("trends")
@click.argument("queries", nargs=-1, required=True)
@index_dir_option
@click.option(
    "--interval",
    type=click.Choice(INTERVALS),
    default=None,
    help="Count per month or per year [default: months unless the matches span 3+ years].",
)
@click.option("--json", "as_json", is_flag=True, help="Print the series as JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="Print one CSV row per query and period.")
@_date_options
def trends_command(
    queries: tuple[str, ...],
    index_dir: Path | None,
    interval: str | None,
    as_json: bool,
    as_csv: bool,
    lang: str | None,
    date_from: str | None,
    date_to: str | None,
) -> None:
    """How often each of QUERIES (up to 4) was published per period, as counts and as shares
    of everything published then."""
    if as_json and as_csv:
        fail("--json and --csv exclude each other", EXIT_USAGE)
    span = _span(date_from, date_to)
    try:
        base = SearchRequest(q="", lang=lang).validate()
        check_queries(list(queries))
    except InvalidRequest as exc:
        fail(str(exc), EXIT_USAGE)
    with _engine(index_dir) as engine:
        try:
            trends = run_trends(engine, list(queries), base, span, interval)
        except InvalidRequest as exc:
            fail(str(exc), EXIT_USAGE)
    if as_json:
        click.echo(json.dumps(trends.to_dict(), ensure_ascii=False))
        return
    if as_csv:
        for line in csv_table(TRENDS_CSV_COLUMNS, trends.csv_rows()):
            click.echo(line, nl=False)
        return
    for series in trends.series:
        click.echo(f"{series.query}: {series.total:,} dated, {series.undated:,} undated")
        for point in series.points:
            click.echo(f"  {point.period:<8} {point.count:>8,}  {point.share:>8.2%}")


@click.command("export")
@click.argument("query")
@index_dir_option
@click.option(
    "--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="jsonl", show_default=True
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file instead of stdout.",
)
@click.option(
    "--sort",
    type=click.Choice(["relevance", "newest", "oldest"]),
    default="relevance",
    show_default=True,
)
@_date_options
def export_command(
    query: str,
    index_dir: Path | None,
    fmt: str,
    output: Path | None,
    sort: str,
    lang: str | None,
    date_from: str | None,
    date_to: str | None,
) -> None:
    """Write every article matching QUERY (collapsed as on the page), streamed, as JSON Lines
    (id, title, url, source, lang, date, score) or CSV. MANCHETTE_MAX_EXPORT_ROWS caps it."""
    span = _span(date_from, date_to)
    request = SearchRequest(q=query, lang=lang, sort=sort)
    try:
        request.validate()
    except InvalidRequest as exc:
        fail(str(exc), EXIT_USAGE)
    limit = load_settings().max_export_rows
    with _engine(index_dir) as engine:
        lines = export_lines(engine.export_rows(request, span, limit), fmt)
        if output is None:
            for line in lines:
                click.echo(line, nl=False)
            return
        partial = output.with_name(output.name + ".part")
        with partial.open("w", encoding="utf-8", newline="") as handle:
            handle.writelines(lines)
        partial.replace(output)  # a failed export never leaves a cut file under the name
