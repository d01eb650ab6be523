"""Accessibility as a browser measures it: axe-core (WCAG 2 A and AA) finds no serious or
critical violation on any page, in the states a workshop reaches; the heat map has a table
a screen reader reads instead of the picture.

axe comes from the npm registry, pinned and checked (tests/browser/axe.py). Every page is
scanned at 1280x720 with a register that has ratings, strategies, notes and own risks;
the phones' page is scanned at a phone's size too, as it is held in the room.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping

import pytest
from playwright.sync_api import Browser, Page, expect

from riskkit.catalogue import load_catalogue
from riskkit.models import Assessment

from . import axe
from .conftest import CALL_FAILED, FAILURES
from .helpers import (
    PHONE_READY,
    after_run,
    choose_option,
    goto,
    goto_present,
    level_on_phone,
    new_page,
    new_phone_page,
    open_phone,
)
from .server import start_server, stop_server

HOSTILE = "Interpreters leave mid-case <b>bold</b> *stars* [a link](https://example.org)"
OWN_STRATEGY = "Train two more interpreters; keep a roster"
TABLE_NAME = "Each cell of the heat map: its likelihood, impact, band and the risks in it"


@pytest.fixture(scope="module")
def axe_ready() -> None:
    """Fetch (once, then from the cache) and check axe-core before any page is opened."""
    try:
        axe.axe_source()
    except axe.AxeUnavailable as exc:
        pytest.fail(str(exc), pytrace=False)


def _filled_register() -> tuple[Assessment, int]:
    cat = load_catalogue()
    register = Assessment(policy=cat.policies.default)
    register = register.rate(cat, 1, likelihood="High", impact="High")
    register = register.write_strategy(cat, 1, "Screen every referral with the checklist <script>x</script>")
    register = register.rate(cat, 8, likelihood="High", impact="High").write_notes(cat, 8, "Ask the NGO first")
    register = register.rate(cat, 2, likelihood="Low", impact="Medium")
    register = register.rate(cat, 5, likelihood="Medium", impact=None)  # half rated
    register, own = register.add_own_risk(cat, HOSTILE)
    register = register.rate(cat, own, likelihood="Medium", impact="High").write_strategy(cat, own, OWN_STRATEGY)
    return register, own


@pytest.fixture(scope="module")
def filled(server_env: Mapping[str, str]) -> Iterator[tuple[str, int]]:
    """A register part-way through a workshop, in the servers' database: (its id, the own risk's number)."""
    from riskkit.store import Store

    store = Store(server_env.get("RISKKIT_DATABASE_URL") or None)
    register, own = _filled_register()
    yield store.create("Accessibility check", register.policy, assessment=register), own
    store.engine.dispose()


@pytest.fixture
def desk(browser: Browser, filled: tuple[str, int], axe_ready: None, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A 1280x720 page that opens the filled register; saved as a picture if the test fails."""
    page = new_page(browser, 1280, 720, assessment_id=filled[0])
    yield page
    if request.node.stash.get(CALL_FAILED, False):
        FAILURES.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(FAILURES / f"{request.node.name}.png"))
    page.context.close()


def assert_accessible(page: Page, where: str) -> None:
    found = axe.violations(page)
    blocking = [v for v in found if v.impact in axe.BLOCKING]
    assert not blocking, axe.report(where, found)


def _open_table(page: Page) -> None:
    """Open the expander under the map (the browser opens it: no run of the page)."""
    table = page.get_by_role("table", name=TABLE_NAME)
    if not table.is_visible():
        page.get_by_text("The heat map as a table", exact=True).click()
    expect(table).to_be_visible()


def _heatmap_with_a_cell_chosen(page: Page) -> None:
    _open_table(page)
    choose_option(page, page.get_by_role("combobox", name="Or choose a cell"),
                  re.compile(r"^Likelihood High · Impact High"))
    expect(page.get_by_role("heading", name=re.compile(r"^Likelihood High · Impact High"))).to_be_visible()


PAGES: dict[str, Callable[[Page], None] | None] = {
    "assessments": None, "overview": None, "assess": None, "heatmap": _heatmap_with_a_cell_chosen,
    "gaps": None, "indicators": None, "briefing": None, "print": None, "present": None,
}


@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_of_the_app_has_no_serious_accessibility_violation(desk: Page, server: str, path: str) -> None:
    goto(desk, f"{server}/{path}", heading="h1, h2")
    prepare = PAGES[path]
    if prepare:
        prepare(desk)
    assert_accessible(desk, f"/{path} at 1280x720")


def test_a_group_rating_from_join_screen_to_reveal_has_no_serious_violation(
        desk: Page, browser: Browser, server: str) -> None:
    goto_present(desk, f"{server}/present")
    after_run(desk, desk.get_by_role("button", name="Start group rating: the room votes from their phones").click)
    expect(desk.get_by_role("heading", name=re.compile(r"^Join: code \w+$"))).to_be_visible()
    assert_accessible(desk, "Present, the join screen with the QR code")
    link = desk.locator("[data-testid=stText]").filter(has_text=re.compile(r"/join\?code=")).first.inner_text()

    phone = new_phone_page(browser)
    try:
        open_phone(phone, link.strip())
        assert_accessible(phone, "/join on a phone, a risk to rate")
        number = int(phone.evaluate("document.body.dataset.risk"))
        for field in ("likelihood", "impact"):
            radio = level_on_phone(phone, number, field, "High")
            radio.tap()
            expect(radio).to_have_attribute("aria-checked", "true")
        expect(phone.locator("#status")).to_contain_text("Your rating is in")
        assert_accessible(phone, "/join on a phone, after voting")

        after_run(desk, desk.get_by_role("button", name="Back to the risk").click)
        after_run(desk, desk.get_by_role("button", name="Reveal the votes").click)
        expect(desk.get_by_role("button", name=re.compile("^Record the median"))).to_be_visible()
        assert_accessible(desk, "Present, the votes revealed")
        phone.wait_for_function(PHONE_READY)
        assert_accessible(phone, "/join on a phone, the votes revealed")
    finally:
        phone.context.close()


@pytest.mark.parametrize(("width", "height"), [(1280, 720), (390, 844)], ids=["1280x720", "phone"])
def test_the_join_page_asking_for_a_code_has_no_serious_violation(
        browser: Browser, server: str, axe_ready: None, width: int, height: int) -> None:
    page = new_page(browser, width, height)
    try:
        open_phone(page, f"{server}/join")
        assert_accessible(page, f"/join without a code at {width}x{height}")
        page.get_by_label("Code shown on the projector").fill("ZZZZZZ")
        page.get_by_role("button", name="Join").click()
        expect(page.get_by_role("alert")).to_contain_text("No rating session has this code")
        assert_accessible(page, f"/join after a wrong code at {width}x{height}")
    finally:
        page.context.close()


def test_the_app_address_with_a_join_code_has_no_serious_violation(browser: Browser, server: str,
                                                                   axe_ready: None) -> None:
    page = new_page(browser, 1280, 720)
    try:
        goto(page, f"{server}/?code=ABC234")
        expect(page.get_by_role("link", name="Open the join page")).to_be_visible()
        assert_accessible(page, "/?code=… (a phone that reached the app)")
    finally:
        page.context.close()


@pytest.fixture(scope="module")
def locked_server(tmp_path_factory: pytest.TempPathFactory, server_env: Mapping[str, str]) -> Iterator[str]:
    proc, url = start_server(tmp_path_factory.mktemp("locked"),
                             env={**server_env, "RISKKIT_EDITOR_KEY": "a11y-editor-key"})
    yield url
    stop_server(proc)


def test_the_unlock_page_has_no_serious_violation(browser: Browser, locked_server: str, axe_ready: None) -> None:
    page = new_page(browser, 1280, 720)
    try:
        page.goto(f"{locked_server}/assess")
        expect(page).to_have_url(re.compile(r"/unlock\?"))
        assert_accessible(page, "/unlock")
        page.get_by_label("Editor key").fill("not the key")
        page.get_by_role("button", name="Open riskkit").click()
        expect(page.get_by_role("alert")).to_have_text("That is not the editor key.")
        assert_accessible(page, "/unlock after a wrong key")
    finally:
        page.context.close()


def test_the_heat_map_has_a_table_a_screen_reader_reads(desk: Page, server: str, filled: tuple[str, int]) -> None:
    goto(desk, f"{server}/heatmap")
    _open_table(desk)
    table = desk.get_by_role("table", name=TABLE_NAME)
    expect(table).to_be_visible()
    headers = table.get_by_role("columnheader")
    expect(headers).to_have_text(["Likelihood", "Impact", "Band", "Risks in this cell"])
    rows = table.locator("tbody").get_by_role("row")
    expect(rows).to_have_count(9)
    expect(rows.first.get_by_role("cell")).to_have_text(["High", "Low", "Medium", "None"])
    cat = load_catalogue()
    high_high = rows.filter(has=desk.get_by_role("cell", name="1. Victims", exact=False))
    expect(high_high.get_by_role("cell")).to_have_text(
        ["High", "High", "High", re.compile(r"^1\. Victims.*\n8\. " + re.escape(cat.risk(8).statement[:40]))])
    own = filled[1]
    # the own risk's words as typed: no bold, no link, no emphasis made of them
    expect(rows.nth(5).get_by_role("cell")).to_have_text(["Medium", "High", "High", f"{own}. {HOSTILE}"])
    expect(rows.nth(5).locator("b, a, em")).to_have_count(0)


# --- axe itself: only the pinned package runs --------------------------------------------


def test_a_download_that_is_not_the_pinned_axe_is_refused_and_not_cached(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("RISKKIT_TEST_CACHE", str(tmp_path))
    monkeypatch.setattr(axe, "_download", lambda: b"not axe-core")
    with pytest.raises(axe.AxeUnavailable, match="refusing to run it"):
        axe.tarball()
    assert list(tmp_path.iterdir()) == []


def test_a_tampered_cached_copy_is_replaced_by_a_checked_download(tmp_path, monkeypatch, axe_ready: None) -> None:
    genuine = axe.tarball()  # from the real cache, checked
    monkeypatch.setenv("RISKKIT_TEST_CACHE", str(tmp_path))
    cached = tmp_path / f"axe-core-{axe.AXE_VERSION}.tgz"
    cached.write_bytes(genuine[:-10] + b"tampered!!")
    monkeypatch.setattr(axe, "_download", lambda: genuine)
    assert axe.tarball() == genuine
    assert cached.read_bytes() == genuine
