"""The engines an archive lives in: the embedded Whoosh index (default) or an OpenSearch cluster.

``open_engine(index_dir)`` is the one place that reads the ``backend`` setting
(``MANCHETTE_BACKEND``); both engines implement :class:`engines.base.Engine`, and nothing
outside ``engines/`` asks which one answers.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Unpack

from engines.base import Engine
from engines.opensearch.settings import BACKENDS, setting_value

if TYPE_CHECKING:
    from index.build import JobOptions
    from index.report import IndexReport

__all__ = ["Engine", "index_paths", "open_engine"]


def _backend_name(override: str | None = None) -> str:
    """``whoosh`` or ``opensearch``; anything else is a clear error."""
    name = setting_value("backend", {"backend": override}).strip().lower()
    if name not in BACKENDS:
        raise ValueError(f"invalid setting: MANCHETTE_BACKEND must be one of {BACKENDS}")
    return name


def open_engine(
    index_dir: Path, *, backend: str | None = None, refresh_seconds: float = 0.0
) -> Engine:
    """The engine the setting names (or ``backend``), over the archive of ``index_dir``.

    ``refresh_seconds``: how often a long-running reader looks for new commits.
    """
    if _backend_name(backend) == "opensearch":
        from engines.opensearch.engine import OpenSearchEngine

        return OpenSearchEngine(Path(index_dir))
    from engines.whoosh.engine import WhooshEngine

    return WhooshEngine(Path(index_dir), refresh_seconds)


def index_paths(
    paths: Iterable[Path], index_dir: Path, **options: Unpack[JobOptions]
) -> IndexReport:
    """Index files and folders into the archive of ``index_dir`` (``Engine.index_paths``)."""
    return open_engine(index_dir).index_paths(paths, **options)
