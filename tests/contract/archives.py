"""An archive on one engine, indexed by the real job (used by the contract tests)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from engines.base import Engine
from engines.opensearch.store import OpenSearchStore
from index.report import IndexReport
from search.request import SearchRequest
from search.results import SearchResult


@dataclass
class Archive:
    """An archive on one engine: index files with the job through its sink, search it."""

    name: str
    index_dir: Path
    backend: Engine
    store: OpenSearchStore | None = None

    def index(self, *paths: Path, prune: bool = False, rebuild: bool = False) -> IndexReport:
        return self.backend.index_paths(list(paths), prune=prune, rebuild=rebuild, parse_workers=1)

    def search(self, q: str, **options: object) -> SearchResult:
        return self.backend.search(SearchRequest(q=q, **options).validate())  # type: ignore[arg-type]

    def ids(self, q: str, **options: object) -> list[str]:
        return [h.id for h in self.search(q, limit=100, **options).hits]
