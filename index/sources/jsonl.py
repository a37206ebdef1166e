"""JSON Lines exports (``.jsonl``, ``.jsonl.gz``): one article per line.

Each line is an object with ``id, url, source, lang, title, date, text`` (any may be missing or
null; unknown keys are ignored). A line that cannot be read becomes a ``Rejected`` carrying its
line number, and the file goes on.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import zlib
from collections.abc import Collection, Iterator
from pathlib import Path

from index.article import Article
from index.dates import parse_date
from index.fields import split_blocks
from index.language import detect_language, language_code
from index.records import Reuse, Unchanged, mark, record_digest
from index.sources.limits import MAX_LINE_BYTES, ByteStream, size_text
from index.sources.meta import site_name
from index.sources.rejected import Rejected
from index.text import decode_bytes, normalize_text


def read_jsonl(
    path: Path, only: Collection[str] | None = None, reuse: Reuse | None = None
) -> Iterator[Article | Rejected | Unchanged]:
    """The articles of a JSON Lines file, gzip-compressed if its name ends in ``.gz``.

    ``only``: the locations (``Article.path``, "FILE#LN") of the lines to parse; the others
    are passed over unread. Each article is marked with its line's place and digest
    (``index.records.mark``); ``reuse``: what stands for a line that need not be parsed
    (``index.records.RecordReuse``).
    """
    path = Path(path)
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    name = str(path)
    number = 0
    try:
        with opener(path, "rb") as handle:
            for number, raw in enumerate(_lines(handle), start=1):
                if raw is None:
                    limit = size_text(MAX_LINE_BYTES)
                    yield Rejected(str(path), f"line longer than {limit}, skipped", number)
                    continue
                place = f"L{number}"
                if (only is not None and f"{name}#{place}" not in only) or not raw.strip():
                    continue
                digest = record_digest(raw)
                if reuse is not None and (same := reuse(place, digest, f"{name}#{place}")):
                    yield same
                    continue
                item = parse_line(raw, name, number)
                yield mark(item, place, digest) if isinstance(item, Article) else item
    except (OSError, EOFError, zlib.error) as exc:
        reason = f"unreadable after line {number}: {exc}" if number else f"unreadable: {exc}"
        yield Rejected(str(path), reason)


def _lines(handle: ByteStream) -> Iterator[bytes | None]:
    """The lines of a stream, None for a line over ``MAX_LINE_BYTES`` (read past, never kept)."""
    while line := handle.readline(MAX_LINE_BYTES + 1):
        if len(line) <= MAX_LINE_BYTES or line.endswith(b"\n"):
            yield line if len(line) <= MAX_LINE_BYTES else None
            continue
        while (rest := handle.readline(MAX_LINE_BYTES)) and not rest.endswith(b"\n"):
            pass
        yield None


def parse_line(raw: bytes, path: str, number: int) -> Article | Rejected:
    """The article one line of a JSON Lines file holds, or why it holds none."""
    try:
        record = json.loads(decode_bytes(raw))
    except json.JSONDecodeError as exc:
        return Rejected(path, f"invalid JSON: {exc.msg} at column {exc.colno}", number)
    except RecursionError:
        return Rejected(path, "invalid JSON: nested too deeply", number)
    if not isinstance(record, dict):
        return Rejected(path, f"not a JSON object but {type(record).__name__}", number)
    try:
        return article_from_record(record, f"{path}#L{number}")
    except ValueError as exc:
        return Rejected(path, str(exc), number)


def article_from_record(record: dict, where: str = "") -> Article:
    """The article of one record; raises ``ValueError`` for wrong types or no text at all.

    id: the record's ``id``, else its ``url``, else the SHA-1 of its title and paragraphs.
    Paragraphs are separated by blank lines or single newlines; hard-wrapped lines are joined,
    and a first paragraph that only repeats the title is dropped.
    """
    title = " ".join(normalize_text(_string(record, "title")).split())
    paragraphs = split_blocks(normalize_text(_string(record, "text")))
    if paragraphs and title and paragraphs[0].casefold() == title.casefold():
        paragraphs = paragraphs[1:]
    if not title and not paragraphs:
        raise ValueError("no title and no text")
    url = _string(record, "url").strip() or None
    content = "\n\n".join([title, *paragraphs])
    body = "\n\n".join(paragraphs)
    lang = language_code(_string(record, "lang")) or detect_language(f"{title}\n{body}")
    return Article(
        id=_string(record, "id").strip() or url or hashlib.sha1(content.encode()).hexdigest(),
        title=title,
        lead=paragraphs[0] if paragraphs else "",
        body=body,
        source=site_name(_string(record, "source"), url),
        url=url,
        lang=lang,
        date=parse_date(_string(record, "date"), lang),
        path=where,
    )


def _string(record: dict, key: str) -> str:
    """A text field of the record: "" when missing or null; an integer id is accepted."""
    value = record.get(key)
    if value is None:
        return ""
    if isinstance(value, int) and not isinstance(value, bool) and key == "id":
        return str(value)
    if not isinstance(value, str):
        raise ValueError(f"field {key!r} must be a string, not {type(value).__name__}")
    return value
