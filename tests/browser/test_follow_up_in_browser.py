"""The arrows view and the Compare page on a projector (1280x720) and a large screen
(1920x1080): the chart and its tables on screen, every arrow's numbers drawn, nothing wider
than the window. Screenshots land in artifacts/screens/ for a person to look at."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import date

import pytest
from playwright.sync_api import Browser, Page, expect

from riskkit.catalogue import load_catalogue
from riskkit.models import Assessment
from riskkit.store import Store

from .helpers import after_run, goto, new_page
from .server import REPO

SCREENS = REPO / "artifacts" / "screens"
CATALOGUE = load_catalogue()
# (risk, now, expected once the strategy is in place); three risks end in one cell
RATINGS = ((1, ("High", "High"), ("Low", "Medium")), (2, ("High", "Medium"), ("Low", "Medium")),
           (5, ("Medium", "High"), ("Low", "Medium")), (7, ("High", "Low"), ("High", "Low")),
           (10, ("Medium", "Medium"), None), (4, ("Low", "Low"), ("Medium", "Low")))
MOVING = {1, 2, 5, 4}
NO_OVERFLOW = "() => document.documentElement.scrollWidth <= window.innerWidth"


def _rated(a: Assessment) -> Assessment:
    for number, now, expected in RATINGS:
        a = a.rate(CATALOGUE, number, likelihood=now[0], impact=now[1])
        if expected:
            a = a.rate_residual(CATALOGUE, number, likelihood=expected[0], impact=expected[1])
    a, _ = a.add_action(CATALOGUE, 1, "Train border guards", "Border police")
    return a.record_reading("PA-01", date(2025, 1, 1), 12.0, "police")


@pytest.fixture(scope="module")
def registers(server_env: Mapping[str, str]) -> Iterator[str]:
    """A register rated both ways and, saved before it changed, its snapshot: the register's id."""
    store = Store(server_env["RISKKIT_DATABASE_URL"])
    now = store.create("Follow-up workshop", CATALOGUE.policies.default)
    store.save(store.load(now), _rated(store.load(now).assessment))
    store.duplicate(now, "Before the follow-up")
    snapshot = store.load(now)
    changed = snapshot.assessment.rate(CATALOGUE, 1, likelihood="Medium", impact="High")
    changed = changed.rate(CATALOGUE, 10, likelihood="Low", impact="Low").write_strategy(CATALOGUE, 2, "Referral desks")
    changed = changed.change_action(CATALOGUE, 1, changed.entry(1).actions[0].id, status="done")
    store.save(snapshot, changed.record_reading("PA-01", date(2025, 6, 1), 20.0, "police"))
    yield now
    store.engine.dispose()


def _inside(page: Page, selector: str, width: int, height: int | None = None) -> None:
    for index in range(page.locator(selector).count()):
        box = page.locator(selector).nth(index).bounding_box()
        assert box is not None, f"{selector} is not drawn"
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1, f"{selector} wider than the window: {box}"
        if height is not None:
            assert box["y"] >= 0 and box["y"] + box["height"] <= height + 1, f"{selector} below the window: {box}"


def _numbers_drawn(page: Page, chart: str) -> list[str]:
    """The risk numbers drawn in the chart's SVG (the cells' band words left out)."""
    return page.locator(f"{chart} .scatterlayer .textpoint text").evaluate_all(
        "els => els.map(e => e.textContent).filter(t => /^[0-9]+$/.test(t))")


@pytest.mark.parametrize(("width", "height"), [(1280, 720), (1920, 1080)], ids=["1280x720", "1920x1080"])
def test_arrows_and_compare_fit_the_screen(browser: Browser, server: str, registers: str,
                                           new_assessment: Callable[..., str | None], width: int, height: int) -> None:
    page = new_page(browser, width, height, assessment_id=registers)
    try:
        SCREENS.mkdir(parents=True, exist_ok=True)
        goto(page, f"{server}/heatmap")
        after_run(page, page.locator(".st-key-heatmap-view").get_by_text("Current → residual", exact=True).click)
        chart = ".st-key-heatmap-arrows_chart .js-plotly-plot"
        expect(page.locator(chart)).to_be_visible()
        numbers = _numbers_drawn(page, chart)
        assert sorted(numbers) == sorted([str(n) for n in MOVING] * 2), numbers  # each number at both ends
        page.mouse.move(width - 5, height - 5)  # no hover label in the picture
        _inside(page, f"{chart} .main-svg", width, height)
        _inside(page, ".st-key-heatmap-arrows-words", width, height)
        expect(page.get_by_text("7: no change expected")).to_be_visible()
        assert page.evaluate(NO_OVERFLOW)
        page.screenshot(path=str(SCREENS / f"heatmap-arrows-{width}x{height}.png"))

        goto(page, f"{server}/compare")
        chart = ".st-key-compare-moves_chart .js-plotly-plot"
        expect(page.locator(chart)).to_be_visible()
        assert sorted(_numbers_drawn(page, chart)) == ["1", "1", "10", "10"]  # the two risks that moved
        _inside(page, f"{chart} .main-svg", width)
        _inside(page, "[data-testid=stDataFrame]", width)
        _inside(page, "[data-testid=stMetric]", width, height)
        assert page.locator("[data-testid=stDataFrame]").count() >= 3  # moved, gaps, actions, indicators
        assert page.evaluate(NO_OVERFLOW)
        page.mouse.move(width - 5, height - 5)
        page.screenshot(path=str(SCREENS / f"compare-{width}x{height}.png"))
        page.screenshot(path=str(SCREENS / f"compare-{width}x{height}-full.png"), full_page=True)
    finally:
        page.context.close()
