"""An archive on one backend, indexed by that backend's real job (used by the contract tests)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from index.build import index_paths
from index.report import IndexReport
from index.sinks.job import index_paths_opensearch
from index.sinks.opensearch import OpenSearchStore
from search.backends.base import SearchBackend
from search.request import SearchRequest
from search.results import SearchResult


@dataclass
class Archive:
    """An archive on one backend: index files with the backend's job, search it."""

    name: str
    index_dir: Path
    backend: SearchBackend
    store: OpenSearchStore | None = None

    def index(self, *paths: Path, prune: bool = False, rebuild: bool = False) -> IndexReport:
        options = {"prune": prune, "rebuild": rebuild, "parse_workers": 1}
        if self.store is None:
            return index_paths(list(paths), self.index_dir, **options)
        return index_paths_opensearch(list(paths), self.index_dir, store=self.store, **options)

    def search(self, q: str, **options: object) -> SearchResult:
        return self.backend.search(SearchRequest(q=q, **options).validate())  # type: ignore[arg-type]

    def ids(self, q: str, **options: object) -> list[str]:
        return [h.id for h in self.search(q, limit=100, **options).hits]
