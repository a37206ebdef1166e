"""Near-duplicate detection: the same wire story on several sites shares a ``cluster`` key.

Each article gets a 64-bit SimHash of its word 4-shingles. Two articles whose SimHashes differ
in at most ``MAX_DISTANCE`` bits are near-duplicates. To find candidates without comparing all
pairs, the hash is cut into ``BANDS`` 16-bit bands: by the pigeonhole principle, two hashes
within 3 bits agree exactly on at least one of 4 bands. The cluster key is the id of the first
article indexed in the cluster, so keys stay stable as more copies arrive.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

import numpy as np

BITS = 64
BANDS = 4
BAND_BITS = BITS // BANDS
MAX_DISTANCE = 3
SHINGLE = 4
MIN_WORDS = 30  # shorter texts are too small to call near-duplicates

_WORD = re.compile(r"\w+")


def simhash(text: str) -> int | None:
    """The text's 64-bit SimHash, or None when it is too short to compare."""
    words = _WORD.findall(text.casefold())
    if len(words) < MIN_WORDS:
        return None
    shingles = {" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}
    hashes = np.fromiter(
        (
            int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest(), "little")
            for s in shingles
        ),
        dtype=np.uint64,
        count=len(shingles),
    )
    bits = np.unpackbits(hashes.view(np.uint8).reshape(-1, 8), axis=1, bitorder="little")
    votes = bits.sum(axis=0, dtype=np.int64) * 2 - len(shingles)
    return int(np.packbits(votes > 0, bitorder="little").view("<u8")[0])


def distance(a: int, b: int) -> int:
    return (a ^ b).bit_count()


def _bands(value: int) -> list[tuple[int, int]]:
    mask = (1 << BAND_BITS) - 1
    return [(i, (value >> (i * BAND_BITS)) & mask) for i in range(BANDS)]


@dataclass
class Clusters:
    """Every known SimHash with its cluster key, banded for fast near-duplicate look-up."""

    _bands: dict[tuple[int, int], list[tuple[int, str]]] = field(default_factory=dict)

    def find(self, value: int) -> str | None:
        for band in _bands(value):
            for other, key in self._bands.get(band, ()):
                if distance(value, other) <= MAX_DISTANCE:
                    return key
        return None

    def add(self, value: int, key: str) -> None:
        for band in _bands(value):
            self._bands.setdefault(band, []).append((value, key))

    def assign(self, value: int | None, article_id: str) -> str:
        """The cluster key of an article: an existing near-duplicate's, or its own id."""
        if value is None:
            return article_id
        key = self.find(value) or article_id
        self.add(value, key)
        return key
