"""The follow-up domain: actions, residual ratings, reviews, indicator values, comparison."""

from __future__ import annotations

from datetime import date

import pytest

from riskkit.compare import compare
from riskkit.errors import InvalidEdit, UnknownLevel, UnknownRisk
from riskkit.models import Assessment, Catalogue, IndicatorSet, Reading, Track
from riskkit.plan import action_plan, filtered, latest_readings, owners, reviews_due, tracks_in_use
from riskkit.rules import assessed_risk

TODAY = date(2026, 6, 1)


def test_an_action_is_added_with_its_owner_and_date_and_is_planned(catalogue: Catalogue, blank: Assessment):
    plan, action_id = blank.add_action(catalogue, 3, "Train shelter staff", who="Ministry of Justice",
                                       due=date(2026, 7, 1))
    action = plan.entry(3).action(action_id)
    assert (action.what, action.who, action.due, action.status) == (
        "Train shelter staff", "Ministry of Justice", date(2026, 7, 1), "planned")


def test_an_action_needs_a_description(catalogue: Catalogue, blank: Assessment):
    with pytest.raises(InvalidEdit, match="action needs a description"):
        blank.add_action(catalogue, 3, "   ")


def test_an_unknown_status_or_a_misspelt_keyword_is_refused(catalogue: Catalogue, blank: Assessment):
    with pytest.raises(InvalidEdit, match="status"):
        blank.add_action(catalogue, 3, "Train", status="finished")
    plan, action_id = blank.add_action(catalogue, 3, "Train")
    with pytest.raises(InvalidEdit, match="stauts"):
        plan.change_action(catalogue, 3, action_id, stauts="done")


def test_overdue_comes_from_the_date_and_the_status(catalogue: Catalogue, blank: Assessment):
    plan, late = blank.add_action(catalogue, 1, "Late", due=date(2026, 5, 1))
    plan, finished = plan.add_action(catalogue, 1, "Done late", due=date(2026, 5, 1), status="done")
    plan, future = plan.add_action(catalogue, 2, "Later", due=date(2026, 9, 1))
    plan, undated = plan.add_action(catalogue, 2, "Some day")
    assert plan.entry(1).action(late).overdue(TODAY)
    assert not plan.entry(1).action(finished).overdue(TODAY)
    assert not plan.entry(1).action(late).overdue(date(2026, 5, 1))  # due today is not late yet
    rows = action_plan(catalogue, plan, TODAY)
    assert [r.action.id for r in rows] == [late, finished, future, undated]
    assert [r.overdue for r in rows] == [True, False, False, False]


def test_changing_and_removing_an_action_touches_only_that_action(catalogue: Catalogue, blank: Assessment):
    plan, first = blank.add_action(catalogue, 1, "First", who="NGO")
    plan, second = plan.add_action(catalogue, 1, "Second", who="UNODC")
    plan = plan.change_action(catalogue, 1, first, status="done", note="Report filed")
    assert plan.entry(1).action(first).status == "done"
    assert plan.entry(1).action(second).status == "planned"
    plan = plan.remove_action(catalogue, 1, first)
    assert [a.id for a in plan.entry(1).actions] == [second]
    with pytest.raises(UnknownRisk, match="no longer in this risk's plan"):
        plan.change_action(catalogue, 1, first, status="done")


def test_the_plan_filters_by_owner_status_and_overdue(catalogue: Catalogue, blank: Assessment):
    plan, _a = blank.add_action(catalogue, 1, "A", who="NGO", due=date(2026, 1, 1))
    plan, _b = plan.add_action(catalogue, 2, "B", who="Police", status="in_progress")
    plan, _c = plan.add_action(catalogue, 3, "C", who="NGO", status="done")
    rows = action_plan(catalogue, plan, TODAY)
    assert owners(rows) == ("NGO", "Police")
    assert [r.action.what for r in filtered(rows, who=["NGO"])] == ["A", "C"]
    assert [r.action.what for r in filtered(rows, statuses=["in_progress"])] == ["B"]
    assert [r.action.what for r in filtered(rows, overdue_only=True)] == ["A"]


def test_a_residual_rating_is_on_the_same_scale(catalogue: Catalogue, blank: Assessment):
    rated = blank.rate(catalogue, 4, likelihood="High", impact="High").rate_residual(
        catalogue, 4, likelihood="Low", impact="Medium")
    risk = assessed_risk(catalogue, rated, 4)
    assert (risk.likelihood, risk.residual_likelihood, risk.residual_impact) == ("High", "Low", "Medium")
    assert risk.residual_rated
    with pytest.raises(UnknownLevel):
        blank.rate_residual(catalogue, 4, likelihood="Very low")


def test_reviews_due_are_those_passed_or_within_the_notice(catalogue: Catalogue, blank: Assessment):
    plan = (blank.schedule_review(date(2026, 6, 20))
            .schedule_risk_review(catalogue, 2, date(2026, 5, 1))
            .schedule_risk_review(catalogue, 5, date(2027, 1, 1)))
    due = reviews_due(catalogue, plan, TODAY)
    assert [(d.number, d.overdue) for d in due] == [(2, True), (None, False)]


def test_readings_are_kept_in_date_order_and_a_repeat_replaces(blank: Assessment):
    tracked = (blank.set_baseline_and_target("PA-01", 10, 50)
               .record_reading("PA-01", date(2026, 3, 1), 30, "Police database")
               .record_reading("PA-01", date(2026, 1, 1), 20, "Police database")
               .record_reading("PA-01", date(2026, 3, 1), 35, "Police database"))
    track = tracked.track("PA-01")
    assert [(r.on.month, r.value) for r in track.readings] == [(1, 20), (3, 35)]
    assert track.latest == Reading(on=date(2026, 3, 1), value=35, source="Police database")
    assert (track.baseline, track.target) == (10, 50)


def test_a_value_that_is_not_a_finite_number_is_refused(blank: Assessment):
    with pytest.raises(InvalidEdit, match="finite"):
        blank.record_reading("PA-01", date(2026, 3, 1), float("inf"))
    with pytest.raises(InvalidEdit, match="value"):
        blank.record_reading("PA-01", date(2026, 3, 1), "12")  # type: ignore[arg-type]


def test_removing_the_last_value_leaves_no_track(blank: Assessment):
    tracked = blank.record_reading("PA-01", date(2026, 3, 1), 3)
    assert tracked.remove_reading("PA-01", date(2026, 3, 1), "").tracks == {}


def test_tracks_from_a_file_are_merged_into_what_is_there(blank: Assessment):
    tracked = blank.set_baseline_and_target("PA-01", 10, 50).record_reading("PA-01", date(2026, 1, 1), 20)
    merged = tracked.record_tracks({"PA-01": Track(target=60, readings=(Reading(on=date(2026, 2, 1), value=25),))})
    assert (merged.track("PA-01").baseline, merged.track("PA-01").target) == (10, 60)
    assert len(merged.track("PA-01").readings) == 2


def test_a_risk_shows_the_latest_value_of_its_indicators(catalogue: Catalogue, indicators: IndicatorSet,
                                                         blank: Assessment):
    monitored = next(i for i in indicators.indicators if i.risks)
    number = monitored.risks[0]
    tracked = blank.record_reading(monitored.id, date(2026, 1, 1), 4).record_reading(monitored.id,
                                                                                     date(2026, 2, 1), 7)
    latest = dict(latest_readings(assessed_risk(catalogue, tracked, number), tracked, indicators))
    assert latest[monitored.id].value == 7
    assert dict(tracks_in_use(tracked, indicators))[monitored.id].latest == latest[monitored.id]


def test_an_earlier_value_is_restored_through_the_same_checks(catalogue: Catalogue, blank: Assessment):
    written = blank.write_strategy(catalogue, 1, "Now")
    assert written.restore_entry_value(catalogue, 1, "strategy", "Before").entry(1).strategy == "Before"
    with pytest.raises(UnknownLevel):
        written.restore_entry_value(catalogue, 1, "likelihood", "Huge")
    with pytest.raises(InvalidEdit, match="not a field"):
        written.restore_entry_value(catalogue, 1, "colour", "red")


def test_compare_finds_moves_gaps_strategies_actions_and_values(catalogue: Catalogue, indicators: IndicatorSet,
                                                                blank: Assessment):
    then = blank.rate(catalogue, 1, likelihood="High", impact="High").rate(catalogue, 2, likelihood="Low",
                                                                           impact="Low")
    then, action_id = then.add_action(catalogue, 1, "Train", who="NGO")
    then = then.record_reading("PA-01", date(2026, 1, 1), 5)
    now = (then.rate(catalogue, 1, likelihood="Medium", impact="High")
           .write_strategy(catalogue, 1, "Shelter referral protocol")
           .change_action(catalogue, 1, action_id, status="done")
           .record_reading("PA-01", date(2026, 6, 1), 9))
    result = compare(catalogue, then, now, indicators, indicators)
    assert [(m.number, m.before, m.after) for m in result.moved] == [(1, ("High", "High"), ("Medium", "High"))]
    assert [(s.number, s.after) for s in result.strategies] == [(1, "Shelter referral protocol")]
    assert [(a.before.status, a.after.status) for a in result.actions if a.before and a.after] == [
        ("planned", "done")]
    closed = {(g.number, g.kind) for g in result.gaps_closed}
    assert (1, "no_strategy") in closed
    then_now = {i.indicator_id: i for i in result.indicators}
    assert (then_now["PA-01"].before.value, then_now["PA-01"].after.value) == (5, 9)  # type: ignore[union-attr]
    assert not result.nothing_changed
    assert compare(catalogue, now, now, indicators, indicators).nothing_changed


def test_a_shareable_copy_keeps_the_plan_but_not_the_actions_notes(catalogue: Catalogue, blank: Assessment):
    from riskkit.rules import shareable_copy

    plan, action_id = blank.add_action(catalogue, 2, "Train staff", who="NGO", note="informant X is at risk")
    shared = shareable_copy(plan.write_notes(catalogue, 2, "internal"))
    action = shared.entry(2).action(action_id)
    assert (action.what, action.who, action.note) == ("Train staff", "NGO", "")
    assert shared.entry(2).notes == ""
