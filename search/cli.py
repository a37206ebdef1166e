"""``manchette search`` and ``manchette show``: thin commands over ``run_search``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from index.cli import EXIT_ERROR, EXIT_USAGE, fail, index_dir_option, resolve_index_dir
from index.writer import IndexMissing, RebuildRequired, open_index
from search.backends import RemoteIndex, remote_backend
from search.execute import get_article, run_search
from search.explain import explain_hit
from search.parse import parse_query
from search.ranking import explain_rules, weighting
from search.request import InvalidRequest, SearchRequest


def _open(index_dir: Path | None, explain: bool = False):
    remote = remote_backend()
    if remote is not None:  # MANCHETTE_BACKEND=opensearch: the cluster answers
        if explain:
            fail(
                "--explain shows Whoosh's ranking rules: not with MANCHETTE_BACKEND=opensearch",
                EXIT_USAGE,
            )
        return RemoteIndex(remote)
    try:
        return open_index(resolve_index_dir(index_dir))
    except (IndexMissing, RebuildRequired) as exc:
        fail(str(exc), EXIT_ERROR)


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
    ix = _open(index_dir, explain)
    with ix.searcher(weighting=weighting()) as searcher:
        result = run_search(searcher, request)
        explained = {}
        if explain:
            parsed = parse_query(query, searcher.schema, lang, searcher.reader())
            explained = {h.id: explain_hit(searcher, parsed, h.id) for h in result.hits}
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
    ix = _open(index_dir)
    with ix.searcher() as searcher:
        article = get_article(searcher, article_id)
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
