"""The only place that opens, creates and writes the Whoosh index on disk.

An index directory holds Whoosh's files plus ``manchette.json`` (schema and analysis versions).
An index written by another version of the analysis cannot be searched correctly: opening it
raises :class:`RebuildRequired` with the command that fixes it.

Segments are read in place from their mapping, not copied (``index.compound``): importing
this module installs that for every index it opens, for searching and for merging alike.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.fields import Schema
from whoosh.index import TOC, FileIndex, LockError
from whoosh.writing import SegmentWriter

from index import compound
from index.analysis import lang_key
from index.article import Article
from index.dedup import Clusters
from index.layout import IndexLocked, live_dir, new_build_dir, swap_in
from index.schema import (
    CLUSTER_FIELD,
    HASH_FIELD,
    ID_FIELD,
    SIMHASH_FIELD,
    STORED_FIELDS,
    TEXT_HASH_FIELD,
    Analysed,
    build_schema,
    index_version,
    text_field,
)

compound.install()

__all__ = ["IndexLocked", "IndexMissing", "RebuildRequired", "create_or_open", "open_index"]

VERSION_FILE = "manchette.json"
WRITER_LIMIT_MB = 128  # measured sweet spot for Whoosh's pool on 2 cores


class IndexMissing(Exception):
    """There is no index at the given directory yet."""


class RebuildRequired(Exception):
    """The index on disk was written with another schema or analysis version."""


def _read_version(index_dir: Path) -> dict:
    try:
        return json.loads((index_dir / VERSION_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def open_index(index_dir: Path) -> FileIndex:
    """Open the live index for reading, checking it was built by this version."""
    index_dir = Path(index_dir)
    live = live_dir(index_dir)
    if not live.is_dir() or not whoosh_index.exists_in(str(live)):
        raise IndexMissing(
            f"no index in {index_dir}: run `manchette index PATH --index-dir {index_dir}` first"
        )
    found = _read_version(live)
    if found != index_version():
        raise RebuildRequired(
            f"the index in {index_dir} was built with {found or 'an unknown version'}, this "
            f"Manchette needs {index_version()}: rebuild required "
            f"(`manchette index PATH --index-dir {index_dir} --rebuild`)"
        )
    return whoosh_index.open_dir(str(live))


def create_index(build_dir: Path) -> FileIndex:
    """A new, empty index in ``build_dir`` with this version's schema."""
    ix = whoosh_index.create_in(str(build_dir), build_schema())
    (build_dir / VERSION_FILE).write_text(json.dumps(index_version()) + "\n", encoding="utf-8")
    return ix


def create_or_open(index_dir: Path) -> FileIndex:
    """Open the live index for writing, creating an empty one if there is none."""
    index_dir = Path(index_dir)
    live = live_dir(index_dir)
    if live.is_dir() and whoosh_index.exists_in(str(live)):
        return open_index(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    build = new_build_dir(index_dir)
    ix = create_index(build)
    swap_in(index_dir, build)
    return ix


def open_writer(ix: FileIndex) -> SegmentWriter:
    """Take Whoosh's write lock at once, else raise IndexLocked.

    Jobs first hold the directory's job lock (``index.layout.job_lock``), which is where
    waiting happens; this lock only guards against writers that bypass it.
    """
    try:
        return ix.writer(limitmb=WRITER_LIMIT_MB)
    except LockError:
        raise IndexLocked("another process holds this index's write lock") from None


def abandon_writer(writer: SegmentWriter) -> None:
    """Cancel a writer after a failure, even when cancelling fails too (it flushes files: on
    a full disk it raises ENOSPC); its lock is released either way."""
    try:
        writer.cancel()
    except OSError:
        with contextlib.suppress(Exception):
            writer.writelock.release()


def discard_uncommitted(ix: FileIndex, keep: SegmentWriter | None = None) -> list[str]:
    """Delete the files of segments no commit refers to (but ``keep``'s own): what a commit
    that failed (a full disk) or was killed left behind. Whoosh deletes them at its next
    commit, but on a full disk that commit never comes. Call with the job lock held."""
    used = {segment.segment_id() for segment in ix._segments()}
    if keep is not None:
        used.add(keep.newsegment.segment_id())
    pattern = TOC._segment_pattern(ix.indexname)
    removed = []
    for name in list(ix.storage.list()):
        match = pattern.match(name)
        if match and match.group(1) not in used:
            with contextlib.suppress(OSError):
                ix.storage.delete_file(name)
                removed.append(name)
    return removed


@dataclass
class IndexState:
    """What a job needs to know of the live index: hashes by id and by text, the clusters."""

    by_id: dict[str, str] = field(default_factory=dict)  # id → content hash
    by_text: dict[str, str] = field(default_factory=dict)  # text hash → id
    clusters: Clusters = field(default_factory=Clusters)


def load_state(ix: FileIndex) -> IndexState:
    """Read the state from the index's columns (no stored fields are decompressed)."""
    state = IndexState()
    with ix.reader() as reader:
        if reader.doc_count_all() == 0:
            return state
        columns = [
            reader.column_reader(name)
            for name in (ID_FIELD, HASH_FIELD, TEXT_HASH_FIELD, SIMHASH_FIELD, CLUSTER_FIELD)
        ]
        ids, hashes, texts, simhashes, clusters = columns
        for docnum in reader.all_doc_ids():
            article_id = ids[docnum]
            state.by_id[article_id] = hashes[docnum]
            if texts[docnum]:
                state.by_text[texts[docnum]] = article_id
            if simhashes[docnum]:
                state.clusters.add(int(simhashes[docnum], 16), clusters[docnum] or article_id)
    return state


def known_hashes(ix: FileIndex) -> dict[str, str]:
    """Map every live article id to the content hash it was indexed with."""
    return load_state(ix).by_id


def text_key(article: Article) -> str:
    """Exact-duplicate key: the body, case-folded with white space collapsed."""
    text = " ".join(article.body.casefold().split())
    return hashlib.sha1(text.encode("utf-8")).hexdigest() if text else ""


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


def text_values(article: Article) -> dict[str, str]:
    """The article's analysed fields and their text: its language's title, lead and body
    fields, the exact field, and the source's words."""
    key = lang_key(article.lang)
    values = {text_field(part, key): text for part, text in indexed_parts(article).items() if text}
    values["source_key"] = article.source or ""
    values["exact"] = "\n\n".join(t for t in (article.title, article.body) if t)
    return values


_AHEAD = "_analysed_ahead"  # an instance attribute, not a field: ``replace()`` drops it


def _inputs(article: Article) -> tuple[str, ...]:
    return (article.title, article.lead, article.body, article.source or "", article.lang)


def analyse_ahead(article: Article, schema: Schema) -> None:
    """Compute the article's postings now (in a parsing process) and keep them on it.

    ``article_to_doc`` uses them only while the article still holds the very same strings:
    any change since (a cleaned copy, a new body) falls back to analysing it there.
    """
    items = {name: list(schema[name].index(text)) for name, text in text_values(article).items()}
    setattr(article, _AHEAD, (_inputs(article), items))


def article_to_doc(
    article: Article,
    content_hash: str,
    text_hash: str = "",
    simhash: int | None = None,
    cluster: str = "",
) -> dict:
    """The Whoosh document of an article: text goes to the fields of its language."""
    doc: dict = {
        ID_FIELD: article.id,
        HASH_FIELD: content_hash,
        TEXT_HASH_FIELD: text_hash,
        SIMHASH_FIELD: f"{simhash:016x}" if simhash is not None else "",
        CLUSTER_FIELD: cluster or article.id,
        "lang": article.lang or "",
        "source": article.source or "",
    }
    for name in STORED_FIELDS:
        doc[name] = getattr(article, name)
    ahead = getattr(article, _AHEAD, None)
    if ahead is not None and all(a is b for a, b in zip(ahead[0], _inputs(article), strict=True)):
        doc.update((name, Analysed(items)) for name, items in ahead[1].items())
    else:  # analysed here: not parsed in a worker, or changed since (learned boilerplate)
        doc.update(text_values(article))
    published = parse_published(article.date)
    if published is not None:
        doc["published"] = published
        doc["dated"] = "1"
        doc["year"] = f"{published.year:04d}"
        doc["month"] = f"{published.year:04d}-{published.month:02d}"
    return doc
