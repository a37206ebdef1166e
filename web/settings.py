"""Web settings, layered: defaults → file (MANCHETTE_WEB_CONFIG) → MANCHETTE_* env → test."""

from __future__ import annotations

import secrets

from index.config import load_settings


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
        "MAX_EXPORT_ROWS": settings.max_export_rows,  # rows of an export at most (None: all)
        "CSV_MAX_ROWS": None,  # the older cap of /search.csv alone, when a deployment set it
        # signs the session (the /batch form's CSRF token); the app is made before the
        # server forks its workers, so a random key is shared by all of them
        "SECRET_KEY": settings.secret_key or secrets.token_hex(32),
        "SESSION_COOKIE_SAMESITE": "Lax",
        "FEED_SIZE": 20,  # entries of /search.atom
    }
