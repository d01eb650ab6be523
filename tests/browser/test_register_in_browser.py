"""What only a real browser shows: ratings reaching the chart, clicks on the chart,
user text staying text, deep links after a restart, links between pages."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from .helpers import (
    add_own_risk,
    after_run,
    cell_numbers_include,
    centre_of,
    choose_option,
    first_cell,
    goto,
    heatmap_cell,
    heatmap_cells,
    new_page,
    numbers_in,
    open_from_sidebar,
    rate_risk,
    section_text,
    show_risk,
    texts_under_heading,
)
from .server import start_server, stop_server

HOSTILE = "<img src=x onerror=alert(1)> <script>alert(2)</script> [x](javascript:alert(3))"
# Plotly ignores tags it does not know (so shows <img> as text by itself), but draws the
# ones it knows: only this one tells whether hover labels escape user text.
PLOTLY_MARKUP = "<b>bold</b> <i>italic</i> <br> next line"
FIRST_OWN = 13  # the catalogue's risks are 1-12; a user's own risks are numbered on from there


def assert_nothing_ran(page: Page) -> None:
    assert page.locator('img[src="x"]').count() == 0, "the user's <img> became an image"
    assert page.locator("[data-testid=stApp] script").filter(has_text="alert").count() == 0, \
        "the user's <script> became a script element"
    assert page.locator('a[href^="javascript:"]').count() == 0, "the user's link became a link"
    assert page.dialogs == [], f"a script ran: {page.dialogs}"  # type: ignore[attr-defined]


def test_a_risk_rated_high_high_appears_in_the_high_high_cell_and_in_the_gaps(page: Page, server: str) -> None:
    goto(page, f"{server}/assess")
    rate_risk(page, 1, "High", "High")

    open_from_sidebar(page, "Heat map")
    text, numbers = cell_numbers_include(page, "High", "High", 1)
    assert 1 in numbers, f"High/High cell reads {text!r}"
    assert "HIGH" in text
    holding_1 = [cell for cell, words in heatmap_cells(page).items() if 1 in numbers_in(words or "")]
    assert holding_1 == [("High", "High")], f"risk 1 is shown in {holding_1}"

    open_from_sidebar(page, "Mitigation gaps")
    heading_start = "Rated risks that require a strategy"
    expect(page.get_by_role("heading", name=re.compile("^" + heading_start))).to_be_visible()
    rows = texts_under_heading(page, heading_start)
    listed = [row for row in rows if first_cell(row) == "1"]
    assert listed, f"risk 1 is not listed under {heading_start!r}: {rows}"
    assert "Victims of trafficking are not identified" in listed[0]


def test_an_own_risk_appears_on_the_heat_map(page: Page, server: str) -> None:
    goto(page, f"{server}/assess")
    add_own_risk(page, "Shelter staff turnover leaves no trained interviewer")
    card = show_risk(page, FIRST_OWN)
    expect(card).to_contain_text(f"Risk {FIRST_OWN}")
    expect(card).to_contain_text("Shelter staff turnover leaves no trained interviewer")
    rate_risk(page, FIRST_OWN, "Medium", "Low")

    open_from_sidebar(page, "Heat map")
    text, numbers = cell_numbers_include(page, "Medium", "Low", FIRST_OWN)
    assert FIRST_OWN in numbers, f"Medium/Low cell reads {text!r}"


def test_hostile_text_is_shown_as_text_everywhere_and_nothing_runs(page: Page, server: str) -> None:
    goto(page, f"{server}/assess")
    for number, statement in ((FIRST_OWN, HOSTILE), (FIRST_OWN + 1, PLOTLY_MARKUP)):
        add_own_risk(page, statement)
        card = show_risk(page, number)
        expect(card).to_contain_text(f"Risk {number}")
        rate_risk(page, number, "High", "High")
    show_risk(page, FIRST_OWN)
    strategy = page.locator(f".st-key-assess-{FIRST_OWN}-strategy textarea")
    strategy.fill(HOSTILE)
    after_run(page, lambda: strategy.press("Tab"))
    card = page.locator(f".st-key-card-{FIRST_OWN}")
    expect(card).to_contain_text("required and written")
    expect(card.get_by_text(HOSTILE, exact=False).first).to_be_visible()
    assert_nothing_ran(page)

    open_from_sidebar(page, "Heat map")
    choose_option(page, page.get_by_role("combobox", name="Or choose a cell"),
                  re.compile(r"^Likelihood High · Impact High"))
    expect(page.get_by_role("heading", name=re.compile("Likelihood High · Impact High"))).to_be_visible()
    # what is on screen (the map's table, collapsed, holds its own copy of each statement)
    listed = page.get_by_text(HOSTILE, exact=False).locator("visible=true")
    expect(listed.first).to_be_visible()
    assert listed.count() >= 2, "the statement and the strategy should both be listed as text"
    expect(page.get_by_text(PLOTLY_MARKUP, exact=False).locator("visible=true").first).to_be_visible()
    assert_nothing_ran(page)

    heatmap_cell(page, "High", "High").scroll_into_view_if_needed()
    page.mouse.move(*centre_of(heatmap_cell(page, "High", "High")))
    hover = page.locator("[data-testid=stMain] .js-plotly-plot .hoverlayer .hovertext")
    expect(hover).to_be_visible()
    expect(hover).to_contain_text("<img src=x onerror=alert(1)>")
    # hover labels shorten long statements: the start of each, literally
    expect(hover).to_contain_text(f"{FIRST_OWN}. {HOSTILE[:50]}")
    expect(hover).to_contain_text(f"{FIRST_OWN + 1}. {PLOTLY_MARKUP[:50]}")
    assert_nothing_ran(page)

    open_from_sidebar(page, "Mitigation gaps")
    expect(page.get_by_text(HOSTILE, exact=False).first).to_be_visible()
    expect(page.get_by_text(PLOTLY_MARKUP, exact=False).first).to_be_visible()
    assert_nothing_ran(page)


def test_quotes_in_a_statement_read_as_quotes_in_the_hover_label(page: Page, server: str) -> None:
    statement = 'Officials say "no interpreter today", so the victim\'s account is not heard'
    goto(page, f"{server}/assess")
    add_own_risk(page, statement)
    rate_risk(page, FIRST_OWN, "Low", "High")

    open_from_sidebar(page, "Heat map")
    cell_numbers_include(page, "Low", "High", FIRST_OWN)
    page.mouse.move(*centre_of(heatmap_cell(page, "Low", "High")))
    hover = page.locator("[data-testid=stMain] .js-plotly-plot .hoverlayer .hovertext")
    expect(hover).to_be_visible()
    expect(hover).to_contain_text(f'{FIRST_OWN}. Officials say "no interpreter today"', timeout=3_000)
    expect(hover).not_to_contain_text("&quot;")


def test_clicking_a_cell_lists_its_risks_with_their_strategies(page: Page, server: str) -> None:
    goto(page, f"{server}/assess")
    rate_risk(page, 5, "Medium", "High")

    open_from_sidebar(page, "Heat map")
    cell = heatmap_cell(page, "Medium", "High")
    cell_numbers_include(page, "Medium", "High", 5)
    after_run(page, lambda: page.mouse.click(*centre_of(cell)))

    heading = page.get_by_role("heading", name=re.compile("Likelihood Medium · Impact High"))
    expect(heading).to_be_visible()
    listed = section_text(page, (heading.text_content() or "").strip())
    assert "Risk 5" in listed, listed
    assert "Measures taken to protect and assist persons are discriminatory" in listed, listed
    assert "Risk mitigation strategy" in listed, listed
    expect(page.get_by_role("link", name="Open risk 5 in Assess")).to_be_visible()


def test_a_deep_link_on_a_fresh_server_opens_inside_the_app_frame(browser: Browser, tmp_path: Path,
                                                                  server_env: Mapping[str, str]) -> None:
    proc, url = start_server(tmp_path, env=server_env)
    page = new_page(browser)
    try:
        goto(page, f"{url}/heatmap")
        nav = page.locator("[data-testid=stSidebar] [data-testid=stPageLink-NavLink]")
        expect(nav.first).to_be_visible()
        titles = [t.strip() for t in nav.locator("[data-testid=stMarkdownContainer]").all_inner_texts()]
        for title in ("Overview", "Assess", "Heat map", "Mitigation gaps"):
            assert title in titles, f"sidebar shows {titles}"
        assert titles.index("Overview") < titles.index("Assess") < titles.index("Heat map") \
            < titles.index("Mitigation gaps"), f"sidebar order is {titles}"
        for raw in ("app", "heatmap", "assess", "gaps", "overview"):
            assert raw not in titles, f"sidebar shows the raw file name {raw!r}: {titles}"
        expect(page.get_by_text("Page not found")).to_have_count(0)
        expect(page.locator("[data-testid=stMain] h1")).to_have_text("Heat map")
        assert "/heatmap?" in page.url
    finally:
        page.context.close()
        stop_server(proc)


def test_the_indicator_link_on_a_risk_card_opens_that_risks_indicators(page: Page, server: str) -> None:
    goto(page, f"{server}/assess")
    show_risk(page, 2)
    link = page.locator(".st-key-card-2 a").filter(has_text=re.compile(r"^PA-")).first
    linked = (link.text_content() or "").split(":")[0]
    after_run(page, link.click)

    expect(page.locator("[data-testid=stMain] h1")).to_contain_text("Monitoring indicators")
    chosen = page.get_by_role("combobox", name="Show the indicators monitoring")
    expect(chosen).to_have_value(re.compile(r"^Risk 2\b"))
    caption = page.get_by_text(re.compile(r"^\d+ of \d+ indicators monitor risk 2\.$"))
    expect(caption).to_be_visible()
    expect(page.get_by_text(linked, exact=True)).to_be_visible()
