"""Compound segment files read in place, not copied.

Whoosh assembles each segment's files (terms, postings, stored fields, columns, ...) into one
compound file, maps it with ``mmap`` when it opens a segment, and then hands each sub-file out
as a ``BufferFile`` whose file object is ``BytesIO(memoryview)``: a private copy of the whole
sub-file. Every segment reader therefore copied its segment's terms and postings into memory
(about 10 MB per searcher on a 2,000-article index, most of the index on a large one). The
server keeps a searcher per thread and opens a new one after every commit, and a merge opens
every merged segment, so both serving and indexing paid for it in memory and time.

``install()`` makes those sub-files read from the shared mapping instead: the same bytes
through a bounded view, nothing copied, the pages shared with the page cache and with every
other reader of the segment. Whoosh 2.7.4 is the last release, so the method replaced here
does not move.
"""

from __future__ import annotations

import mmap

from whoosh.filedb.compound import CompoundStorage, SubFile
from whoosh.filedb.structfile import BufferFile, StructFile

_original_open_file = CompoundStorage.open_file


class MappedSubFile(BufferFile):
    """One sub-file of a mapped compound file: reads and ``get()`` served from the mapping."""

    def __init__(self, source: mmap.mmap, offset: int, length: int, name: str) -> None:
        StructFile.__init__(self, SubFile(source, offset, length, name=name), name=name)
        self._buf = memoryview(source)[offset : offset + length]


def _open_file(self: CompoundStorage, name: str, *args, **kwargs):
    source = getattr(self, "_source", None)
    if source is None or self.is_closed:  # not mapped (or closed: let whoosh say so)
        return _original_open_file(self, name, *args, **kwargs)
    offset, length = self.range(name)
    return MappedSubFile(source, offset, length, name)


def install() -> None:
    """Route compound sub-files through the mapping (idempotent)."""
    CompoundStorage.open_file = _open_file
