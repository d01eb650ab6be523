"""Assess as drawn: quick-rating rows readable and working at 1280x720, the register table
wrapping whole statements with each band in words and colour at 1280 and 1920, the count
right after a rating, a new risk's card in view."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Browser, Page, expect

from riskkit.catalogue import load_catalogue
from riskkit.palette import BAND_COLOURS

from .helpers import add_own_risk, after_run, goto, new_page, rate_risk

CATALOGUE = load_catalogue()


def rgb(hex_colour: str) -> str:
    r, g, b = (int(hex_colour.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgb({r}, {g}, {b})"


def quick_rating(page: Page) -> None:
    after_run(page, page.locator(".st-key-assess-view").get_by_role("radio", name="Quick rating").click)
    expect(page.locator(".st-key-quick-12")).to_be_attached()


def test_quick_rating_rows_are_readable_and_their_pickers_rate_at_1280x720(page: Page, server: str) -> None:
    goto(page, f"{server}/assess")
    quick_rating(page)
    row = page.locator(".st-key-quick-5")
    row.scroll_into_view_if_needed()
    statement = CATALOGUE.risk(5).statement
    expect(row.locator("[data-testid=stText]").first).to_have_text(f"5. {statement}")  # whole, wrapped
    clipped = row.evaluate("""r => [...r.querySelectorAll('[data-testid=stText], [role=radiogroup]')]
        .filter(e => e.scrollWidth > e.clientWidth + 1).length""")
    assert clipped == 0, "a statement or a picker is cut off at 1280 px"
    box = row.bounding_box()
    assert box is not None and box["height"] < 720 / 2, f"one row takes {box} of a 720 px screen"

    for field, level in (("likelihood", "High"), ("impact", "High")):
        radio = page.locator(f".st-key-quick-5-{field}").get_by_role("radio", name=level, exact=True)
        after_run(page, radio.click)
        expect(radio).to_have_attribute("aria-checked", "true")
    badge = row.locator("[class*='st-key-bandis-high-']")
    expect(badge).to_have_text("HIGH")
    assert badge.evaluate("e => getComputedStyle(e).backgroundColor") == rgb(BAND_COLOURS[-1][0])
    expect(page.get_by_text(re.compile(r"^1 of 12 rated"))).to_be_visible()


def register_table_at(browser: Browser, new_assessment: Callable[..., str | None], server: str,
                      width: int, height: int) -> None:
    page = new_page(browser, width, height, assessment_id=new_assessment())
    try:
        goto(page, f"{server}/assess")
        rate_risk(page, 1, "High", "High")
        strategy = "Train frontline staff <b>x</b> [a](http://x) **bold**"
        box = page.locator(".st-key-assess-1-strategy textarea")
        box.fill(strategy)
        after_run(page, lambda: box.press("Control+Enter"))
        after_run(page, page.get_by_text("Show the whole register as a table").click)
        table = page.locator("[data-testid=stTable] table")
        expect(table.locator("tbody tr")).to_have_count(12)
        first = table.locator("tbody tr").first.locator("td")
        expect(first.nth(1)).to_have_text(CATALOGUE.risk(1).statement)  # whole, not cut mid-word
        expect(first.nth(5)).to_have_text(strategy)  # the strategy itself, as typed
        assert first.nth(5).locator("b, a, strong").count() == 0, "user text became markup"
        expect(first.nth(4)).to_have_text("HIGH")
        assert first.nth(4).evaluate("e => getComputedStyle(e).backgroundColor") == rgb(BAND_COLOURS[-1][0])
        overflowing = table.evaluate("t => [...t.querySelectorAll('td')].filter(c => c.scrollWidth > c.clientWidth + 1)"
                                     ".length")
        assert overflowing == 0, f"{overflowing} cells are cut off at {width} px"
    finally:
        page.context.close()


def test_the_register_table_wraps_whole_statements_with_bands_in_words_and_colour_at_1280(
        browser: Browser, new_assessment: Callable[..., str | None], server: str) -> None:
    register_table_at(browser, new_assessment, server, 1280, 720)


def test_the_register_table_wraps_whole_statements_with_bands_in_words_and_colour_at_1920(
        browser: Browser, new_assessment: Callable[..., str | None], server: str) -> None:
    register_table_at(browser, new_assessment, server, 1920, 1080)


def test_the_count_follows_a_rating_and_a_new_risks_card_is_in_view(page: Page, server: str) -> None:
    goto(page, f"{server}/assess")
    after_run(page, page.locator(".st-key-assess-next").get_by_role("button").click)
    rate_risk(page, 2, "Medium", "Low")
    expect(page.get_by_text("Risk 2 of 12 · 1 rated", exact=True)).to_be_visible()

    add_own_risk(page, "Shelter staff turnover leaves no trained interviewer")
    card = page.locator(".st-key-card-13")
    expect(card).to_be_visible()
    expect(card).to_be_in_viewport()
    expect(page.get_by_text("Risk 13 of 13 · 1 rated", exact=True)).to_be_visible()
