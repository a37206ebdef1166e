"""What the archive holds (``manchette stats``): counts per language and source, size, the
last run. Each engine counts (``Engine.stats``); the last run is the job's, read here."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from index.layout import LAST_RUN

MAX_LISTED = 100


@dataclass
class IndexStats:
    articles: int
    by_lang: dict[str, int] = field(default_factory=dict)
    by_source: dict[str, int] = field(default_factory=dict)
    size_bytes: int = 0
    last_run: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)


def sorted_counts(counts: dict) -> dict[str, int]:
    """Most first, then by name."""
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def last_run(index_dir: Path) -> dict:
    """The last job's report, its lists trimmed (the full lists are in its --report file)."""
    try:
        run = json.loads((Path(index_dir) / LAST_RUN).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(run, dict):
        return {}
    for key in ("rejected", "duplicates"):
        if isinstance(run.get(key), list):
            run[key] = run[key][:MAX_LISTED]
    return run
