"""What the browser tests and the two doc scripts share: the index they serve, a real
``manchette serve`` subprocess, Debian's Chromium, and the viewports.

The index is the bundled sample, ``XSS_ARTICLE`` (tests/builders.py) and one hostile page dump
(``HOSTILE_DUMP`` below) whose title, photo credit, "Read also" line, source and URL carry
markup and a ``javascript:`` URL: a dump is the only input format that yields ``credit`` and
``related``, so it is built here rather than in builders.py.
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

TESTS = Path(__file__).resolve().parent.parent
# The scripts run as `python tests/browser/NAME.py`: tests/ for `builders`, and the checkout
# before it, so that `search.alerts` is the package, not the folder tests/search/alerts.
for _path in (TESTS, TESTS.parent):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from playwright.sync_api import Browser, Page, Playwright, expect  # noqa: E402

from builders import SAMPLE_DIR, XSS_ARTICLE, write_jsonl  # noqa: E402
from engines import index_paths  # noqa: E402
from search.alerts.saved import SavedSearch, save_searches  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCALE = "en-US"  # the browser's Accept-Language: the UI starts in English whatever the machine
DESKTOP: dict[str, Any] = {"viewport": {"width": 1280, "height": 800}}
MOBILE: dict[str, Any] = {
    "viewport": {"width": 375, "height": 812},
    "is_mobile": True,
    "has_touch": True,
}
VIEWPORTS = {"desktop": DESKTOP, "mobile": MOBILE}

# Run before any page script in every test context: records what hostile markup would do if it
# ran (calls to alert & co. in window.__pwned, CSP violation reports in window.__csp).
WATCH_SCRIPT = """
window.__pwned = [];
window.__csp = [];
for (const name of ["alert", "confirm", "prompt", "print"]) {
  const original = window[name];
  window[name] = function (...args) {
    window.__pwned.push(name + "(" + args.join(",") + ")");
    return original.apply(this, args);
  };
}
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""

# Record ids of the sample that the tests and scripts open (stable: they are the records' ids).
ARTICLE_ID = "frwikinews-45070"  # Obama raille « Coach » Romney: https URL, lead, more-like-this
HOSTILE_WORD = "giraffes"  # only in HOSTILE_DUMP
HOSTILE_DUMP = """\
Hostile <script>alert(3)</script> giraffes headline

Hostile <script>alert(3)</script> giraffes headline© <img src=x onerror=alert(4)> Photo Agency

The giraffes story begins here with a long first paragraph that says <script>alert(5)</script> \
and keeps going about giraffes in the savanna, where they eat leaves from tall acacia trees.

A second paragraph about giraffes mentions <img src=x onerror="alert(6)"> and more prose to \
make it a real article body with sentences that end with periods.

Read also: <script>alert(7)</script> giraffes <img src=x onerror=alert(8)> related story

A third paragraph about giraffes closes the article with more words and sentences, so that the \
splitter keeps it as prose.
"""
HOSTILE_META = {
    "url": "javascript:alert(document.cookie)",
    "date": "2021-03-04",
    "source": "<i>Evil</i> Wire",
    "lang": "en",
}


# Saved searches of the served index (``/alerts``): one of them with markup in its query.
SAVED_SEARCHES = {
    "obama": SavedSearch("obama", "Obama", ("desk@example.org", "chief@example.org"), "en"),
    "hostile-giraffes": SavedSearch(
        "hostile-giraffes", f"<script>alert(3)</script> {HOSTILE_WORD}", ("desk@example.org",)
    ),
}


def build_index(base: Path) -> Path:
    """Index the sample, ``XSS_ARTICLE`` and ``HOSTILE_DUMP`` into ``base/index``, and save
    ``SAVED_SEARCHES`` beside it."""
    inputs = base / "inputs"
    dump_dir = inputs / "hostile"
    dump_dir.mkdir(parents=True)
    (dump_dir / "giraffes.txt").write_text(HOSTILE_DUMP, encoding="utf-8")
    (dump_dir / "giraffes.meta.json").write_text(json.dumps(HOSTILE_META), encoding="utf-8")
    extra = write_jsonl(inputs / "xss.jsonl", [XSS_ARTICLE])
    report = index_paths([SAMPLE_DIR, extra, dump_dir], base / "index")
    if report.rejected:
        raise RuntimeError(f"sample inputs rejected: {report.rejected}")
    save_searches(base / "index", SAVED_SEARCHES)
    return base / "index"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def run_server(index_dir: Path, log: Path, timeout: float = 30.0) -> Iterator[str]:
    """``manchette serve`` (waitress) on a free port; yields its base URL once /healthz is 200."""
    port = free_port()
    manchette = Path(sys.executable).parent / "manchette"
    with log.open("wb") as err:
        proc = subprocess.Popen(
            [str(manchette), "serve", "--index-dir", str(index_dir), "--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(url + "/healthz", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        "manchette serve did not start:\n" + log.read_text(errors="replace")
                    ) from None
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def launch_chromium(playwright: Playwright) -> Browser:
    """Debian's headless Chromium (Playwright never downloads a browser here)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


def with_ui_lang(path: str, hl: str | None) -> str:
    """``path`` asking for the UI language ``hl`` (the language switch's ``?hl=`` parameter)."""
    if not hl:
        return path
    return f"{path}{'&' if '?' in path else '?'}hl={hl}"


def arrive(page: Page, url: str | re.Pattern[str]) -> None:
    """After a click that navigates: wait until the page is at ``url`` and loaded, so that what
    is read next comes from the new page (no sleeping)."""
    expect(page).to_have_url(url)
    page.wait_for_load_state()


def ran_nothing(page: Page) -> None:
    """Assert that no hostile script ran on the page (dialogs, wrapped calls, CSP reports)."""
    assert page.dialogs == []  # type: ignore[attr-defined]
    assert page.evaluate("window.__pwned") == []
    assert page.evaluate("window.__csp") == []
