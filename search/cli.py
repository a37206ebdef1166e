"""``manchette search`` and ``manchette show``: thin commands over the engine's search."""

from __future__ import annotations

import json
from pathlib import Path

import click

from engines import open_engine
from engines.base import IndexMissing, RebuildRequired, Unsupported
from index.cli import EXIT_ERROR, EXIT_USAGE, fail, index_dir_option, resolve_index_dir
from search.ranking import explain_rules
from search.request import InvalidRequest, SearchRequest
from search.results import SearchResult


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
