"""The Assess flow: quick rating (every risk a row of two pickers), counts that follow each
click, a new risk's card opening where the form was, hostile text shown as typed."""

from __future__ import annotations

from riskkit.store import Store
from tests.pages.conftest import add_own_risk, open_page, pick, rate, seen, texts

LEVELS = ("Low", "Medium", "High")


def counts(app) -> list[str]:
    return [seen(c.value) for c in app.caption if " rated" in seen(c.value)]


def test_quick_rating_rates_all_twelve_risks_in_24_picks_and_saves_each(app):
    open_page(app, "assess")
    app.segmented_control(key="assess.view").set_value("quick").run()
    assert not any(b.key == "assess.next" for b in app.button)  # no Next: every risk is on screen
    picks = 0
    for number in range(1, 13):
        likelihood, impact = LEVELS[number % 3], LEVELS[(number // 3) % 3]
        app.segmented_control(key=f"quick.{number}.likelihood").set_value(likelihood).run()
        app.segmented_control(key=f"quick.{number}.impact").set_value(impact).run()
        picks += 2
        assert not app.exception
        assert counts(app)[0].startswith(f"{number} of 12 rated")  # the count follows every row
    assert picks == 24
    saved = Store().load(app.query_params["assessment"]).assessment
    assert all((saved.entry(n).likelihood, saved.entry(n).impact) == (LEVELS[n % 3], LEVELS[(n // 3) % 3])
               for n in range(1, 13))
    assert not app.error


def test_quick_rating_shows_each_band_in_words_beside_its_pickers(app):
    open_page(app, "assess")
    app.segmented_control(key="assess.view").set_value("quick").run()
    app.segmented_control(key="quick.4.likelihood").set_value("High").run()
    app.segmented_control(key="quick.4.impact").set_value("High").run()
    row_4 = [seen(m.value) for m in app.markdown if m.value == "**HIGH**"]
    assert row_4 == ["**HIGH**"]
    assert sum(seen(m.value) == "Not rated" for m in app.markdown) == 11
    assert any(t.startswith("4. ") and t.endswith(".") and "…" not in t for t in texts(app))  # in full


def test_the_view_chosen_is_remembered_across_pages(app):
    open_page(app, "assess")
    app.segmented_control(key="assess.view").set_value("quick").run()
    open_page(app, "overview")
    open_page(app, "assess")
    assert app.segmented_control(key="assess.view").value == "quick"
    assert any(c.key == "quick.1.likelihood" for c in app.get("segmented_control"))


def test_the_count_is_right_the_moment_a_risk_is_rated(app):
    pick(open_page(app, "assess"), 2)
    assert counts(app) == ["Risk 2 of 12 · 0 rated"]
    app.segmented_control(key="assess.2.likelihood").set_value("High").run()
    assert counts(app) == ["Risk 2 of 12 · 0 rated"]  # one of two levels: not rated yet
    app.segmented_control(key="assess.2.impact").set_value("Low").run()
    assert counts(app) == ["Risk 2 of 12 · 1 rated"]


def test_the_register_table_follows_a_rating_made_on_the_card(app):
    open_page(app, "assess")
    app.toggle(key="assess.show_table").set_value(True).run()
    rate(app, 1, "High", "Medium")
    row = app.table[0].value.iloc[0]
    assert (row["Likelihood"], row["Impact"], row["Band"]) == ("High", "Medium", "HIGH")


def test_a_new_risk_opens_its_card_in_place_of_the_form(app):
    add_own_risk(open_page(app, "assess"), "Interpreters unavailable for rare languages")
    assert not app.get("form")
    assert app.selectbox(key="assess.pick").value == 13
    assert "Interpreters unavailable for rare languages" in texts(app)
    assert counts(app) == ["Risk 13 of 13 · 0 rated"]


def test_adding_from_quick_rating_opens_the_new_card_and_cancel_changes_nothing(app):
    open_page(app, "assess")
    app.segmented_control(key="assess.view").set_value("quick").run()
    app.button(key="assess.add").click().run()
    app.text_area(key="assess.new.statement").input("Changed my mind")
    app.button(key="FormSubmitter:assess.new-Cancel").click().run()
    assert not app.get("form") and app.segmented_control(key="assess.view").value == "quick"
    assert Store().load(app.query_params["assessment"]).assessment.own_risks == ()
    add_own_risk(app, "Shelter staff turnover")
    assert app.segmented_control(key="assess.view").value == "one"
    assert app.selectbox(key="assess.pick").value == 13


HOSTILE = ["<b>x</b>", "[a](http://x)", "**bold**"]


def test_hostile_text_in_the_register_table_is_escaped_so_it_shows_literally(app):
    open_page(app, "assess")
    for text in HOSTILE:
        add_own_risk(app, text)
    app.text_area(key="assess.15.strategy").input("<i>mine</i> [b](http://y)").run()
    app.toggle(key="assess.show_table").set_value(True).run()
    table = app.table[0].value
    statements = list(table["Identified risk"])[-3:]
    assert [shown(s) for s in statements] == [f"{t} (your own)" for t in HOSTILE]
    assert "<b>" not in statements[0] and "](" not in statements[1] and "**" not in statements[2]
    assert shown(table["Risk mitigation strategy"].iloc[-1]) == "<i>mine</i> [b](http://y)"


def shown(cell: str) -> str:
    """What a person reads in a table cell: escapes undone, the zero-width space that keeps an
    address from becoming a link dropped."""
    return seen(cell).replace("\u200b", "")
