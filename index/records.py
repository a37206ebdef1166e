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
from collections.abc import Callable, ItemsView, Iterable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import TypeVar

from index.article import Article
from index.known import KnownArticles, line_number

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
    and entries of another form are kept as they are.

    It reads like the dict it replaces, insertion order included: ``files.json`` is written
    from it byte for byte as from that dict (``index.manifest.save_manifest``)."""

    __slots__ = (
        "_contents",
        "_digests",
        "_ids",
        "_lines",
        "_odd",
        "_other",
        "_other_at",
        "_rows",
    )

    def __init__(self, entries: Mapping[str, str] | None = None) -> None:
        self.clear()
        if entries:
            self.update(entries)

    def clear(self) -> None:  # at once: ``MutableMapping.clear`` deletes entries one by one
        self._lines = array("q")
        self._digests = array("Q")
        self._contents = array("Q")
        self._ids: list[str] = []
        self._rows: dict[int, int] | None = None  # line → row, once lines come out of order
        self._other: dict[str, str] = {}  # places other than L<n>
        # for each of those, how many line rows came before it: where iteration yields it
        self._other_at = array("q")
        self._odd: set[int] = set()  # rows whose entry is of another form: in ``_ids``, whole

    @staticmethod
    def _line(place: object) -> int:
        """The line number of an ``L<n>`` place as the reader writes it, else -1."""
        return line_number(place) if isinstance(place, str) else -1

    def _row(self, line: int) -> int:
        lines = self._lines
        if self._rows is not None:
            return self._rows.get(line, -1)
        at = bisect_left(lines, line)
        return at if at < len(lines) and lines[at] == line else -1

    def _row_for(self, line: int) -> int:
        """The line's row, made when the line is new."""
        row = self._row(line)
        return row if row >= 0 else self._new_row(line)

    def _new_row(self, line: int) -> int:
        row = len(self._lines)
        if row and line < self._lines[-1] and self._rows is None:
            self._rows = {n: i for i, n in enumerate(self._lines)}
        self._lines.append(line)
        self._digests.append(0)
        self._contents.append(0)
        self._ids.append("")
        if self._rows is not None:
            self._rows[line] = row
        return row

    def _store(self, row: int, digest: str, content: str, article_id: str) -> bool:
        """Hold an entry's parts as numbers; False (nothing held) when they are of another form
        than ``make_entry`` writes, so that they would not come back the same."""
        if len(digest) != 16 or len(content) != HASH_CHARS or not _HEX.issuperset(digest + content):
            return False
        self._digests[row], self._contents[row] = int(digest, 16), int(content, 16)
        self._ids[row] = article_id
        self._odd.discard(row)
        return True

    def _entry(self, row: int) -> str:
        if row in self._odd:  # kept whole
            return self._ids[row]
        return f"{self._digests[row]:016x} {self._contents[row]:012x} {self._ids[row]}"

    def __getitem__(self, place: str) -> str:
        line = self._line(place)
        if line < 0:
            return self._other[place]
        row = self._row(line)
        if row < 0:
            raise KeyError(place)
        return self._entry(row)

    def __contains__(self, place: object) -> bool:
        line = self._line(place)
        if line < 0:
            return place in self._other
        return self._row(line) >= 0

    def __setitem__(self, place: str, entry: str) -> None:
        line = self._line(place)
        if line < 0:
            if place not in self._other:
                self._other_at.append(len(self._lines))
            self._other[place] = entry
            return
        row = self._row_for(line)
        parts = entry.split(" ", 2)
        if len(parts) != 3 or not self._store(row, *parts):
            self._ids[row] = entry
            self._odd.add(row)

    def put(self, place: str, digest: str, content_hash: str, article_id: str) -> None:
        """``self[place] = make_entry(digest, content_hash, article_id)``, holding the very
        id string given (the job's own) rather than a copy parsed out of the entry."""
        line = self._line(place)
        if line < 0:
            self[place] = make_entry(digest, content_hash, article_id)
            return
        row = self._row_for(line)
        if not self._store(row, digest, content_hash[:HASH_CHARS], article_id):
            self._ids[row] = make_entry(digest, content_hash, article_id)
            self._odd.add(row)

    def share(self, ids: Iterable[str]) -> None:
        """Hold the equal strings among ``ids`` instead of this mapping's own copies (read from
        ``files.json``, the ids of a file's records and its ``FileState.ids`` are two copies)."""
        same = {article_id: article_id for article_id in ids}
        odd = self._odd
        self._ids = [
            held if row in odd else same.get(held, held) for row, held in enumerate(self._ids)
        ]

    def __delitem__(self, place: str) -> None:
        """Rare (the job replaces a file's records whole), so plain: O(records)."""
        line = self._line(place)
        if line < 0:
            at = list(self._other).index(place) if place in self._other else -1
            if at < 0:
                raise KeyError(place)
            del self._other[place]
            del self._other_at[at]
            return
        row = self._row(line)
        if row < 0:
            raise KeyError(place)
        for column in (self._lines, self._digests, self._contents, self._ids):
            del column[row]
        self._odd = {r - (r > row) for r in self._odd if r != row}
        if self._rows is not None:
            self._rows = {n: i for i, n in enumerate(self._lines)}
        self._other_at = array("q", (at - (at > row) for at in self._other_at))

    def _in_order(self, rows: Iterable[T], others: Iterable[T]) -> Iterator[T]:
        """The line rows' items, with the other places' items where they were inserted."""
        if not self._other:
            yield from rows
            return
        rows = iter(rows)
        done = 0
        for at, item in zip(self._other_at, others, strict=True):
            if at > done:
                yield from islice(rows, at - done)
                done = at
            yield item
        yield from rows

    def __iter__(self) -> Iterator[str]:
        return self._in_order((f"L{line}" for line in self._lines), self._other)

    def _pairs(self) -> Iterator[tuple[str, str]]:
        """(place, entry) in order, without looking each place up again (``items``)."""
        columns = zip(self._lines, self._digests, self._contents, self._ids, strict=True)
        odd = self._odd
        rows = (
            (f"L{line}", held if row in odd else f"{digest:016x} {content:012x} {held}")
            for row, (line, digest, content, held) in enumerate(columns)
        )
        return self._in_order(rows, self._other.items())

    def items(self) -> ItemsView[str, str]:
        return _Items(self)

    def __len__(self) -> int:
        return len(self._lines) + len(self._other)

    def __repr__(self) -> str:
        return f"Records({dict(self.items())!r})"


class _Items(ItemsView[str, str]):
    """``Records.items()``: each entry made once, not looked up again by its place."""

    __slots__ = ("_records",)

    def __init__(self, records: Records) -> None:
        super().__init__(records)
        self._records = records

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return self._records._pairs()


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
