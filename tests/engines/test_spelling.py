"""``closest`` answers what Whoosh's corrector suggests first, on one segment (where Whoosh
uses an automaton) and on several (where it computes distances term by term)."""

from __future__ import annotations

import json
import random

from builders import SAMPLE_DIR, write_jsonl
from engines import index_paths
from engines.whoosh.searchers import IndexHandle
from engines.whoosh.spelling import closest
from index.schema import EXACT_FIELD

SAMPLE = SAMPLE_DIR / "sample.jsonl"


def misspellings(words: list[str], rng: random.Random) -> list[str]:
    """Each word with a deletion, an insertion, a swap or a substitution, or two."""
    made = []
    for word in words:
        for _ in range(2):
            chars = list(word)
            at = rng.randrange(len(chars))
            edit = rng.choice("disx")
            if edit == "d" and len(chars) > 1:
                del chars[at]
            elif edit == "i":
                chars.insert(at, rng.choice("aeiourst"))
            elif edit == "s" and at + 1 < len(chars):
                chars[at], chars[at + 1] = chars[at + 1], chars[at]
            else:
                chars[at] = rng.choice("aeiourst")
            word = "".join(chars)
            made.append(word)
    return made


def test_closest_is_the_correctors_first_suggestion_on_one_segment(sample_index):
    reader = IndexHandle(sample_index).searcher().reader()
    assert reader.is_atomic()
    check(reader)


def test_closest_is_the_correctors_first_suggestion_on_several_segments(sample_index, tmp_path):
    index_dir = tmp_path / "ix"
    records = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]
    for part in range(3):
        write_jsonl(tmp_path / f"{part}.jsonl", records[part::3])
        index_paths([tmp_path / f"{p}.jsonl" for p in range(part + 1)], index_dir)
    reader = IndexHandle(index_dir).searcher().reader()
    assert not reader.is_atomic()
    check(reader)


def check(reader) -> None:
    vocabulary = [t.decode() for t in reader.lexicon(EXACT_FIELD)]
    rng = random.Random(7)
    words = misspellings(rng.sample([w for w in vocabulary if len(w) >= 4], 150), rng)
    words += ["zzzzzzzz", vocabulary[0], vocabulary[-1]]
    corrector = reader.corrector(EXACT_FIELD)
    found = 0
    for word in words:
        expected = corrector.suggest(word, limit=1, maxdist=2, prefix=2)
        assert closest(reader, EXACT_FIELD, word, maxdist=2, prefix=2) == (
            expected[0] if expected else None
        ), word
        found += bool(expected)
    assert found > 100  # most misspellings have a suggestion: the comparison is not of Nones
