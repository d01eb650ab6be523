"""What reaches a page from outside (the address, typed text, a colleague's save, a failing
database) is refused or shown in words where the user acted; typed text is never lost."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from riskkit.catalogue import load_catalogue
from riskkit.store import Store
from tests.pages.conftest import APP, fresh_session, open_page, pick, seen


def assessment_id(at: AppTest) -> str:
    return at.query_params["assessment"]


@pytest.mark.parametrize("named", ["[Session expired: sign in](http://attacker.example/login)",
                                   "' OR 1=1 --", "x" * 5000, "\u202eevil"])
def test_a_hostile_assessment_in_the_address_is_refused_in_words_shown_as_text(named):
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["assessment"] = named
    at.run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert errors and all("](" not in e and "\u202e" not in e for e in errors)
    assert "names no assessment riskkit knows" in seen(errors[0])


@pytest.mark.parametrize("risk", ["²", "9" * 5000, "-1", "1e3", "<b>", ""])
def test_a_hostile_risk_in_the_address_opens_the_page_without_a_traceback(app, risk):
    for page in ("assess", "indicators"):
        app.query_params["risk"] = risk
        open_page(app, page)
        assert not app.exception


def test_text_that_cannot_be_saved_stays_in_its_box_with_the_reason_beside_it(app):
    pick(open_page(app, "assess"), 2)
    app.text_area(key="assess.2.notes").input("Meeting notes\x0b pasted from a PDF").run()
    assert any("Notes: contains an invisible control character (U+000B)" in seen(e.value) for e in app.error)
    assert app.text_area(key="assess.2.notes").value == "Meeting notes\x0b pasted from a PDF"
    assert Store().load(assessment_id(app)).assessment.entry(2).notes == ""
    app.text_area(key="assess.2.notes").input("Meeting notes pasted from a PDF").run()
    assert Store().load(assessment_id(app)).assessment.entry(2).notes == "Meeting notes pasted from a PDF"
    assert not app.error


def both_on_risk(app: AppTest, number: int, their_field: str, their_text: str) -> None:
    """I have risk `number` open on Assess; a colleague, on the same risk, saves a text first."""
    pick(open_page(app, "assess"), number)
    colleague = fresh_session(app, "assess")
    pick(colleague, number)
    colleague.text_area(key=f"assess.{number}.{their_field}").input(their_text).run()


def test_a_colleagues_newer_text_is_shown_beside_mine_and_mine_can_still_be_saved(app):
    both_on_risk(app, 4, "strategy", "Their strategy")
    app.text_area(key="assess.4.strategy").input("My strategy").run()
    assert any("was changed by someone else" in seen(e.value) for e in app.error)
    assert app.text_area(key="assess.4.strategy").value == "My strategy"  # not thrown away
    assert "Their strategy" in [t.value for t in app.text]  # the saved text beside it
    app.button(key="assess.4.strategy.save_again").click().run()
    assert Store().load(assessment_id(app)).assessment.entry(4).strategy == "My strategy"


def test_a_colleagues_note_and_my_strategy_on_one_risk_are_both_kept(app):
    both_on_risk(app, 5, "notes", "Their note")
    app.text_area(key="assess.5.strategy").input("My strategy").run()
    assert not app.error
    kept = Store().load(assessment_id(app)).assessment.entry(5)
    assert (kept.notes, kept.strategy) == ("Their note", "My strategy")


def test_a_rename_over_a_colleagues_rename_is_refused_and_my_title_kept_in_the_box(app):
    open_page(app, "assessments")
    colleague = fresh_session(app, "assessments")
    made = assessment_id(app)
    colleague.text_input(key=f"assessments.{made}.title").input("Their title")
    colleague.button(key=f"assessments.{made}.rename").click().run()
    app.text_input(key=f"assessments.{made}.title").input("My title")
    app.button(key=f"assessments.{made}.rename").click().run()
    assert any("renamed this assessment to “Their title”" in seen(e.value) for e in app.error)
    assert app.text_input(key=f"assessments.{made}.title").value == "My title"
    assert Store().load(made).summary.title == "Their title"


def test_a_database_that_cannot_be_opened_is_said_in_words(monkeypatch):
    monkeypatch.setenv("RISKKIT_DATABASE_URL", "sqlite:////proc/riskkit-cannot-be-here/db.sqlite3")
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    assert not at.exception
    assert any("database" in seen(e.value) for e in at.error)


def test_an_unknown_field_from_a_page_would_be_refused_not_ignored():
    catalogue = load_catalogue()
    from riskkit.errors import InvalidEdit
    from riskkit.models import Assessment
    with pytest.raises(InvalidEdit):
        Assessment(policy=catalogue.policies.default).rate(catalogue, 1, likelyhood="High")
