"""Records of a changed file that need no parsing: their bytes did not change since they were
indexed.

A JSON Lines line (or a JSON array's record) is remembered, in the manifest, by where it
stands in its file (``L12``, ``/articles/3``: an article's location, ``Article.path``, ends so),
the digest of its bytes, and the id and content hash of the article the index holds from it.
When its file changes (one article edited among a thousand), a record whose bytes are the same
at the same place is not parsed again: the reader yields an :class:`Unchanged` item instead of
an article, and the job counts it as unchanged. Only a record the index still holds as it was
indexed from there is passed over (``RecordReuse``); any doubt means parsing it, which is
always right, only slower.

A passed-over record is not observed for learned boilerplate, as the articles of an unchanged
file are not: a file whose records were passed over in a run that learned new boilerplate is
parsed whole the next time it changes (``FileState.learned``).
"""

from __future__ import annotations

import hashlib
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from index.article import Article
from index.known import KnownArticles

HASH_CHARS = 12  # of the content hash kept per record: enough to tell two versions apart
_RECORD = "_record"  # an instance attribute, not a field: ``replace()`` drops it


@dataclass(frozen=True)
class Unchanged:
    """A record read past without parsing: the article the index holds from it."""

    id: str
    path: str  # the article's location, ``Article.path``
    entry: str  # its manifest entry (``make_entry``)


Reuse = Callable[[str, str, str], Unchanged | None]  # (place, digest, location) → item or None
T = TypeVar("T")


def record_digest(raw: bytes) -> str:
    """The digest of a record's bytes."""
    return hashlib.blake2b(raw, digest_size=8).hexdigest()


def make_entry(digest: str, content_hash: str, article_id: str) -> str:
    """A record's manifest entry: its bytes' digest, the content hash and id indexed from it."""
    return f"{digest} {content_hash[:HASH_CHARS]} {article_id}"


def split_entry(entry: str) -> tuple[str, str, str]:
    digest, content, article_id = entry.split(" ", 2)
    return digest, content, article_id


_HEX = frozenset("0123456789abcdef")


class Records(MutableMapping[str, str]):
    """A file's manifest entries by place, held compact: a JSON Lines file's thousands of
    records as four numbers each (line, digest, content hash prefix, and the id, a string
    the job holds anyway), not two strings and a dict slot (~200 bytes a record: 12 MB of
    a full build's manifest). Places other than ``L<n>`` (a JSON array's ``/articles/3``)
    and entries of another form are kept as they are."""

    __slots__ = ("_contents", "_digests", "_ids", "_lines", "_odd", "_other", "_rows")

    def __init__(self, entries: Mapping[str, str] | None = None) -> None:
        self._lines = array("q")
        self._digests = array("Q")
        self._contents = array("Q")
        self._ids: list[str] = []
        self._rows: dict[int, int] | None = None  # line → row, once lines come out of order
        self._other: dict[str, str] = {}  # places other than L<n>
        self._odd: set[int] = set()  # rows whose entry is of another form: in ``_ids``, whole
        if entries:
            self.update(entries)

    @staticmethod
    def _line(place: str) -> int:
        digits = place[1:]
        if place[:1] == "L" and digits.isdigit() and digits[:1] != "0" and len(digits) < 16:
            return int(digits)
        return -1

    def _row(self, line: int) -> int:
        lines = self._lines
        if self._rows is not None:
            return self._rows.get(line, -1)
        at = bisect_left(lines, line)
        return at if at < len(lines) and lines[at] == line else -1

    def __getitem__(self, place: str) -> str:
        line = self._line(place)
        if line < 0:
            return self._other[place]
        row = self._row(line)
        if row < 0:
            raise KeyError(place)
        if row in self._odd:  # kept whole
            return self._ids[row]
        digest, content = self._digests[row], self._contents[row]
        return f"{digest:016x} {content:012x} {self._ids[row]}"

    def __setitem__(self, place: str, entry: str) -> None:
        line = self._line(place)
        if line < 0:
            self._other[place] = entry
            return
        row = self._row(line)
        if row < 0:
            row = len(self._lines)
            if row and line < self._lines[-1] and self._rows is None:
                self._rows = {n: i for i, n in enumerate(self._lines)}
            self._lines.append(line)
            self._digests.append(0)
            self._contents.append(0)
            self._ids.append("")
            if self._rows is not None:
                self._rows[line] = row
        digest, content, article_id = split_entry(entry) if entry.count(" ") >= 2 else ("", "", "")
        if len(digest) == 16 and len(content) == HASH_CHARS and _HEX.issuperset(digest + content):
            self._digests[row], self._contents[row] = int(digest, 16), int(content, 16)
            self._ids[row] = article_id
            self._odd.discard(row)
        else:
            self._ids[row] = entry
            self._odd.add(row)

    def put(self, place: str, digest: str, content_hash: str, article_id: str) -> None:
        """``self[place] = make_entry(digest, content_hash, article_id)``, holding the very
        id string given (the job's own) rather than a copy parsed out of the entry."""
        self[place] = make_entry(digest, content_hash, article_id)
        line = self._line(place)
        row = self._row(line) if line >= 0 else -1
        if row >= 0 and row not in self._odd:
            self._ids[row] = article_id

    def __delitem__(self, place: str) -> None:
        raise TypeError("a file's records are replaced whole, never deleted one by one")

    def __iter__(self) -> Iterator[str]:
        yield from (f"L{line}" for line in self._lines)
        yield from self._other

    def __len__(self) -> int:
        return len(self._lines) + len(self._other)

    def __repr__(self) -> str:
        return f"Records({dict(self)!r})"


def place_of(location: str) -> str:
    """Where a record stands in its file: the end of its location ("FILE#L12" → "L12")."""
    return location.rpartition("#")[2]


def mark(article: Article, place: str, digest: str) -> Article:
    """Keep on the article where its record stands and the digest of its bytes."""
    setattr(article, _RECORD, (place, digest))
    return article


def marked(article: Article) -> tuple[str, str] | None:
    """The record's place and digest (``mark``), if the reader gave them."""
    return getattr(article, _RECORD, None)


class RecordReuse:
    """Which records of the files a job reads again can be passed over (module doc).

    ``records``: file (as the job was given it) → its manifest entries by place; ``known``:
    the index's content hash by id; ``seen``: the ids already read in this run (those of
    unchanged files).
    A record is passed over when its bytes are those remembered at its place and the index
    holds the article as indexed from there, and no article of that id was read before in
    this run (else it is parsed: it may now be a duplicate). Articles read are added to
    ``seen`` (``track``).
    """

    def __init__(
        self, records: Mapping[Path, Mapping[str, str]], known: KnownArticles, seen: set[str]
    ) -> None:
        self.records = records
        self.known = known
        self.seen = seen

    def for_file(self, path: Path) -> Reuse | None:
        """The reader's test for one file (None when nothing of it can be passed over)."""
        entries = self.records.get(path)
        if not entries:
            return None

        def reuse(place: str, digest: str, location: str) -> Unchanged | None:
            entry = entries.get(place)
            if entry is None:
                return None
            old_digest, content, article_id = split_entry(entry)
            if old_digest != digest or article_id in self.seen:
                return None
            if not self.known.content_hex(article_id).startswith(content):
                return None
            return Unchanged(article_id, location, entry)

        return reuse

    def track(self, items: Iterable[T]) -> Iterator[T]:
        """The items, noting the id of each article read or passed over."""
        for item in items:
            if isinstance(item, Article | Unchanged):
                self.seen.add(item.id)
            yield item
