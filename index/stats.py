"""What the index holds: counts per language and source, size on disk, the last run."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from whoosh import query as wq
from whoosh import sorting

from index.layout import LAST_RUN, live_dir
from index.schema import LANG_FIELD, SOURCE_FIELD
from index.sinks.settings import backend_name
from index.writer import open_index

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


def _sorted_counts(counts: dict) -> dict[str, int]:
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def index_stats(index_dir: Path) -> IndexStats:
    if backend_name() == "opensearch":  # the articles live in the cluster (index/sinks)
        from index.sinks.opensearch import OpenSearchStore

        return OpenSearchStore().stats(Path(index_dir))
    ix = open_index(index_dir)
    facets = {
        LANG_FIELD: sorting.FieldFacet(LANG_FIELD, maptype=sorting.Count),
        SOURCE_FIELD: sorting.FieldFacet(SOURCE_FIELD, maptype=sorting.Count),
    }
    with ix.searcher() as searcher:
        results = searcher.search(wq.Every(), groupedby=facets, limit=1, scored=False)
        stats = IndexStats(
            articles=searcher.doc_count(),
            by_lang=_sorted_counts(results.groups(LANG_FIELD)),
            by_source=_sorted_counts(results.groups(SOURCE_FIELD)),
        )
    live = live_dir(index_dir)
    stats.size_bytes = sum(p.stat().st_size for p in live.iterdir() if p.is_file())
    try:
        stats.last_run = json.loads((Path(index_dir) / LAST_RUN).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        stats.last_run = {}
    for key in ("rejected", "duplicates"):  # the full lists are in the run's --report file
        if isinstance(stats.last_run.get(key), list):
            stats.last_run[key] = stats.last_run[key][:MAX_LISTED]
    return stats
