"""What a job knows of the articles, held compact: the stored ones' content hashes and texts,
and where this run read each id first.

A job compares every article it reads with the stored one of the same id (its content hash),
and its body with every stored body (its text hash: exact duplicates); it also remembers which
ids it read in this run and where (the first occurrence wins; a revisit reads that one
again). As dicts of strings this held ~470 bytes an article (40-hex hashes, a location string
per article, four dicts): 30 MB of a full build's 65,547 articles, growing with the corpus.
Here an id has one row (the id string, which the job holds anyway, and a dict slot); the
content hash is kept as its first 64 bits, the text hash as a 64-bit key in sorted arrays
(``index.dedup.Buckets``), the place read as a number (``Places``): ~110 bytes an article.

64 bits of a SHA-1 tell two versions of an article apart: two different texts share them
with a chance of one in 2**64.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np

from index.dedup import Buckets

UNREAD = -1  # a row's place while the id was not read in this run
_NO_LINE = (1 << 31) - 1  # a place that is a whole file (no ``#`` part)
_LINE_BITS = 31
_GROW = 1024


def hash_key(hex_digest: str) -> int:
    """The first 64 bits of a hex digest (a content or text hash)."""
    return int(hex_digest[:16] or "0", 16)


def line_number(place: str) -> int:
    """The line of a place ``L<n>`` as the readers write it (``index.records.place_of``);
    -1 for any other place. ASCII digits only: int() also reads "²" (raises) and "٣" (which
    would come back as "3"); no leading zero, or ``L012`` would come back as ``L12``."""
    digits = place[1:]
    if place[:1] == "L" and digits.isascii() and digits.isdigit() and digits[0] != "0":
        return int(digits) if len(digits) < 16 else -1
    return -1


class Places:
    """Locations (``Article.path``: ``FILE#L12``, ``FILE#/articles/3``, or a whole file) as
    numbers: a file's number and a line number when the location ends in ``#L<n>``, else an
    entry of a list of the other locations (HTML, WARC records: few per file)."""

    def __init__(self) -> None:
        self._numbers: dict[str, int] = {}  # file part → its number
        self._files: list[str] = []
        self._other: list[str] = []

    def _file(self, name: str) -> int:
        number = self._numbers.get(name)
        if number is None:
            number = self._numbers[name] = len(self._files)
            self._files.append(name)
        return number

    def code(self, location: str) -> int:
        """The location's number (never ``UNREAD``)."""
        file, sep, tail = location.rpartition("#")
        if not sep:
            return self._file(location) << _LINE_BITS | _NO_LINE
        line = line_number(tail)
        if 0 <= line < _NO_LINE:
            return self._file(file) << _LINE_BITS | line
        self._other.append(location)
        return -2 - (len(self._other) - 1)

    def location(self, code: int) -> str:
        """The location a ``code`` stands for."""
        if code < 0:
            return self._other[-2 - code]
        file, line = self._files[code >> _LINE_BITS], code & _NO_LINE
        return file if line == _NO_LINE else f"{file}#L{line}"


class KnownArticles:
    """What the index holds: by id, the content hash; by text hash, the id that holds that
    text. Every id met has a row (``row``), which ``Reads`` numbers its own column by."""

    def __init__(self) -> None:
        self._rows: dict[str, int] = {}  # id → row
        self.ids: list[str] = []  # row → id
        self._held = np.zeros(_GROW, dtype=bool)  # the index holds the id
        self._content = np.zeros(_GROW, dtype=np.uint64)  # its content hash's first 64 bits
        self._texts = Buckets()  # text hash key → rows that held it, the last one current
        self._stored = 0  # rows held

    def row(self, article_id: str) -> int:
        """The id's row, made when the id is new."""
        row = self._rows.get(article_id)
        if row is None:
            row = self._rows[article_id] = len(self.ids)
            self.ids.append(article_id)
            if row == len(self._held):
                grow = max(_GROW, row // 2)
                self._held = np.concatenate((self._held, np.zeros(grow, dtype=bool)))
                self._content = np.concatenate((self._content, np.zeros(grow, np.uint64)))
        return row

    def find(self, article_id: str) -> int | None:
        """The id's row, or None when the id was never met."""
        return self._rows.get(article_id)

    def __len__(self) -> int:
        """How many articles the index holds."""
        return self._stored

    def __contains__(self, article_id: object) -> bool:
        row = self._rows.get(article_id) if isinstance(article_id, str) else None
        return row is not None and bool(self._held[row])

    def content(self, article_id: str) -> int | None:
        """The first 64 bits of the stored article's content hash; None when not held."""
        row = self._rows.get(article_id)
        if row is None or not self._held[row]:
            return None
        return int(self._content[row])

    def content_hex(self, article_id: str) -> str:
        """The stored content hash's first 16 hex digits ("" when not held)."""
        value = self.content(article_id)
        return "" if value is None else f"{value:016x}"

    def same(self, article_id: str, content_hash: str) -> bool:
        """The index holds the article with this content hash."""
        return self.content(article_id) == hash_key(content_hash)

    def hold(self, article_id: str, content_hash: str, text_hash: str = "") -> None:
        """The index holds the article now, with these hashes."""
        row = self.row(article_id)
        if not self._held[row]:
            self._held[row] = True
            self._stored += 1
        self._content[row] = hash_key(content_hash)
        if text_hash:
            self._texts.add(hash_key(text_hash), row)

    def forget(self, article_id: str) -> None:
        """The index no longer holds the article (its text stays known, as before)."""
        row = self._rows.get(article_id)
        if row is not None and self._held[row]:
            self._held[row] = False
            self._stored -= 1

    def holder_of(self, text_hash: str) -> str | None:
        """The id that last held this text, if any."""
        rows = self._texts.get(hash_key(text_hash))
        return self.ids[rows[-1]] if rows else None

    def contents(self) -> ContentHashes:
        """The content hashes held, for the parsing process to test articles against."""
        size = len(self.ids)
        return ContentHashes(self._content[:size][self._held[:size]])


class Reads:
    """The ids a run read and where it read each first (a revisit reads that one again), in
    a column numbered by the rows of a ``KnownArticles``."""

    def __init__(self, table: KnownArticles, places: Places | None = None) -> None:
        self.table = table
        self._places = places or Places()
        self._read = np.full(_GROW, UNREAD, dtype=np.int64)
        self._count = 0

    def _mark(self, article_id: str, code: int, first_wins: bool) -> None:
        row = self.table.row(article_id)
        if row >= len(self._read):
            grow = max(_GROW, row // 2, row + 1 - len(self._read))
            self._read = np.concatenate((self._read, np.full(grow, UNREAD, np.int64)))
        if self._read[row] == UNREAD:
            self._count += 1
        elif first_wins:
            return
        self._read[row] = code

    def read(self, article_id: str, location: str) -> None:
        """The run read the id at ``location``; its first reading is the one kept."""
        if article_id not in self:
            self._mark(article_id, self._places.code(location), first_wins=True)

    def read_all(self, ids: Iterable[str], location: str) -> None:
        """The run passed over every id of a file (unchanged): they are where it is now."""
        code = self._places.code(location)
        for article_id in ids:
            self._mark(article_id, code, first_wins=False)

    def __contains__(self, article_id: object) -> bool:
        row = self.table.find(article_id) if isinstance(article_id, str) else None
        return row is not None and row < len(self._read) and self._read[row] != UNREAD

    def __len__(self) -> int:
        return self._count

    def where(self, article_id: str) -> str | None:
        """Where the run read the id first; None when it did not."""
        row = self.table.find(article_id)
        if row is None or row >= len(self._read) or self._read[row] == UNREAD:
            return None
        return self._places.location(int(self._read[row]))

    def __iter__(self) -> Iterator[str]:
        """The ids read."""
        rows = np.flatnonzero(self._read[: len(self.table.ids)] != UNREAD)
        return (self.table.ids[row] for row in rows.tolist())

    def moved_to(self, table: KnownArticles) -> Reads:
        """The same reads, numbered by the rows of another table."""
        moved = Reads(table, self._places)
        for article_id in self:
            row = self.table.find(article_id)
            assert row is not None
            moved._mark(article_id, int(self._read[row]), first_wins=False)
        return moved


class ContentHashes:
    """A set of content hashes (their first 64 bits, sorted): ``hash in it``."""

    def __init__(self, values: np.ndarray) -> None:
        self._values = np.sort(values)

    def __len__(self) -> int:
        return len(self._values)

    def __contains__(self, content_hash: object) -> bool:
        if not isinstance(content_hash, str) or not len(self._values):
            return False
        key = np.uint64(hash_key(content_hash))
        at = int(np.searchsorted(self._values, key))
        return at < len(self._values) and self._values[at] == key
