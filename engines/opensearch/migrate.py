"""``manchette migrate --to opensearch``: copy a Whoosh archive into OpenSearch, all or nothing.

Every stored article is read back from the Whoosh index (its fields and the job's hashes and
cluster keys, so nothing is parsed again and near-duplicate clusters keep their keys), written
into a fresh OpenSearch index, counted, and only then put behind the alias in one atomic call.
The input manifest and learned boilerplate are copied beside, so the next ``manchette index``
with ``MANCHETTE_BACKEND=opensearch`` skips every unchanged file. The Whoosh index is only read:
going back is switching ``MANCHETTE_BACKEND`` back.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from engines.opensearch.store import STATE_DIR, OpenSearchSink, OpenSearchStore
from engines.whoosh.writer import open_index, whoosh_documents
from index.layout import job_lock, live_dir
from index.learned import load_learned, save_learned
from index.manifest import load_manifest, save_manifest


class MigrationFailed(Exception):
    """Some articles were not acknowledged: the new index was dropped, the alias never moved."""


@dataclass
class MigrationReport:
    articles: int = 0
    written: int = 0
    index: str = ""
    replaced: str | None = None
    seconds: float = 0.0
    failed: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)

    def summary(self) -> str:
        return (
            f"{self.written} of {self.articles} articles copied into {self.index} "
            f"in {self.seconds:.2f}s"
        )


def migrate_to_opensearch(
    index_dir: Path,
    *,
    store: OpenSearchStore | None = None,
    wait: float = 0.0,
    progress: Callable[[int], None] | None = None,
) -> MigrationReport:
    """Copy the Whoosh archive in ``index_dir`` into OpenSearch and swap the alias to it."""
    started = time.perf_counter()
    index_dir = Path(index_dir)
    store = store or OpenSearchStore()
    report = MigrationReport()
    with job_lock(index_dir, wait):  # no indexing job changes the archive meanwhile
        documents = whoosh_documents(open_index(index_dir))  # fails before touching OpenSearch
        report.index = target = store.create_index()
        sink = OpenSearchSink(store, target, index_dir / STATE_DIR)
        try:
            for report.articles, doc in enumerate(documents, start=1):
                sink.add(doc)
                if progress is not None and report.articles % 1000 == 0:
                    progress(report.articles)
            sink.commit()
            report.written = int(store.client.count(index=target)["count"])
            report.failed = [f.id for f in sink.failures]
            if report.failed or report.written != report.articles:
                raise MigrationFailed(
                    f"{report.articles - report.written} of {report.articles} articles were "
                    f"not written (first: {sink.failures[0].reason if sink.failures else '?'}); "
                    "nothing was switched, run the migration again"
                )
        except BaseException:
            store.delete_index(target)
            raise
        report.replaced = store.swap_alias(target)
        if report.replaced:
            store.delete_index(report.replaced)
        state_dir = index_dir / STATE_DIR
        state_dir.mkdir(exist_ok=True)
        live = live_dir(index_dir)
        save_manifest(state_dir, load_manifest(live))
        save_learned(state_dir, load_learned(live))
    report.seconds = round(time.perf_counter() - started, 3)
    return report
