"""The follow-up on a projector: the Action plan page and a risk's card with its actions and
history fit the screen at 1280x720 and 1920x1080 (nothing cut off at the right, the controls
on screen once scrolled to), a user's text stays text, and the name given in the sidebar is
kept from page to page. Screenshots land in artifacts/screens/ for a person to look at."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, timedelta

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from riskkit.catalogue import load_catalogue
from riskkit.store import Store

from .helpers import after_run, first_cell, goto, new_page, open_from_sidebar
from .server import REPO

SCREENS = REPO / "artifacts" / "screens"
HOSTILE = "<img src=x onerror=alert(1)> [link](javascript:alert(2)) **bold**"
LONG = ("Agree a written referral procedure with the three shelters, the labour inspectorate and the two "
        "NGOs running hotlines, and train their front-line staff on it")


def seed_plan(server_env: Mapping[str, str], assessment_id: str) -> None:
    """Five actions on risks 2 and 5, one overdue, one with a long description, one with markup."""
    catalogue = load_catalogue()
    store = Store(server_env.get("RISKKIT_DATABASE_URL") or None)
    try:
        snapshot = store.load(assessment_id)
        a = snapshot.assessment
        a, _ = a.add_action(catalogue, 2, "Train border guards", "Border police", date(2020, 1, 5))
        a, _ = a.add_action(catalogue, 2, LONG, "Ministry of Social Affairs", date.today() + timedelta(days=40),
                            "in_progress", note="Start with the capital")
        a, _ = a.add_action(catalogue, 2, HOSTILE, HOSTILE, None, "planned", note=HOSTILE)
        a, _ = a.add_action(catalogue, 5, "Open a hotline", "NGO Hope", date.today() + timedelta(days=90), "done")
        a = a.write_strategy(catalogue, 2, "Screen everyone at the border")
        store.save(snapshot, a, by="Amina K.")
    finally:
        store.engine.dispose()


def inside_width(locator: Locator, width: int, height: int, what: str) -> None:
    """Scrolled to, the element is wholly on screen: nothing cut off at the right or below."""
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    assert box is not None, f"{what} is not drawn"
    assert box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5, f"{what} runs off the right edge: {box}"
    assert box["height"] <= height and box["y"] >= 0 and box["y"] + box["height"] <= height + 0.5, \
        f"{what} is not wholly on a {width}x{height} screen: {box}"


_CUT = "el => [el, ...el.querySelectorAll('*')].some(e => e.scrollWidth > e.clientWidth + 1)"


def words_whole(locator: Locator, what: str) -> None:
    """A button's words are all shown, not cut to an ellipsis."""
    assert not locator.evaluate(_CUT), f"{what}'s words are cut off: {locator.inner_text()!r}"


def nothing_ran(page: Page) -> None:
    assert page.locator('img[src="x"]').count() == 0
    assert page.locator('[data-testid=stMain] a[href^="javascript:"]').count() == 0
    assert page.dialogs == []  # type: ignore[attr-defined]


@pytest.mark.parametrize(("width", "height"), [(1280, 720), (1920, 1080)], ids=["1280x720", "1920x1080"])
def test_the_action_plan_and_a_card_with_actions_fit_the_screen(browser: Browser, server: str,
                                                                 server_env: Mapping[str, str],
                                                                 new_assessment: Callable[..., str | None],
                                                                 width: int, height: int) -> None:
    assessment_id = new_assessment("Follow-up workshop")
    assert assessment_id is not None
    seed_plan(server_env, assessment_id)
    page = new_page(browser, width, height, assessment_id=assessment_id)
    try:
        SCREENS.mkdir(parents=True, exist_ok=True)
        goto(page, f"{server}/plan")
        main = page.locator("[data-testid=stMain]")
        expect(main.get_by_role("heading", name="Action plan")).to_be_visible()
        metrics = [[part for part in m.inner_text().split("\n") if part]
                   for m in main.locator("[data-testid=stMetric]").all()]
        assert metrics == [["Actions", "4"], ["Overdue", "1"], ["Done", "1"]], metrics
        rows = main.locator("table tbody tr")
        expect(rows).to_have_count(4)
        first = rows.first.inner_text()
        assert first_cell(first) == "2" and "Train border guards" in first and "⚠ Overdue" in first, \
            "the overdue action comes first"
        assert HOSTILE in main.locator("table").inner_text()  # shown as typed
        inside_width(main.locator("table"), width, height, "the plan's table")
        download = main.get_by_role("button", name="Download the plan (CSV)")
        inside_width(download, width, height, "the CSV download")
        words_whole(download, "the CSV download")
        page.screenshot(path=str(SCREENS / f"action-plan-{width}x{height}.png"))
        nothing_ran(page)

        goto(page, f"{server}/assess?risk=2")
        card = page.locator(".st-key-card-2")
        expect(card).to_be_visible()
        actions = card.locator("[class*='st-key-action-2-']")
        expect(actions).to_have_count(3)
        for index in range(3):
            inside_width(actions.nth(index), width, height, f"action {index + 1} of the card")
            for button in ("Edit", "Remove"):
                found = actions.nth(index).get_by_role("button", name=button)
                inside_width(found, width, height, f"a {button} button")
                words_whole(found, f"a {button} button")
        expect(card.get_by_text("Overdue", exact=True)).to_be_visible()
        page.screenshot(path=str(SCREENS / f"card-actions-{width}x{height}.png"))

        history = card.get_by_role("button", name="History")
        inside_width(history, width, height, "the History button")
        words_whole(history, "the History button")
        history.click()  # a popover opens in the browser, without a run
        panel = page.locator("[data-testid=stPopoverBody]")
        expect(panel.get_by_text("Amina K.", exact=False).first).to_be_visible()
        inside_width(panel, width, height, "the history panel")
        page.screenshot(path=str(SCREENS / f"card-history-{width}x{height}.png"))
        page.keyboard.press("Escape")
        nothing_ran(page)

        if width == 1280:  # the name given once is kept from page to page
            name = page.locator("[data-testid=stSidebar]").get_by_label("Your name, shown beside your changes")
            name.fill("Jo B.")
            after_run(page, lambda: name.press("Enter"))
            open_from_sidebar(page, "Action plan")
            expect(page.locator("[data-testid=stSidebar]").get_by_label(
                "Your name, shown beside your changes")).to_have_value("Jo B.")
    finally:
        page.context.close()
