"""Paths and tiny hand-made records shared by the tests (imported as ``builders``)."""

from __future__ import annotations

import functools
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SAMPLE_DIR = ROOT / "data" / "sample"
SEED = SAMPLE_DIR / "000_6295ffdbc15f7e73.txt"
SEED_ID_FILE = "000_6295ffdbc15f7e73.txt"

# Hostile article used by the web and browser tests: its text carries markup that must show
# as text, never run.
XSS_ARTICLE = {
    "id": "xss-1",
    "url": "javascript:alert(document.domain)",
    "source": "<b>Evil</b> Source",
    "lang": "en",
    "title": "Hostile <script>alert(1)</script> headline about zebras",
    "date": "2020-01-02",
    "text": (
        "The zebras article body says <script>alert(1)</script> and "
        '<img src=x onerror="alert(2)"> to test escaping.\n\n'
        "A second paragraph about zebras and <b>bold</b> claims."
    ),
}


# One story twice, for the rule that puts the original first among copies that score alike
# (search/copies.py): the original, then the same dispatch sent again the next day with a word
# dropped from its headline and a typo. Its shorter title scores a little higher.
WIRE_STORY = (
    "The regional council voted on Tuesday to close the old harbour bridge for two years of "
    "repairs, after engineers found corrosion in the steel cables that hold the main span. "
    "Ferries will carry commuters across the bay while the work goes on, the council said, "
    "and the cost will be shared between the region and the national transport agency. "
    "Shop owners near the southern end of the bridge fear a long slump in trade, and the "
    "chamber of commerce has asked for a temporary footbridge. Officials said a footbridge "
    "would need its own permits and could not open before the autumn. The bridge was built "
    "in the nineteen sixties and last repaired twenty years ago, when one lane stayed open "
    "throughout the works. This time the engineers want the whole deck empty, because the "
    "cables must be replaced one by one and every replacement shifts the load on the others."
)
WIRE_OTHER = (
    "Fishermen in the northern villages say the winter season was the worst in a decade, as "
    "storms kept boats in port for weeks and prices at the auction fell sharply in January."
)
WIRE_COPIES = [
    {
        "id": "original",
        "lang": "en",
        "source": "Wire",
        "date": "2021-03-01T10:00:00",
        "title": "Regional council to close the old harbour bridge for two years of repairs",
        "text": WIRE_STORY,
    },
    {
        "id": "resent",
        "lang": "en",
        "source": "Wire",
        "date": "2021-03-02T08:00:00",
        "title": "Regional council to close the harbour bridge for two years of repairs",
        "text": WIRE_STORY.replace("corrosion", "corosion"),
    },
    {
        "id": "other",
        "lang": "en",
        "source": "Wire",
        "date": "2021-01-05",
        "title": "A bad winter for the fishermen",
        "text": WIRE_OTHER,
    },
]


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    return path


@functools.cache
def corpus_lines() -> tuple[str, ...]:
    """Every distinct line of the test data and the bundled sample (text, HTML, JSON): what
    a fast path is checked against its plain form on."""
    lines: set[str] = set()
    for folder in (DATA, SAMPLE_DIR):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix in {".txt", ".html", ".jsonl", ".json", ".tsv"}:
                text = path.read_text(encoding="utf-8", errors="replace")
                lines.update(line for line in text.splitlines() if line.strip())
    return tuple(sorted(lines))


class PolicySegment:
    """What a merge policy reads of a segment (``engines/whoosh/pool.py``): its counts."""

    def __init__(self, docs: int, deleted: int = 0) -> None:
        self.docs, self.deleted = docs, deleted

    def doc_count_all(self) -> int:
        return self.docs

    def doc_count(self) -> int:
        return self.docs - self.deleted

    def deleted_count(self) -> int:
        return self.deleted
