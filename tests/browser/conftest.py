"""Real-browser fixtures: one app server and one headless Chromium for the session,
a fresh browser context (so a fresh Streamlit session) for every test."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from .helpers import CHROMIUM_ARGS, new_page
from .server import ServerDidNotStart, start_server, stop_server

CHROMIUM = "/usr/bin/chromium"
BROWSER_DIR = Path(__file__).resolve().parent

expect.set_options(timeout=10_000)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if Path(str(item.path)).resolve().is_relative_to(BROWSER_DIR):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def server_env() -> Mapping[str, str]:
    """Extra environment for every app server the browser tests start (override to add e.g.
    RISKKIT_DATABASE_URL); tests that start their own server pass it on."""
    return {}


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory, server_env: Mapping[str, str]) -> Iterator[str]:
    """The app, started as users start it; yields its base URL."""
    try:
        proc, url = start_server(tmp_path_factory.mktemp("server"), env=server_env)
    except ServerDidNotStart as exc:
        pytest.fail(str(exc), pytrace=False)
    yield url
    stop_server(proc)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run `make test`, which installs Chromium "
                    "(scripts/system-deps.sh) before running the tests.", pytrace=False)
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A 1280x720 page with a session of its own; `page.dialogs` lists any dialog that opened."""
    page = new_page(browser, 1280, 720)
    yield page
    page.context.close()
