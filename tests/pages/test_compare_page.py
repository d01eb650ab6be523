"""Compare: a snapshot made before a follow-up workshop against the register afterwards, as the
team reads it: which risks moved, which gaps closed, what happened to the actions, and a plain
"nothing changed" when nothing did."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from riskkit.catalogue import load_catalogue
from riskkit.models import Assessment
from riskkit.store import Store
from tests.pages.conftest import APP, open_page, seen, texts

HOSTILE = "<img src=x onerror=alert(1)> [x](javascript:alert(3))"
CATALOGUE = load_catalogue()


def register_with(change: Callable[[Assessment], Assessment], title: str = "Workshop") -> str:
    """A saved assessment with `change` applied; its id."""
    store = Store()
    assessment_id = store.create(title, CATALOGUE.policies.default)
    snapshot = store.load(assessment_id)
    store.save(snapshot, change(snapshot.assessment))
    return assessment_id


def change_saved(assessment_id: str, change: Callable[[Assessment], Assessment]) -> None:
    store = Store()
    snapshot = store.load(assessment_id)
    store.save(snapshot, change(snapshot.assessment))


def session_on(assessment_id: str, page: str) -> AppTest:
    """A browser session opening that assessment at `page`."""
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["assessment"] = assessment_id
    at.run()
    return open_page(at, page)


TABLES = {"moves": ["Risk", "Then", "Now"], "risks": ["Risk", "Rating"], "gaps": ["Change", "Risk", "Gap", "Why"],
          "actions": ["Risk", "Change", "Then", "Now"], "indicators": ["Indicator", "Then", "Now", "Target"]}


def frame(at: AppTest, table: str):
    """The first table of a kind the page drew (st.dataframe), known by its columns."""
    return next(d.value for d in at.dataframe if list(d.value.columns) == TABLES[table])


def before_the_workshop(a: Assessment) -> Assessment:
    a = a.rate(CATALOGUE, 1, likelihood="High", impact="High").rate(CATALOGUE, 2, likelihood="High", impact="Medium")
    a = a.rate(CATALOGUE, 3, likelihood="Low", impact="Low")
    a, _ = a.add_action(CATALOGUE, 1, "Train border guards", "Border police")
    return a


@pytest.fixture
def snapshot_and_now() -> tuple[str, str]:
    """A register, its snapshot (Assessments → Duplicate), and the register changed after it."""
    now = register_with(before_the_workshop)
    then = Store().duplicate(now, "Before the follow-up")

    def afterwards(a: Assessment) -> Assessment:
        a = a.rate(CATALOGUE, 1, likelihood="Medium", impact="High")  # moved, still needs a strategy
        a = a.write_strategy(CATALOGUE, 2, "Fund two county referral desks")  # closes its gap
        action = a.entry(1).actions[0]
        return a.change_action(CATALOGUE, 1, action.id, status="done")

    change_saved(now, afterwards)
    return then, now


def test_the_open_register_is_now_and_the_latest_snapshot_is_then(snapshot_and_now):
    then, now = snapshot_and_now
    at = session_on(now, "compare")
    assert at.selectbox(key="compare.now").value == now and at.selectbox(key="compare.then").value == then


def test_a_moved_risk_a_closed_gap_and_a_finished_action_are_shown(snapshot_and_now):
    _then, now = snapshot_and_now
    at = session_on(now, "compare")
    assert not at.error and not at.success
    moves = frame(at, "moves")
    assert list(moves["Risk"].str.split(".").str[0]) == ["1"]
    assert moves["Then"][0] == "Likelihood High · Impact High (High band)"
    assert moves["Now"][0].startswith("Likelihood Medium · Impact High")
    chart = next(c for c in at.get("plotly_chart") if "compare.moves_chart" in c.proto.id)
    ends = [t["text"] for t in json.loads(chart.proto.spec)["data"] if t["name"] in ("Then", "Now")]
    assert ends == [["<b>1</b>"], ["<b>1</b>"]]  # the risk's number at both ends of its arrow
    assert "1: moved" in texts(at)

    gaps = frame(at, "gaps")
    closed = gaps[gaps["Change"] == "closed"]
    assert list(closed["Risk"].str.split(".").str[0]) == ["2"] and list(closed["Gap"]) == ["no strategy"]
    assert "Fund two county referral desks" in texts(at)  # the strategy now, as plain text
    actions = frame(at, "actions")
    assert list(actions["Change"]) == ["status: planned → done"]
    assert "Train border guards" in actions["Now"][0] and "done" in actions["Now"][0]
    headings = [seen(s.value) for s in at.subheader]
    assert "Risks that moved (1)" in headings and "Gaps opened (0) and closed (1)" in headings


def test_two_equal_registers_say_nothing_changed(snapshot_and_now):
    then, _now = snapshot_and_now
    copy = Store().duplicate(then, "Copy")
    at = session_on(then, "compare")
    at.selectbox(key="compare.now").set_value(copy).run()
    at.selectbox(key="compare.then").set_value(then).run()
    assert any("Nothing changed" in seen(s.value) for s in at.success)
    assert not at.get("plotly_chart") and not at.dataframe


def test_user_text_reaches_the_compare_page_as_text(snapshot_and_now):
    then, now = snapshot_and_now

    def hostile(a: Assessment) -> Assessment:
        a, number = a.add_own_risk(CATALOGUE, HOSTILE)
        return a.rate(CATALOGUE, number, likelihood="High", impact="High").write_strategy(CATALOGUE, 2, HOSTILE)

    change_saved(now, hostile)
    at = session_on(now, "compare")
    assert HOSTILE in texts(at)  # the changed strategy
    added = frame(at, "risks")
    assert added["Risk"][0] == f"13. {HOSTILE}"
    for md in at.markdown:
        assert "<img" not in md.value and "](javascript" not in md.value


def test_with_one_assessment_the_page_says_how_to_make_a_snapshot():
    at = session_on(register_with(lambda a: a), "compare")
    assert "Duplicate" in seen(at.info[0].value)
