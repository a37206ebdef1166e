"""axe-core finds no serious or critical violation on any page, in either viewport or UI
language.

axe is injected as an inline script, which the pages' CSP (``script-src 'self'``) would block:
these contexts are created with ``bypass_csp=True`` (see a11y.py). The same pages, viewports and
languages are summarised in doc/axe-results.json by ``python tests/browser/axe_report.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from a11y import PAGES, blocking, describe, run_axe
from harness import LOCALE, VIEWPORTS, with_ui_lang
from playwright.sync_api import Browser, Page, expect


@pytest.fixture(scope="module")
def axe_page(browser: Browser) -> Iterator[Callable[[str, str], Page]]:
    """One CSP-bypassing page per (viewport, UI language), reused: the check stays fast."""
    pages: dict[tuple[str, str], Page] = {}

    def get(viewport: str, hl: str) -> Page:
        if (viewport, hl) not in pages:
            context = browser.new_context(locale=LOCALE, bypass_csp=True, **VIEWPORTS[viewport])
            context.set_default_timeout(10_000)
            pages[viewport, hl] = context.new_page()
        return pages[viewport, hl]

    yield get
    for page in pages.values():
        page.context.close()


@pytest.mark.parametrize("hl", ["en", "fr"])
@pytest.mark.parametrize("viewport", ["desktop", "mobile"])
@pytest.mark.parametrize("name", list(PAGES))
def test_no_serious_or_critical_axe_violation(
    server: str,
    axe_page: Callable[[str, str], Page],
    axe_js: str,
    name: str,
    viewport: str,
    hl: str,
) -> None:
    path, status = PAGES[name]
    page = axe_page(viewport, hl)
    response = page.goto(server + with_ui_lang(path, hl))
    assert response is not None and response.status == status, (path, response)
    expect(page.locator("html")).to_have_attribute("lang", hl)
    violations = blocking(run_axe(page, axe_js))
    assert not violations, describe(violations, f"{path} ({viewport}, UI {hl})")


def test_the_axe_check_catches_a_broken_page(
    server: str, new_page: Callable[..., Page], axe_js: str
) -> None:
    """A page with an unlabelled field, an image without text and faint text fails the check."""
    page = new_page(bypass_csp=True)
    page.route(
        server + "/axe-self-test",
        lambda route: route.fulfill(
            content_type="text/html",
            body='<!doctype html><html lang="en"><title>t</title><main>'
            '<img src="data:,"><input type="text"><p style="color:#aaa">faint</p></main></html>',
        ),
    )
    page.goto(server + "/axe-self-test")
    violations = blocking(run_axe(page, axe_js))
    assert {v["id"] for v in violations} == {"image-alt", "label", "color-contrast"}
    message = describe(violations, "/axe-self-test")
    assert "- image-alt [critical] Images must have alternative text" in message
    assert '<img src="data:,">' in message
