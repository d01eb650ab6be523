import io

from openpyxl import load_workbook

from riskkit.exchange import Exported, to_json, to_xlsx
from riskkit.store import Store
from tests.pages.conftest import fresh_session, open_page, pick, rate, seen


def assessment_id(at) -> str:
    return at.query_params["assessment"]


def test_the_address_names_the_assessment_and_a_refresh_keeps_every_rating(app):
    rate(open_page(app, "assess"), 4, "High", "Medium")
    app.text_area(key="assess.4.strategy").input("Brief the ministry").run()
    assert len(assessment_id(app)) == 16
    again = fresh_session(app, "assess")
    pick(again, 4)
    assert again.segmented_control(key="assess.4.likelihood").value == "High"
    assert again.text_area(key="assess.4.strategy").value == "Brief the ministry"


def test_a_new_server_process_reads_what_was_saved(app):
    rate(open_page(app, "assess"), 2, "Low", "Low")
    saved = Store().load(assessment_id(app))  # a separate connection pool, as after a restart
    assert saved.assessment.entry(2).likelihood == "Low"


def test_two_people_rating_the_same_risk_get_a_conflict_not_a_silent_overwrite(app):
    open_page(app, "assess")
    colleague = fresh_session(app, "assess")
    rate(app, 1, "High", "High")
    colleague.segmented_control(key="assess.1.likelihood").set_value("Low").run()
    assert any("changed by someone else" in e.value for e in colleague.error)
    assert colleague.segmented_control(key="assess.1.likelihood").value == "High"  # shows the newer value
    assert Store().load(assessment_id(app)).assessment.entry(1).likelihood == "High"


def test_two_people_rating_different_risks_keep_both(app):
    open_page(app, "assess")
    colleague = fresh_session(app, "assess")
    rate(app, 1, "High", "High")
    rate(colleague, 2, "Low", "Low")
    assert not colleague.error
    entries = Store().load(assessment_id(app)).assessment.entries
    assert entries[1].likelihood == "High" and entries[2].likelihood == "Low"


def test_create_rename_duplicate_delete_and_undo(app):
    open_page(app, "assessments")
    first = assessment_id(app)
    app.text_input(key="assessments.new.title").input("Nepal project review")
    app.text_input(key="assessments.new.context").input("Nepal")
    app.button(key="FormSubmitter:assessments.new-Create and open").click().run()
    created = assessment_id(app)
    assert created != first
    assert app.title[0].value == "Assess the risks"  # created and opened: on to rating it
    assert any(seen(c.value) == "Risk 1 of 12 · 0 rated" for c in app.caption)
    open_page(app, "assessments")
    assert assessment_id(app) == created and app.text[0].value == "Nepal project review · Nepal"  # "Open now"

    app.text_input(key=f"assessments.{created}.title").input("Nepal review, day 1")
    app.button(key=f"assessments.{created}.rename").click().run()
    app.button(key=f"assessments.{created}.duplicate").click().run()
    titles = [s.title for s in Store().list()]
    assert "Nepal review, day 1" in titles and any(t.startswith("Nepal review, day 1 (copy of") for t in titles)

    app.button(key=f"assessments.{first}.delete").click().run()
    assert first not in {s.id for s in Store().list()}
    app.button(key="assessments.undo_button").click().run()
    assert first in {s.id for s in Store().list()}


def test_an_assessment_created_with_an_organisation_keeps_it_and_the_rename_box_changes_it(app):
    open_page(app, "assessments")
    app.text_input(key="assessments.new.title").input("Nepal project review")
    app.text_input(key="assessments.new.organisation").input("UNODC Kathmandu")
    app.button(key="FormSubmitter:assessments.new-Create and open").click().run()
    created = assessment_id(app)
    assert Store().load(created).summary.organisation == "UNODC Kathmandu"

    open_page(app, "assessments")
    box = app.text_input(key=f"assessments.{created}.organisation")
    assert box.label == "Organisation" and box.value == "UNODC Kathmandu"
    box.input("IOM Nepal")
    app.button(key=f"assessments.{created}.rename").click().run()
    summary = Store().load(created).summary
    assert (summary.title, summary.organisation) == ("Nepal project review", "IOM Nepal")

    app.text_input(key=f"assessments.{created}.organisation").input("x" * 201)
    app.button(key=f"assessments.{created}.rename").click().run()
    assert any("Organisation: 201 characters" in seen(e.value) for e in app.error)  # said, not a traceback
    assert not app.exception and Store().load(created).summary.organisation == "IOM Nepal"


def test_deleting_the_open_assessment_opens_another(app):
    open_page(app, "assessments")
    gone = assessment_id(app)
    app.button(key=f"assessments.{gone}.delete").click().run()
    assert not app.exception and assessment_id(app) != gone


def test_an_import_becomes_a_new_assessment_and_opens(app, catalogue, blank):
    open_page(app, "assessments")
    before = len(Store().list())
    document = to_json(Exported(title="From the field", organisation="IOM Nepal"),
                       blank.rate(catalogue, 6, impact="High"))
    app.file_uploader(key="assessments.import.file").upload("field.json", document, "application/json").run()
    app.button(key="assessments.import.go").click().run()
    assert len(Store().list()) == before + 1
    imported = Store().load(assessment_id(app)).summary
    assert (imported.title, imported.organisation) == ("From the field", "IOM Nepal")


def test_a_bad_import_shows_why_and_changes_nothing(app):
    open_page(app, "assessments")
    before, opened = [s.id for s in Store().list()], assessment_id(app)
    for name, content in [("x.xlsx", b"not a workbook"), ("x.json", b'{"format": "riskkit.assessment", '
                                                                    b'"schema_version": 7}')]:
        app.file_uploader(key="assessments.import.file").upload(name, content).run()
        app.button(key="assessments.import.go").click().run()
        assert app.error, name
    assert [s.id for s in Store().list()] == before and assessment_id(app) == opened


def test_an_uploaded_indicator_list_is_saved_with_the_assessment(app):
    open_page(app, "indicators")
    csv = b"id,wording,kind,disaggregation,risks\nOWN-1,Shelters inspected,output,,1;2\n"
    app.file_uploader(key="indicators.upload").upload("ours.csv", csv, "text/csv").run()
    app.button(key="indicators.replace").click().run()
    again = fresh_session(app, "indicators")
    assert "ours.csv" in seen(again.success[0].value)


def test_the_excel_export_is_the_register_of_the_open_assessment(app, catalogue, indicators):
    rate(open_page(app, "assess"), 3, "Medium", "High")
    snapshot = Store().load(assessment_id(app))
    content = to_xlsx(Exported(title=snapshot.summary.title), snapshot.assessment, catalogue, indicators)
    sheet = load_workbook(io.BytesIO(content))["Register"]
    assert [c.value for c in sheet[4]][:4] == [3, catalogue.risk(3).statement, "Medium", "High"]


def test_marking_an_own_risk_internal_keeps_it_out_of_shareable_outputs(app, catalogue):
    from riskkit.rules import shareable_copy
    from tests.pages.conftest import add_own_risk
    add_own_risk(open_page(app, "assess"), "Donor's adviser blocks referrals")
    app.checkbox(key="assess.13.internal").check().run()
    saved = Store().load(assessment_id(app)).assessment
    assert saved.own_risks[0].internal
    assert shareable_copy(saved).own_risks == ()


def test_the_briefing_page_offers_every_output_and_a_shareable_switch(app):
    open_page(app, "briefing")
    labels = sorted(seen(b.proto.label) for b in app.get("download_button"))
    assert labels == sorted(["Word report", "PowerPoint briefing pack", "Heat map image, 1920x1080",
                             "Heat map image for email, 960x540", "Heat map image for print, 1920x1200 at 300 dpi",
                             "Heat map as SVG", "Excel register", "JSON (every field)"])
    app.toggle(key="briefing.shareable").set_value(True).run()
    assert not app.exception


def test_the_exports_here_are_in_the_assessments_language_whatever_the_page_is_shown_in(app, monkeypatch):
    """Streamlit builds a download after the run, where no language is set: the page must hand the
    builder the assessment's language, or a French register comes out with English sheets."""
    import ui.widgets

    built: dict[str, object] = {}
    real = ui.widgets.download

    def recording(where, label, build, *args, **options):
        built[options["key"]] = lambda: build(*args)
        real(where, label, build, *args, **options)

    monkeypatch.setattr(ui.widgets, "download", recording)
    store = Store()
    summary = store.load(assessment_id(open_page(app, "assess"))).summary
    store.rename(summary.id, summary.title, language="fr")
    app = fresh_session(app, "assessments")
    book = load_workbook(io.BytesIO(built["assessments.export.xlsx"]()))
    assert "Registre" in book.sheetnames[0] and "Register" not in book.sheetnames
    headers = [c.value for row in book[book.sheetnames[0]].iter_rows(max_row=5) for c in row]
    assert "Probabilité" in headers and "Likelihood" not in headers
    assert b"Probabilit" in built["assessments.export.csv"]()
