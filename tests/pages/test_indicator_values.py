"""Monitoring indicator values on the Indicators page: a baseline and a target, dated values
added and removed, a small chart, and values uploaded from a file, all or nothing."""

from __future__ import annotations

from datetime import date

import pytest

from riskkit.models import Assessment
from riskkit.store import Store
from tests.pages.conftest import seen
from tests.pages.test_compare_page import register_with, session_on

PA01 = "indicators.values.PA-01"
ADD = f"FormSubmitter:{PA01}.add-Add the value"


def saved(at) -> Assessment:
    return Store().load(at.query_params["assessment"]).assessment


@pytest.fixture
def values_page():
    at = session_on(register_with(lambda a: a.record_reading("PA-02", date(2025, 1, 1), 4.0, "shelter log")),
                    "indicators")
    at.selectbox(key="indicators.values.pick").set_value("PA-01").run()
    return at


def add_value(at, on: date | None, value: float | None, source: str = "") -> None:
    at.date_input(key=f"{PA01}.add.date").set_value(on)
    at.number_input(key=f"{PA01}.add.value").set_value(value)
    at.text_input(key=f"{PA01}.add.source").input(source)
    at.button(key=ADD).click().run()


def errors(at) -> list[str]:
    return [seen(e.value) for e in at.error]


def test_the_indicator_with_values_is_chosen_first_and_its_risks_listed():
    at = session_on(register_with(lambda a: a.record_reading("PA-02", date(2025, 1, 1), 4.0)), "indicators")
    assert at.selectbox(key="indicators.values.pick").value == "PA-02"
    assert any(seen(c.value).startswith("Monitors risks: ") for c in at.caption)
    table = at.table[0].value
    assert "4 on Jan 1, 2025" in [seen(v) for v in table["Latest value"]]


def test_baseline_target_and_a_value_are_saved_and_charted(values_page):
    at = values_page
    at.number_input(key=f"{PA01}.baseline").set_value(10).run()
    at.number_input(key=f"{PA01}.target").set_value(40).run()
    add_value(at, date(2025, 3, 1), 22, "police case records")
    track = saved(at).track("PA-01")
    assert (track.baseline, track.target) == (10, 40)
    assert [(r.on, r.value, r.source) for r in track.readings] == [(date(2025, 3, 1), 22, "police case records")]
    assert not at.error
    chart = next(c for c in at.get("plotly_chart") if f"{PA01}.chart" in c.proto.id)
    assert "Baseline 10" in chart.proto.spec and "Target 40" in chart.proto.spec
    assert len([c for c in at.get("plotly_chart") if "indicators.values.small." in c.proto.id]) == 2


def test_a_value_is_removed(values_page):
    at = values_page
    add_value(at, date(2025, 3, 1), 22, "police")
    add_value(at, date(2025, 4, 1), 25, "police")
    at.selectbox(key=f"{PA01}.remove").set_value(("2025-03-01", "police")).run()
    at.button(key=f"{PA01}.remove_button").click().run()
    assert [r.value for r in saved(at).track("PA-01").readings] == [25]


def test_a_value_without_a_date_is_refused_in_words_and_nothing_changes(values_page):
    at = values_page
    add_value(at, None, 22)
    assert errors(at) == ["A value needs the date it was measured on and the number measured."]
    assert saved(at).track("PA-01").empty


def test_uploaded_values_are_recorded_and_a_bad_file_changes_nothing(values_page):
    at = values_page
    bad = b"id,date,value,source\nPA-01,2025-02-01,3,x\nPA-01,2025-13-01,4,x\n"
    at.file_uploader(key="indicators.values.upload").upload("values.csv", bad, "text/csv").run()
    at.button(key="indicators.values.record").click().run()
    assert len(errors(at)) == 1 and errors(at)[0].startswith("values.csv, row 3, column ")
    assert saved(at).track("PA-01").empty
    good = b"id,date,value,source\nPA-01,2025-02-01,3,x\nPA-01,2025-03-01,4,x\nPA-02,2025-02-01,5,y\n"
    at.file_uploader(key="indicators.values.upload").upload("values.csv", good, "text/csv").run()
    at.button(key="indicators.values.record").click().run()
    assert not at.error
    assert [seen(s.value) for s in at.success][-1] == "Recorded 3 values for 2 indicator(s) from values.csv."
    assert [r.value for r in saved(at).track("PA-01").readings] == [3, 4]
    assert len(saved(at).track("PA-02").readings) == 2
