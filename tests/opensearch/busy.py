"""A loopback HTTP relay in front of a real OpenSearch node that answers some requests the
way a node shedding load does (429 ``es_rejected_execution_exception``), or a cluster electing
a new manager does (503 ``cluster_block_exception``), or a node holding a request on the
shards of a node just killed does (no answer within the client's timeout: ``hold``), and
passes the rest through untouched.
The node stays real; only the refusals are chosen, so the back-pressure paths (bulk retries,
search retries, the job's waits) run on demand.
"""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

REJECTED = json.dumps(
    {
        "error": {
            "type": "es_rejected_execution_exception",
            "reason": "rejected execution: the write queue is full",
        },
        "status": 429,
    }
).encode()
NO_MANAGER = json.dumps(
    {
        "error": {
            "type": "cluster_block_exception",
            "reason": "blocked by: [SERVICE_UNAVAILABLE/2/no cluster-manager];",
        },
        "status": 503,
    }
).encode()
REFUSALS = {429: REJECTED, 503: NO_MANAGER}


class BusyRelay:
    """``refuse(method, path)`` says whether to answer 429 instead of relaying; every
    request is counted in ``seen`` as (method, path, refused)."""

    def __init__(
        self,
        node_url: str,
        refuse: Callable[[str, str], bool],
        status: int = 429,
        hold: float = 0.0,
    ) -> None:
        target = urlsplit(node_url)
        self.refuse = refuse
        self.seen: list[tuple[str, str, bool]] = []
        relay = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _handle(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                refused = relay.refuse(self.command, self.path)
                relay.seen.append((self.command, self.path, refused))
                if refused and hold:  # no answer until the client has given up
                    time.sleep(hold)
                    self.close_connection = True
                    return
                if refused:
                    self._answer(status, REFUSALS[status], "application/json")
                    return
                upstream = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
                headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
                upstream.request(self.command, self.path, body=body or None, headers=headers)
                answer = upstream.getresponse()
                self._answer(answer.status, answer.read(), answer.getheader("Content-Type"))
                upstream.close()

            def _answer(self, status: int, payload: bytes, content_type: str | None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type or "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle

            def log_message(self, *args: object) -> None:  # quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> BusyRelay:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def refused(self, fragment: str) -> int:
        return sum(1 for _, path, refused in self.seen if refused and fragment in path)


def first(n: int, fragment: str) -> Callable[[str, str], bool]:
    """Refuse the first ``n`` requests whose path holds ``fragment``."""
    left = [n]
    lock = threading.Lock()

    def refuse(method: str, path: str) -> bool:
        with lock:
            if fragment in path and left[0] > 0:
                left[0] -= 1
                return True
            return False

    return refuse
