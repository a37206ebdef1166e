"""What a reader may take into memory, and the sniffing that keeps garbage out of the index.

Every limit is on bytes read from one input, before any parsing, so that one hostile file can
neither exhaust memory nor stall a batch:

==========================  ==========  ================================================
input                       limit       over the limit
==========================  ==========  ================================================
a page (.txt, .html, .htm)  10 MiB      the file is rejected ("too large")
one JSON Lines line         10 MiB      that line is rejected; the rest of the file is read
a .json document            64 MiB      the file is rejected (use JSON Lines for more)
                            (unzipped)
one WARC response body      10 MiB      that record is rejected; the others are read
a title                     1,000 chars cut at a word boundary, with "…"
==========================  ==========  ================================================

Special files (FIFOs, sockets, devices) are never opened: a FIFO would block the job forever.
"""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Protocol

MIB = 1 << 20
MAX_PAGE_BYTES = 10 * MIB
MAX_LINE_BYTES = 10 * MIB
MAX_JSON_BYTES = 64 * MIB
MAX_RECORD_BYTES = 10 * MIB
MAX_TITLE_CHARS = 1000

_SNIFF = 8192
_KINDS = {
    stat.S_IFIFO: "a FIFO",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFDIR: "a directory",
}


def size_text(size: int) -> str:
    return f"{size / MIB:,.1f} MiB"


def special_file(path: Path) -> str | None:
    """Why ``path`` cannot be read as a file ("a FIFO", "a symlink loop"...), else None."""
    try:
        mode = Path(path).stat().st_mode
    except OSError as exc:
        return f"unreadable: {exc.strerror or exc}"
    if stat.S_ISREG(mode):
        return None
    return f"not a regular file but {_KINDS.get(stat.S_IFMT(mode), 'a special file')}"


class ByteStream(Protocol):
    """What the readers read from: a file, a gzip stream, a WARC record's content."""

    def read(self, size: int = -1, /) -> bytes: ...

    def readline(self, size: int = -1, /) -> bytes: ...


def read_capped(handle: ByteStream, limit: int) -> bytes | None:
    """At most ``limit`` bytes of ``handle``; None if there is more."""
    data = handle.read(limit + 1)
    return None if len(data) > limit else data


def add_utf16_bom(data: bytes) -> bytes:
    """UTF-16 text saved without its byte order mark, given its mark back.

    Text in a Latin or Cyrillic script written as UTF-16 has a NUL in every other byte (the
    high byte of each character); no other text encoding does.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or len(data) < 4:
        return data
    head = data[:_SNIFF]
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return b"\xff\xfe" + data  # little-endian: "H\x00e\x00"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return b"\xfe\xff" + data
    return data


def looks_binary(data: bytes) -> bool:
    """Whether bytes are not text at all (an image, an archive, random bytes): NUL bytes or
    many control characters near the start. UTF-16 with a BOM is text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    head = data[:_SNIFF]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls > 0.05 * max(len(head), 1)


def cap_title(title: str) -> str:
    """A title of at most ``MAX_TITLE_CHARS`` characters, cut at a word boundary."""
    if len(title) <= MAX_TITLE_CHARS:
        return title
    cut = title[: MAX_TITLE_CHARS - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > MAX_TITLE_CHARS // 2 else cut).rstrip() + "…"
