"""Settings, declared once as data: CLI options, env vars and the README table come from here.

This is the only module of the indexer that reads ``os.environ``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ENV_PREFIX = "MANCHETTE_"
COMMIT_SECONDS = 20.0  # the indexing job commits at least this often (seconds of work)
COMMIT_MB = 32.0  # ... and when the writer's pooled postings reach this many megabytes
# (10,000 news articles pool about 140 MB, and a flush sorts about half as much again: 256 MB
# let the job's peak follow BATCH_DOCS, 504 MB on the full corpus against 388 MB at 64; 40 with
# big blocks mapped (``engines.whoosh.writer.map_big_blocks``): 340 MB against 368 MB at 64 and
# 414 MB before; 64 was 6 % faster, 377 MB. With the job's state compact, 24 made the full
# corpus's peak 265 MB against ~283 MB but cost 6-8 % CPU, too near the speed target
# (``doc/decisions.md``). 32, with the codec encoding 16,384 postings at once and a smaller
# memo in the writing process: 261 MB against 297 MB, and no slower (session 9); the final
# commit's streaming merge makes one segment whatever the commits)


def default_index_dir() -> str:
    """``$XDG_DATA_HOME/manchette/index``, i.e. ``~/.local/share/manchette/index`` by default."""
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return str(Path(data_home) / "manchette" / "index")


@dataclass(frozen=True)
class Setting:
    """One user-facing setting: its name, default (as text), and help line."""

    name: str
    default: str
    help: str

    @property
    def env(self) -> str:
        return ENV_PREFIX + self.name.upper()


SETTINGS: tuple[Setting, ...] = (
    Setting("index_dir", "$XDG_DATA_HOME/manchette/index", "Directory of the Whoosh index."),
    Setting("host", "127.0.0.1", "Address `manchette serve` listens on."),
    Setting("port", "8000", "Port `manchette serve` listens on."),
    Setting("page_size", "10", "Hits per result page."),
    Setting("threads", "8", "Worker threads of the WSGI server."),
    Setting(
        "commit_seconds",
        f"{COMMIT_SECONDS:g}",
        "Seconds of work between two commits of `manchette index` (also every 10,000 "
        "articles and at the end): a job killed again and again still makes progress.",
    ),
    Setting(
        "commit_mb",
        f"{COMMIT_MB:g}",
        "Megabytes of postings `manchette index` holds before it commits (also every "
        "10,000 articles and every `commit_seconds`): bounds the indexing job's memory.",
    ),
    Setting(
        "max_export_rows",
        "",
        "Most rows an export writes (`/search.csv`, `/search.jsonl`, `manchette export`); "
        "empty for no limit.",
    ),
    Setting(
        "secret_key",
        "",
        "Key that signs the web session (the `/batch` form's CSRF token); empty: a random key "
        "each time the server starts.",
    ),
    Setting(
        "ui_language",
        "fr",
        "Interface language when the browser asks for none we have (`fr` or `en`).",
    ),
    Setting(
        "smtp_url",
        "",
        "SMTP server of `manchette alerts run`: `smtp://host:25`, `smtps://user:pass@host:465` "
        "or `smtp://host:587?starttls=1`.",
    ),
    Setting("smtp_from", "manchette@localhost", "Sender address of alert e-mails."),
    Setting(
        "public_url",
        "http://127.0.0.1:8000",
        "Address of the web front end that alert e-mails link to.",
    ),
)
UI_LANGUAGES = ("fr", "en")  # the interface's catalogues (web/translations)


@dataclass(frozen=True)
class Settings:
    index_dir: Path
    host: str = "127.0.0.1"
    port: int = 8000
    page_size: int = 10
    threads: int = 8
    max_export_rows: int | None = None
    secret_key: str = ""
    ui_language: str = "fr"
    commit_seconds: float = COMMIT_SECONDS
    commit_mb: float = COMMIT_MB
    smtp_url: str = ""
    smtp_from: str = "manchette@localhost"
    public_url: str = "http://127.0.0.1:8000"


def _raw_value(setting: Setting, overrides: dict) -> str:
    if overrides.get(setting.name) is not None:
        return str(overrides[setting.name])
    if os.environ.get(setting.env):
        return os.environ[setting.env]
    if setting.name == "index_dir":
        return default_index_dir()
    return setting.default


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value >= 0:  # also refuses nan
        raise ValueError(f"commit_seconds must be a number of seconds >= 0, not {text}")
    return value


def _megabytes(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value > 0:  # also refuses nan
        raise ValueError(f"commit_mb must be a number of megabytes > 0, not {text}")
    return value


def load_settings(**overrides: object) -> Settings:
    """Defaults, then ``MANCHETTE_*`` environment variables, then explicit overrides (CLI flags)."""
    raw = {s.name: _raw_value(s, overrides) for s in SETTINGS}
    if raw["ui_language"] not in UI_LANGUAGES:
        choices = " or ".join(UI_LANGUAGES)
        raise ValueError(
            f"invalid setting: ui_language must be {choices}, not {raw['ui_language']}"
        )
    try:
        return Settings(
            index_dir=Path(raw["index_dir"]).expanduser(),
            host=raw["host"],
            port=int(raw["port"]),
            page_size=int(raw["page_size"]),
            threads=int(raw["threads"]),
            max_export_rows=int(raw["max_export_rows"]) if raw["max_export_rows"] else None,
            secret_key=raw["secret_key"],
            ui_language=raw["ui_language"],
            commit_seconds=_seconds(raw["commit_seconds"]),
            commit_mb=_megabytes(raw["commit_mb"]),
            smtp_url=raw["smtp_url"].strip(),
            smtp_from=raw["smtp_from"].strip(),
            public_url=raw["public_url"].strip().rstrip("/"),
        )
    except ValueError as exc:
        raise ValueError(f"invalid setting: {exc}") from exc
