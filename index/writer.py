"""The only place that opens, creates and writes the Whoosh index on disk.

An index directory holds Whoosh's files plus ``manchette.json`` (schema and analysis versions).
An index written by another version of the analysis cannot be searched correctly: opening it
raises :class:`RebuildRequired` with the command that fixes it.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.index import FileIndex, LockError
from whoosh.writing import SegmentWriter

from index.analysis import lang_key
from index.article import Article
from index.schema import (
    HASH_FIELD,
    ID_FIELD,
    STORED_FIELDS,
    build_schema,
    index_version,
    text_field,
)

VERSION_FILE = "manchette.json"
WRITER_LIMIT_MB = 128  # measured sweet spot for Whoosh's pool on 2 cores


class IndexMissing(Exception):
    """There is no index at the given directory yet."""


class RebuildRequired(Exception):
    """The index on disk was written with another schema or analysis version."""


class IndexLocked(Exception):
    """Another job holds the index's write lock."""


def _read_version(index_dir: Path) -> dict:
    try:
        return json.loads((index_dir / VERSION_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def open_index(index_dir: Path) -> FileIndex:
    """Open an existing index for reading, checking it was built by this version."""
    index_dir = Path(index_dir)
    if not index_dir.is_dir() or not whoosh_index.exists_in(str(index_dir)):
        raise IndexMissing(
            f"no index in {index_dir}: run `manchette index PATH --index-dir {index_dir}` first"
        )
    found = _read_version(index_dir)
    if found != index_version():
        raise RebuildRequired(
            f"the index in {index_dir} was built with {found or 'an unknown version'}, this "
            f"Manchette needs {index_version()}: rebuild required "
            f"(`manchette index PATH --index-dir {index_dir} --rebuild`)"
        )
    return whoosh_index.open_dir(str(index_dir))


def create_or_open(index_dir: Path) -> FileIndex:
    """Open the index for writing, creating an empty one if the directory has none."""
    index_dir = Path(index_dir)
    if index_dir.is_dir() and whoosh_index.exists_in(str(index_dir)):
        return open_index(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    ix = whoosh_index.create_in(str(index_dir), build_schema())
    (index_dir / VERSION_FILE).write_text(json.dumps(index_version()) + "\n", encoding="utf-8")
    return ix


def open_writer(ix: FileIndex, wait: float = 0.0) -> SegmentWriter:
    """Take the index's write lock, waiting up to ``wait`` seconds, else raise IndexLocked."""
    deadline = time.monotonic() + max(wait, 0.0)
    while True:
        try:
            return ix.writer(limitmb=WRITER_LIMIT_MB)
        except LockError:
            if time.monotonic() >= deadline:
                raise IndexLocked(
                    "another manchette job is writing this index; try again later "
                    "(or pass --wait SECONDS)"
                ) from None
            time.sleep(0.2)


def known_hashes(ix: FileIndex) -> dict[str, str]:
    """Map every live article id to the content hash it was indexed with."""
    result: dict[str, str] = {}
    with ix.reader() as reader:
        if reader.doc_count_all() == 0:
            return result
        ids = reader.column_reader(ID_FIELD)
        hashes = reader.column_reader(HASH_FIELD)
        for docnum in reader.all_doc_ids():
            result[ids[docnum]] = hashes[docnum]
    return result


def parse_published(date: str | None) -> datetime | None:
    """The article's ISO date as a naive UTC datetime for sorting, or None."""
    if not date:
        return None
    try:
        value = datetime.fromisoformat(date.replace("Z", "+00:00"))
    except ValueError:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value


def indexed_parts(article: Article) -> dict[str, str]:
    """The text indexed in each part's field: every word counts in exactly one field.

    The lead is the body's first paragraph; indexing it in both fields would count a lead
    match twice and let it outrank a title match.
    """
    body = article.body
    if article.lead and body.startswith(article.lead):
        body = body[len(article.lead) :].lstrip()
    return {"title": article.title, "lead": article.lead, "body": body}


def article_to_doc(article: Article, content_hash: str) -> dict:
    """The Whoosh document of an article: text goes to the fields of its language."""
    doc: dict = {
        ID_FIELD: article.id,
        HASH_FIELD: content_hash,
        "lang": article.lang or "",
        "source": article.source or "",
    }
    for name in STORED_FIELDS:
        doc[name] = getattr(article, name)
    key = lang_key(article.lang)
    for part, text in indexed_parts(article).items():
        if text:
            doc[text_field(part, key)] = text
    published = parse_published(article.date)
    if published is not None:
        doc["published"] = published
    return doc
