"""A real waitress server (``manchette serve``) and Debian's headless Chromium via Playwright.

One server and one browser per session; each test gets a fresh context (cookies, storage).
Every page of a context records what hostile markup would do if it ran: dialogs (``alert``,
``confirm``, ``prompt``), calls to those functions (``window.__pwned``, set by an init script
before any page script) and CSP violations (``window.__csp``), so a test can assert that none
happened.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from a11y import axe_source
from harness import LOCALE, VIEWPORTS, WATCH_SCRIPT, build_index, launch_chromium, run_server
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_index(tmp_path_factory.mktemp("browser"))


@pytest.fixture(scope="session")
def server(browser_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("server") / "stderr.log"
    with run_server(browser_index, log) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        chromium = launch_chromium(pw)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def axe_js() -> str:
    """axe.min.js from tests/browser/node_modules; fails (never skips) when it is missing."""
    return axe_source()


def _watched(context: BrowserContext) -> Page:
    context.add_init_script(WATCH_SCRIPT)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.dialogs = dialogs  # type: ignore[attr-defined]
    return page


@pytest.fixture
def new_page(browser: Browser) -> Iterator[Callable[..., Page]]:
    """``new_page(viewport="desktop"|"mobile", **context_options)``: a watched page."""
    contexts: list[BrowserContext] = []

    def make(viewport: str = "desktop", **options: Any) -> Page:
        context = browser.new_context(locale=LOCALE, **VIEWPORTS[viewport], **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return _watched(context)

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Callable[..., Page]) -> Page:
    return new_page()
