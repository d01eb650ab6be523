"""The heat map on a projector: the whole chart on one screen, labels big enough to read
from the back of a room. Screenshots land in artifacts/screens/ for a person to look at;
RISKKIT_UPDATE_SCREENSHOTS=1 also rewrites the README's docs/heatmap.png."""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest
from playwright.sync_api import Browser

from .helpers import cell_numbers_include, goto, heatmap_cells, new_page, open_from_sidebar, rate_risk
from .server import REPO

SCREENS = REPO / "artifacts" / "screens"
README_SCREENSHOT = REPO / "docs" / "heatmap.png"
# The picture in the README: a register part-way through a workshop.
README_RATINGS = ((1, "High", "High"), (5, "Medium", "High"), (2, "High", "Medium"),
                  (7, "Low", "Medium"), (10, "Medium", "Medium"))
MIN_LABEL_PX = 20

_FONT_SIZES = """
selector => [...document.querySelectorAll(selector)].map(el => parseFloat(getComputedStyle(el).fontSize))
"""


@pytest.mark.parametrize(("width", "height"), [(1280, 720), (1920, 1080)], ids=["1280x720", "1920x1080"])
def test_heat_map_fits_a_projector_screen(browser: Browser, server: str, new_assessment: Callable[..., str | None],
                                          width: int, height: int) -> None:
    page = new_page(browser, width, height, assessment_id=new_assessment("Example workshop register"))
    try:
        goto(page, f"{server}/assess")
        for number, likelihood, impact in README_RATINGS:
            rate_risk(page, number, likelihood, impact)
        open_from_sidebar(page, "Heat map")
        for number, likelihood, impact in README_RATINGS:
            cell_numbers_include(page, likelihood, impact, number)
        page.mouse.move(width - 5, height - 5)  # no hover label in the picture

        figure = page.locator("[data-testid=stMain] .js-plotly-plot .main-svg").first.bounding_box()
        plot_area = page.locator("[data-testid=stMain] .js-plotly-plot .nsewdrag").first.bounding_box()
        for name, box in (("the chart", figure), ("the plot area", plot_area)):
            assert box is not None, f"{name} is not drawn"
            assert box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= width \
                and box["y"] + box["height"] <= height, \
                f"{name} does not fit a {width}x{height} screen without scrolling: {box}"

        labels = page.evaluate(_FONT_SIZES, "[data-testid=stMain] .js-plotly-plot .scatterlayer .textpoint text")
        assert labels and len(labels) == len(heatmap_cells(page)), "not every cell has a label"
        assert min(labels) >= MIN_LABEL_PX, f"cell labels are {min(labels)} px, below {MIN_LABEL_PX} px"
        ticks = page.evaluate(_FONT_SIZES, "[data-testid=stMain] .js-plotly-plot .xtick text, "
                                           "[data-testid=stMain] .js-plotly-plot .ytick text")
        assert ticks and min(ticks) >= MIN_LABEL_PX, f"axis levels are {ticks} px, below {MIN_LABEL_PX} px"

        SCREENS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENS / f"heatmap-{width}x{height}.png"))
        if (width, height) == (1280, 720) and os.environ.get("RISKKIT_UPDATE_SCREENSHOTS") == "1":
            README_SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(README_SCREENSHOT))
    finally:
        page.context.close()
