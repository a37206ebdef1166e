"""Real OpenSearch nodes on loopback for the tests: built with Maven, run as subprocesses.

The node is ``tests/opensearch/node`` (the OpenSearch 2.19.6 server jar from Maven Central
with the netty4 transport and analysis-common modules, started by a small launcher class).
``build_node()`` compiles it once (``mvn -q -B compile``; artifacts are cached in ~/.m2) and
returns the classpath. ``LocalCluster`` starts one node (single-node discovery) or several
(a real cluster electing a cluster manager), waits for their health, and stops or kills any
node on demand; everything it starts it stops.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

NODE_DIR = Path(__file__).resolve().parent / "node"
TARGET = NODE_DIR / "target"
MAIN_CLASS = "org.manchette.testnode.TestNode"
# G1, as OpenSearch's own jvm.options: its memory circuit breaker reads the real heap usage,
# which a serial collector leaves high until a full collection (searches then fail with 429).
JAVA_OPTS = ["-Xms256m", "-Xmx512m", "-XX:+UseG1GC", "-Xss1m", "-Djava.awt.headless=true"]
START_TIMEOUT = 120.0


class NodeError(RuntimeError):
    """A node could not be built or started; the message carries the log's last lines."""


def build_node() -> str:
    """Compile the launcher if needed and return its full classpath."""
    classes = TARGET / "classes" / "org" / "manchette" / "testnode" / "TestNode.class"
    classpath = TARGET / "classpath.txt"
    sources = [NODE_DIR / "pom.xml", *(NODE_DIR / "src").rglob("*.java")]
    TARGET.mkdir(exist_ok=True)
    with open(TARGET / ".build.lock", "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one build at a time (parallel test sessions)
        fresh = classes.exists() and classpath.exists()
        if fresh:
            built = min(classes.stat().st_mtime, classpath.stat().st_mtime)
            fresh = all(s.stat().st_mtime <= built for s in sources)
        if not fresh:
            mvn = shutil.which("mvn")
            if mvn is None:
                raise NodeError("Maven (mvn) is not on PATH: it builds the OpenSearch test node")
            done = subprocess.run(
                [mvn, "-q", "-B", "-f", str(NODE_DIR / "pom.xml"), "compile"],
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode != 0:
                raise NodeError(f"mvn compile failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    return f"{TARGET / 'classes'}{os.pathsep}{classpath.read_text().strip()}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_json(url: str, timeout: float = 5.0) -> dict:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return json.loads(response.read())


@dataclass
class Node:
    name: str
    home: Path
    http_port: int
    transport_port: int
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def log(self) -> Path:
        return self.home / "node.log"

    def tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


@dataclass
class LocalCluster:
    """``size`` OpenSearch nodes under ``base`` (a temporary directory)."""

    base: Path
    size: int = 1
    name: str = "manchette-test"
    nodes: list[Node] = field(default_factory=list)
    classpath: str = ""
    started_seconds: float = 0.0

    def __post_init__(self) -> None:
        self.classpath = build_node()
        for n in range(self.size):
            home = self.base / f"node{n}"
            home.mkdir(parents=True, exist_ok=True)
            self.nodes.append(Node(f"node{n}", home, free_port(), free_port()))

    @property
    def urls(self) -> list[str]:
        return [n.url for n in self.nodes]

    def _settings(self, node: Node) -> list[str]:
        settings = {
            "path.home": str(node.home),
            "path.data": str(node.home / "data"),
            "path.logs": str(node.home / "logs"),
            "cluster.name": self.name,
            "node.name": node.name,
            "http.port": str(node.http_port),
            "transport.port": str(node.transport_port),
        }
        if self.size == 1:
            settings["discovery.type"] = "single-node"
        else:
            seeds = ",".join(f"127.0.0.1:{n.transport_port}" for n in self.nodes)
            settings["discovery.seed_hosts"] = seeds
            settings["cluster.initial_cluster_manager_nodes"] = ",".join(n.name for n in self.nodes)
        return [f"{k}={v}" for k, v in settings.items()]

    def start_node(self, n: int) -> None:
        node = self.nodes[n]
        if node.process is not None and node.process.poll() is None:
            return
        command = ["java", *JAVA_OPTS, "-cp", self.classpath, MAIN_CLASS, *self._settings(node)]
        with open(node.log, "ab") as log:
            node.process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )

    def start(self, timeout: float = START_TIMEOUT) -> LocalCluster:
        began = time.monotonic()
        for n in range(self.size):
            self.start_node(n)
        try:
            self.wait_for(f"wait_for_nodes={self.size}&wait_for_status=yellow", timeout)
        except BaseException:
            self.close()
            raise
        self.started_seconds = time.monotonic() - began
        return self

    def wait_for(
        self, condition: str, timeout: float = START_TIMEOUT, node: int | None = None
    ) -> dict:
        """Poll ``_cluster/health?<condition>`` on a live node until it holds."""
        deadline = time.monotonic() + timeout
        last = ""
        while time.monotonic() < deadline:
            for i, candidate in enumerate(self.nodes):
                if (node is not None and i != node) or not self.is_running(i):
                    continue
                url = f"{candidate.url}/_cluster/health?{condition}&timeout=2s"
                try:
                    health = http_json(url, timeout=5)
                except (OSError, urllib.error.URLError, ValueError) as exc:
                    last = str(exc)
                    continue
                if not health.get("timed_out"):
                    return health
                last = json.dumps(health)
            for i, candidate in enumerate(self.nodes):
                process = candidate.process
                if process is not None and process.poll() is not None and node in (None, i):
                    raise NodeError(
                        f"{candidate.name} exited with {process.returncode}:\n{candidate.tail()}"
                    )
            time.sleep(0.3)
        logs = "\n".join(f"--- {n.name}\n{n.tail()}" for n in self.nodes)
        raise NodeError(f"cluster not ready ({condition}) after {timeout:.0f}s: {last}\n{logs}")

    def is_running(self, n: int) -> bool:
        process = self.nodes[n].process
        return process is not None and process.poll() is None

    def stop_node(self, n: int, kill: bool = False, timeout: float = 30.0) -> None:
        """Stop one node: SIGTERM (a clean shutdown) or SIGKILL (a crash)."""
        process = self.nodes[n].process
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)

    def close(self) -> None:
        for n in range(len(self.nodes)):
            self.stop_node(n)
