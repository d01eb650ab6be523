"""The heat map's three views: the register now, as expected once the strategies are in place,
and the arrows between the two, each with its table for a screen reader."""

from __future__ import annotations

import json
import re

import pytest

from riskkit.models import Assessment
from tests.pages.conftest import heatmap_cells, texts
from tests.pages.test_compare_page import CATALOGUE, register_with, session_on


def rated_both_ways(a: Assessment) -> Assessment:
    for number, now, expected in ((1, ("High", "High"), ("Low", "Medium")), (3, ("Medium", "Medium"), None),
                                  (7, ("High", "Low"), ("High", "Low")), (5, ("Low", "High"), ("Low", "Low"))):
        a = a.rate(CATALOGUE, number, likelihood=now[0], impact=now[1])
        if expected:
            a = a.rate_residual(CATALOGUE, number, likelihood=expected[0], impact=expected[1])
    return a


@pytest.fixture
def heatmap():
    return session_on(register_with(rated_both_ways), "heatmap")


def test_the_residual_view_puts_each_risk_in_its_expected_cell(heatmap):
    assert heatmap.segmented_control(key="heatmap.view").value == "current"
    assert re.findall(r"\d+", heatmap_cells(heatmap)[("High", "High")]) == ["1"]
    heatmap.segmented_control(key="heatmap.view").set_value("residual").run()
    cells = heatmap_cells(heatmap, "heatmap.residual_chart")
    assert re.findall(r"\d+", cells[("Low", "Medium")]) == ["1"] and re.findall(r"\d+", cells[("Low", "Low")]) == ["5"]
    assert not re.findall(r"\d+", cells[("Medium", "Medium")])  # risk 3 has no residual rating
    assert "9 of 12 risks have no residual rating" in heatmap.caption[0].value.replace("\\", "")
    heatmap.selectbox(key="heatmap.cell").set_value(("Low", "Medium")).run()
    assert heatmap.subheader[0].value.startswith("Likelihood Low · Impact Medium")


def test_the_arrows_view_draws_the_risks_that_move_and_says_the_rest_in_words(heatmap):
    heatmap.segmented_control(key="heatmap.view").set_value("arrows").run()
    chart = next(c for c in heatmap.get("plotly_chart") if "heatmap.arrows_chart" in c.proto.id)
    spec = json.loads(chart.proto.spec)
    ends = {t["name"]: t["text"] for t in spec["data"] if t["name"] in ("Current", "Residual")}
    assert ends == {"Current": ["<b>1</b>", "<b>5</b>"], "Residual": ["<b>1</b>", "<b>5</b>"]}
    assert sum(1 for a in spec["layout"]["annotations"] if a.get("showarrow")) == 2  # an arrowhead each
    said = texts(heatmap)
    assert "1, 5: expected to move" in said and "7: no change expected" in said and "3: no residual rating yet" in said
    table = heatmap.table[0].value
    rows = {risk.split(".")[0].replace("\\", ""): change for risk, change in zip(table["Risk"], table["Change"])}
    assert rows == {"1": "expected to move", "3": "no residual rating yet",
                    "5": "expected to move", "7": "no change expected"}


def test_a_second_click_on_the_chosen_view_keeps_it(heatmap):
    heatmap.segmented_control(key="heatmap.view").set_value("arrows").run()
    heatmap.segmented_control(key="heatmap.view").set_value(None).run()
    assert heatmap.segmented_control(key="heatmap.view").value == "arrows"
    assert any("heatmap.arrows_chart" in c.proto.id for c in heatmap.get("plotly_chart"))
