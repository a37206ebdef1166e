"""The OpenSearch side of the indexing job: template, aliases, bulk writes, state.

``INDEX_DIR`` keeps the job's own state (the ``job.lock`` flock, the manifest of input files
and the learned boilerplate under ``opensearch/``, and ``last_run.json``); the articles live
in the cluster.

Concrete indices are named ``ALIAS-<build stamp>`` and created from the index template;
searchers read the alias. A ``--rebuild`` fills a fresh index and then moves the alias in one
``_aliases`` call, so searchers switch atomically from the old articles to the new ones.

Writes go through ``_bulk`` in chunks. Items refused with 429 (the node's write queue is full:
back-pressure) or 5xx, and chunks that fail on the connection, are retried with exponential
backoff (so are the job's refreshes, alias moves and state reads: ``retrying``, which waits
out a cluster electing a new manager); what still fails is kept in ``failures`` so the job
can report it and read its files again on the next run (they are listed in the report as
rejected, exit code 1, and their files dropped from the manifest: nothing acknowledged is
lost, nothing refused is forgotten).
OpenSearch has no transactions: a cancelled run may leave some articles written, which is safe
because every article is keyed by its id.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from opensearchpy import OpenSearch, helpers
from opensearchpy.exceptions import ConnectionError as OSConnectionError
from opensearchpy.exceptions import ConnectionTimeout, NotFoundError, TransportError

from engines.base import RebuildRequired
from engines.opensearch.settings import OpenSearchConfig, load_opensearch_config
from engines.opensearch.template import TEMPLATE_VERSION, index_template
from index.document import IndexState
from index.schema import (
    CLUSTER_FIELD,
    HASH_FIELD,
    ID_FIELD,
    PUBLISHED_FIELD,
    SIMHASH_FIELD,
    TEXT_HASH_FIELD,
)
from index.sink import JobState, Sink, WriteFailure, read_job_files, write_job_files

CHUNK_DOCS = 500  # documents per _bulk request
MAX_ATTEMPTS = 6  # per item: the first try and five retries
BACKOFF_SECONDS = 0.5  # doubled after each failed attempt, capped at MAX_BACKOFF_SECONDS
MAX_BACKOFF_SECONDS = 10.0
# ``retrying``: what an election and a node's eviction may take, all tries together (a node
# killed mid-request holds the operations on its shards, a refresh, until the cluster evicts
# it: the client's own tries time out for minutes, then end on the dead node's refusal)
WAIT_SECONDS = 240.0
ACTIVE_WAIT_SECONDS = 120  # for a new index's replicas to start before the job writes to it
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
SCAN_PAGE = 1000
STATE_DIR = "opensearch"  # under INDEX_DIR: manifest and learned boilerplate of the archive
T = TypeVar("T")


def retrying(call: Callable[[], T]) -> T:
    """``call()``, tried again with the bulk writes' backoff while the cluster cannot answer.

    The client already tries another node when one is down; but while the cluster elects a
    new manager (after the old one died) every node answers 503, the client marks them all
    dead and ends on the dead node's refused connection. Waiting out the election is what
    the job must do there, for a refresh or a page of its state as for a bulk request.
    """
    delay, deadline = BACKOFF_SECONDS, time.monotonic() + WAIT_SECONDS
    while True:
        try:
            return call()
        except ConnectionTimeout:
            # every node the client tried held the request (shards of a node just killed,
            # not yet evicted): tried again once the cluster may have noticed, not forever
            if time.monotonic() + delay > deadline:
                raise
        except (OSConnectionError, TransportError) as exc:
            retriable = isinstance(exc, OSConnectionError) or exc.status_code in RETRY_STATUSES
            if not retriable or time.monotonic() + delay > deadline:
                raise
        time.sleep(delay)
        delay = min(delay * 2, MAX_BACKOFF_SECONDS)


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


def to_source(doc: dict) -> dict:
    """An ``article_to_doc`` document as OpenSearch JSON (dates as ISO strings, no empties)."""
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
        """A new, empty concrete index (from the template), not yet behind the alias.

        It is returned once every copy of each shard the cluster can hold is started
        (``copies``): a write to a shard whose replica is still being set up is acknowledged
        by the primary alone, and if the primary's node dies then, the replica, never in
        sync, cannot take over: the shard stays red and the acknowledged articles with it.
        """
        self.ensure_template()
        stamp = datetime.now(UTC).strftime("%Y%m%dt%H%M%S%f")
        name = f"{self.config.alias}-{stamp}"
        params: dict[str, Any] = {
            "wait_for_active_shards": str(self.copies()),
            "timeout": f"{ACTIVE_WAIT_SECONDS}s",  # then answered, shards acknowledged or not
            "request_timeout": ACTIVE_WAIT_SECONDS + self.config.timeout,
        }
        self.client.indices.create(index=name, params=params)
        return name

    def copies(self) -> int:
        """Copies of each shard the cluster can hold now: the primary and its replicas, at
        most one per data node."""
        nodes = retrying(lambda: self.client.cluster.health())["number_of_data_nodes"]
        return max(1, min(1 + self.config.replicas, int(nodes)))

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
        retrying(lambda: self.client.indices.update_aliases(body={"actions": actions}))
        return previous if previous != index else None

    def delete_index(self, index: str) -> None:
        with contextlib.suppress(NotFoundError):
            self.client.indices.delete(index=index)

    def refresh(self, index: str | None = None) -> None:
        target = index or self.config.alias
        retrying(lambda: self.client.indices.refresh(index=target))

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
            page = retrying(lambda: self.client.search(index=index or self.config.alias, body=body))
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
            state.remember(*(source.get(name) or "" for name in wanted))
        return state


class OpenSearchSink(Sink):
    """One job's writes into the concrete index ``index``, over ``_bulk`` with retries.

    A rebuild's index goes behind the alias in ``finish()``; the job's manifest and learned
    boilerplate are written to ``state_dir`` only then, so a failed rebuild leaves them as
    they were.
    """

    target = "OpenSearch"

    def __init__(
        self,
        store: OpenSearchStore,
        index: str,
        state_dir: Path,
        rebuild: bool = False,
        chunk: int = CHUNK_DOCS,
    ) -> None:
        super().__init__()
        self.store = store
        self.index = index
        self.state_dir = Path(state_dir)
        self.rebuild = rebuild
        self.chunk = chunk
        self.acknowledged = 0
        self._actions: list[dict] = []
        self._written = False  # since the last commit
        self._saved: JobState | None = None

    def load(self) -> JobState:
        if self.rebuild:
            return JobState()
        return read_job_files(self.state_dir, self.store.load_state(self.index))

    def add(self, doc: dict) -> None:
        self._written = True
        source = to_source(doc)
        self._actions.append(
            {"_op_type": "index", "_index": self.index, "_id": source[ID_FIELD], "_source": source}
        )
        if len(self._actions) >= self.chunk:
            self._send()

    def update(self, doc: dict) -> None:
        self.add(doc)  # indexing under an existing _id replaces the document

    def delete(self, article_id: str) -> int:
        self._written = True
        self._actions.append({"_op_type": "delete", "_index": self.index, "_id": article_id})
        return 1

    def commit(self, merge: bool = True) -> bool:
        """Send what is buffered and make it visible to searchers (OpenSearch merges
        segments by itself): False when nothing was written since the last commit."""
        if not self._written:
            return False
        self._send()
        self.store.refresh(self.index)
        self._written = False
        return True

    def cancel(self) -> None:
        self._actions = []

    def save(self, state: JobState) -> None:
        self._saved = state

    def checkpoint(self, state: JobState) -> None:
        """The live index's state goes to ``state_dir`` at once; a rebuild's, at the swap."""
        if not self.rebuild:
            self.state_dir.mkdir(parents=True, exist_ok=True)
            write_job_files(self.state_dir, state)

    def finish(self) -> None:
        if self.rebuild:
            self.store.refresh(self.index)
            previous = self.store.swap_alias(self.index)
            if previous:
                self.store.delete_index(previous)
        if self._saved is not None:
            self.state_dir.mkdir(parents=True, exist_ok=True)
            write_job_files(self.state_dir, self._saved)

    def abandon(self) -> None:
        self.cancel()
        if self.rebuild:
            self.store.delete_index(self.index)

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
        self.failures.append(WriteFailure(action["_id"], action["_op_type"], reason))

    def _bulk(self, actions: list[dict]) -> Iterator[tuple[dict, str, bool]]:
        """Send ``actions``; yield those that failed, why, and whether to try them again."""
        if not actions:
            return
        try:
            results = helpers.streaming_bulk(
                self.store.client,
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
                    self.acknowledged += 1
                    continue
                reason = f"{status}: {info.get('error') or info.get('exception')}"
                yield action, reason[:300], status in RETRY_STATUSES
        except (OSConnectionError, TransportError) as exc:  # the whole request failed
            for action in actions:
                yield action, f"request failed: {exc}"[:300], True
