"""The settings of the engines, declared as data like ``index.config.SETTINGS``.

``MANCHETTE_BACKEND=opensearch`` selects the OpenSearch engine (read by ``engines.open_engine``
only); ``MANCHETTE_OPENSEARCH_URL`` names one or
more nodes (comma-separated, credentials allowed in the URL: ``https://user:pass@host:9200``).
Values are read through ``index.config`` (the one reader of the environment).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from index.config import Setting, _raw_value

BACKENDS = ("whoosh", "opensearch")

OPENSEARCH_SETTINGS: tuple[Setting, ...] = (
    Setting("backend", "whoosh", "Storage and retrieval engine: `whoosh` or `opensearch`."),
    Setting(
        "opensearch_url",
        "http://127.0.0.1:9200",
        "OpenSearch node URLs, comma-separated; credentials may be given in the URL.",
    ),
    Setting("opensearch_index", "manchette", "Name of the OpenSearch alias that search reads."),
    Setting("opensearch_shards", "1", "Primary shards of a new OpenSearch index."),
    Setting("opensearch_replicas", "1", "Replicas of each shard of a new OpenSearch index."),
    Setting("opensearch_ca_certs", "", "CA bundle that signs the nodes' TLS certificates (https)."),
    Setting("opensearch_verify_certs", "1", "`0` skips TLS certificate checks (tests only)."),
    Setting("opensearch_timeout", "30", "Seconds before an OpenSearch request times out."),
)


def setting_value(name: str, overrides: dict | None = None) -> str:
    setting = next(s for s in OPENSEARCH_SETTINGS if s.name == name)
    return _raw_value(setting, overrides or {})


@dataclass(frozen=True)
class OpenSearchConfig:
    hosts: tuple[str, ...] = ("http://127.0.0.1:9200",)
    alias: str = "manchette"
    shards: int = 1
    replicas: int = 1
    ca_certs: str | None = None
    verify_certs: bool = True
    timeout: float = 30.0

    @property
    def template(self) -> str:
        return f"{self.alias}-template"

    @property
    def pattern(self) -> str:
        """Concrete indices are ``ALIAS-<build>``; the alias points at the live one."""
        return f"{self.alias}-*"


def load_opensearch_config(**overrides: object) -> OpenSearchConfig:
    """Defaults, then ``MANCHETTE_OPENSEARCH_*`` variables, then explicit overrides."""
    raw = {s.name: _raw_value(s, overrides) for s in OPENSEARCH_SETTINGS}
    hosts = tuple(h.strip() for h in raw["opensearch_url"].split(",") if h.strip())
    for host in hosts:
        if urlsplit(host).scheme not in ("http", "https"):
            raise ValueError(f"invalid setting: {host!r} is not an http(s) URL")
    try:
        return OpenSearchConfig(
            hosts=hosts,
            alias=raw["opensearch_index"],
            shards=int(raw["opensearch_shards"]),
            replicas=int(raw["opensearch_replicas"]),
            ca_certs=raw["opensearch_ca_certs"] or None,
            verify_certs=raw["opensearch_verify_certs"] not in ("0", "false", "no"),
            timeout=float(raw["opensearch_timeout"]),
        )
    except ValueError as exc:
        raise ValueError(f"invalid setting: {exc}") from exc
