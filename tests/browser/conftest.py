"""Real-browser fixtures: one app server and one headless Chromium for the session,
a fresh browser context (so a fresh Streamlit session) for every test."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from .helpers import CHROMIUM_ARGS, new_page
from .server import REPO, ServerDidNotStart, start_server, stop_server

CHROMIUM = "/usr/bin/chromium"
BROWSER_DIR = Path(__file__).resolve().parent
FAILURES = REPO / "artifacts" / "browser-failures"

CALL_FAILED = pytest.StashKey[bool]()

expect.set_options(timeout=10_000)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if Path(str(item.path)).resolve().is_relative_to(BROWSER_DIR):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.stash[CALL_FAILED] = report.failed


@pytest.fixture(scope="session")
def server_env(tmp_path_factory: pytest.TempPathFactory) -> Mapping[str, str]:
    """Extra environment for every app server the browser tests start; tests that start
    their own server pass it on. The app keeps its data in a throw-away database, never
    in a developer's var/ (override this fixture to test against, say, PostgreSQL)."""
    database = tmp_path_factory.mktemp("database") / "riskkit.sqlite3"
    return {"RISKKIT_DATABASE_URL": f"sqlite:///{database}"}


@pytest.fixture(scope="session")
def new_assessment(server_env: Mapping[str, str]) -> Iterator[Callable[..., str | None]]:
    """Make a new, empty assessment in the servers' database and return its id, so each test
    starts from a blank register whatever ran before it (None if the app has no store)."""
    try:
        from riskkit.catalogue import load_catalogue
        from riskkit.store import Store
    except ImportError:  # assessments live in the browser session only
        yield lambda title="": None
        return
    store = Store(server_env.get("RISKKIT_DATABASE_URL") or None)
    policy = load_catalogue().policies.default
    yield lambda title="Browser test": store.create(title, policy)
    store.engine.dispose()


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
def page(browser: Browser, new_assessment: Callable[..., str | None],
         request: pytest.FixtureRequest) -> Iterator[Page]:
    """A 1280x720 page with a session (and a new assessment) of its own; `page.dialogs` lists
    any dialog that opened. When the test fails, what the page showed is saved under
    artifacts/browser-failures/."""
    page = new_page(browser, 1280, 720, assessment_id=new_assessment())
    yield page
    if request.node.stash.get(CALL_FAILED, False):
        FAILURES.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(PlaywrightError):
            page.screenshot(path=str(FAILURES / f"{request.node.name}.png"), full_page=True)
    page.context.close()
