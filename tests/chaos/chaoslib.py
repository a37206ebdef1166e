"""Shared by the chaos tests (``tests/chaos``) and scripts (``bench/chaos``): synthetic
corpora, real ``manchette`` processes, a real server, and what the index holds.

Nothing here is mocked: indexers and servers are separate processes started from the
virtualenv's own interpreter, killed with real signals, on real files.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def results_dir() -> Path:
    """Where chaos runs write their results: ``$CHAOS_RESULTS`` (``make chaos RECORD=1`` sets
    it to ``bench/results``, the tracked record), else the scratch ``var/chaos-results``."""
    folder = ROOT / (os.environ.get("CHAOS_RESULTS") or "var/chaos-results")  # relative: to ROOT
    folder.mkdir(parents=True, exist_ok=True)
    return folder


PYTHON = sys.executable
MANCHETTE = str(Path(sys.executable).parent / "manchette")
INDEXER = str(Path(__file__).resolve().parent / "indexer.py")

_SYLLABLES = [c + v for c in "bdfklmnprstvz" for v in "aeiou"]
_SYLLABLES += [v + c for v in "aeio" for c in "nrls"]
_COMMON = ["the", "harbour", "council", "minister", "city", "river", "market", "school"]
_COMMON += ["police", "storm", "election", "budget", "report", "village", "bridge", "museum"]


def make_word(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))


def _vocabulary(size: int = 6000) -> tuple[list[str], list[float]]:
    rng = random.Random(0)
    words = sorted({make_word(rng) for _ in range(size)})
    rng.shuffle(words)
    return words, [1 / rank for rank in range(1, len(words) + 1)]  # Zipf-like frequencies


VOCABULARY, _WEIGHTS = _vocabulary()


def make_record(rng: random.Random, tag: str, number: int, words: int = 120) -> dict:
    """One synthetic English article drawn from a 6,000-word Zipf vocabulary."""
    body = rng.choices(VOCABULARY, _WEIGHTS, k=words)
    body = [rng.choice(_COMMON) if rng.random() < 0.2 else w for w in body]
    paragraphs = [" ".join(body[i : i + 40]).capitalize() + "." for i in range(0, words, 40)]
    return {
        "id": f"{tag}-{number}",
        "url": f"https://news.example/{tag}/{number}",
        "source": "Example News",
        "lang": "en",
        "title": f"{make_word(rng).capitalize()} {rng.choice(_COMMON)} story {tag} {number}",
        "date": f"20{rng.randint(10, 24)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        "text": "\n\n".join(paragraphs),
    }


def write_corpus(
    folder: Path, articles: int, *, per_file: int = 100, tag: str = "s", seed: int = 7
) -> list[Path]:
    """``articles`` synthetic articles in JSON Lines files of ``per_file`` lines each."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for start in range(0, articles, per_file):
        path = folder / f"{tag}-{start // per_file:04d}.jsonl"
        count = min(per_file, articles - start)
        lines = [json.dumps(make_record(rng, tag, start + i)) for i in range(count)]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        files.append(path)
    return files


def index_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MANCHETTE_", "CHAOS_"))}
    env.update(extra)
    return env


def run_manchette(*args: str, env: dict[str, str] | None = None, timeout: float = 300):
    """``manchette ARGS`` in its own process; the completed process (output as text)."""
    return subprocess.run(
        [MANCHETTE, *args],
        capture_output=True,
        text=True,
        env=env or index_env(),
        timeout=timeout,
        check=False,
    )


def start_indexer(
    paths: list[Path], index_dir: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.Popen:
    """``manchette index`` through ``indexer.py`` (batch size and kill points from CHAOS_*)."""
    return subprocess.Popen(
        [PYTHON, INDEXER, "index", *map(str, paths), "--index-dir", str(index_dir), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env or index_env(),
    )


def children_of(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                stat = (entry / "stat").read_text()
                if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
    return found


def pid_alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_gone(pids: list[int], timeout: float = 10.0) -> list[int]:
    """The pids still alive after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    alive = [p for p in pids if pid_alive(p)]
    while alive and time.monotonic() < deadline:
        time.sleep(0.05)
        alive = [p for p in alive if pid_alive(p)]
    return alive


def check_index(index_dir: Path) -> dict:
    """``manchette check --json``: exit code and the verdict."""
    done = run_manchette("check", "--index-dir", str(index_dir), "--json")
    try:
        verdict = json.loads(done.stdout)
    except ValueError:
        verdict = {"ok": False, "problems": [done.stdout + done.stderr]}
    verdict["exit_code"] = done.returncode
    return verdict


def check_here(index_dir: Path) -> dict:
    """``engines.whoosh.check.check_index`` in this process (what ``manchette check`` runs)."""
    from engines.whoosh.check import check_index as check

    verdict = check(index_dir).to_dict()
    verdict["exit_code"] = 0 if verdict["ok"] else 3
    return verdict


def search_here(index_dir: Path, query: str) -> int:
    """Hits for ``query`` through a freshly opened index (raises if it does not open)."""
    from engines.whoosh.execute import run_search
    from engines.whoosh.writer import open_index
    from search.request import SearchRequest

    ix = open_index(index_dir)
    with ix.searcher() as searcher:
        return run_search(searcher, SearchRequest(q=query).validate()).total


def index_content(index_dir: Path) -> dict[str, str]:
    """Every live article id → its content hash, read by the library in a fresh process."""
    code = (
        "import json, sys; from engines.whoosh.writer import open_index, known_hashes\n"
        "print(json.dumps(known_hashes(open_index(sys.argv[1]))))"
    )
    done = subprocess.run(
        [PYTHON, "-c", code, str(index_dir)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(done.stdout)


def digest(content: dict[str, str]) -> str:
    return hashlib.sha1(json.dumps(sorted(content.items())).encode()).hexdigest()[:12]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    proc: subprocess.Popen
    port: int
    host: str = "127.0.0.1"
    log: object = None  # the server's stderr, a temporary file

    def stderr(self) -> str:
        self.log.seek(0)
        return self.log.read()

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"

    def get(self, path: str, timeout: float = 30.0) -> tuple[int, dict[str, str], bytes]:
        """Status, headers and body of ``GET path`` (``path`` sent as is)."""
        return http_get(self.host, self.port, path, timeout=timeout)

    def json(self, path: str) -> dict:
        status, _, body = self.get(path)
        assert status == 200, (status, body[:300])
        return json.loads(body)

    def rss_kb(self) -> int:
        """Resident memory, mmapped index pages included."""
        return self._status_kb("VmRSS:")

    def anon_kb(self) -> int:
        """Private (anonymous) resident memory: what a leak grows; index pages excluded."""
        return self._status_kb("RssAnon:")

    def _status_kb(self, key: str) -> int:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith(key):
                return int(line.split()[1])
        return 0


def http_get(
    host: str, port: int, path: str, timeout: float = 30.0
) -> tuple[int, dict[str, str], bytes]:
    """A raw HTTP/1.0 GET, so that any bytes can be sent in the request target."""
    target = path.encode("utf-8", "surrogateescape") if isinstance(path, str) else path
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.sendall(b"GET " + target + b" HTTP/1.0\r\nHost: localhost\r\n\r\n")
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    raw = b"".join(chunks)
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers, body


@contextlib.contextmanager
def serve(index_dir: Path, *args: str, env: dict[str, str] | None = None) -> Iterator[Server]:
    """A real ``manchette serve`` (waitress) on a free port, stopped with SIGTERM at the end.

    Its stderr goes to a file: a pipe nobody reads fills up under load (waitress logs queue
    depth warnings) and then blocks the server's main loop.
    """
    import tempfile

    port = free_port()
    log = tempfile.TemporaryFile(mode="w+", prefix="manchette-serve-")  # noqa: SIM115
    proc = subprocess.Popen(
        [MANCHETTE, "serve", "--index-dir", str(index_dir), "--port", str(port), *args],
        stdout=subprocess.DEVNULL,
        stderr=log,
        text=True,
        env=env or index_env(),
    )
    server = Server(proc, port, log=log)
    try:
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"server exited: {server.stderr()}")
            try:
                urllib.request.urlopen(f"{server.base}/healthz", timeout=2).close()
                break
            except (urllib.error.URLError, OSError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield server
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        log.close()


# --- crash trials -------------------------------------------------------------------------


@dataclass
class KillScenario:
    """A base index, then a job on ``inputs`` (``args`` e.g. ``--rebuild``) to be killed."""

    base_inputs: list[Path]
    inputs: list[Path]
    args: tuple[str, ...] = ()
    batch_docs: int = 300

    @property
    def rebuild(self) -> bool:
        return "--rebuild" in self.args


@dataclass
class Reference:
    """The states an uninterrupted run goes through: ``states[0]`` before, one per commit."""

    states: list[str]
    seconds: float
    commit_seconds: float  # the longest commit
    commits: int  # commits the run made (a rebuild's all go to its new build)

    @property
    def final(self) -> str:
        return self.states[-1]


@dataclass
class TrialResult:
    kind: str  # "random", "in-commit" or "point"
    detail: str
    killed: bool  # False when the job finished before the signal
    commits_seen: int
    state: str  # which committed state the index was in after the kill ("S2", or "?")
    allowed: list[str]
    check_ok: bool
    orphans: int  # processes of the killed job still alive 5 s later
    searchable: bool
    stale_cleared: bool  # the next job said it found the killed job's lock record
    rerun_code: int
    final_ok: bool
    leftovers: int
    seconds: float
    problems: list[str]

    @property
    def data_lost(self) -> bool:
        return self.state not in self.allowed or not self.final_ok

    @property
    def failed(self) -> bool:
        return bool(self.problems)


def trial_env(scenario: KillScenario, **extra: str) -> dict[str, str]:
    """Commits by count only (no commit by time), so that every run commits the same states."""
    return index_env(
        CHAOS_BATCH_DOCS=str(scenario.batch_docs),
        CHAOS_MARKERS="1",
        MANCHETTE_COMMIT_SECONDS="1e9",
        **extra,
    )


def copy_index(source: Path, target: Path) -> Path:
    if target.exists():
        subprocess.run(["rm", "-rf", str(target)], check=True)
    subprocess.run(["cp", "-a", str(source), str(target)], check=True)
    return target


def run_reference(scenario: KillScenario, work: Path) -> Reference:
    """Run the job once without killing it, recording the digest of every commit."""
    start = check_index(work / "base")
    assert start["ok"], start
    target = copy_index(work / "base", work / "reference")
    log = work / "snapshots.txt"
    log.unlink(missing_ok=True)
    started = time.monotonic()
    env = trial_env(scenario, CHAOS_SNAPSHOTS=str(log))
    proc = start_indexer(scenario.inputs, target, *scenario.args, env=env)
    events = MarkerReader(proc)
    proc.wait(timeout=600)
    events.join()
    seconds = time.monotonic() - started
    assert proc.returncode == 0, events.lines
    states = [start["digest"], *log.read_text().split()]
    if scenario.rebuild:  # its commits go to a new build: the live index jumps at the swap
        states = [states[0], states[-1]]
    final = check_index(target)
    assert final["ok"] and final["digest"] == states[-1], final
    return Reference(states, seconds, _longest_commit(events), events.count("commit.end"))


def _longest_commit(events: MarkerReader) -> float:
    """The longest commit of a run, timed from its markers."""
    longest, began = 0.0, None
    for when, name, _ in events.events:
        if name == "commit.begin":
            began = when
        elif name == "commit.end" and began is not None:
            longest, began = max(longest, when - began), None
    return longest


class MarkerReader:
    """Reads a child's ``@@ point n`` stderr lines as they come, with their arrival times."""

    def __init__(self, proc: subprocess.Popen) -> None:
        import threading

        self.proc = proc
        self.events: list[tuple[float, str, int]] = []
        self.lines: list[str] = []
        self.changed = threading.Condition()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        for line in self.proc.stderr:
            with self.changed:
                if line.startswith("@@ "):
                    _, name, count = line.split()
                    self.events.append((time.monotonic(), name, int(count)))
                else:
                    self.lines.append(line)
                self.changed.notify_all()

    def wait_for(self, name: str, count: int, timeout: float) -> bool:
        def seen() -> bool:
            return any(e[1] == name and e[2] == count for e in self.events)

        with self.changed:
            return (
                self.changed.wait_for(
                    lambda: seen() or self.proc.poll() is not None, timeout=timeout
                )
                and seen()
            )

    def count(self, name: str) -> int:
        return sum(1 for e in self.events if e[1] == name)

    def join(self) -> None:
        self.thread.join(timeout=30)
        self.proc.stderr.close()


def run_trial(
    scenario: KillScenario,
    work: Path,
    reference: Reference,
    *,
    kind: str,
    delay: float = 0.0,
    commit: int = 0,
    point: str = "",
) -> TrialResult:
    """Kill one job (``kind``: random delay, inside commit number ``commit``, or at ``point``),
    then check what it left and re-run it to the end."""
    started = time.monotonic()
    target = copy_index(work / "base", work / "trial")
    extra = {"CHAOS_KILL_AT": point} if kind == "point" else {}
    proc = start_indexer(scenario.inputs, target, *scenario.args, env=trial_env(scenario, **extra))
    events = MarkerReader(proc)
    family: set[int] = set()
    deadline = time.monotonic() + (delay if kind == "random" else 600)
    if kind == "in-commit":
        events.wait_for("commit.begin", commit, timeout=600)
        deadline = time.monotonic() + delay
    while proc.poll() is None and time.monotonic() < deadline:
        family.update(children_of(proc.pid))
        time.sleep(0.02)
    family.update(children_of(proc.pid))
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    code = proc.wait()
    events.join()
    killed = code == -signal.SIGKILL
    orphans = wait_gone(sorted(family), timeout=5.0)
    for pid in orphans:  # do not let one failure poison the next trials
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    problems = [f"{len(orphans)} process(es) of the killed job still alive"] if orphans else []
    commits = events.count("commit.end")
    allowed = _allowed(scenario, reference, events, commits, point if killed else "")
    verdict = check_here(target)
    state = _state_name(reference, verdict.get("digest", ""), allowed)
    if not killed and code != 0:
        problems.append(f"the job exited {code} instead of being killed")
    if verdict["exit_code"] != 0:
        problems.append(f"check failed after the kill: {verdict.get('problems')}")
    if state not in allowed:
        problems.append(f"after the kill the index is in state {state}, expected one of {allowed}")
    try:
        searchable = search_here(target, "harbour") > 0
    except Exception as exc:
        searchable = False
        problems.append(f"search after the kill failed: {type(exc).__name__}: {exc}")
    rerun = run_manchette("index", *map(str, scenario.inputs), "--index-dir", str(target),
                          *scenario.args, "--quiet")  # fmt: skip
    stale = "did not finish" in rerun.stderr
    if rerun.returncode != 0:
        problems.append(f"the re-run exited {rerun.returncode}: {rerun.stderr[-300:]}")
    from engines.whoosh.check import content_digest
    from engines.whoosh.writer import open_index

    after = content_digest(open_index(target))
    final_ok = after == reference.final
    if not final_ok:
        problems.append(f"after the re-run the index holds {after}, not {reference.final}")
    from index.layout import leftovers

    left = leftovers(target)
    if left:
        problems.append(f"leftovers after the re-run: {left}")
    return TrialResult(
        kind=kind,
        detail=point or (f"commit {commit} +{delay:.3f}s" if commit else f"{delay:.2f}s"),
        killed=killed,
        commits_seen=commits,
        state=state,
        allowed=allowed,
        check_ok=verdict["exit_code"] == 0,
        orphans=len(orphans),
        searchable=searchable,
        stale_cleared=stale,
        rerun_code=rerun.returncode,
        final_ok=final_ok,
        leftovers=len(left),
        seconds=round(time.monotonic() - started, 2),
        problems=problems,
    )


def _allowed(
    scenario: KillScenario, reference: Reference, events: MarkerReader, commits: int, point: str
) -> list[str]:
    """The states the index may be in after the kill: the last commit the job finished, or
    the one it was in the middle of; exactly one state for a kill at a crash point."""
    last = f"S{len(reference.states) - 1}"
    if point:
        name, _, number = point.partition(":")
        if scenario.rebuild:
            return [last if name in ("swap.done", "remove.old") else "S0"]
        if name == "manifest.tmp":  # written after each commit: the index is at the last one
            return [f"S{commits}"]
        return [f"S{int(number) - (name != 'commit.end')}"]
    if scenario.rebuild:
        if events.count("swap.done"):
            return ["S1"]
        return ["S0", "S1"] if events.count("swap.link") else ["S0"]
    names = [f"S{commits}"]
    if events.count("commit.begin") > commits:
        names.append(f"S{commits + 1}")
    return names


def _state_name(reference: Reference, found: str, allowed: list[str] | None = None) -> str:
    """The name of the reference state with this digest. Two commits can hold the same
    articles (a run's last commit only merges what the one before wrote): an allowed name is
    preferred to an earlier one with the same digest."""
    names = [f"S{number}" for number, known in enumerate(reference.states) if known == found]
    return next((n for n in names if n in (allowed or [])), names[0] if names else "?")


def kill_corpus(work: Path, base_articles: int = 600, new_articles: int = 1400) -> KillScenario:
    """A base index of ``base_articles``; then the job's input: the same files with one of
    them changed (20 articles gone, 40 updated) and ``new_articles`` more in new files."""
    job_dir = work / "input"
    scenario = KillScenario(base_inputs=[job_dir], inputs=[job_dir])
    if (work / "base").exists():
        return scenario
    write_corpus(job_dir, base_articles, tag="base", seed=11)
    done = run_manchette("index", str(job_dir), "--index-dir", str(work / "base"), "--quiet")
    assert done.returncode == 0, done.stderr
    first = sorted(job_dir.glob("*.jsonl"))[0]
    changed = []
    for number, line in enumerate(first.read_text(encoding="utf-8").splitlines()[20:]):
        record = json.loads(line)
        if number % 2:
            record["title"] += " (updated)"
        changed.append(json.dumps(record))
    first.write_text("\n".join(changed) + "\n", encoding="utf-8")
    write_corpus(job_dir / "new", new_articles, tag="new", seed=12)
    return scenario
