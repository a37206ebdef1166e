"""The OpenSearch side of the indexing job: template, aliases, bulk writes, state.

Concrete indices are named ``ALIAS-<build stamp>`` and created from the index template;
searchers read the alias. A ``--rebuild`` fills a fresh index and then moves the alias in one
``_aliases`` call, so searchers switch atomically from the old articles to the new ones.

Writes go through ``_bulk`` in chunks. Items refused with 429 (the node's write queue is full:
back-pressure) or 5xx, and chunks that fail on the connection, are retried with exponential
backoff; what still fails is kept in ``failures`` so the job can report it and read its files
again on the next run. OpenSearch has no transactions: a cancelled run may leave some articles
written, which is safe because every article is keyed by its id.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from opensearchpy import OpenSearch, helpers
from opensearchpy.exceptions import ConnectionError as OSConnectionError
from opensearchpy.exceptions import NotFoundError, TransportError

from index.article import Article
from index.layout import LAST_RUN
from index.schema import (
    CLUSTER_FIELD,
    HASH_FIELD,
    ID_FIELD,
    LANG_FIELD,
    PUBLISHED_FIELD,
    SIMHASH_FIELD,
    SOURCE_FIELD,
    TEXT_HASH_FIELD,
    Analysed,
)
from index.sinks.settings import OpenSearchConfig, load_opensearch_config
from index.sinks.template import TEMPLATE_VERSION, index_template
from index.stats import MAX_LISTED, IndexStats
from index.writer import IndexState, RebuildRequired, text_values

CHUNK_DOCS = 500  # documents per _bulk request
MAX_ATTEMPTS = 6  # per item: the first try and five retries
BACKOFF_SECONDS = 0.5  # doubled after each failed attempt, capped at MAX_BACKOFF_SECONDS
MAX_BACKOFF_SECONDS = 10.0
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
SCAN_PAGE = 1000
ARTICLE_FIELDS = tuple(Article.__dataclass_fields__)


def make_client(config: OpenSearchConfig) -> OpenSearch:
    """A client over every configured node (it retries another node when one is down)."""
    kwargs: dict[str, Any] = {
        "hosts": list(config.hosts),
        "timeout": config.timeout,
        "max_retries": 3,
        "retry_on_timeout": True,
        "retry_on_status": (502, 503, 504),
    }
    if any(h.startswith("https:") for h in config.hosts):
        kwargs.update(verify_certs=config.verify_certs, ssl_show_warn=config.verify_certs)
        if config.ca_certs:
            kwargs["ca_certs"] = config.ca_certs
    return OpenSearch(**kwargs)


@dataclass(frozen=True)
class WriteFailure:
    """An article the cluster did not acknowledge after every retry."""

    id: str
    action: str  # index or delete
    reason: str


def to_source(doc: dict) -> dict:
    """An ``article_to_doc`` document as OpenSearch JSON (dates as ISO strings, no empties).

    Text fields Whoosh-analysed ahead in the parsing process (``Analysed`` postings) are
    replaced by their text: OpenSearch analyses it with the template's chains.
    """
    if any(isinstance(v, Analysed) for v in doc.values()):
        article = Article(**{k: doc[k] for k in ARTICLE_FIELDS if k in doc})
        doc = {k: v for k, v in doc.items() if not isinstance(v, Analysed)}
        doc.update(text_values(article))
    source = {k: v for k, v in doc.items() if v not in (None, "")}
    published = source.get(PUBLISHED_FIELD)
    if isinstance(published, datetime):
        source[PUBLISHED_FIELD] = published.replace(tzinfo=UTC).isoformat()
    source.setdefault(CLUSTER_FIELD, doc[ID_FIELD])
    return source


class OpenSearchStore:
    """The articles of one Manchette archive in OpenSearch: an alias over a concrete index."""

    def __init__(self, config: OpenSearchConfig | None = None, client: OpenSearch | None = None):
        self.config = config or load_opensearch_config()
        self.client = client or make_client(self.config)

    # -- indices and the alias ------------------------------------------------------------

    def ensure_template(self) -> None:
        config = self.config
        body = index_template(config.pattern, config.shards, config.replicas)
        self.client.indices.put_index_template(name=config.template, body=body)

    def live_index(self) -> str | None:
        """The concrete index behind the alias, or None when there is none yet."""
        try:
            found = self.client.indices.get_alias(name=self.config.alias)
        except NotFoundError:
            return None
        return sorted(found)[-1] if found else None

    def create_index(self) -> str:
        """A new, empty concrete index (from the template), not yet behind the alias."""
        self.ensure_template()
        stamp = datetime.now(UTC).strftime("%Y%m%dt%H%M%S%f")
        name = f"{self.config.alias}-{stamp}"
        self.client.indices.create(index=name, params={"wait_for_active_shards": "1"})
        return name

    def ensure_live(self) -> str:
        """The live index, created and aliased when the archive is new.

        An index created from another version of the template (other analyzers or fields)
        cannot be updated correctly: RebuildRequired says which command fixes it.
        """
        live = self.live_index()
        if live is None:
            live = self.create_index()
            self.swap_alias(live)
            return live
        mapping = self.client.indices.get_mapping(index=live)[live]["mappings"]
        found = mapping.get("_meta", {}).get("template_version")
        if found != TEMPLATE_VERSION:
            raise RebuildRequired(
                f"the OpenSearch index {live} was created with template version {found}, this "
                f"Manchette needs {TEMPLATE_VERSION}: rebuild required "
                "(`manchette index PATH --rebuild` with MANCHETTE_BACKEND=opensearch)"
            )
        return live

    def swap_alias(self, index: str) -> str | None:
        """Point the alias at ``index`` in one atomic call; return the index it left."""
        previous = self.live_index()
        actions: list[dict] = [{"add": {"index": index, "alias": self.config.alias}}]
        if previous and previous != index:
            actions.insert(0, {"remove": {"index": previous, "alias": self.config.alias}})
        self.client.indices.update_aliases(body={"actions": actions})
        return previous if previous != index else None

    def delete_index(self, index: str) -> None:
        with contextlib.suppress(NotFoundError):
            self.client.indices.delete(index=index)

    def refresh(self, index: str | None = None) -> None:
        self.client.indices.refresh(index=index or self.config.alias)

    # -- reading everything (search_after, never a deep from/size) -------------------------

    def iter_sources(
        self, index: str | None = None, fields: list[str] | None = None
    ) -> Iterator[dict]:
        """Every document's ``_source`` (or only ``fields``), in id order, page by page."""
        body: dict = {
            "size": SCAN_PAGE,
            "query": {"match_all": {}},
            "sort": [{ID_FIELD: "asc"}],
            "_source": fields if fields is not None else True,
        }
        while True:
            page = self.client.search(index=index or self.config.alias, body=body)
            hits = page["hits"]["hits"]
            for hit in hits:
                yield hit["_source"]
            if len(hits) < SCAN_PAGE:
                return
            body["search_after"] = hits[-1]["sort"]

    def load_state(self, index: str) -> IndexState:
        """What the job must know of the index (hashes by id and text, the clusters)."""
        state = IndexState()
        wanted = [ID_FIELD, HASH_FIELD, TEXT_HASH_FIELD, SIMHASH_FIELD, CLUSTER_FIELD]
        for source in self.iter_sources(index, wanted):
            article_id = source[ID_FIELD]
            state.by_id[article_id] = source.get(HASH_FIELD, "")
            if source.get(TEXT_HASH_FIELD):
                state.by_text[source[TEXT_HASH_FIELD]] = article_id
            if source.get(SIMHASH_FIELD):
                cluster = source.get(CLUSTER_FIELD) or article_id
                state.clusters.add(int(source[SIMHASH_FIELD], 16), cluster)
        return state

    def stats(self, index_dir: Path) -> IndexStats:
        """``manchette stats`` from the cluster: counts per language and source, store size."""
        body = {
            "size": 0,
            "track_total_hits": True,
            "aggs": {
                name: {"terms": {"field": name, "size": MAX_LISTED}}
                for name in (LANG_FIELD, SOURCE_FIELD)
            },
        }
        found = self.client.search(index=self.config.alias, body=body)
        buckets = {
            name: {b["key"]: b["doc_count"] for b in agg["buckets"]}
            for name, agg in found["aggregations"].items()
        }
        size = self.client.indices.stats(index=self.config.alias, metric="store")
        stats = IndexStats(
            articles=found["hits"]["total"]["value"],
            by_lang=buckets[LANG_FIELD],
            by_source=buckets[SOURCE_FIELD],
            size_bytes=size["_all"]["total"]["store"]["size_in_bytes"],
        )
        try:
            stats.last_run = json.loads((index_dir / LAST_RUN).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            stats.last_run = {}
        for key in ("rejected", "duplicates"):  # the full lists are in the run's --report file
            if isinstance(stats.last_run.get(key), list):
                stats.last_run[key] = stats.last_run[key][:MAX_LISTED]
        return stats

    def sink(self, index: str) -> OpenSearchSink:
        return OpenSearchSink(self, index)


class OpenSearchSink:
    """Stands where the job expects a Whoosh index: ``writer()`` opens a :class:`BulkWriter`.

    Failures of every writer opened on the sink are collected in ``failures``.
    """

    def __init__(self, store: OpenSearchStore, index: str) -> None:
        self.store = store
        self.index = index
        self.failures: list[WriteFailure] = []
        self.acknowledged = 0

    def writer(self, limitmb: int = 0) -> BulkWriter:
        return BulkWriter(self)


class BulkWriter:
    """The Whoosh writer interface the job uses, over ``_bulk`` with retries."""

    def __init__(self, sink: OpenSearchSink, chunk: int = CHUNK_DOCS) -> None:
        self.sink = sink
        self.chunk = chunk
        self._actions: list[dict] = []

    def add_document(self, **doc: Any) -> None:
        source = to_source(doc)
        self._actions.append(
            {
                "_op_type": "index",
                "_index": self.sink.index,
                "_id": source[ID_FIELD],
                "_source": source,
            }
        )
        if len(self._actions) >= self.chunk:
            self._send()

    update_document = add_document  # indexing under an existing _id replaces the document

    def delete_by_term(self, fieldname: str, text: str) -> int:
        if fieldname != ID_FIELD:
            raise ValueError("articles are deleted by id")
        self._actions.append({"_op_type": "delete", "_index": self.sink.index, "_id": text})
        return 1

    def commit(self) -> None:
        """Send what is buffered and make it visible to searchers."""
        self._send()
        self.sink.store.refresh(self.sink.index)

    def cancel(self) -> None:
        self._actions = []

    def _send(self) -> None:
        pending, self._actions = self._actions, []
        delay = BACKOFF_SECONDS
        for attempt in range(1, MAX_ATTEMPTS + 1):
            retry: list[tuple[dict, str]] = []
            for action, reason, retriable in self._bulk(pending):
                if retriable:
                    retry.append((action, reason))
                else:
                    self._fail(action, reason)
            if not retry:
                return
            if attempt == MAX_ATTEMPTS:
                for action, reason in retry:
                    self._fail(action, reason)
                return
            pending = [action for action, _ in retry]
            time.sleep(delay)
            delay = min(delay * 2, MAX_BACKOFF_SECONDS)

    def _fail(self, action: dict, reason: str) -> None:
        self.sink.failures.append(WriteFailure(action["_id"], action["_op_type"], reason))

    def _bulk(self, actions: list[dict]) -> Iterator[tuple[dict, str, bool]]:
        """Send ``actions``; yield those that failed, why, and whether to try them again."""
        if not actions:
            return
        try:
            results = helpers.streaming_bulk(
                self.sink.store.client,
                actions,
                chunk_size=self.chunk,
                raise_on_error=False,
                raise_on_exception=False,
                max_retries=0,  # retried here, for 429 and for unavailable shards alike
            )
            for action, (ok, item) in zip(actions, results, strict=True):
                ((op, info),) = item.items()
                status = info.get("status", 0)
                if ok or (op == "delete" and status == 404):
                    self.sink.acknowledged += 1
                    continue
                reason = f"{status}: {info.get('error') or info.get('exception')}"
                yield action, reason[:300], status in RETRY_STATUSES
        except (OSConnectionError, TransportError) as exc:  # the whole request failed
            for action in actions:
                yield action, f"request failed: {exc}"[:300], True
