"""Fixtures of the web tests: fast password hashing, built assets, and a real browser."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Playwright, sync_playwright
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from desist.web.assets import ensure_assets
from desist.web.tests.browser import CHROMIUM, CHROMIUM_ARGS, BrowserSession


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def built_assets() -> None:
    """GOV.UK Frontend, MoJ Frontend and axe-core copied into static/vendor (npm ci if not)."""
    ensure_assets()


@pytest.fixture(scope="session")
def playwright(django_db_setup: None) -> Iterator[Playwright]:
    """Playwright's sync API, started after the test database exists.

    It runs an event loop in the test thread, which makes Django refuse ORM calls as "async
    unsafe"; the tests' own calls (factories, flushing the database) are safe, so allow them.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as driver:
            yield driver


@pytest.fixture(scope="session")
def chromium(playwright: Playwright) -> Iterator[Browser]:
    """Debian's Chromium (never a Playwright download). Missing: skipped, but failed in CI."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: apt-get install -y chromium chromium-driver"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def browser_session(
    chromium: Browser,
    live_server: LiveServer,
    built_assets: None,
) -> Iterator[BrowserSession]:
    """A fresh browser context on the live server; checked for errors when the test ends."""
    context = chromium.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(10_000)
    session = BrowserSession(context.new_page(), live_server.url)
    yield session
    context.close()
    session.assert_clean()
