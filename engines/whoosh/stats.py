"""``manchette stats`` from the Whoosh index: counts per language and source, size on disk."""

from __future__ import annotations

from pathlib import Path

from whoosh import query as wq
from whoosh import sorting

from engines.whoosh.writer import open_index
from index.layout import live_dir
from index.schema import LANG_FIELD, SOURCE_FIELD
from index.stats import IndexStats, last_run, sorted_counts


def index_stats(index_dir: Path) -> IndexStats:
    ix = open_index(index_dir)
    facets = {
        LANG_FIELD: sorting.FieldFacet(LANG_FIELD, maptype=sorting.Count),
        SOURCE_FIELD: sorting.FieldFacet(SOURCE_FIELD, maptype=sorting.Count),
    }
    with ix.searcher() as searcher:
        results = searcher.search(wq.Every(), groupedby=facets, limit=1, scored=False)
        stats = IndexStats(
            articles=searcher.doc_count(),
            by_lang=sorted_counts(results.groups(LANG_FIELD)),
            by_source=sorted_counts(results.groups(SOURCE_FIELD)),
        )
    live = live_dir(index_dir)
    stats.size_bytes = sum(p.stat().st_size for p in live.iterdir() if p.is_file())
    stats.last_run = last_run(index_dir)
    return stats
