"""The projector: the facilitator's Present page at 1280x720 (the common room projector)
and 1920x1080, with three phones. Everything the facilitator needs is inside the screen
(bounding boxes), the statement is at least 40 px, the join screen's QR code at least 40%
of the screen's height, the reveal and Record in view, keys keep working after a click,
and high contrast keeps every element, the closing heat map included. Screenshots go to
artifacts/screens/ to be looked at."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import Browser, Locator, Page, expect

from .helpers import after_run, goto_present, join_room, new_page, vote_on_phone
from .server import REPO

SCREENS = REPO / "artifacts" / "screens"
VIEWPORTS = [(1280, 720), (1920, 1080)]


def inside(page: Page, locator: Locator, what: str) -> None:
    expect(locator).to_be_visible()
    box = locator.bounding_box()
    width, height = page.viewport_size["width"], page.viewport_size["height"]  # type: ignore[index]
    assert box is not None, what
    assert box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= width + 1 \
        and box["y"] + box["height"] <= height + 1, f"{what} is outside the {width}x{height} screen: {box}"


def button(page: Page, name: str) -> Locator:
    return page.get_by_role("button", name=re.compile(f"^{re.escape(name)}")).first


@pytest.mark.parametrize(("width", "height"), VIEWPORTS, ids=["1280x720", "1920x1080"])
def test_the_projector_view_fits_the_screen_from_join_to_record(browser: Browser, server: str, new_assessment,
                                                                width: int, height: int) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    page = new_page(browser, width, height, assessment_id=new_assessment("Projector"))
    phones: list[Page] = []
    try:
        goto_present(page, f"{server}/present")
        expect(page.locator("[data-testid=stSidebar]")).to_be_hidden()  # the stage has the whole screen
        size = float(page.locator(".st-key-present-statement h2").first.evaluate(
            "e => parseFloat(getComputedStyle(e).fontSize)"))
        assert size >= 40, f"the statement is {size} px at {width}x{height}"
        after_run(page, button(page, "Start group rating").click)

        qr = page.locator(".st-key-present-qr img")
        inside(page, qr, "the join screen's QR code")
        assert qr.bounding_box()["height"] >= 0.4 * height  # type: ignore[index]
        code = page.get_by_role("heading", name=re.compile(r"^Join: code \w+$"))
        inside(page, code, "the join code")
        page.screenshot(path=str(SCREENS / f"present-join-{width}x{height}.png"))
        link = page.locator("[data-testid=stText]").filter(has_text=re.compile(r"/join\?code=")).first.inner_text()

        after_run(page, button(page, "Back to the risk").click)
        for name in ("Previous", "Next", "High contrast", "Reveal the votes", "Join screen", "End group rating"):
            inside(page, button(page, name), f"the '{name}' button")
        inside(page, page.locator(".st-key-present-statement h2").first, "the statement")
        inside(page, page.locator(".st-key-present-votes [data-testid=stMetricValue]"), "the vote count")
        page.screenshot(path=str(SCREENS / f"present-risk-{width}x{height}.png"))

        phones = join_room(browser, link, 3)
        for phone, (likelihood, impact) in zip(phones, (("High", "Low"), ("Low", "High"), ("High", "High"))):
            vote_on_phone(phone, 1, likelihood, impact)
        expect(page.locator(".st-key-present-votes [data-testid=stMetricValue]")).to_have_text("3")
        after_run(page, lambda: page.keyboard.press("v"))  # V reveals
        table = page.locator(".st-key-present-grid table")
        inside(page, table, "the vote grid")
        font = float(table.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))
        assert font >= 24, f"the vote grid's type is {font} px"
        inside(page, page.get_by_text("The room disagrees"), "the disagreement flag")
        record = button(page, "Record the median")
        inside(page, record, "Record")
        inside(page, page.get_by_text(re.compile("when the room splits evenly")), "the even-split rule")
        page.screenshot(path=str(SCREENS / f"present-reveal-{width}x{height}.png"))
        after_run(page, record.click)
        inside(page, page.get_by_text(re.compile(r"^Recorded: likelihood High, impact High, from 3 votes")),
               "the confirmation")
    finally:
        for phone in phones:
            phone.context.close()
        page.context.close()


def distinct_colours(png: bytes) -> int:
    return len(set(Image.open(io.BytesIO(png)).convert("RGB").getdata()))


def test_high_contrast_keeps_every_element_and_the_keys_keep_working(page: Page, server: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 720})
    goto_present(page, f"{server}/present")
    after_run(page, button(page, "High contrast").click)  # a click, then the keys must still work
    background = page.locator("[data-testid=stMain]").evaluate("e => getComputedStyle(e).backgroundColor")
    assert background == "rgb(0, 0, 0)"
    for name in ("Previous", "Next", "Normal contrast"):
        inside(page, button(page, name), f"the '{name}' button")
    inside(page, page.locator("[data-testid=stProgress]"), "the progress bar")
    after_run(page, lambda: page.keyboard.press("ArrowRight"))
    expect(page.get_by_text("Risk 2 of 12")).to_be_visible()
    for _ in range(11):
        after_run(page, lambda: page.keyboard.press("ArrowRight"))
    chart = page.locator("[data-testid=stMain] .js-plotly-plot").first
    inside(page, chart, "the closing heat map")
    assert distinct_colours(chart.screenshot()) > 20, "the heat map is drawn as a block in high contrast"
    page.screenshot(path=str(SCREENS / "present-contrast-heatmap-1280x720.png"))
