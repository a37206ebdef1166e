"""Where the indexing job writes: the embedded Whoosh index (default) or an OpenSearch cluster.

The job (``index.build.Job``) writes through one small interface, :class:`ArticleWriter`: the
Whoosh ``SegmentWriter`` has it, and so has ``index.sinks.opensearch.BulkWriter``. Which one a
run uses is the ``backend`` setting (``MANCHETTE_BACKEND``: ``whoosh`` or ``opensearch``).
"""

from __future__ import annotations

from typing import Any, Protocol

from index.sinks.settings import backend_name

__all__ = ["ArticleWriter", "backend_name"]


class ArticleWriter(Protocol):
    """What the indexing job needs from a writer: documents keyed by id, then commit or cancel.

    Documents are the dicts of ``index.writer.article_to_doc``.
    """

    def add_document(self, **doc: Any) -> None: ...

    def update_document(self, **doc: Any) -> None: ...

    def delete_by_term(self, fieldname: str, text: str) -> int: ...

    def commit(self) -> None: ...

    def cancel(self) -> None: ...
