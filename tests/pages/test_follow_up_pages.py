"""Following a register up, as a team does months later: a risk's plan on its card (actions
added, edited, removed), the rating expected once the strategy is in place, review dates,
what the Overview says is due or overdue, the Action plan page and its filters, and a risk's
history with the name of who changed it and a way back to an earlier value."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from riskkit.errors import StaleEdit
from riskkit.models import Assessment, Catalogue
from riskkit.store import DatabaseNotAnswering, Store
from tests.pages.conftest import fresh_session, open_page, pick, seen, texts
from tests.pages.test_languages import (  # noqa: F401 (pseudo_locale: a fixture)
    OPEN,
    PSEUDO,
    english_left,
    locale_words,
    main_texts,
    pseudo_locale,
    reopened,
    run_in,
    seeded,
    toolkit_english,
    user_data,
)
from tests.pages.test_one_error_path import NOT_ANSWERING, STALE, no_traceback, refuse, region, says

TODAY = date.today()
LONG_AGO = date(2020, 1, 5)
FORM = "assess.{n}.action_form"


def saved(app: AppTest) -> Assessment:
    return Store().load(app.query_params["assessment"]).assessment


def given(app: AppTest, change, page: str) -> AppTest:
    """A register as an earlier session left it, opened on `page` in a new browser session."""
    store = Store()
    snapshot = store.load(app.query_params["assessment"])
    store.save(snapshot, change(snapshot.assessment))
    return fresh_session(app, page)


def with_plan(catalogue: Catalogue):
    """Three actions: one overdue (risk 2), one done and long past due (risk 2), one ahead (risk 5)."""
    def change(a: Assessment) -> Assessment:
        a, _ = a.add_action(catalogue, 2, "Train border guards", "Border police", LONG_AGO)
        a, _ = a.add_action(catalogue, 2, "Print referral cards", "NGO Hope", LONG_AGO, "done")
        a, _ = a.add_action(catalogue, 5, "Open a hotline", "Ministry", TODAY + timedelta(days=90), "in_progress")
        return a
    return change


def fill_action(app: AppTest, number: int, what: str, who: str = "", due: date | None = None,
                status: str | None = None) -> None:
    key = FORM.format(n=number)
    app.text_input(key=f"{key}.what").input(what)
    app.text_input(key=f"{key}.who").input(who)
    app.date_input(key=f"{key}.due").set_value(due)
    if status:
        app.selectbox(key=f"{key}.status").set_value(status)
    app.button(key=f"FormSubmitter:{key}-Save action").click().run()
    no_traceback(app)


# --- the plan on a risk's card ---------------------------------------------------------------


def test_an_action_is_added_edited_and_removed_on_the_risk_card(app):
    pick(open_page(app, "assess"), 3)
    app.button(key="assess.3.action.add").click().run()
    fill_action(app, 3, "Set up a referral desk", "Shelter network", LONG_AGO)
    action = saved(app).entry(3).actions[0]
    assert (action.what, action.who, action.due, action.status) == ("Set up a referral desk", "Shelter network",
                                                                     LONG_AGO, "planned")
    card = region(app, "card-3")
    assert "Set up a referral desk" in [t.value for t in card.text]
    assert any("**Overdue**" in m.value for m in card.markdown)  # in words, not colour alone
    assert not app.get("form")  # the form closed once saved

    app.button(key=f"assess.3.action.{action.id}.edit").click().run()
    assert app.text_input(key="assess.3.action_form.what").value == "Set up a referral desk"
    fill_action(app, 3, "Set up two referral desks", "Shelter network", TODAY + timedelta(days=30), "in_progress")
    edited = saved(app).entry(3).actions[0]
    assert (edited.id, edited.what, edited.status) == (action.id, "Set up two referral desks", "in_progress")
    assert not any("**Overdue**" in m.value for m in region(app, "card-3").markdown)

    app.button(key=f"assess.3.action.{action.id}.remove").click().run()
    assert saved(app).entry(3).actions == ()
    assert "No action planned yet." in [seen(c.value) for c in region(app, "card-3").caption]


def test_an_action_without_a_description_is_refused_in_its_form_which_keeps_what_was_typed(app):
    pick(open_page(app, "assess"), 4)
    app.button(key="assess.4.action.add").click().run()
    fill_action(app, 4, "   ", "Ministry of Justice")
    assert says(region(app, "card-4"), "An action needs a description")
    assert app.text_input(key="assess.4.action_form.who").value == "Ministry of Justice"
    assert saved(app).entry(4).actions == ()
    app.button(key="FormSubmitter:assess.4.action_form-Cancel").click().run()
    assert not app.get("form") and saved(app).entry(4).actions == ()


def test_the_expected_rating_and_the_review_date_of_a_risk_are_saved_from_its_card(app, catalogue):
    pick(open_page(app, "assess"), 6)
    app.segmented_control(key="assess.6.residual_likelihood").set_value("Low").run()
    app.segmented_control(key="assess.6.residual_impact").set_value("Medium").run()
    app.date_input(key="assess.6.review_on").set_value(TODAY + timedelta(days=10)).run()
    no_traceback(app)
    entry = saved(app).entry(6)
    assert (entry.residual_likelihood, entry.residual_impact, entry.review_on) == ("Low", "Medium",
                                                                                 TODAY + timedelta(days=10))
    assert (entry.likelihood, entry.impact) == (None, None)  # the current rating is another thing
    assert any(seen(m.value) == "**LOW**" for m in region(app, "card-6").markdown)  # the expected band, in words


# --- the Overview ------------------------------------------------------------------------------


def test_the_overview_lists_overdue_actions_and_reviews_due_and_sets_the_register_review(app, catalogue):
    given(app, with_plan(catalogue), "overview")
    app = given(app, lambda a: a.schedule_risk_review(catalogue, 7, TODAY - timedelta(days=1)), "overview")
    overdue = [seen(m.value) for m in region(app, "overview-overdue").markdown]
    assert overdue[1:] == [":material/schedule: Risk 2: Train border guards (Border police), was due Jan 5, 2020"]
    reviews = [seen(link.proto.label) for link in region(app, "overview-reviews").get("page_link")]
    assert reviews == ["Risk 7"]
    assert any(seen(m.value).startswith("overdue: was due ") for m in region(app, "overview-reviews").markdown)
    app.date_input(key="overview.review_on").set_value(TODAY + timedelta(days=3)).run()
    no_traceback(app)
    assert saved(app).review_on == TODAY + timedelta(days=3)
    assert any(seen(m.value).startswith(":material/event: The whole register · due ")
               for m in region(app, "overview-reviews").markdown)


# --- the Action plan page ---------------------------------------------------------------------


def test_the_action_plan_lists_every_action_overdue_first_with_counts_and_filters(app, catalogue):
    open_page(app, "action_plan")
    assert "No action is planned yet" in seen(app.info[0].value)
    app = given(app, with_plan(catalogue), "action_plan")
    assert [m.value for m in app.metric] == ["3", "1", "1"]  # actions, overdue, done
    table = app.table[0].value
    assert [seen(w) for w in table["Action"]] == ["Train border guards", "Print referral cards", "Open a hotline"]
    assert [seen(o) for o in table["Overdue"]] == ["⚠ Overdue", "", ""]
    app.multiselect(key="plan.who").set_value(["NGO Hope"]).run()
    assert [seen(w) for w in app.table[0].value["Action"]] == ["Print referral cards"]
    app.multiselect(key="plan.who").set_value([]).run()
    app.multiselect(key="plan.statuses").set_value(["in_progress", "planned"]).run()
    assert [seen(w) for w in app.table[0].value["Action"]] == ["Train border guards", "Open a hotline"]
    app.toggle(key="plan.overdue_only").set_value(True).run()
    assert [seen(w) for w in app.table[0].value["Action"]] == ["Train border guards"]


def test_a_status_changed_on_the_action_plan_is_saved(app, catalogue):
    app = given(app, with_plan(catalogue), "action_plan")
    hotline = saved(app).entry(5).actions[0]
    app.selectbox(key="plan.pick").set_value(f"5:{hotline.id}").run()
    app.segmented_control(key="plan.status").set_value("done").run()
    no_traceback(app)
    assert saved(app).entry(5).actions[0].status == "done"
    assert [m.value for m in app.metric] == ["3", "1", "2"]


# --- history, with the person's name ------------------------------------------------------------


def test_history_names_who_changed_a_risk_and_an_earlier_value_can_be_restored(app):
    app.text_input(key="sidebar.person").input("Amina K.").run()  # in the sidebar, once
    pick(open_page(app, "assess"), 2)
    app.text_area(key="assess.2.strategy").input("Fund one referral desk").run()
    pick(open_page(open_page(app, "overview"), "assess"), 2)  # the name is remembered across pages
    app.text_area(key="assess.2.strategy").input("Fund two referral desks").run()
    history = region(app, "card-2")
    lines = [seen(c.value) for c in history.caption if " · Amina K. · " in seen(c.value)]
    assert [line.split(" · ", 1)[1] for line in lines] == ["Amina K. · Risk mitigation strategy"] * 2
    assert "Fund one referral desk → Fund two referral desks" in texts(app)  # newest first, as plain text
    assert texts(app).index("Fund one referral desk → Fund two referral desks") < texts(app).index(
        "(empty) → Fund one referral desk")

    app.button(key="assess.2.history.0.restore").click().run()
    no_traceback(app)
    assert saved(app).entry(2).strategy == "Fund one referral desk"
    again = fresh_session(app, "assess")
    pick(again, 2)
    assert again.text_area(key="assess.2.strategy").value == "Fund one referral desk"  # after a reload too
    assert texts(again)[texts(again).index("Fund two referral desks → Fund one referral desk")]  # in history


def test_a_name_that_cannot_be_kept_is_refused_and_the_reason_kept_for_the_field(app):
    app.text_input(key="sidebar.person").input("Amina\u0007").run()
    no_traceback(app)
    assert "riskkit.person" not in app.session_state  # nothing kept
    # the sidebar is drawn by app.py's frame, which AppTest runs only on a session's first run: the
    # message waits for the field's region (the browser test reads it under the field)
    assert "Your name" in app.session_state["riskkit.notice"]["sidebar.person"]


# --- the error path of each new action ----------------------------------------------------------


@pytest.mark.parametrize("error, words", [(StaleEdit(STALE), STALE), (DatabaseNotAnswering(NOT_ANSWERING),
                                                                        NOT_ANSWERING)])
def test_refused_follow_up_edits_on_the_card_are_said_in_the_card_and_change_nothing(app, monkeypatch, catalogue,
                                                                                     error, words):
    app = pick(given(app, with_plan(catalogue), "assess"), 2)
    before = saved(app)
    first = before.entry(2).actions[0]
    app.text_area(key="assess.2.notes").input("kept in history").run()
    refuse(monkeypatch, "save", error)
    acts = [
        lambda: app.segmented_control(key="assess.2.residual_likelihood").set_value("High").run(),
        lambda: app.date_input(key="assess.2.review_on").set_value(TODAY).run(),
        lambda: app.button(key=f"assess.2.action.{first.id}.remove").click().run(),
        lambda: app.button(key="assess.2.history.0.restore").click().run(),
    ]
    for act in acts:
        act()
        no_traceback(app)
        assert says(region(app, "card-2"), words)
    app.button(key="assess.2.action.add").click().run()
    fill_action(app, 2, "Another step")
    assert says(region(app, "card-2"), words) and app.get("form")  # the form stays open
    now = saved(app)
    assert now.entry(2).actions == before.entry(2).actions and now.entry(2).residual_likelihood is None
    assert now.entry(2).notes == "kept in history"


def test_refused_edits_on_the_overview_and_the_action_plan_are_said_where_they_were_made(app, monkeypatch,
                                                                                       catalogue):
    app = given(app, with_plan(catalogue), "action_plan")
    refuse(monkeypatch, "save", DatabaseNotAnswering(NOT_ANSWERING))
    app.segmented_control(key="plan.status").set_value("dropped").run()
    no_traceback(app)
    assert [seen(e.value) for e in app.error] == [NOT_ANSWERING]
    open_page(app, "overview")
    app.date_input(key="overview.review_on").set_value(TODAY).run()
    no_traceback(app)
    assert [seen(e.value) for e in app.error] == [NOT_ANSWERING]
    assert saved(app).review_on is None
    assert all(a.status != "dropped" for row in saved(app).entries.values() for a in row.actions)




def test_a_saved_value_reads_as_plain_words_in_a_risk_history():
    from ui.follow_up import shown_value

    assert shown_value("likelihood", "High") == "High"
    assert shown_value("review_on", "2027-03-01") == "Mar 1, 2027"
    assert shown_value("actions", [{"what": "Train guards", "status": "in_progress"}]) == "Train guards (in progress)"
    assert shown_value("strategy", None) == shown_value("actions", []) == "(empty)"
    long = shown_value("notes", "word " * 100)
    assert len(long) <= 120 and long.endswith("…")


# --- in every language ------------------------------------------------------------------------


@pytest.mark.usefixtures("pseudo_locale")
def test_the_follow_up_and_assess_screens_say_every_word_from_the_catalogue(monkeypatch, catalogue):
    """In the made-up language (tests/pages/test_languages.py): the Overview with reviews due and
    an overdue action, the Action plan, a card with its plan, action form and history, a risk of
    one's own with its fields, the add form and quick rating. One session, screen after screen."""
    at = seeded(run_in(PSEUDO, monkeypatch))
    store = Store()
    snapshot = store.load(at.query_params["assessment"])
    planned = with_plan(catalogue)(snapshot.assessment).schedule_review(TODAY + timedelta(days=10))
    store.save(snapshot, planned.schedule_risk_review(catalogue, 5, TODAY - timedelta(days=1)), by="Ωmega")
    at = reopened(at)
    screens = {"overview": main_texts(open_page(at, "overview")),
               "action plan": main_texts(open_page(at, "action_plan"))}
    pick(open_page(at, "assess"), 2)
    action = saved(at).entry(2).actions[0]
    at.button(key=f"assess.2.action.{action.id}.edit").click().run()
    screens["card with its plan, form and history"] = main_texts(at)
    own = max(saved(at).entries)
    pick(at, own)
    screens["a risk of one's own"] = main_texts(at)
    at.button(key="assess.add").click().run()
    screens["add form"] = main_texts(at)
    at.button(key="FormSubmitter:assess.new-⟦Cancel⟧").click().run()
    at.segmented_control(key="assess.view").set_value("quick").run()
    screens["quick rating"] = main_texts(at)
    assert not at.exception, [e.value for e in at.exception]
    assert any(t.startswith(OPEN) for t in screens["action plan"])
    allowed = toolkit_english() + locale_words() + user_data(at) + ["Ωmega"]
    left = {screen: english_left(texts, allowed) for screen, texts in screens.items()}
    assert left == {screen: [] for screen in screens}, f"text not from the catalogue: {left}"


def test_a_form_for_an_action_that_is_gone_closes_and_adding_stays_possible(app):
    pick(open_page(app, "assess"), 3)
    app.session_state["assess.action_form"] = (3, "deadbeef")  # an action a colleague removed meanwhile
    app.run()
    no_traceback(app)
    assert app.button(key="assess.3.action.add").label
    assert "assess.action_form" not in app.session_state


def test_a_risk_card_shows_the_latest_value_of_each_indicator_monitoring_it(app, indicators):
    monitor = next(i for i in indicators.indicators if i.risks)
    number = monitor.risks[0]
    open_page(app, "assess")
    app = given(app, lambda a: a.record_reading(monitor.id, date(2026, 1, 5), 4, "police records")
                .record_reading(monitor.id, date(2026, 2, 5), 1234.5, "shelter log"), "assess")
    pick(app, number)
    shown = [seen(c.value) for c in region(app, f"card-{number}").caption]
    assert any("Latest value: 1,234.5" in c and "shelter log" in c for c in shown), shown
    assert not any("police records" in c for c in shown)
