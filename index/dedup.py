"""Near-duplicate detection: the same wire story on several sites shares a ``cluster`` key.

Each article gets a 64-bit SimHash of its word 4-shingles. Two articles whose SimHashes differ
in at most ``MAX_DISTANCE`` bits are near-duplicates. To find candidates without comparing all
pairs, the hash is cut into ``BANDS`` 16-bit bands: by the pigeonhole principle, two hashes
within 3 bits agree exactly on at least one of 4 bands. The cluster key is the id of the first
article indexed in the cluster, so keys stay stable as more copies arrive.

The same article captured twice (a ``lynx`` dump and an HTML save of one page) differs more than
two copies of a wire story do: each capture keeps other page furniture, a dump may lose lines
the HTML keeps, a page may list every footnote. Measured on the 15 pages of
``../shared/corpus/raw`` saved both ways, their SimHashes differ in 0 to 15 bits (7 on average),
while the closest two different articles of that folder (all on one topic, disinformation)
differ in 9. So two articles whose titles are the same (at least ``MIN_TITLE_WORDS`` words,
compared case-folded, punctuation ignored), or whose texts open with the same
``OPENING_WORDS`` words (a capture may lose its title: a dump's headline is not always found),
are near-duplicates up to ``MAX_TITLED_DISTANCE`` bits: unrelated texts differ in 32 bits on
average (±4), and a shared title or opening makes a chance match rarer still. Indexing the
folder, 14 of the 15 pairs become one result (one exact duplicate, 13 clusters of two) and no
two different articles share a cluster; the last pair differs in title and opening. On the
corpus's first 12,000 OrangeSum articles this adds 17 merges to the 6 of the strict rule, on
the 1,938 BBC articles 16 to 10: versions of one story under one headline. Titles and openings
are remembered for the articles of the running job only (the index keeps no column to reload
them from): two captures indexed by different jobs are clustered only when their SimHashes are
within ``MAX_DISTANCE``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np

from index.article import Article

BITS = 64
BANDS = 4
BAND_BITS = BITS // BANDS
MAX_DISTANCE = 3
SHINGLE = 4
MIN_WORDS = 30  # shorter texts are too small to call near-duplicates
MAX_TITLED_DISTANCE = 16  # between two articles with the same title (module doc)
MIN_TITLE_WORDS = 4  # shorter titles ("Home", "Live") are too common to vouch for anything
OPENING_WORDS = 15

_WORD = re.compile(r"\w+")
_blake = hashlib.blake2b


def simhash(text: str) -> int | None:
    """The text's 64-bit SimHash, or None when it is too short to compare."""
    words = _WORD.findall(text.casefold())
    if len(words) < MIN_WORDS:
        return None
    shingles = {" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}
    # Each shingle's 64-bit little-endian hash, as bytes: bit i of a hash is bit i % 8 of
    # its byte i // 8.
    digests = b"".join([_blake(s.encode(), digest_size=8).digest() for s in shingles])
    bytes_ = np.frombuffer(digests, dtype=np.uint8).reshape(-1, 8)
    bits = np.unpackbits(bytes_, axis=1, bitorder="little")
    votes = bits.sum(axis=0, dtype=np.int64) * 2 - len(shingles)
    return int(np.packbits(votes > 0, bitorder="little").view("<u8")[0])


_AHEAD = "_simhash_ahead"  # an instance attribute, not a field: ``replace()`` drops it


def simhash_ahead(article: Article) -> None:
    """Compute the SimHash of the article's body now (in the parsing process) and keep it on
    the article: ``body_simhash`` uses it while the article holds the very same body."""
    setattr(article, _AHEAD, (article.body, simhash(article.body)))


def body_simhash(article: Article) -> int | None:
    """The SimHash of the article's body: the one computed ahead if the body is the very same
    string (learned boilerplate may have cleaned it since), else computed now."""
    ahead = getattr(article, _AHEAD, None)
    if ahead is not None and ahead[0] is article.body:
        return ahead[1]
    return simhash(article.body)


def distance(a: int, b: int) -> int:
    return (a ^ b).bit_count()


def title_key(title: str) -> str:
    """The title as compared between captures: its words, case-folded, or "" when it has too
    few words to tell two articles apart."""
    words = _WORD.findall(title.casefold())
    return " ".join(words) if len(words) >= MIN_TITLE_WORDS else ""


def opening_key(text: str) -> str:
    """The first ``OPENING_WORDS`` words of a text, case-folded ("" for a shorter text)."""
    words = _WORD.findall(text.casefold())[:OPENING_WORDS]
    return " ".join(words) if len(words) == OPENING_WORDS else ""


def _vouching_keys(title: str, text: str) -> list[str]:
    """What two captures of one article share even when their texts differ: the title, the
    opening words."""
    keys = [f"title:{title_key(title)}", f"opening:{opening_key(text)}"]
    return [k for k in keys if not k.endswith(":")]


def _vouching_hashes(title: str, text: str) -> list[int]:
    """The vouching keys as 64-bit hashes: what ``Clusters`` keeps of them."""
    return [
        int.from_bytes(_blake(k.encode(), digest_size=8).digest(), "little")
        for k in _vouching_keys(title, text)
    ]


def _bands(value: int) -> list[int]:
    """The value's bands, each tagged with its band number (band ``i`` in bits 16-17)."""
    mask = (1 << BAND_BITS) - 1
    return [(i << BAND_BITS) | ((value >> (i * BAND_BITS)) & mask) for i in range(BANDS)]


SETTLE_FROM = 4_096  # entries added to a ``Buckets`` before they join its sorted arrays
# ... or this share of the arrays, if more: the recent entries (a dict of lists, ~170 bytes an
# entry) held 8 MB at an eighth; a settle is one pass over the arrays
SETTLE_SHARE = 64


class Buckets:
    """A multimap from 64-bit keys to entry numbers, each key's entries in the order added.

    Held in two sorted numpy arrays (12 bytes an entry) and a dict of the entries added since
    they were last merged into the arrays: at most ``SETTLE_FROM`` or a ``SETTLE_SHARE``th of
    the arrays, whichever is more.
    A Python dict of lists held ~150 bytes an entry: the job's clusters grew by ~100 MB on
    the 65,547 articles of the corpus."""

    def __init__(self) -> None:
        self.keys = np.zeros(0, dtype=np.uint64)
        self.entries = np.zeros(0, dtype=np.int64)
        self.recent: dict[int, list[int]] = {}
        self.pending = 0

    def __len__(self) -> int:
        return len(self.keys) + self.pending

    def add(self, key: int, entry: int) -> None:
        self.add_many((key,), entry)

    def add_many(self, keys: Sequence[int], entry: int) -> None:
        """``add(key, entry)`` for each key."""
        recent = self.recent
        for key in keys:
            found = recent.get(key)
            if found is None:
                recent[key] = [entry]
            else:
                found.append(entry)
        self.pending += len(keys)
        if self.pending >= max(SETTLE_FROM, len(self.keys) // SETTLE_SHARE):
            self.settle()

    def settle(self) -> None:
        """Merge the recent entries into the sorted arrays: sorted alone, then inserted
        after the entries of the same key already there (one pass over the arrays)."""
        if not self.pending:
            return
        keys = np.fromiter(
            (k for k, found in self.recent.items() for _ in found), np.uint64, self.pending
        )
        entries = np.fromiter(
            (e for found in self.recent.values() for e in found), np.int64, self.pending
        )
        order = np.argsort(keys, kind="stable")  # by key, each key's in the order added
        keys, entries = keys[order], entries[order]
        at = np.searchsorted(self.keys, keys, side="right")
        self.keys, self.entries = (
            np.insert(self.keys, at, keys),
            np.insert(self.entries, at, entries),
        )
        self.recent, self.pending = {}, 0

    def get(self, key: int) -> list[int]:
        """The key's entries, in the order added."""
        found: list[int] = []
        keys = self.keys
        if len(keys):
            probe = np.uint64(key)
            lo = int(keys.searchsorted(probe))
            if lo < len(keys) and keys[lo] == probe:  # most keys looked up are absent
                found = self.entries[lo : int(keys.searchsorted(probe, side="right"))].tolist()
        recent = self.recent.get(key)
        return found + recent if recent else found

    def get_many(self, keys: Sequence[int]) -> list[list[int]]:
        """``get`` of each key, the arrays searched once for all of them."""
        found: list[list[int]] = [[] for _ in keys]
        held = self.keys
        if len(held) and len(keys):
            probe = np.array(keys, dtype=np.uint64)
            lo = held.searchsorted(probe)
            hit = lo < len(held)
            hit[hit] = held[lo[hit]] == probe[hit]
            if hit.any():
                hi = held.searchsorted(probe[hit], side="right")
                for i, a, b in zip(
                    np.flatnonzero(hit).tolist(), lo[hit].tolist(), hi.tolist(), strict=True
                ):
                    found[i] = self.entries[a:b].tolist()
        recent = self.recent
        if recent:
            for i, key in enumerate(keys):
                more = recent.get(key)
                if more:
                    found[i] = found[i] + more
        return found

    def nbytes(self) -> int:
        """Bytes of its sorted arrays (the recent entries are a bounded few)."""
        return int(self.keys.nbytes + self.entries.nbytes)


class Clusters:
    """Every known SimHash with its cluster key, banded for fast near-duplicate look-up.

    Held compact: the SimHashes in one numpy array, their cluster keys in a list (the
    article ids the job holds anyway), the bands and the vouching keys (as 64-bit hashes) in
    ``Buckets`` of entry numbers: about 60 bytes an article, against ~1.5 KB as dicts of
    tuples (measured: 15 MB for 10,000 articles)."""

    def __init__(self) -> None:
        self._values = np.zeros(1024, dtype=np.uint64)
        self._keys: list[str] = []
        self._bands = Buckets()
        self._vouched = Buckets()

    def __len__(self) -> int:
        return len(self._keys)

    def _first_within(self, value: int, entries: list[int], most: int) -> str | None:
        for entry in entries:
            if distance(value, int(self._values[entry])) <= most:
                return self._keys[entry]
        return None

    def find(self, value: int) -> str | None:
        for band in _bands(value):
            if (key := self._first_within(value, self._bands.get(band), MAX_DISTANCE)) is not None:
                return key
        return None

    def find_vouched(self, value: int, title: str, text: str = "") -> str | None:
        """The cluster of an article with the same title or the same opening words and a
        SimHash within ``MAX_TITLED_DISTANCE`` bits (another capture of the same page)."""
        for vouching in _vouching_hashes(title, text):
            found = self._first_within(value, self._vouched.get(vouching), MAX_TITLED_DISTANCE)
            if found is not None:
                return found
        return None

    def add(self, value: int, key: str, title: str = "", text: str = "") -> None:
        entry = len(self._keys)
        if entry == len(self._values):
            self._values = np.resize(self._values, 2 * entry)
        self._values[entry] = value
        self._keys.append(key)
        self._bands.add_many(_bands(value), entry)
        if not (title or text):  # a stored article, as a job loads them: nothing vouches
            return
        self._vouched.add_many(_vouching_hashes(title, text), entry)

    def nbytes(self) -> int:
        """Bytes of its arrays and key list (not the key strings: the job's article ids)."""
        return (
            int(self._values.nbytes)
            + 8 * len(self._keys)
            + self._bands.nbytes()
            + self._vouched.nbytes()
        )

    def assign(self, value: int | None, article_id: str, title: str = "", text: str = "") -> str:
        """The cluster key of an article (``text`` is what ``value`` hashes): an existing
        near-duplicate's, or its own id."""
        if value is None:
            return article_id
        key = self.find(value) or self.find_vouched(value, title, text) or article_id
        self.add(value, key, title, text)
        return key
