"""The Flask front end: ``create_app`` is the one way to build the application."""

from __future__ import annotations

from flask import Flask

from engines import open_engine
from web import tools as _tools  # noqa: F401  (registers /batch and /trends on the blueprint)
from web.alert_views import bp as alerts_bp
from web.i18n import init_i18n
from web.render import register_filters
from web.settings import default_config
from web.urls import install_page_urls
from web.views import bp, register_error_handlers, set_security_headers


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__)
    app.config.from_mapping(default_config())
    app.config.from_envvar("MANCHETTE_WEB_CONFIG", silent=True)
    app.config.from_prefixed_env("MANCHETTE")
    if test_config:
        app.config.from_mapping(test_config)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.config["DEBUG"] = False
    app.config["PROPAGATE_EXCEPTIONS"] = False
    app.extensions["manchette.engine"] = open_engine(
        app.config["INDEX_DIR"], refresh_seconds=float(app.config["REFRESH_SECONDS"])
    )
    # "/articles/a//b.json" is the article "a//b", not a redirect to "a/b".
    app.url_map.merge_slashes = False
    init_i18n(app)
    register_filters(app)
    register_error_handlers(app)
    app.after_request(set_security_headers)
    app.register_blueprint(bp)
    app.register_blueprint(alerts_bp)
    install_page_urls(app)
    return app
