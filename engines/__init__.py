"""Search backends: the embedded Whoosh index (default) or an OpenSearch cluster.

``open_backend(index_dir)`` returns the one the ``backend`` setting names
(``MANCHETTE_BACKEND``); both implement :class:`SearchBackend`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from index.sinks.settings import backend_name
from search.backends.base import BackendUnavailable, Health, SearchBackend

__all__ = [
    "BackendUnavailable",
    "Health",
    "RemoteIndex",
    "SearchBackend",
    "open_backend",
    "remote_backend",
]


class RemoteIndex:
    """Stands where a command opens a Whoosh index: its ``searcher()`` is the backend, which
    ``run_search`` and ``get_article`` accept in place of a Whoosh searcher."""

    def __init__(self, backend: SearchBackend) -> None:
        self.backend = backend

    @contextmanager
    def searcher(self, **_options: object) -> Iterator[SearchBackend]:
        yield self.backend


def remote_backend(backend: str | None = None) -> SearchBackend | None:
    """The OpenSearch backend when the setting selects it, else None (the embedded index)."""
    if backend_name(backend) != "opensearch":
        return None
    from search.backends.opensearch import OpenSearchBackend

    return OpenSearchBackend()


def open_backend(index_dir: Path, backend: str | None = None) -> SearchBackend:
    """The backend the setting names: OpenSearch, or the Whoosh index in ``index_dir``."""
    remote = remote_backend(backend)
    if remote is not None:
        return remote
    from search.backends.whoosh import WhooshBackend

    return WhooshBackend(index_dir)
