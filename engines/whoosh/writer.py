"""The only place that opens, creates and writes the Whoosh index on disk.

An index directory holds Whoosh's files plus ``manchette.json`` (schema and analysis versions).
An index written by another version of the analysis cannot be searched correctly: opening it
raises :class:`RebuildRequired` with the command that fixes it.

Opening or creating an index installs ``engines.whoosh.compat`` (Whoosh version checked,
segments read in place from their mapping) for searching and merging alike.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.fields import Schema
from whoosh.index import FileIndex, LockError
from whoosh.writing import SegmentWriter

from engines.base import IndexMissing, RebuildRequired
from engines.whoosh import compat
from engines.whoosh.codec import ArrayCodec
from engines.whoosh.columns import column_reader, column_values
from engines.whoosh.pool import ArrayPool, commit, merge_due, open_pooled
from engines.whoosh.schema import Analysed, AnalysedText, build_schema
from index.analysis.postings import document_postings
from index.article import Article
from index.document import IndexState, article_to_doc, prepare_values, text_values
from index.layout import (
    IndexLocked,
    live_dir,
    new_build_dir,
    remove_build,
    remove_stale_builds,
    swap_in,
)
from index.schema import (
    CLUSTER_FIELD,
    HASH_FIELD,
    ID_FIELD,
    SIMHASH_FIELD,
    TEXT_HASH_FIELD,
    index_version,
)
from index.sink import JobState, Sink, read_job_files, write_job_files

ARTICLE_FIELDS = tuple(Article.__dataclass_fields__)

__all__ = ["IndexLocked", "IndexMissing", "RebuildRequired", "create_or_open", "open_index"]

VERSION_FILE = "manchette.json"
WRITER_LIMIT_MB = 128  # measured sweet spot for Whoosh's pool on 2 cores


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
    compat.install()
    return whoosh_index.open_dir(str(live))


def create_index(build_dir: Path) -> FileIndex:
    """A new, empty index in ``build_dir`` with this version's schema."""
    compat.install()
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
    waiting happens; this lock only guards against writers that bypass it. Every segment the
    writer makes, merged ones included, is written with Manchette's posting codec; the writer
    pools postings in arrays (``engines.whoosh.pool``; ``MANCHETTE_WHOOSH_POOL=0``: Whoosh's
    own).
    """
    try:
        return open_pooled(ix, limitmb=WRITER_LIMIT_MB, codec=ArrayCodec())
    except LockError:
        raise IndexLocked("another process holds this index's write lock") from None


M_MMAP_THRESHOLD = -3  # glibc's ``mallopt`` parameter
# glibc's threshold, kept fixed: 1 MiB, against 128 KiB (glibc's starting value: every
# mid-sized numpy temporary mapped and unmapped), was 6-10 % faster on the full corpus in runs
# one after the other, but even (-8 % and +1 %) in two paired runs: no clear gain, the same
# peak within 7 MB (``doc/decisions.md``)
MAPPED_BLOCK = 1024 * 1024


@functools.cache
def _glibc() -> ctypes.CDLL | None:
    """The C library, when it is glibc (None elsewhere: the calls below are then skipped)."""
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return None
    return libc if hasattr(libc, "mallopt") and hasattr(libc, "malloc_trim") else None


def map_big_blocks() -> None:
    """Have glibc serve every block of ``MAPPED_BLOCK`` bytes or more from a mapping of its own,
    unmapped when freed. Left alone, glibc raises that threshold each time such a block is
    freed (up to 32 MB): a commit's sort arrays then come from the heap and leave holes that
    the next batches only partly fill, and the job's resident memory grows commit after commit
    (``doc/decisions.md``, "Big blocks mapped"). The parsing process forked later inherits the
    setting. Nothing elsewhere than glibc."""
    if (libc := _glibc()) is not None:
        libc.mallopt(M_MMAP_THRESHOLD, MAPPED_BLOCK)


def release_free_memory() -> None:
    """Hand the C heap's free pages back to the kernel (glibc's ``malloc_trim``): a commit
    frees the pool's many small buffers, which the heap would otherwise keep resident (and
    which a process forked later would share, counted twice). Nothing elsewhere."""
    if (libc := _glibc()) is not None:
        libc.malloc_trim(0)


def abandon_writer(writer: SegmentWriter) -> None:
    """Cancel a writer after a failure, even when cancelling fails too (it flushes files: on
    a full disk it raises ENOSPC); its lock is released either way."""
    try:
        writer.cancel()
    except OSError:
        with contextlib.suppress(Exception):
            compat.release_write_lock(writer)


def discard_uncommitted(ix: FileIndex, keep: SegmentWriter | None = None) -> list[str]:
    """Delete the files of segments no commit refers to (but ``keep``'s own): what a commit
    that failed (a full disk) or was killed left behind. Whoosh deletes them at its next
    commit, but on a full disk that commit never comes. Call with the job lock held."""
    used = compat.committed_segment_ids(ix)
    if keep is not None:
        used.add(compat.new_segment_id(keep))
    pattern = compat.segment_file_pattern(ix)
    removed = []
    for name in list(ix.storage.list()):
        match = pattern.match(name)
        if match and match.group(1) not in used:
            with contextlib.suppress(OSError):
                ix.storage.delete_file(name)
                removed.append(name)
    return removed


def load_state(ix: FileIndex) -> IndexState:
    """Read the state from the index's columns (no stored fields are decompressed)."""
    state = IndexState()
    names = (ID_FIELD, HASH_FIELD, TEXT_HASH_FIELD, SIMHASH_FIELD, CLUSTER_FIELD)
    with ix.reader() as reader:
        for segment, _offset in reader.leaf_readers():
            if segment.doc_count_all() == 0:
                continue
            ids, hashes, texts, simhashes, clusters = (column_values(segment, n) for n in names)
            for docnum in segment.all_doc_ids():
                state.remember(
                    ids[docnum], hashes[docnum], texts[docnum], simhashes[docnum], clusters[docnum]
                )
    return state


def known_hashes(ix: FileIndex) -> dict[str, str]:
    """Map every live article id to the content hash it was indexed with (whole)."""
    found: dict[str, str] = {}
    with ix.reader() as reader:
        for segment, _offset in reader.leaf_readers():
            if segment.doc_count_all() == 0:
                continue
            ids, hashes = column_values(segment, ID_FIELD), column_values(segment, HASH_FIELD)
            for docnum in segment.all_doc_ids():
                found[ids[docnum]] = hashes[docnum]
    return found


def whoosh_documents(ix: FileIndex) -> Iterator[dict]:
    """Every live document of a Whoosh archive, as ``article_to_doc`` makes it."""
    with ix.reader() as reader:
        names = (HASH_FIELD, TEXT_HASH_FIELD, SIMHASH_FIELD, CLUSTER_FIELD)
        columns = {name: column_reader(reader, name) for name in names}
        for docnum, stored in reader.iter_docs():
            values = {name: column[docnum] for name, column in columns.items()}
            article = Article(**{k: stored[k] for k in ARTICLE_FIELDS if k in stored})
            simhash = values[SIMHASH_FIELD]
            yield article_to_doc(
                article,
                values[HASH_FIELD],
                values[TEXT_HASH_FIELD],
                int(simhash, 16) if simhash else None,
                values[CLUSTER_FIELD] or stored[ID_FIELD],
            )


def analyse_ahead(article: Article, schema: Schema) -> None:
    """Compute the article's postings now (in a parsing process) and keep them on it:
    ``article_to_doc`` uses them while the article still holds the very same strings.
    The items are ``field.index(text)``'s, computed by the fast path of ``index.analysis``."""
    values = text_values(article)
    items = document_postings({name: schema[name] for name in values}, values)
    prepare_values(article, {name: Analysed(found) for name, found in items.items()})


def analyse_left(doc: dict, schema: Schema) -> dict:
    """``doc`` with its text fields that no parsing process analysed (the learned
    boilerplate changed the article, or there was no parsing process) analysed now, by the
    fast path of ``index.analysis`` rather than Whoosh's chains token by token (the same
    items)."""
    texts = {
        name: value
        for name, value in doc.items()
        if type(value) is str and name in schema and type(schema[name]) is AnalysedText
    }
    if texts:
        items = document_postings({name: schema[name] for name in texts}, texts)
        doc.update((name, Analysed(found)) for name, found in items.items())
    return doc


class Preparer:
    """``analyse_ahead`` for the parsing process (the schema is built there, once)."""

    def __init__(self) -> None:
        self.schema: Schema | None = None

    def __call__(self, article: Article) -> None:
        if self.schema is None:
            self.schema = build_schema()
        analyse_ahead(article, self.schema)


class WhooshSink(Sink):
    """A job's writes into the index of ``index_dir``: its live build, or a new build that a
    ``--rebuild`` swaps in at the end. The manifest and learned boilerplate live in the build.
    """

    def __init__(self, index_dir: Path, rebuild: bool) -> None:
        super().__init__()
        self.index_dir = Path(index_dir)
        self.rebuild = rebuild
        self.prepare = Preparer()
        map_big_blocks()
        remove_stale_builds(self.index_dir)
        if rebuild:
            self.build = new_build_dir(self.index_dir)
            self.ix = create_index(self.build)
        else:
            self.ix = create_or_open(self.index_dir)
            self.build = live_dir(self.index_dir)
        self._writer: SegmentWriter | None = open_writer(self.ix)
        discard_uncommitted(self.ix, keep=self._writer)  # left by a killed job or a full disk

    def writer(self) -> SegmentWriter:
        if self._writer is None:
            self._writer = open_writer(self.ix)
        return self._writer

    def load(self) -> JobState:
        state = self.load_files()
        if (articles := self.load_articles()) is not None:
            state.articles = articles
        return state

    def load_files(self) -> JobState:
        if self.rebuild:
            return JobState()
        return read_job_files(self.build, IndexState())

    def load_articles(self) -> IndexState | None:
        """The stored articles, read from the index's columns (none for a rebuild)."""
        return None if self.rebuild else load_state(self.ix)

    def add(self, doc: dict) -> None:
        writer = self.writer()
        writer.add_document(**analyse_left(doc, writer.schema))

    def update(self, doc: dict) -> None:
        writer = self.writer()
        writer.update_document(**analyse_left(doc, writer.schema))

    def delete(self, article_id: str) -> int:
        return self.writer().delete_by_term(ID_FIELD, article_id)

    def commit(self, merge: bool = True) -> bool:
        # nothing written since the last commit: a merging commit with nothing to merge
        # would only write the same segments again as a new generation
        nothing = self._writer is None and merge and not self.rebuild
        if nothing and not merge_due(compat.committed_segments(self.ix)):
            return False
        commit(self.writer(), merge)
        self._writer = None
        release_free_memory()
        return True

    def buffered_bytes(self) -> int:
        pool = getattr(self._writer, "pool", None)
        return pool.nbytes() if isinstance(pool, ArrayPool) else 0

    def cancel(self) -> None:
        if self._writer is not None:
            self._writer.cancel()
            self._writer = None

    def save(self, state: JobState) -> None:
        write_job_files(self.build, state)

    def checkpoint(self, state: JobState) -> None:
        write_job_files(self.build, state)  # a rebuild's build: only read once swapped in

    def finish(self) -> None:
        if self.rebuild:
            remove_build(self.index_dir, swap_in(self.index_dir, self.build))

    def abandon(self) -> None:
        if self._writer is not None:
            abandon_writer(self._writer)
            self._writer = None
        if self.rebuild:
            shutil.rmtree(self.build, ignore_errors=True)
        else:  # a failed commit's files would keep a full disk full
            discard_uncommitted(self.ix)
