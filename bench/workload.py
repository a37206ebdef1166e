"""The benchmark's workload: the same articles and the same queries for every engine.

Articles are a seeded sample of the corpus (every language in its corpus share); queries are
built from those articles' titles the way people type: distinctive title words, short 1-3 word
queries, quoted phrases, short queries with a language or year filter, and whole titles (8 to 16
words: a pasted headline, the slowest kind for an engine that scores posting by posting).
"""

from __future__ import annotations

import gzip
import json
import random
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

SEED = 20261128
PUNCTUATION = "\"'“”«»‘’„:;,.!?()[]<>{}|/\\-–—…*&^%$#@~`+="
WORD = re.compile(r"\w{3,}")


@dataclass(frozen=True)
class Query:
    kind: str  # title | short | phrase | filter | whole
    words: tuple[str, ...]
    phrase: bool = False
    lang: str | None = None  # a language filter
    year: str | None = None  # a year filter

    @property
    def text(self) -> str:
        """The query as a user types it into Manchette's box (filters go in parameters)."""
        joined = " ".join(self.words)
        return f'"{joined}"' if self.phrase else joined


def load_corpus(corpus: Path) -> list[dict]:
    records = []
    for path in sorted(corpus.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            records.extend(json.loads(line) for line in handle)
    return records


def sample(records: list[dict], size: int | None) -> list[dict]:
    """A seeded sample of ``size`` records (all of them, shuffled, when size is None)."""
    shuffled = list(records)
    random.Random(SEED).shuffle(shuffled)
    return shuffled if size is None or size >= len(shuffled) else shuffled[:size]


def write_shards(records: list[dict], folder: Path, per_file: int = 1000) -> list[Path]:
    """Write the records as gzip JSON Lines files of ``per_file`` articles each."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for start in range(0, len(records), per_file):
        path = folder / f"part-{start // per_file:05d}.jsonl.gz"
        with gzip.open(path, "wt", encoding="utf-8") as handle:
            for record in records[start : start + per_file]:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        paths.append(path)
    return paths


def title_of(record: dict) -> str:
    if record.get("title"):
        return record["title"]
    return re.split(r"(?<=[.!?])\s", record["text"].strip(), maxsplit=1)[0][:200]


def typed_words(text: str) -> list[str]:
    words = (w.strip(PUNCTUATION) for w in text.split())
    return [w for w in words if len(w) >= 3 and not w.isdigit()]


KINDS = ("title", "short", "phrase", "filter")
WHOLE = 150  # whole titles, besides the four kinds' 600 queries
ALL_KINDS = (*KINDS, "whole")


def make_queries(records: list[dict], count: int = 600, whole: int = 0) -> list[Query]:
    """``count`` queries in four kinds of equal share, from the sampled articles' titles, then
    ``whole`` whole titles (their first 16 typed words; titles of at least 8)."""
    rng = random.Random(SEED)
    df = Counter(w.lower() for r in records for w in set(typed_words(title_of(r))))
    pool = [r for r in records if len(typed_words(title_of(r))) >= 3]
    queries: list[Query] = []
    per_kind = count // len(KINDS)
    while len(queries) < len(KINDS) * per_kind:
        kind = KINDS[len(queries) // per_kind]
        record = rng.choice(pool)
        words = typed_words(title_of(record))
        if kind == "title":
            distinctive = sorted(words, key=lambda w: df[w.lower()])[: rng.randint(3, 5)]
            queries.append(Query(kind, tuple(w for w in words if w in distinctive)))
        elif kind == "short":
            start = rng.randrange(len(words))
            queries.append(Query(kind, tuple(words[start : start + rng.randint(1, 3)])))
        elif kind == "phrase":
            start = rng.randrange(len(words) - 1)
            queries.append(Query(kind, tuple(words[start : start + rng.randint(2, 3)]), True))
        else:
            word = (rng.choice(words),)
            if rng.random() < 0.5 or not record.get("date"):
                queries.append(Query(kind, word, lang=record["lang"]))
            else:
                queries.append(Query(kind, word, year=str(record["date"])[:4]))
    long_titles = [r for r in records if r.get("title") and len(typed_words(r["title"])) >= 8]
    for record in rng.sample(long_titles, min(whole, len(long_titles))):
        queries.append(Query("whole", tuple(typed_words(record["title"])[:16])))
    return queries
