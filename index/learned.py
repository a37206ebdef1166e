"""Boilerplate learned from the collection: paragraphs that recur across articles of a source.

A short paragraph (a slogan, a subscription prompt, a footer) that appears in at least
``MIN_ARTICLES`` articles of the same source is not article text. The indexer learns these as
it reads, removes them from bodies, and keeps what it learned next to the index
(``boilerplate.json``) so later runs use it. Articles read before a paragraph was learned are
re-read at the end of the same run: ``Learned.observe`` returns where they are (file and
article location), so that only those articles are read and written again.
"""

from __future__ import annotations

import hashlib
import json
import os
from array import array
from dataclasses import replace
from pathlib import Path

from index.article import Article
from index.dedup import Buckets
from index.known import Places

LEARNED_FILE = "boilerplate.json"
MIN_ARTICLES = 5  # a paragraph seen in this many articles of one source is boilerplate
MAX_CHARS = 200  # only short paragraphs can be learned: long ones are reporting
PARAGRAPH_BREAK = "\n\n"
Location = tuple[str, str]  # an article's file, and its place in it (``Article.path``)
_MASK = (1 << 64) - 1


def paragraph_key(paragraph: str) -> str:
    text = " ".join(paragraph.casefold().split())
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


def _candidates(article: Article) -> set[str]:
    return {
        paragraph_key(p)
        for p in article.body.split(PARAGRAPH_BREAK)
        if p.strip() and len(p) <= MAX_CHARS
    }


class Learned:
    def __init__(self, known: dict[str, set[str]] | None = None) -> None:
        self.known: dict[str, set[str]] = known or {}  # source → learned paragraph keys
        # Until learned, each (source, paragraph key) seen, as a 64-bit number, → where the
        # articles that hold it were read (their numbers in ``_where``), in sorted arrays:
        # dicts of strings, tuples and lists held ~330 bytes a paragraph (30 MB on the
        # corpus), then a dict of numbers and a list of tuples ~14 MB. A learned paragraph's
        # entries stay (it is never looked up again).
        self._seen = Buckets()
        self._pending = 0  # paragraphs seen and not learned
        self._where = array("q")  # per article observed: its file's and location's codes
        self._places = Places()
        self.learned_now = 0

    def size(self) -> int:
        """How many paragraphs are learned, all sources together (they are never forgotten)."""
        return sum(map(len, self.known.values()))

    def clean(self, article: Article) -> Article:
        """The article without the paragraphs learned as its source's boilerplate."""
        learned = self.known.get(article.source)
        if not learned or not article.body:
            return article
        paragraphs = [
            p
            for p in article.body.split(PARAGRAPH_BREAK)
            if len(p) > MAX_CHARS or paragraph_key(p) not in learned
        ]
        body = PARAGRAPH_BREAK.join(paragraphs)
        if body == article.body:
            return article
        lead = paragraphs[0].strip() if paragraphs else ""
        return replace(article, body=body, lead=lead)

    def observe(self, article: Article, path: str) -> set[Location]:
        """Count the article's short paragraphs (it was read from the file ``path``); return
        where the articles read before are that hold a paragraph learned now: (file, the
        article's location, ``Article.path``), to read again."""
        if not article.source:
            return set()
        learned = self.known.setdefault(article.source, set())
        revisit: set[Location] = set()
        salt = hash(article.source) & _MASK
        keys = list(_candidates(article) - learned)
        if not keys:
            return revisit
        place = self._place(path, article.path)
        slots = [int(key, 16) ^ salt for key in keys]
        held = []  # slots this article holds, not learned yet
        for key, slot, places in zip(keys, slots, self._seen.get_many(slots), strict=True):
            if len(places) + 1 < MIN_ARTICLES:
                held.append(slot)
                self._pending += not places
                continue
            self._pending -= 1
            learned.add(key)
            self.learned_now += 1
            revisit.update(map(self._location, places))
        self._seen.add_many(held, place)
        return revisit

    def _place(self, path: str, location: str) -> int:
        """Number an article observed (read from ``path`` at ``location``)."""
        self._where.append(self._places.code(path))
        self._where.append(self._places.code(location))
        return len(self._where) // 2 - 1

    def _location(self, place: int) -> Location:
        where = self._where
        return self._places.location(where[2 * place]), self._places.location(where[2 * place + 1])

    def pending(self) -> int:
        """Paragraphs seen but not learned (yet) in this run."""
        return self._pending


def load_learned(build_dir: Path) -> Learned:
    try:
        raw = json.loads((Path(build_dir) / LEARNED_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Learned()
    return Learned({source: set(keys) for source, keys in raw.items()})


def save_learned(build_dir: Path, learned: Learned) -> None:
    target = Path(build_dir) / LEARNED_FILE
    tmp = target.with_suffix(".tmp")
    data = {source: sorted(keys) for source, keys in sorted(learned.known.items()) if keys}
    tmp.write_text(json.dumps(data), encoding="utf-8")
    os.replace(tmp, target)
