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
