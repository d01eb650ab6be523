import pytest
from streamlit.testing.v1 import AppTest

from riskkit.errors import VoteTooLate
from riskkit.store import Store
from riskkit.workshop import Vote
from tests.pages.conftest import APP, open_page, seen
from tests.phones import Phone


def facilitator(app) -> AppTest:
    """Start group rating on Present; the join screen comes first, then back to the risk."""
    open_page(app, "present")
    app.button(key="present.start").click().run()
    assert app.query_params.get("key"), "starting group rating puts the facilitator key in the address"
    assert any(seen(s.value).startswith("Join: code") for s in app.subheader)
    app.button(key="present.join_hide").click().run()
    return app


def test_the_join_screen_shows_the_code_a_qr_code_and_an_address_phones_can_open(app):
    open_page(app, "present")
    app.button(key="present.start").click().run()
    code = join_code(app)
    assert any(seen(s.value) == f"Join: code {code}" for s in app.subheader)
    assert any(t.value.endswith(f"/join?code={code}") for t in app.text)
    assert app.metric[0].value == "0"  # the count is on the join screen too


def participant(code: str, editor_key: str = "") -> Phone:
    """A phone that scanned the join code (the real /join routes, in this process)."""
    return Phone(code, editor_key)


def vote(phone: Phone, number: int, likelihood: str, impact: str) -> None:
    answer = phone.vote(number, likelihood, impact)
    assert answer["status"] == 200 and answer["stored"], answer


def join_code(app) -> str:
    return Store().rating_for_facilitator(app.query_params["key"]).join_code


def test_the_room_votes_the_facilitator_reveals_and_records_the_median(app):
    facilitator(app)
    code = join_code(app)
    phones = [participant(code) for _ in range(3)]
    for phone, (lk, im) in zip(phones, [("High", "High"), ("High", "Medium"), ("Medium", "High")]):
        vote(phone, 1, lk, im)
    app.run()
    assert app.metric[0].value == "3"
    assert not app.table  # nothing shown before the reveal
    app.button(key="present.reveal").click().run()
    grid = app.table[0].value
    assert list(grid.iloc[:, 0]) == ["High", "Medium", "Low"]
    assert list(grid["High"]) == ["1", "1", "0"] and list(grid["Medium"]) == ["1", "0", "0"]
    app.button(key="present.record").click().run()
    saved = Store().load(app.query_params["assessment"]).assessment.entry(1)
    assert (saved.likelihood, saved.impact) == ("High", "High")


def test_a_participant_who_votes_again_replaces_their_own_vote(app):
    facilitator(app)
    phone = participant(join_code(app))
    vote(phone, 1, "Low", "Low")
    vote(phone, 1, "High", "Low")
    app.run()
    assert app.metric[0].value == "1"


def test_a_refreshed_phone_is_the_same_participant(app):
    facilitator(app)
    code = join_code(app)
    phone = participant(code)
    vote(phone, 1, "Low", "Medium")
    again = Phone(code, cookie=phone.cookie)  # the page reloaded, or the QR code scanned again
    assert again.cookie == phone.cookie and again.mine(1) == {"likelihood": "Low", "impact": "Medium"}
    vote(again, 1, "Medium", "Medium")
    app.run()
    assert app.metric[0].value == "1"


def test_participants_follow_the_facilitator_to_the_next_risk(app):
    facilitator(app)
    phone = participant(join_code(app))
    assert phone.view()["risk"] == 1
    app.button(key="present.next").click().run()
    view = phone.view()
    assert view["risk"] == 2 and view["statement"].startswith("Lack of support services")


def test_a_join_code_in_an_app_address_leads_to_the_join_page_and_nothing_else(app):
    facilitator(app)
    code = join_code(app)
    lost = AppTest.from_file(APP, default_timeout=30)
    lost.query_params["code"] = code
    lost.run()
    assert lost.title[0].value == "Rate the risk"
    for attempt in ("pages/present.py", "pages/assess.py", "pages/assessments.py"):
        with pytest.raises(ValueError, match=r"Known pages: \['[^']*pages/to_join.py'\]"):
            lost.switch_page(attempt)  # that session registers no page of the app
    lost.query_params["key"] = "guessed-token"
    lost.run()
    assert not [b for b in lost.button if b.key and b.key.startswith("present.")]
    assert not lost.get("metric")


def test_a_wrong_facilitator_key_shows_an_error_and_no_controls(app):
    open_page(app, "present")
    app.query_params["key"] = "not-the-key"
    app.run()
    assert any("not a valid facilitator link" in e.value for e in app.error)
    assert "present.reveal" not in [b.key for b in app.button]


def test_an_unknown_join_code_is_refused_clearly():
    view = participant("ZZZZZZ").view()
    assert view == {"state": "unknown", "say": "unknown_code",  # the phone's page words it in its own language
                    "message": "No rating session has the code ZZZZZZ. Check the code on the projector."}
    # the page then asks for the code again


def test_the_presentation_walks_the_risks_and_ends_with_the_heat_map(app):
    open_page(app, "present")
    assert app.header[0].value.startswith("1\\. Victims of trafficking")
    for _ in range(11):
        app.button(key="present.next").click().run()
    assert app.header[0].value.startswith("12\\. Onset of conflict")
    app.button(key="present.next").click().run()
    assert app.header[0].value == "Where the risks fall"
    assert app.get("plotly_chart")


def test_with_an_editor_key_only_the_join_page_is_open_without_it(monkeypatch, app):
    monkeypatch.setenv("RISKKIT_EDITOR_KEY", "s3cret-key")
    stranger = AppTest.from_file(APP, default_timeout=30).run()
    assert stranger.title[0].value == "riskkit" and not stranger.get("page_link")
    with pytest.raises(ValueError, match="Known pages"):
        stranger.switch_page("pages/assess.py")
    stranger.text_input(key="locked.key").input("guess")
    stranger.button(key="FormSubmitter:locked.form-Open riskkit").click().run()
    assert any("not the editor key" in e.value for e in stranger.error)
    stranger.text_input(key="locked.key").input("s3cret-key")
    stranger.button(key="FormSubmitter:locked.form-Open riskkit").click().run()
    open_page(stranger, "assess")
    assert stranger.selectbox(key="assess.pick").value == 1


def test_a_bookmarked_address_with_the_editor_key_opens_the_app(monkeypatch):
    monkeypatch.setenv("RISKKIT_EDITOR_KEY", "s3cret-key")
    editor = AppTest.from_file(APP, default_timeout=30)
    editor.query_params["editor"] = "s3cret-key"
    editor.run()
    open_page(editor, "heatmap")
    assert editor.title[0].value == "Heat map"


def test_with_an_editor_key_participants_still_join_without_it(monkeypatch, app):
    facilitator(app)
    code = join_code(app)
    phone = participant(code, editor_key="s3cret-key")
    assert phone.opened.status_code == 200
    vote(phone, 1, "Low", "High")


def test_after_ending_group_rating_the_page_says_so_and_offers_no_control(app):
    facilitator(app)
    key = app.query_params["key"]
    code = join_code(app)
    app.button(key="present.close").click().run()
    assert "key" not in app.query_params
    assert not [b for b in app.button if b.key in ("present.reveal", "present.close")]
    assert not any("Join: code" in seen(s.value) for s in app.subheader)
    app.query_params["key"] = key  # the facilitator's old address, from the history
    app.run()
    assert any("This group rating has ended" in seen(i.value) for i in app.info)
    assert not [b for b in app.button if b.key == "present.reveal"]
    phone = participant(code)
    assert phone.view()["state"] == "closed" and "has ended" in phone.view()["message"]
    assert phone.vote(1, "High", "High")["status"] == 410


def test_record_records_what_was_shown_or_says_the_votes_changed(app):
    facilitator(app)
    code = join_code(app)
    vote(participant(code), 1, "Low", "Low")
    app.run()
    app.button(key="present.reveal").click().run()
    assert "Low / Low" in seen(app.button(key="present.record").label)
    with pytest.raises(VoteTooLate, match="revealed"):  # a late phone cannot change what was shown
        Store().cast_vote(code, "late-phone", 1, Vote(likelihood="High", impact="High"))
    app.button(key="present.record").click().run()
    saved = Store().load(app.query_params["assessment"]).assessment.entry(1)
    assert (saved.likelihood, saved.impact) == ("Low", "Low")
