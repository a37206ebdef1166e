"""Web settings, layered: defaults → file (MANCHETTE_WEB_CONFIG) → MANCHETTE_* env → test."""

from __future__ import annotations

from index.config import load_settings


def default_config() -> dict:
    settings = load_settings()
    return {
        "INDEX_DIR": str(settings.index_dir),
        "PAGE_SIZE": settings.page_size,
        "REFRESH_SECONDS": 1.0,
        "MAX_CONTENT_LENGTH": 64 * 1024,
        "JSON_AS_ASCII": False,
    }
