"""The follow-up kept in the store: actions, residual ratings, review dates, indicator values,
the language of the exports, and the history of every saved change with who and when."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from riskkit.errors import InvalidEdit, RiskkitError
from riskkit.models import Track
from riskkit.store import StaleEdit


def new(store, catalogue, title="Kenya follow-up"):
    return store.load(store.create(title, catalogue.policies.default, "Kenya"))


def followed_up(catalogue, assessment):
    """An assessment with every follow-up field set: a plan of two actions on risk 3, a residual
    rating, review dates, and values of two indicators."""
    plan, first = assessment.add_action(catalogue, 3, "Train shelter staff", who="Ministry of Justice",
                                        due=date(2026, 7, 1), note="two sessions")
    plan, second = plan.add_action(catalogue, 3, "Hire an interpreter", status="in_progress")
    plan = (plan.rate_residual(catalogue, 3, likelihood="Low", impact="Medium")
            .schedule_risk_review(catalogue, 3, date(2026, 9, 1)).schedule_review(date(2026, 12, 1))
            .set_baseline_and_target("PA-01", 4.0, 20.5)
            .record_reading("PA-01", date(2026, 3, 1), 7.25, "shelter log")
            .record_reading("PA-01", date(2026, 1, 1), 5.0, "shelter log")
            .record_reading("PA-02", date(2026, 2, 1), 1.0))
    return plan, first, second


def test_every_follow_up_field_comes_back_as_saved(store, catalogue):
    snap = new(store, catalogue)
    plan, _first, _second = followed_up(catalogue, snap.assessment)
    saved = store.save(snap, plan)
    loaded = store.load(snap.summary.id)
    assert loaded.assessment == plan == saved.assessment
    assert loaded.versions == saved.versions
    entry = loaded.assessment.entry(3)
    assert (entry.residual_likelihood, entry.residual_impact, entry.review_on) == ("Low", "Medium", date(2026, 9, 1))
    assert [a.what for a in entry.actions] == ["Train shelter staff", "Hire an interpreter"]
    assert loaded.assessment.review_on == date(2026, 12, 1)
    assert [r.on for r in loaded.assessment.track("PA-01").readings] == [date(2026, 1, 1), date(2026, 3, 1)]
    copy = store.load(store.duplicate(snap.summary.id, "Kenya follow-up (before)"))
    assert copy.assessment == plan
    assert store.history(copy.summary.id) == ()  # a copy starts its own history


def test_clearing_a_plan_and_the_values_leaves_nothing_behind(store, catalogue):
    snap = new(store, catalogue)
    plan, first, second = followed_up(catalogue, snap.assessment)
    snap = store.save(snap, plan)
    cleared = (snap.assessment.remove_action(catalogue, 3, first).remove_action(catalogue, 3, second)
               .rate_residual(catalogue, 3, likelihood=None, impact=None)
               .schedule_risk_review(catalogue, 3, None).schedule_review(None)
               .set_baseline_and_target("PA-01", None, None)
               .remove_reading("PA-01", date(2026, 1, 1), "shelter log")
               .remove_reading("PA-01", date(2026, 3, 1), "shelter log")
               .remove_reading("PA-02", date(2026, 2, 1), ""))
    snap = store.save(snap, cleared)
    loaded = store.load(snap.summary.id)
    assert loaded.assessment.entries == {} and loaded.assessment.tracks == {}
    assert loaded.assessment.review_on is None
    assert loaded.versions == {"meta": snap.versions["meta"]}


def test_the_language_of_the_exports_is_kept_and_checked(store, catalogue):
    made = store.create("Lomé", catalogue.policies.default, language="fr")
    assert store.load(made).summary.language == "fr"
    assert store.load(store.create("Default", catalogue.policies.default)).summary.language == "en"
    assert store.rename(made, "Lomé").language == "fr"  # not given: left as it is
    assert store.rename(made, "Lomé", language="es", seen=store.load(made).summary).language == "es"
    assert store.load(store.duplicate(made, "Lomé (copy)")).summary.language == "es"
    with pytest.raises(InvalidEdit, match="'xx' is not a language"):
        store.rename(made, "Lomé", language="xx")
    with pytest.raises(InvalidEdit, match="not a language"):
        store.create("Unknown", catalogue.policies.default, language="klingon")
    assert store.load(made).summary.language == "es"


def test_every_saved_change_is_kept_with_who_and_when(store, catalogue):
    snap = new(store, catalogue)
    started = datetime.now(UTC) - timedelta(seconds=1)
    rated = snap.assessment.rate(catalogue, 2, likelihood="High").write_strategy(catalogue, 2, "Screen")
    snap = store.save(snap, rated, by="  Amina ")
    plan, action_id = snap.assessment.add_action(catalogue, 2, "Train", who="NGO")
    plan = plan.choose_policy(catalogue, "either").schedule_review(date(2026, 12, 1)).record_reading(
        "PA-01", date(2026, 3, 1), 7.0)
    store.save(snap, plan)

    changes = store.history(snap.summary.id)
    assert {(c.by, c.number, c.indicator_id, c.field, c.before, c.after) for c in changes[-2:]} == {
        ("Amina", 2, None, "likelihood", None, "High"), ("Amina", 2, None, "strategy", "", "Screen")}
    assert all(started <= c.at <= datetime.now(UTC) for c in changes)
    assert changes[0].at >= changes[-1].at  # newest first
    latest = {(c.number, c.indicator_id, c.field): (c.before, c.after) for c in changes if c.by == ""}
    assert latest == {
        (2, None, "actions"): ([], [{"id": action_id, "what": "Train", "who": "NGO", "due": None,
                                     "status": "planned", "note": ""}]),
        (None, None, "policy"): (catalogue.policies.default, "either"),
        (None, None, "review_on"): (None, "2026-12-01"),
        (None, "PA-01", "readings"): ([], [{"on": "2026-03-01", "value": 7.0, "source": ""}]),
    }
    assert {c.field for c in store.history(snap.summary.id, number=2)} == {"likelihood", "strategy", "actions"}
    assert [c.field for c in store.history(snap.summary.id, indicator_id="PA-01")] == ["readings"]
    assert len(store.history(snap.summary.id, limit=2)) == 2


def test_a_name_over_the_limits_is_refused_and_nothing_is_saved(store, catalogue):
    snap = new(store, catalogue)
    with pytest.raises(RiskkitError, match="Your name: contains a line break"):
        store.save(snap, snap.assessment.rate(catalogue, 1, likelihood="High"), by="Amina\nX")
    with pytest.raises(RiskkitError, match="Your name: 101 characters"):
        store.save(snap, snap.assessment.rate(catalogue, 1, likelihood="High"), by="x" * 101)
    assert store.load(snap.summary.id).assessment.entries == {} and store.history(snap.summary.id) == ()


def test_a_refused_save_keeps_no_history(store, catalogue):
    snap = new(store, catalogue)
    store.save(snap, snap.assessment.rate(catalogue, 3, likelihood="High"), by="First")
    with pytest.raises(StaleEdit):
        store.save(snap, snap.assessment.rate(catalogue, 3, likelihood="Low"), by="Second")
    assert [c.by for c in store.history(snap.summary.id)] == ["First"]


@pytest.mark.parametrize("field", ["strategy", "likelihood", "actions"])
def test_an_earlier_value_restored_from_the_history_is_saved_as_a_new_change(store, catalogue, field):
    snap = new(store, catalogue)
    first, _ = snap.assessment.rate(catalogue, 4, likelihood="Low").write_strategy(
        catalogue, 4, "Screen everyone").add_action(catalogue, 4, "Train", due=date(2026, 7, 1))
    snap = store.save(snap, first, by="Amina")
    second, _ = snap.assessment.rate(catalogue, 4, likelihood="High").write_strategy(
        catalogue, 4, "Nothing").add_action(catalogue, 4, "Hire")
    snap = store.save(snap, second, by="Bo")
    earlier = next(c for c in store.history(snap.summary.id, number=4) if c.field == field and c.by == "Bo")

    restored = snap.assessment.restore_entry_value(catalogue, 4, field, earlier.before)
    store.save(snap, restored, by="Chen")
    assert getattr(store.load(snap.summary.id).assessment.entry(4), field) == getattr(first.entry(4), field)
    newest = store.history(snap.summary.id, number=4)[0]
    assert (newest.by, newest.field, newest.before, newest.after) == ("Chen", field, earlier.after, earlier.before)


def test_two_people_entering_values_for_different_indicators_both_keep_them(store, catalogue):
    snap = new(store, catalogue)
    store.save(snap, snap.assessment.record_reading("PA-01", date(2026, 3, 1), 7.0))
    after = store.save(snap, snap.assessment.set_baseline_and_target("PA-02", 1.0, 5.0))  # the same read
    for seen in (after.assessment, store.load(snap.summary.id).assessment):
        assert seen.track("PA-01").latest.value == 7.0 and seen.track("PA-02") == Track(baseline=1.0, target=5.0)


def test_two_people_adding_values_on_different_days_to_one_indicator_both_keep_them(store, catalogue):
    snap = store.save(new(store, catalogue), new(store, catalogue).assessment.set_baseline_and_target("PA-01", 1, 9))
    store.save(snap, snap.assessment.record_reading("PA-01", date(2026, 3, 1), 7.0, "log"))
    store.save(snap, snap.assessment.record_reading("PA-01", date(2026, 1, 1), 3.0, "log")
               .set_baseline_and_target("PA-01", 2.0, 9.0))
    track = store.load(snap.summary.id).assessment.track("PA-01")
    assert (track.baseline, [(r.on.month, r.value) for r in track.readings]) == (2.0, [(1, 3.0), (3, 7.0)])


def test_two_people_changing_the_same_value_or_target_is_refused_and_the_first_kept(store, catalogue):
    snap = new(store, catalogue)
    store.save(snap, snap.assessment.record_reading("PA-01", date(2026, 3, 1), 7.0))
    with pytest.raises(StaleEdit, match="indicator PA-01"):
        store.save(snap, snap.assessment.record_reading("PA-01", date(2026, 3, 1), 8.0))
    store.save(snap, snap.assessment.set_baseline_and_target("PA-02", 1.0, 5.0))
    with pytest.raises(StaleEdit):
        store.save(snap, snap.assessment.set_baseline_and_target("PA-02", 2.0, 5.0))
    kept = store.load(snap.summary.id).assessment
    assert kept.track("PA-01").latest.value == 7.0 and kept.track("PA-02").baseline == 1.0


def test_one_adds_an_action_while_another_changes_an_others_status_and_both_are_kept(store, catalogue):
    snap = new(store, catalogue)
    plan, first = snap.assessment.add_action(catalogue, 5, "Train")
    plan, second = plan.add_action(catalogue, 5, "Hire")
    snap = store.save(snap, plan)
    store.save(snap, snap.assessment.change_action(catalogue, 5, first, status="done"), by="Amina")
    mine, third = snap.assessment.add_action(catalogue, 5, "Translate leaflets")
    after = store.save(snap, mine.remove_action(catalogue, 5, second), by="Bo")
    for seen in (after.assessment, store.load(snap.summary.id).assessment):
        assert [(a.id, a.status) for a in seen.entry(5).actions] == [(first, "done"), (third, "planned")]


def test_two_people_changing_the_same_action_is_refused_and_the_first_kept(store, catalogue):
    snap = new(store, catalogue)
    plan, first = snap.assessment.add_action(catalogue, 5, "Train")
    snap = store.save(snap, plan)
    store.save(snap, snap.assessment.change_action(catalogue, 5, first, status="done"))
    with pytest.raises(StaleEdit, match="Risk 5"):
        store.save(snap, snap.assessment.change_action(catalogue, 5, first, who="NGO"))
    with pytest.raises(StaleEdit, match="Risk 5"):  # removing what another changed meanwhile
        store.save(snap, snap.assessment.remove_action(catalogue, 5, first))
    assert store.load(snap.summary.id).assessment.entry(5).action(first).status == "done"


def test_a_review_date_changed_by_two_people_at_once_is_refused(store, catalogue):
    snap = new(store, catalogue)
    store.save(snap, snap.assessment.schedule_review(date(2026, 12, 1)))
    with pytest.raises(StaleEdit, match="review date"):
        store.save(snap, snap.assessment.schedule_review(date(2027, 1, 1)))
    assert store.load(snap.summary.id).assessment.review_on == date(2026, 12, 1)


def test_a_new_own_risk_given_a_removed_ones_number_does_not_inherit_its_history(store, catalogue):
    snap = new(store, catalogue)
    added, number = snap.assessment.add_own_risk(catalogue, "Informants are exposed")
    snap = store.save(snap, added.write_strategy(catalogue, number, "Move informant X to a safe house"), by="alice")
    snap = store.save(snap, snap.assessment.remove_own_risk(number), by="alice")
    again, reused = snap.assessment.add_own_risk(catalogue, "Interpreters are not available")
    assert reused == number  # numbers are given again, so the history must tell the two apart
    snap = store.save(snap, again.write_notes(catalogue, reused, "ask the embassy"), by="bob")
    shown = store.history(snap.summary.id, number=reused)
    assert {"statement", "notes"} <= {c.field for c in shown}
    assert "strategy" not in {c.field for c in shown}
    assert all(c.by == "bob" for c in shown)
    assert not any("safe house" in str(c.before) + str(c.after) for c in shown)
    everything = store.history(snap.summary.id)
    assert any("safe house" in str(c.after) for c in everything)  # still kept for the register


def test_two_merged_plans_over_the_limit_are_refused_not_saved(store, catalogue):
    from riskkit.limits import MAX_ACTIONS

    snap = new(store, catalogue)
    plan = snap.assessment
    for i in range(MAX_ACTIONS - 1):
        plan, _ = plan.add_action(catalogue, 3, f"Step {i}")
    base = store.save(snap, plan)
    mine, _ = base.assessment.add_action(catalogue, 3, "Mine")
    theirs, _ = base.assessment.add_action(catalogue, 3, "Theirs")
    store.save(base, theirs)
    with pytest.raises(StaleEdit):
        store.save(base, mine)
    assert len(store.load(snap.summary.id).assessment.entry(3).actions) == MAX_ACTIONS
