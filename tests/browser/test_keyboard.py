"""Assess from the keyboard alone: a person who cannot use a mouse opens an assessment,
rates a risk, writes its strategy and moves on, with Tab, Shift+Tab, Space, Enter and the
arrow keys. No click, no focus() called by the test: every element is reached the way a
keyboard user reaches it, and what was done is read back after a reload."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from .helpers import RUN_TIMEOUT_MS, after_run, goto, new_page, reload

MAX_PRESSES = 120
STRATEGY = "Refer through the NGO hotline; review each case in a week"
OWN_RISK = "Shelter staff leave during the rainy season"

_HAS_FOCUS = "el => el === document.activeElement || el.contains(document.activeElement)"


def tab_to(page: Page, target: Locator, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until `target` has the keyboard focus, as a user would;
    fail, saying where the focus went, if it is not reached within MAX_PRESSES."""
    key = "Shift+Tab" if backwards else "Tab"
    target.wait_for(state="visible")
    visited: list[str] = []
    for _ in range(MAX_PRESSES):
        if target.evaluate(_HAS_FOCUS):
            return
        page.keyboard.press(key)
        visited.append(page.evaluate("() => { const el = document.activeElement; return el ? "
                                     "(el.getAttribute('aria-label') || el.innerText || el.tagName).slice(0, 40) "
                                     ": 'nothing'; }"))
    raise AssertionError(f"{target} cannot be reached with {key} within {MAX_PRESSES} presses; the focus "
                         f"went through: {visited[-30:]}")


def arrow_to(page: Page, group: Locator, option: Locator) -> None:
    """A picker is one stop for Tab; inside it the arrow keys move between its levels."""
    tab_to(page, group)
    for _ in range(group.get_by_role("radio").count()):
        if option.evaluate(_HAS_FOCUS):
            return
        page.keyboard.press("ArrowRight")
    assert option.evaluate(_HAS_FOCUS), f"the arrow keys do not reach {option}"


def level_of(card: Locator, number: int, field: str, level: str, view: str = "assess") -> Locator:
    """One level of a risk's Likelihood or Impact picker (on its card, or its quick-rating row)."""
    return card.locator(f".st-key-{view}-{number}-{field}").get_by_role("radio", name=level, exact=True)


def press(page: Page, key: str) -> None:
    """A key that makes the app run; returns once the run is over."""
    after_run(page, lambda: page.keyboard.press(key))


def shown(locator: Locator) -> Locator:
    """What a run brings on screen (a slow machine gets the time a run may take)."""
    expect(locator).to_be_visible(timeout=RUN_TIMEOUT_MS)
    return locator


@pytest.fixture
def two_assessments(new_assessment: Callable[..., str | None]) -> tuple[str, str]:
    """(the one open at first, the one the user chooses)."""
    first, chosen = new_assessment("Open at first"), new_assessment("Keyboard workshop")
    assert first and chosen
    return first, chosen


def test_an_assessment_is_chosen_rated_and_written_from_the_keyboard(
        browser: Browser, server: str, two_assessments: tuple[str, str]) -> None:
    first, chosen = two_assessments
    page = new_page(browser, 1280, 720, assessment_id=first)
    try:
        # choose the assessment on Assessments: Tab to its Open button, Enter
        goto(page, f"{server}/assessments")
        card = page.locator(f".st-key-assessment-{chosen}")
        open_button = card.get_by_role("button", name="Open “Keyboard workshop”", exact=True)
        tab_to(page, open_button)
        press(page, "Enter")
        expect(page.locator("[data-testid=stSidebar]")).to_contain_text("Keyboard workshop")

        # to Assess through the sidebar: back up with Shift+Tab to its link, Enter
        assess_link = page.locator("[data-testid=stSidebar]").get_by_role("link", name=re.compile("Assess$"))
        tab_to(page, assess_link, backwards=True)
        press(page, "Enter")
        expect(page.get_by_role("heading", name="Assess the risks", level=1)).to_be_visible()
        expect(page).to_have_url(re.compile(rf"/assess\?(.*&)?assessment={chosen}"))

        # the risk picker: type to filter, Enter to choose risk 3
        picker = page.get_by_role("combobox", name="Risk")
        tab_to(page, picker)
        page.keyboard.type("3. ")
        press(page, "Enter")
        card = shown(page.locator(".st-key-card-3"))

        # likelihood High, impact Medium: Tab to each picker, arrows to the level, Space chooses it
        for field, level in (("likelihood", "High"), ("impact", "Medium")):
            option = level_of(card, 3, field, level)
            arrow_to(page, card.locator(f".st-key-assess-3-{field}"), option)
            press(page, "Space")
            expect(option).to_have_attribute("aria-checked", "true", timeout=RUN_TIMEOUT_MS)
            expect(option).to_be_focused()  # the run it caused leaves the focus where the user is

        # the strategy: Tab into the box, type, Tab out (a text box saves when it is left)
        strategy = card.get_by_role("textbox", name="Risk mitigation strategy")
        tab_to(page, strategy)
        page.keyboard.type(STRATEGY)
        press(page, "Tab")

        # on to the next risk
        next_button = page.get_by_role("button", name=re.compile("^Next"))
        tab_to(page, next_button, backwards=True)
        press(page, "Enter")
        shown(page.locator(".st-key-card-4"))

        # what was done is saved: a new session on the same address reads it back
        reload(page)
        expect(page.get_by_role("heading", name="Assess the risks", level=1)).to_be_visible()
        picker = page.get_by_role("combobox", name="Risk")
        tab_to(page, picker)
        page.keyboard.type("3. ")
        press(page, "Enter")
        card = page.locator(".st-key-card-3")
        for field, level in (("likelihood", "High"), ("impact", "Medium")):
            expect(level_of(card, 3, field, level)).to_have_attribute("aria-checked", "true")
        expect(card.get_by_role("textbox", name="Risk mitigation strategy")).to_have_value(STRATEGY)
        assert page.dialogs == []  # type: ignore[attr-defined]
    finally:
        page.context.close()


def test_quick_rating_a_risk_of_ones_own_and_the_register_table_work_from_the_keyboard(
        browser: Browser, server: str, new_assessment: Callable[..., str | None]) -> None:
    page = new_page(browser, 1280, 720, assessment_id=new_assessment("Keyboard quick rating"))
    try:
        goto(page, f"{server}/assess")
        # the view picker: Tab to it, arrow to "Quick rating", Space
        view = page.get_by_role("radiogroup", name="View")
        quick = view.get_by_role("radio", name="Quick rating")
        arrow_to(page, view, quick)
        press(page, "Space")
        row = page.locator(".st-key-quick-5")
        shown(row)

        for field, level in (("likelihood", "Medium"), ("impact", "High")):
            option = level_of(row, 5, field, level, view="quick")
            arrow_to(page, row.locator(f".st-key-quick-5-{field}"), option)
            press(page, "Space")
            expect(option).to_have_attribute("aria-checked", "true", timeout=RUN_TIMEOUT_MS)
            expect(option).to_be_focused()

        # a risk of one's own: Shift+Tab up to the button, Enter, type, Tab to "Add risk", Enter
        tab_to(page, page.get_by_role("button", name=re.compile("Add a risk you have identified")), backwards=True)
        press(page, "Enter")
        form = page.locator("[data-testid=stForm]")
        statement = form.get_by_role("textbox", name="Identified risk")
        tab_to(page, statement)
        page.keyboard.type(OWN_RISK)
        tab_to(page, form.get_by_role("button", name="Add risk"))
        press(page, "Enter")
        expect(shown(page.locator("[class*=st-key-card-]").first)).to_contain_text(OWN_RISK)

        # the whole register as a table: Tab to the toggle, Space
        name = "Show the whole register as a table"
        toggle = page.get_by_role("switch", name=name).or_(page.get_by_role("checkbox", name=name))
        tab_to(page, toggle)
        press(page, "Space")
        expect(shown(page.get_by_role("table", name=re.compile("^The risk register")))).to_contain_text(OWN_RISK)

        reload(page)
        tab_to(page, toggle)
        if not toggle.is_checked():  # the table may stay open for this session's page
            press(page, "Space")
        table = page.get_by_role("table", name=re.compile("^The risk register"))
        expect(table).to_contain_text(OWN_RISK)
        risk_5 = table.get_by_role("row").filter(has=page.get_by_role("cell", name="5", exact=True))
        expect(risk_5.get_by_role("cell").nth(2)).to_have_text("Medium")
        expect(risk_5.get_by_role("cell").nth(3)).to_have_text("High")
    finally:
        page.context.close()
