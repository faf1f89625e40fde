"""Browser-test helpers: Debian's Chromium through Playwright, with an axe-core check.

``BrowserSession.visit`` / ``after_navigation`` run axe-core on every page the test reaches,
and the fixture fails the test if any page was reached without a check, if the browser logged
an error (a Content-Security-Policy violation, a 404 for an asset, a script error), or if the
page ever asked for the GDS Transport font files (desist uses a system font).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import ConsoleMessage, Locator, Page, Request, Response

CHROMIUM = Path(os.environ.get("DESIST_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_URL = "/static/vendor/axe-core/axe.min.js"
FAILING_IMPACTS = frozenset({"serious", "critical"})
MARKUP_JS = """() => document.documentElement.outerHTML
    .replace(/name="csrfmiddlewaretoken" value="[^"]*"/g, "")"""


def format_violations(violations: list[dict[str, Any]]) -> str:
    """One line per violation and element, for an assertion message."""
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']}")
        for node in violation.get("nodes", [])[:5]:
            lines.append(f"    at {', '.join(node.get('target', []))}")
    return "\n".join(lines)


def serious_violations(page: Page) -> list[dict[str, Any]]:
    """Run axe-core on the page; return violations of impact serious or critical.

    axe is added as a script element whose ``src`` is the copy the live server serves under
    ``/static/vendor/``: the page's Content-Security-Policy (``script-src 'self'``) allows
    that, and refuses an inline copy (``add_script_tag(path=...)``), so the policy stays
    strict in tests.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=AXE_URL)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v.get("impact") in FAILING_IMPACTS]


@dataclass
class BrowserSession:
    """One browser tab of a test, with the checks every page must pass."""

    page: Page
    base_url: str
    visited: list[str] = field(default_factory=list)
    checked: set[str] = field(default_factory=set)
    errors: list[str] = field(default_factory=list)
    font_requests: list[str] = field(default_factory=list)
    checked_markup: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))
        self.page.on("request", self._on_request)
        self.page.on("response", self._on_response)
        self.page.on("load", lambda page: self.visited.append(page.url))

    def _on_console(self, message: ConsoleMessage) -> None:
        # Failed loads are judged in _on_response: a page may be an error page on purpose.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.errors.append(f"console: {message.text}")

    def _on_response(self, response: Response) -> None:
        if response.status >= 400 and response.request.resource_type != "document":
            self.errors.append(f"{response.status} for {response.url}")

    def _on_request(self, request: Request) -> None:
        if "/assets/fonts/" in request.url:
            self.font_requests.append(request.url)

    def url(self, path: str) -> str:
        return self.base_url.rstrip("/") + path

    def visit(self, path: str) -> Page:
        """Open a path of the live server and check the page it lands on."""
        self.page.goto(self.url(path))
        return self.after_navigation()

    def follow(self, target: Locator) -> Page:
        """Click a link or button that loads a new page, wait for it, and check it."""
        with self.page.expect_navigation(wait_until="load"):
            target.click()
        return self.after_navigation()

    def after_navigation(self) -> Page:
        """Check the page the browser is on now (``visit`` and ``follow`` call this).

        A page whose markup was already checked in this test (the same sign-in error again,
        say) is not checked twice: only the CSRF token differs.
        """
        self.page.wait_for_load_state("load")
        markup = self.page.evaluate(MARKUP_JS)
        if markup not in self.checked_markup:
            violations = serious_violations(self.page)
            assert not violations, f"axe on {self.page.url}:\n{format_violations(violations)}"
            self.checked_markup.add(markup)
        self.checked.add(self.page.url)
        return self.page

    def assert_clean(self) -> None:
        """Every page was checked; no browser errors; no GDS Transport font was fetched."""
        unchecked = [url for url in self.visited if url not in self.checked]
        assert not unchecked, f"pages reached without an accessibility check: {unchecked}"
        assert not self.errors, "browser errors:\n" + "\n".join(self.errors)
        assert not self.font_requests, f"GDS Transport fonts requested: {self.font_requests}"
