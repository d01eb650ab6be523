"""What being saved at once means to a user: a rating is still there after a reload and
after the server restarts, and two people working on one assessment at the same time
neither lose each other's ratings nor silently overwrite each other."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from riskkit.catalogue import load_catalogue
from riskkit.models import Assessment
from riskkit.store import Store

from .helpers import (
    after_run,
    eventually,
    goto,
    heatmap_cell_text,
    new_page,
    numbers_in,
    open_from_sidebar,
    rate,
    rate_risk,
    reload,
    show_risk,
)
from .server import start_server, stop_server

STRATEGY = "Train front-line staff on the national referral mechanism before the season starts."
CONFLICT = "changed by someone else"


def level(page: Page, number: int, field: str, name: str) -> Locator:
    """One level (a radio) of a risk card's Likelihood or Impact picker."""
    return page.locator(f".st-key-assess-{number}-{field}").get_by_role("radio", name=name, exact=True)


def expect_rated(page: Page, number: int, likelihood: str, impact: str) -> None:
    show_risk(page, number)
    expect(level(page, number, "likelihood", likelihood)).to_have_attribute("aria-checked", "true")
    expect(level(page, number, "impact", impact)).to_have_attribute("aria-checked", "true")


def expect_unrated(page: Page, number: int) -> None:
    show_risk(page, number)
    for field in ("likelihood", "impact"):
        picker = page.locator(f".st-key-assess-{number}-{field}")
        expect(picker.get_by_role("radio").first).to_be_visible()
        expect(picker.locator('[role=radio][aria-checked="true"]')).to_have_count(0)


def ratings(assessment: Assessment) -> dict[int, tuple[str | None, str | None]]:
    return {number: (entry.likelihood, entry.impact) for number, entry in assessment.entries.items()}


@pytest.fixture(scope="module")
def saved(server_env: Mapping[str, str]) -> Iterator[Callable[[str], Assessment]]:
    """What the database holds for an assessment, read as the app reads it."""
    store = Store(server_env["RISKKIT_DATABASE_URL"])
    yield lambda assessment_id: store.load(assessment_id).assessment
    store.engine.dispose()


def test_a_rating_survives_a_page_reload(page: Page, server: str) -> None:
    goto(page, f"{server}/assess")
    rate_risk(page, 3, "High", "Medium")
    strategy = page.locator(".st-key-assess-3-strategy textarea")
    strategy.fill(STRATEGY)
    after_run(page, lambda: strategy.press("Tab"))

    reload(page)
    assert f"assessment={page.assessment_id}" in page.url  # type: ignore[attr-defined]
    expect_rated(page, 3, "High", "Medium")
    expect(page.locator(".st-key-assess-3-strategy textarea")).to_have_value(STRATEGY)


def test_a_rating_survives_a_server_restart(browser: Browser, tmp_path: Path,
                                            server_env: Mapping[str, str]) -> None:
    env = {**server_env, "RISKKIT_DATABASE_URL": f"sqlite:///{tmp_path / 'riskkit.sqlite3'}"}
    store = Store(env["RISKKIT_DATABASE_URL"])
    assessment_id = store.create("Restart test", load_catalogue().policies.default)
    store.engine.dispose()

    proc, url = start_server(tmp_path / "server", env=env)
    port = int(url.rsplit(":", 1)[1])
    page = new_page(browser)
    try:
        address = f"{url}/assess?assessment={assessment_id}"
        goto(page, address)
        rate_risk(page, 2, "Low", "High")

        stop_server(proc)
        proc, again = start_server(tmp_path / "server", env=env, port=port)
        assert again == url

        goto(page, address)
        assert f"assessment={assessment_id}" in page.url, f"the address lost its assessment: {page.url}"
        expect_rated(page, 2, "Low", "High")
    finally:
        page.context.close()
        stop_server(proc)


def test_two_people_editing_the_same_risk_get_the_conflict_message_not_a_silent_overwrite(
        page: Page, browser: Browser, server: str, saved: Callable[[str], Assessment]) -> None:
    assessment_id = page.assessment_id  # type: ignore[attr-defined]
    colleague = new_page(browser, assessment_id=assessment_id)
    try:
        for person in (page, colleague):
            goto(person, f"{server}/assess")
            expect_unrated(person, 1)

        rate(page, 1, "likelihood", "High")

        low = level(colleague, 1, "likelihood", "Low")  # the colleague has not reloaded
        after_run(colleague, low.click)
        expect(colleague.get_by_role("alert").filter(has_text=CONFLICT)).to_be_visible()
        expect(level(colleague, 1, "likelihood", "High")).to_have_attribute("aria-checked", "true")
        expect(low).to_have_attribute("aria-checked", "false")
        kept = ratings(saved(assessment_id))
        assert kept.get(1) == ("High", None), f"the database no longer holds the first person's rating: {kept}"
    finally:
        colleague.context.close()


def test_two_people_rating_different_risks_both_keep_their_ratings(
        page: Page, browser: Browser, server: str, saved: Callable[[str], Assessment]) -> None:
    assessment_id = page.assessment_id  # type: ignore[attr-defined]
    colleague = new_page(browser, assessment_id=assessment_id)
    try:
        goto(page, f"{server}/assess")
        goto(colleague, f"{server}/assess")
        show_risk(colleague, 2)  # now, so that rating it reruns the card alone and reads nothing new

        rate_risk(page, 1, "High", "High")
        rate_risk(colleague, 2, "Low", "Low")

        expect(colleague.get_by_text(CONFLICT)).to_have_count(0)
        kept = ratings(saved(assessment_id))
        assert kept.get(1) == ("High", "High"), f"the first person's rating of risk 1 is lost: {kept}"
        assert kept.get(2) == ("Low", "Low"), f"the colleague's rating of risk 2 is lost: {kept}"
    finally:
        colleague.context.close()


def test_after_rating_one_risk_i_see_on_the_heat_map_the_rating_a_colleague_gave_another(
        page: Page, browser: Browser, server: str) -> None:
    colleague = new_page(browser, assessment_id=page.assessment_id)  # type: ignore[attr-defined]
    try:
        goto(page, f"{server}/assess")
        goto(colleague, f"{server}/assess")
        show_risk(page, 2)
        rate_risk(colleague, 1, "High", "High")
        rate_risk(page, 2, "Low", "Low")

        open_from_sidebar(page, "Heat map")
        text = eventually(lambda: heatmap_cell_text(page, "High", "High"), lambda t: 1 in numbers_in(t),
                          timeout_s=1)
        assert 1 in numbers_in(text), f"my High/High cell reads {text!r}: the colleague's risk 1 is missing"
    finally:
        colleague.context.close()
