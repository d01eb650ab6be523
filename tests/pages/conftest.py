"""AppTest helpers: drive app.py as a user would, page by page."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")
# AppTest runs app.py's frame (navigation, sidebar, error boundary) around every page by
# itself: it resets Streamlit's pages/-folder flag before each run (the server needs
# web/asgi.py's workaround; tests/web/test_legacy_pages.py watches it).


@pytest.fixture
def app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    assert not at.exception, at.exception
    return at


def open_page(at: AppTest, page: str) -> AppTest:
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def pick(at: AppTest, number: int) -> AppTest:
    """Open a risk's card on Assess with the risk picker."""
    at.selectbox(key="assess.pick").set_value(number).run()
    return at


def add_own_risk(at: AppTest, statement: str) -> AppTest:
    at.button(key="assess.add").click().run()
    at.text_area(key="assess.new.statement").input(statement)
    at.button(key="FormSubmitter:assess.new-Add risk").click().run()
    return at


def rate(at: AppTest, number: int, likelihood: str, impact: str) -> AppTest:
    if at.selectbox(key="assess.pick").value != number:
        pick(at, number)
    at.segmented_control(key=f"assess.{number}.likelihood").set_value(likelihood).run()
    at.segmented_control(key=f"assess.{number}.impact").set_value(impact).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def heatmap_cells(at: AppTest, key: str = "heatmap.chart") -> dict[tuple[str, str], str]:
    """Cell -> label, read from the plotly figure the page sent to the browser."""
    chart = next(c for c in at.get("plotly_chart") if key in c.proto.id)
    trace = json.loads(chart.proto.spec)["data"][0]
    return {tuple(c): text for c, text in zip(trace["customdata"], trace["text"])}


def texts(at: AppTest) -> list[str]:
    return [t.value for t in at.text]


def fresh_session(at: AppTest, page: str | None = None) -> AppTest:
    """A new browser session (a refresh, a second tab) opening the same address."""
    other = AppTest.from_file(APP, default_timeout=30)
    other.query_params["assessment"] = at.query_params["assessment"]
    other.run()
    if page:
        open_page(other, page)
    assert not other.exception, other.exception
    return other


def seen(text: str) -> str:
    """What a person reads in an element that renders Markdown: every backslash escape
    (ui.text.md_literal) shown as its character, hard line breaks as line breaks."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text).replace("  \n", "\n")
