"""Readers: one per input format, each ``read_X(path) -> Iterator[Article | Rejected]``.

Formats: page dumps (``.txt``), HTML pages (``.html``, ``.htm``), JSON Lines (``.jsonl``,
``.jsonl.gz``), JSON arrays (``.json``, ``.json.gz``) and web crawls (``.warc``, ``.warc.gz``).
A sidecar ``NAME.meta.json`` beside a page supplies the URL, date, source and language the page
does not state (``index.sources.meta``); it is never an input itself.

A reader never raises for bad input: an unreadable file, or a bad line or record of a file, is
yielded as a ``Rejected`` and the batch goes on. ``read_path`` picks the reader from the file
name and ``iter_files`` walks folders.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import replace
from pathlib import Path

from index.article import Article
from index.records import Reuse, Unchanged, mark, marked
from index.sources.html import read_html
from index.sources.json import read_json
from index.sources.jsonl import read_jsonl
from index.sources.limits import MAX_TITLE_CHARS, cap_title, special_file
from index.sources.meta import is_sidecar
from index.sources.rejected import Rejected
from index.sources.text import read_text
from index.sources.warc import read_warc

Item = Article | Rejected | Unchanged
Reader = Callable[[Path], Iterator[Item]]

# File name endings and their readers, longest first (".jsonl.gz" before ".gz" would matter).
READERS: dict[str, Reader] = {
    ".jsonl.gz": read_jsonl,
    ".json.gz": read_json,
    ".warc.gz": read_warc,
    ".jsonl": read_jsonl,
    ".json": read_json,
    ".warc": read_warc,
    ".html": read_html,
    ".htm": read_html,
    ".txt": read_text,
}


def reader_for(path: Path) -> Reader | None:
    """The reader for ``path``'s file name ending (case-insensitive), None if unsupported.

    A sidecar (``NAME.meta.json``) is metadata for the page beside it, never an input.
    """
    if is_sidecar(path):
        return None
    name = path.name.lower()
    return next((reader for suffix, reader in READERS.items() if name.endswith(suffix)), None)


def read_path(path: Path, reuse: Reuse | None = None) -> Iterator[Article | Rejected | Unchanged]:
    """The articles of one file, read by the reader its name calls for.

    Special files (FIFOs, devices, symlink loops) and empty files are rejected without being
    opened, a file that yields nothing at all is rejected, and titles are capped
    (``index.sources.limits``). ``reuse``: the records of a JSON Lines or JSON file that
    need not be parsed again (``index.records``).
    """
    path = Path(path)
    reader = reader_for(path)
    if reader is None:
        yield Rejected(str(path), f"unsupported file type: {path.name}")
        return
    problem = special_file(path)
    if problem is None and path.stat().st_size == 0:
        problem = "empty file"
    if problem is not None:
        yield Rejected(str(path), problem)
        return
    found = False
    items = _items(reader, path, reuse)
    for item in items:
        found = True
        yield _capped(item)
    if not found:
        yield Rejected(str(path), "no articles in this file")


def _items(reader: Reader, path: Path, reuse: Reuse | None) -> Iterator[Item]:
    """What the reader yields; a JSON Lines or JSON reader is given ``reuse``."""
    if reuse is not None and reader is read_jsonl:
        return read_jsonl(path, reuse=reuse)
    if reuse is not None and reader is read_json:
        return read_json(path, reuse=reuse)
    return reader(path)


def read_again(path: Path, where: Collection[str]) -> Iterator[Article]:
    """The articles of one file found at ``where`` (their ``Article.path``), as ``read_path``
    reads them, and nothing else (no rejections): what a job reads a second time. A JSON Lines
    file parses only those lines; other files are read whole."""
    path = Path(path)
    if reader_for(path) is read_jsonl and special_file(path) is None:
        items: Iterable[Item] = map(_capped, read_jsonl(path, only=where))
    else:
        items = read_path(path)
    for item in items:
        if isinstance(item, Article) and item.path in where:
            yield item


def _capped(item: Item) -> Item:
    if isinstance(item, Article) and len(item.title) > MAX_TITLE_CHARS:
        capped = replace(item, title=cap_title(item.title))
        where = marked(item)
        return capped if where is None else mark(capped, *where)
    return item


def iter_files(paths: Iterable[Path]) -> Iterator[Path]:
    """The readable files among ``paths``, folders walked recursively in sorted order.

    Inside folders, hidden files and folders (name starting with "."), sidecar metadata files
    and files no reader supports are skipped; a file named explicitly is kept if a reader
    supports it. Folders are walked without following symlinks to folders (a symlink loop
    cannot make the walk endless).
    """
    for path in map(Path, paths):
        if path.is_dir():
            for found in sorted(path.rglob("*")):  # symlinks to folders are not followed
                hidden = any(part.startswith(".") for part in found.relative_to(path).parts)
                # not only regular files: a FIFO or a symlink loop named like an input is
                # listed so that ``read_path`` rejects it with its reason
                if not hidden and not found.is_dir() and reader_for(found) is not None:
                    yield found
        elif not path.is_dir() and reader_for(path) is not None:
            yield path


__all__ = [
    "READERS",
    "Rejected",
    "iter_files",
    "read_again",
    "read_html",
    "read_json",
    "read_jsonl",
    "read_path",
    "read_text",
    "read_warc",
]
