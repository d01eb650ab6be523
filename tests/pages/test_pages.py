import re

import pytest

from tests.pages.conftest import add_own_risk, heatmap_cells, open_page, pick, rate, seen, texts
from ui.text import md_literal

HOSTILE = "<img src=x onerror=alert(1)> <script>alert(2)</script> [x](javascript:alert(3))"
PAGES = ["assessments", "overview", "assess", "heatmap", "gaps", "indicators", "briefing", "print", "present"]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_without_an_error(app, page):
    open_page(app, page)
    assert app.title or app.header, f"{page} has no title"
    assert not app.error


def test_overview_shows_the_goals_instructions_and_progress(app):
    body = seen(" ".join(m.value for m in app.markdown) + " ".join(i.value for i in app.info))
    assert "Protection and assistance goal" in body and "HRBA / Gender goal" in body
    assert "medium and/or high" in body
    assert app.metric[0].value == "0 of 12"


def test_rating_a_risk_on_assess_moves_it_onto_the_heat_map_and_into_the_gaps(app):
    open_page(app, "heatmap")
    assert "1" not in re.findall(r"\d+", heatmap_cells(app)[("High", "High")])

    rate(open_page(app, "assess"), 1, "High", "High")
    open_page(app, "heatmap")
    assert re.findall(r"\d+", heatmap_cells(app)[("High", "High")]) == ["1"]

    open_page(app, "gaps")
    headings = [seen(s.value) for s in app.subheader]
    assert headings[0] == "Rated risks that require a strategy and have none (1)"
    summary = next(seen(m.value) for m in app.markdown if "flag(s)" in seen(m.value))
    assert summary.startswith("**12 gaps**") and "Toolkit reading" in summary  # 1 unmitigated + 11 unrated


def test_the_overview_progress_follows_the_ratings(app):
    rate(open_page(app, "assess"), 4, "Medium", "Medium")
    open_page(app, "overview")
    assert app.metric[0].value == "1 of 12" and app.metric[1].value == "1" and app.metric[2].value == "1"
    assert re.findall(r"\d+", heatmap_cells(app, "overview.heatmap")[("Medium", "Medium")]) == ["4"]


def test_a_written_strategy_closes_the_gap(app):
    rate(open_page(app, "assess"), 2, "High", "Medium")
    app.text_area(key="assess.2.strategy").input("Fund two county referral desks").run()
    open_page(app, "gaps")
    assert not any(s.value.startswith("Rated risks that require") for s in app.subheader)


def test_start_from_the_example_fills_the_strategy_and_is_flagged_as_not_tailored(app):
    pick(open_page(app, "assess"), 3)
    app.button(key="assess.3.use_example").click().run()
    assert app.text_area(key="assess.3.strategy").value.startswith("Work to identify and address barriers")
    open_page(app, "gaps")
    assert any(seen(s.value).startswith("Strategies adopted as-is") for s in app.subheader)


def test_the_cautious_policy_counts_more_gaps_and_says_so(app):
    rate(open_page(app, "assess"), 6, "Low", "High")
    open_page(app, "gaps")
    assert not any(seen(s.value).startswith("Rated risks that require") for s in app.subheader)
    app.radio(key="gaps.policy").set_value("either").run()
    assert any(seen(s.value) == "Rated risks that require a strategy and have none (1)" for s in app.subheader)
    assert "Cautious" in " ".join(m.value for m in app.markdown)


def test_an_own_risk_is_added_rated_and_shown_on_the_heat_map(app):
    add_own_risk(open_page(app, "assess"), "Interpreters unavailable for rare languages")
    assert app.selectbox(key="assess.pick").value == 13  # the new risk opens
    assert "Interpreters unavailable for rare languages" in texts(app)
    rate(app, 13, "Medium", "Low")
    open_page(app, "heatmap")
    assert re.findall(r"\d+", heatmap_cells(app)[("Medium", "Low")]) == ["13"]


def test_an_empty_own_risk_is_refused_with_a_message_and_adds_nothing(app):
    add_own_risk(open_page(app, "assess"), "   ")
    assert any("needs a statement" in e.value for e in app.error)
    assert app.text_area(key="assess.new.statement").value == "   "  # the form stays open
    app.button(key="FormSubmitter:assess.new-Cancel").click().run()
    assert not app.get("form") and not app.error
    assert not any(option.startswith("13.") for option in app.selectbox(key="assess.pick").options)


def test_hostile_own_text_is_shown_as_plain_text_and_never_as_markdown(app):
    add_own_risk(open_page(app, "assess"), HOSTILE)
    rate(app, 13, "High", "High")
    app.text_area(key="assess.13.strategy").input(HOSTILE).run()
    assert texts(app).count(HOSTILE) == 1  # the statement, via st.text
    for page in ("assess", "heatmap", "gaps", "overview", "indicators"):
        open_page(app, page)
        for md in app.markdown:
            assert "<img" not in md.value and "](javascript" not in md.value, (page, md.value)
    open_page(app, "heatmap")
    app.selectbox(key="heatmap.cell").set_value(("High", "High")).run()
    assert texts(app).count(HOSTILE) == 2  # statement and strategy in the cell's list
    open_page(app, "gaps")
    cells = [cell for table in app.table for cell in table.value["Identified risk"]]
    assert md_literal(HOSTILE) in cells and HOSTILE not in cells  # escaped: st.table renders Markdown


def test_choosing_a_cell_lists_its_risks_with_their_strategies(app):
    rate(open_page(app, "assess"), 5, "Medium", "High")
    app.text_area(key="assess.5.strategy").input("Review shelter rules with the ministry").run()
    open_page(app, "heatmap")
    app.selectbox(key="heatmap.cell").set_value(("Medium", "High")).run()
    assert app.subheader[0].value.startswith("Likelihood Medium · Impact High")
    assert "Review shelter rules with the ministry" in texts(app)


def test_arriving_from_a_risk_shows_that_risks_indicators(app):
    app.query_params["risk"] = "10"
    open_page(app, "indicators")
    assert app.selectbox(key="indicators.risk").value == 10
    assert re.search(r"\d+ of \d+ indicators monitor risk 10\.", seen(app.caption[0].value))


def test_a_bad_indicator_file_shows_an_error_and_keeps_the_draft(app):
    open_page(app, "indicators")
    before = len(app.get("expandable")) + len(app.container)
    app.file_uploader(key="indicators.upload").upload("ours.csv", b"id,wording\nX,y\n", "text/csv").run()
    app.button(key="indicators.replace").click().run()
    assert any("missing column" in e.value for e in app.error)
    assert app.warning and "draft" in app.warning[0].value.lower()
    assert len(app.container) + len(app.get("expandable")) == before


def test_previous_and_next_walk_through_the_risks_in_order(app):
    open_page(app, "assess")
    assert app.selectbox(key="assess.pick").value == 1 and app.button(key="assess.previous").disabled
    app.button(key="assess.next").click().run()
    app.button(key="assess.next").click().run()
    assert app.selectbox(key="assess.pick").value == 3
    assert app.text[0].value.startswith("Victims of trafficking do not wish")
    app.button(key="assess.previous").click().run()
    assert app.selectbox(key="assess.pick").value == 2


def test_arriving_at_assess_for_a_risk_opens_its_card(app):
    app.query_params["risk"] = "9"
    open_page(app, "assess")
    assert app.selectbox(key="assess.pick").value == 9
    assert app.text[0].value.startswith("Asylum seekers")


def test_the_register_table_shows_every_risk_with_its_rating_band_and_strategy_in_full(app):
    rate(open_page(app, "assess"), 7, "Low", "Medium")
    app.text_area(key="assess.7.strategy").input("Train frontline staff, then review in six months").run()
    assert not app.table
    app.toggle(key="assess.show_table").set_value(True).run()
    table = app.table[0].value
    assert [seen(n) for n in table["No."]] == [str(n) for n in range(1, 13)]
    row = table[table["No."] == "7"].iloc[0]
    assert (row["Likelihood"], row["Impact"], row["Band"]) == ("Low", "Medium", "LOW")
    assert seen(row["Risk mitigation strategy"]) == "Train frontline staff, then review in six months"
    first = seen(table["Identified risk"].iloc[0])
    assert first.endswith("in accordance with their human rights.") and "…" not in first  # in full
    styles = app.table[0].proto.arrow_data.styler.styles
    assert "#ABD9E9" in styles  # the band's colour from riskkit.palette


def test_a_good_indicator_file_replaces_the_draft_everywhere(app):
    open_page(app, "indicators")
    csv = b"id,wording,kind,disaggregation,risks\nOWN-1,Shelters inspected,output,,1;2\n"
    app.file_uploader(key="indicators.upload").upload("ours.csv", csv, "text/csv").run()
    app.button(key="indicators.replace").click().run()
    assert not app.warning and "ours.csv" in seen(app.success[0].value)
    pick(open_page(app, "assess"), 2)
    labels = [link.proto.label for link in app.get("page_link")]
    assert any("OWN\\-1" in label for label in labels)
    assert not any(label.startswith("PA\\-") for label in labels)
