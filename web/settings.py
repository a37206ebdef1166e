"""Web settings, layered: defaults → file (MANCHETTE_WEB_CONFIG) → MANCHETTE_* env → test."""

from __future__ import annotations

from index.config import load_settings
from search.export import MAX_EXPORT_ROWS


def default_config() -> dict:
    settings = load_settings()
    return {
        "INDEX_DIR": str(settings.index_dir),
        "PAGE_SIZE": settings.page_size,
        "UI_LANGUAGE": settings.ui_language,  # the interface's language when the browser
        # asks for none of ours (web.i18n.LOCALES)
        "REFRESH_SECONDS": 1.0,
        "MAX_CONTENT_LENGTH": 64 * 1024,
        "JSON_AS_ASCII": False,
        "CSV_MAX_ROWS": MAX_EXPORT_ROWS,  # rows of /search.csv at most
        "FEED_SIZE": 20,  # entries of /search.atom
    }
