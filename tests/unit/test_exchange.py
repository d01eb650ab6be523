import csv
import io
import json
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from riskkit import i18n
from riskkit.exchange import (
    ABOUT_SHEET,
    MAX_IMPORT_BYTES,
    Exported,
    FileRejected,
    csv_safe,
    from_json,
    from_xlsx,
    to_csv,
    to_json,
    to_plan_csv,
    to_xlsx,
)
from riskkit.models import Indicator, IndicatorSet
from tests.conftest import rated
from tests.unit.test_words import pseudo  # noqa: F401  (the made-up language, as a fixture)

ABOUT = Exported(title="Kenya workshop", context="Kenya, national referral mechanism", held_on=date(2026, 11, 29))
HOSTILE = "=HYPERLINK(\"http://x\",\"click\") <img src=x onerror=alert(1)>"


@pytest.fixture
def full(catalogue, blank):
    a = rated(catalogue, blank, 1, "High", "High", strategy="Screen everyone\nSecond line", notes="Day 1")
    a = rated(catalogue, a, 5, "Low", "Medium")
    a, number = a.add_own_risk(catalogue, "Interpreters unavailable", ("1.7",), ("PA-03",))
    a = rated(catalogue, a, number, "Medium", "High", strategy=HOSTILE)
    a, hidden = a.add_own_risk(catalogue, "+Staff conflict", ())
    a = a.keep_internal(hidden, True)
    return a.choose_policy(catalogue, "either")


def test_json_round_trip_gives_an_equal_assessment(catalogue, full):
    back = from_json(to_json(ABOUT, full), catalogue)
    assert back.assessment == full and back.about == ABOUT


ORGANISED = ABOUT.model_copy(update={"organisation": "UNODC Regional Office for Eastern Africa"})


def test_the_organisation_goes_out_and_comes_back_in_json_and_excel(catalogue, indicators, full):
    written = to_json(ORGANISED, full)
    assert json.loads(written)["organisation"] == "UNODC Regional Office for Eastern Africa"
    assert from_json(written, catalogue).about == ORGANISED
    workbook = to_xlsx(ORGANISED, full, catalogue, indicators)
    assert from_xlsx(workbook, catalogue, indicators).about == ORGANISED
    legend = [[c.value for c in row] for row in load_workbook(io.BytesIO(workbook))["Legend"].iter_rows()]
    assert ["Organisation", "UNODC Regional Office for Eastern Africa"] == legend[2][:2]  # in words, for people


def test_files_written_before_the_organisation_still_import_without_one(catalogue, indicators, full):
    document = json.loads(to_json(ABOUT, full))
    del document["organisation"]
    assert from_json(json.dumps(document).encode(), catalogue).about == ABOUT

    def without_organisation(book):
        hidden = book[ABOUT_SHEET]
        for row in list(hidden.iter_rows()):
            if row[0].value == "organisation":
                hidden.delete_rows(row[0].row)
        assert "organisation" not in [r[0] for r in hidden.iter_rows(values_only=True)]

    old = edited(to_xlsx(ABOUT, full, catalogue, indicators), without_organisation)
    back = from_xlsx(old, catalogue, indicators)
    assert back.about == ABOUT and back.about.organisation == ""


def test_an_organisation_over_its_limit_is_refused_on_import(catalogue, full):
    document = json.loads(to_json(ABOUT, full))
    document["organisation"] = "x" * 201
    with pytest.raises(FileRejected, match="Organisation"):
        from_json(json.dumps(document).encode(), catalogue)


def test_json_keeps_a_users_own_indicator_list(catalogue, full):
    own = IndicatorSet(title="Ours", indicators=(Indicator(id="O-1", wording="w", kind="output", risks=(2,)),))
    assert from_json(to_json(ABOUT, full.use_indicators(own)), catalogue).assessment.indicators == own


def test_excel_round_trip_gives_an_equal_assessment(catalogue, indicators, full):
    back = from_xlsx(to_xlsx(ABOUT, full, catalogue, indicators), catalogue, indicators)
    assert back.assessment == full and back.about == ABOUT


def test_excel_round_trip_keeps_a_users_own_indicator_list(catalogue, indicators, full):
    own = IndicatorSet(title="Ours", indicators=(Indicator(id="O-1", wording="Shelters", kind="outcome",
                                                           disaggregation=("sex", "age"), risks=(2, 3)),))
    with_own = full.use_indicators(own)
    back = from_xlsx(to_xlsx(ABOUT, with_own, catalogue, own), catalogue, indicators).assessment
    assert back.indicators.indicators == own.indicators and back.entries == with_own.entries


def edited(content: bytes, edit) -> bytes:
    book = load_workbook(io.BytesIO(content))
    edit(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_register_edited_in_excel_imports_changed_ratings_and_added_rows(catalogue, indicators, full):
    def edit(book):
        sheet = book["Register"]
        sheet["C3"] = "medium"   # risk 2 likelihood, typed in lower case
        sheet["D3"] = "High"
        sheet.append([None, "Donor pulls funding mid-project", "High", "Medium", "Diversify donors"])
        sheet.append([40, "Data breach at a shelter", "Low", "High"])
    back = from_xlsx(edited(to_xlsx(ABOUT, full, catalogue, indicators), edit), catalogue, indicators).assessment
    assert (back.entry(2).likelihood, back.entry(2).impact) == ("Medium", "High")
    statements = {r.number: r.statement for r in back.own_risks}
    assert statements[40] == "Data breach at a shelter"
    assert statements[41] == "Donor pulls funding mid-project"  # numbered after the highest in the file
    assert back.entry(41).strategy == "Diversify donors"


def test_text_that_looks_like_a_formula_is_written_as_text(catalogue, indicators, full):
    content = to_xlsx(ABOUT, full, catalogue, indicators)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert not any(b"<f>" in archive.read(n) for n in sheets)
    sheet = load_workbook(io.BytesIO(content))["Register"]
    cells = [c for row in sheet.iter_rows() for c in row if c.value == HOSTILE]
    assert cells and all(c.data_type == "s" for c in cells)
    assert csv_safe("=1+1") == "'=1+1" and csv_safe("@SUM(A1)") == "'@SUM(A1)" and csv_safe("ok") == "ok"
    text = to_csv(full, catalogue, indicators).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'+Staff conflict" in text
    assert ",=" not in text


def test_the_csv_is_the_register_laid_out_like_the_toolkit(catalogue, indicators, full):
    rows = list(csv.reader(io.StringIO(to_csv(full, catalogue, indicators).decode("utf-8-sig"))))
    assert rows[0][:5] == ["No.", "Identified risk", "Likelihood", "Impact", "Risk mitigation strategy"]
    assert rows[1][0] == "1" and rows[1][1].startswith("Victims of trafficking are not identified")


def workbook(rows, sheet="Register") -> bytes:
    book = Workbook()
    book.active.title = sheet
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


HEADER = ["No.", "Identified risk", "Likelihood", "Impact", "Risk mitigation strategy"]


@pytest.mark.parametrize(("content", "message"), [
    (b"not a zip at all", "not an Excel workbook"),
    (b"PK\x03\x04broken", "not an Excel workbook"),
    (workbook([HEADER], sheet="Sheet1"), "no sheet named 'Register' (found: Sheet1)"),
    (workbook([["Risk", "Likelihood"]]), "missing: No., Identified risk, Impact, Risk mitigation strategy"),
    (workbook([HEADER, [1, "", "Very high", "Low", ""]]), "row 2, column Likelihood: 'Very high' is not a level"),
    (workbook([HEADER, [1, "", "Low", "Low", ""], [1, "", "High", "Low", ""]]),
     "risk number 1 appears twice (rows 2 and 3)"),
    (workbook([HEADER, ["one", "", "Low", "Low", ""]]), "'one' is not a risk number"),
    (workbook([HEADER, [2.5, "", "Low", "Low", ""]]), "'2.5' is not a risk number"),
    (workbook([HEADER, [30, "", "Low", "Low", ""]]), "own risk 30 needs a statement"),
    (workbook([HEADER, [None, "", "Low", "Low", ""]]), "needs a risk number or a statement"),
])
def test_a_bad_excel_file_gets_a_clear_message(catalogue, indicators, content, message):
    with pytest.raises(FileRejected, match=message.replace("(", r"\(").replace(")", r"\)")):
        from_xlsx(content, catalogue, indicators, name="register.xlsx")


def test_a_file_over_ten_megabytes_is_refused_before_it_is_read(catalogue, indicators):
    big = b"0" * (MAX_IMPORT_BYTES + 1)
    for read in (lambda: from_xlsx(big, catalogue, indicators), lambda: from_json(big, catalogue)):
        with pytest.raises(FileRejected, match="larger than 10 MB"):
            read()


@pytest.mark.parametrize(("document", "message"), [
    (b"{not json", "cannot be read as JSON"),
    (json.dumps({"format": "something-else"}).encode(), "not a riskkit assessment"),
    (json.dumps({"format": "riskkit.assessment", "schema_version": 99}).encode(), "schema version 99"),
    (json.dumps({"format": "riskkit.assessment", "schema_version": 1, "title": "t",
                 "assessment": {"policy": "both", "entries": {"1": {"likelihood": "Very high"}}}}).encode(),
     "Very high"),
    (json.dumps({"format": "riskkit.assessment", "schema_version": 1, "title": "t",
                 "assessment": {"policy": "both", "own_risks": [{"number": 13, "statement": "a"},
                                                                {"number": 13, "statement": "b"}]}}).encode(),
     "13 appear more than once"),
    (json.dumps({"format": "riskkit.assessment", "schema_version": 1, "title": "t",
                 "assessment": {"policy": "both", "entries": {"77": {"impact": "Low"}}}}).encode(), "77"),
    (json.dumps({"format": "riskkit.assessment", "schema_version": 1, "title": "t",
                 "assessment": {"policy": "sometimes"}}).encode(), "not a mitigation policy"),
])
def test_a_bad_json_file_gets_a_clear_message(catalogue, document, message):
    with pytest.raises(FileRejected, match=message):
        from_json(document, catalogue, name="a.json")


@pytest.mark.parametrize(("typed", "written"), [
    ("=1+1", "'=1+1"), (" =1+1", " '=1+1"), ("\u00a0=1+1", "\u00a0'=1+1"), ("\n=1+1", "\n'=1+1"),
    ("\t@SUM(A1)", "\t'@SUM(A1)"), ("\uff1d1+1", "'\uff1d1+1"), ("x;=1+1", "x;'=1+1"), ("x, -1", "x, '-1"),
    ("a line\n+1 more", "a line\n'+1 more"), ("plain text - with a dash", "plain text - with a dash"),
    ("e-mail@example", "e-mail@example"), ("", ""),
])
def test_csv_cells_are_neutralised_wherever_a_spreadsheet_could_start_a_cell(typed, written):
    assert csv_safe(typed) == written


# --- the follow-up: actions, residual ratings, review dates, indicator values -----------------

TODAY = date(2026, 5, 1)
V1_FILE = Path(__file__).parent / "data" / "assessment-v1.json"  # written by the release before actions


@pytest.fixture
def followed(catalogue, indicators, full):
    """`full` six months on: a plan with an overdue, an undated and a finished action, residual
    ratings, review dates and an indicator's values."""
    a = full.rate_residual(catalogue, 1, likelihood="Low", impact="Medium").schedule_review(date(2026, 11, 1))
    a = a.schedule_risk_review(catalogue, 5, date(2026, 6, 15))
    a, _ = a.add_action(catalogue, 1, "Train border staff", "IOM", date(2027, 1, 31), "in_progress", "Two of five")
    a, _ = a.add_action(catalogue, 1, HOSTILE, "Ministry", date(2026, 2, 1))  # overdue on TODAY
    a, _ = a.add_action(catalogue, 13, "Roster of interpreters", "", None, "done")
    first = indicators.indicators[0].id
    a = a.set_baseline_and_target(first, 12.0, 40.5).record_reading(first, date(2026, 3, 31), 18.25, "MoJ report")
    return a.record_reading(first, date(2026, 4, 30), 21.0, HOSTILE)


def test_json_carries_every_follow_up_field_and_says_schema_version_2(catalogue, followed):
    written = to_json(ABOUT, followed)
    document = json.loads(written)
    assert document["schema_version"] == 2 and document["assessment"]["entries"]["1"]["actions"]
    assert from_json(written, catalogue).assessment == followed


def test_a_json_file_of_schema_version_1_still_imports(catalogue):
    back = from_json(V1_FILE.read_bytes(), catalogue, name="ghana.json")
    assert back.about == Exported(title="Ghana workshop", context="Ghana", organisation="IOM Ghana",
                                  held_on=date(2025, 3, 4))
    a = back.assessment
    assert (a.entry(1).likelihood, a.entry(1).strategy) == ("High", "Screen everyone\nSecond line")
    assert a.entry(2).room.count == 12 and [r.statement for r in a.own_risks][1] == "Staff conflict"
    assert a.entry(1).actions == () and a.entry(1).residual_likelihood is None and a.tracks == {}
    assert a.review_on is None


def test_a_json_file_from_a_newer_riskkit_is_refused_saying_so(catalogue, followed):
    document = json.loads(to_json(ABOUT, followed))
    document["schema_version"] = 3
    with pytest.raises(FileRejected, match=r"newer riskkit \(schema version 3\).*versions up to 2"):
        from_json(json.dumps(document).encode(), catalogue, name="a.json")


def test_a_json_residual_rating_off_the_scale_is_refused(catalogue, followed):
    document = json.loads(to_json(ABOUT, followed))
    document["assessment"]["entries"]["1"]["residual_impact"] = "Extreme"
    with pytest.raises(FileRejected, match="Extreme"):
        from_json(json.dumps(document).encode(), catalogue)


def test_excel_round_trip_keeps_the_follow_up(catalogue, indicators, followed):
    back = from_xlsx(to_xlsx(ABOUT, followed, catalogue, indicators, today=TODAY), catalogue, indicators)
    assert back.assessment == followed


def test_excel_round_trip_keeps_the_follow_up_in_another_language(catalogue, indicators, followed, pseudo):  # noqa: F811
    with i18n.using(pseudo):
        content = to_xlsx(ABOUT, followed, catalogue, indicators, today=TODAY)
    plan = load_workbook(io.BytesIO(content))["‹Action plan›"]  # the sheets are named in the language too
    assert plan["F2"].value == "‹planned›" and plan["G2"].value == "‹overdue›"
    assert from_xlsx(content, catalogue, indicators).assessment == followed


def test_the_action_plan_sheet_lists_overdue_first_with_real_dates(catalogue, indicators, followed):
    book = load_workbook(io.BytesIO(to_xlsx(ABOUT, followed, catalogue, indicators, today=TODAY)))
    plan = [[c.value for c in row] for row in book["Action plan"].iter_rows()]
    assert plan[0] == ["No.", "Identified risk", "Action", "Who", "Due date", "Status", "Overdue", "Note", "Id"]
    assert [(r[0], r[2][:5], r[5], r[6]) for r in plan[1:]] == [
        (1, HOSTILE[:5], "planned", "overdue"), (1, "Train", "in progress", None), (13, "Roste", "done", None)]
    assert plan[1][4] == datetime(2026, 2, 1) and book["Action plan"]["E2"].number_format == "yyyy-mm-dd"
    register_header = [c.value for c in book["Register"][1]]
    assert register_header[7:10] == ["Residual likelihood", "Residual impact", "Review date"]
    legend = [[c.value for c in row][:2] for row in book["Legend"].iter_rows()]
    assert ["Next review of the register", "November 1, 2026"] in legend


def _follow_up_edit(book):
    plan = book["Action plan"]
    plan["F2"] = "‹done›"  # a status typed in the made-up language
    plan["E3"] = "2027-02-28"  # a due date typed as text
    plan.append([13, "", "Brief the interpreters", "UNHCR", datetime(2026, 9, 1), "In Progress", "", "", None])
    sheet = book["Register"]
    sheet["H3"], sheet["I3"], sheet["J3"] = "low", "‹Low›", datetime(2026, 8, 1)  # risk 2 residual, review
    values = book["Indicator values"]
    values.append(["PA-02", None, None, None, datetime(2026, 4, 30), "7,5", "hand count"])


def test_what_a_person_edited_in_the_follow_up_sheets_is_imported(catalogue, indicators, followed, pseudo):  # noqa: F811
    content = edited(to_xlsx(ABOUT, followed, catalogue, indicators, today=TODAY), _follow_up_edit)
    back = from_xlsx(content, catalogue, indicators).assessment
    assert [(a.what[:5], a.status, a.due) for a in back.entry(1).actions] == [
        ("Train", "in_progress", date(2027, 2, 28)), (HOSTILE[:5], "done", date(2026, 2, 1))]
    added = back.entry(13).actions[-1]
    assert (added.what, added.who, added.status, added.due) == ("Brief the interpreters", "UNHCR", "in_progress",
                                                                date(2026, 9, 1))
    assert len(added.id) == 8 and added.id not in {a.id for a in followed.entry(13).actions}
    assert (back.entry(2).residual_likelihood, back.entry(2).residual_impact) == ("Low", "Low")
    assert back.entry(2).review_on == date(2026, 8, 1)
    assert back.track("PA-02").readings[0].value == 7.5
    assert back.tracks[indicators.indicators[0].id] == followed.tracks[indicators.indicators[0].id]


def _set(sheet: str, cell: str, value):
    def edit(book):
        book[sheet][cell] = value
    return edit


def _add(sheet: str, row: list):
    def edit(book):
        book[sheet].append(row)
    return edit


@pytest.mark.parametrize(("edit", "message"), [
    (_set("Action plan", "F2", "finished"), "sheet Action plan, row 2, column Status: 'finished' is not a status"),
    (_set("Action plan", "E2", "31/01/2027"), "sheet Action plan, row 2, column Due date: '31/01/2027' is not a date"),
    (_set("Action plan", "C3", ""), "sheet Action plan, row 3, column Action: missing"),
    (_set("Action plan", "A2", 77), "sheet Action plan, row 2, column No.: risk 77 is not in the register"),
    (_set("Action plan", "I2", "my-own-id"), "row 2, column Id: 'my-own-id' is not an id riskkit wrote"),
    (_add("Action plan", [None, "", "Call the shelters", "", None, "", "", "", None]),
     "sheet Action plan, row 5, column No.: the risk number is missing"),
    (_set("Register", "H2", "Severe"), "sheet Register, row 2, column Residual likelihood: 'Severe' is not a level"),
    (_set("Register", "J2", "soon"), "sheet Register, row 2, column Review date: 'soon' is not a date"),
    (_add("Indicator values", ["XX-99", None, None, None, "2026-01-01", 3, ""]),
     "sheet Indicator values, row \\d+, column Indicator id: 'XX-99' is not an indicator"),
    (_add("Indicator values", ["PA-01", None, None, None, "2026-01-01", "many", ""]), "'many' is not a number"),
])
def test_a_bad_follow_up_row_is_refused_naming_sheet_row_and_column(catalogue, indicators, followed, edit, message):
    content = edited(to_xlsx(ABOUT, followed, catalogue, indicators, today=TODAY), edit)
    with pytest.raises(FileRejected, match=message):
        from_xlsx(content, catalogue, indicators, name="register.xlsx")


def test_a_copied_action_row_keeping_its_id_is_refused_naming_both_rows(catalogue, indicators, followed):
    def copy_row(book):
        plan = book["Action plan"]
        plan.append([c.value for c in plan[3]])
    content = edited(to_xlsx(ABOUT, followed, catalogue, indicators, today=TODAY), copy_row)
    with pytest.raises(FileRejected, match="rows 3 and 5 are the same action of risk 1"):
        from_xlsx(content, catalogue, indicators)


def test_the_register_csv_carries_residual_ratings_review_dates_and_counts_actions(catalogue, indicators, followed):
    rows = list(csv.DictReader(io.StringIO(to_csv(followed, catalogue, indicators, TODAY).decode("utf-8-sig"))))
    first = rows[0]
    assert (first["Residual likelihood"], first["Residual impact"]) == ("Low", "Medium")
    assert (first["Actions"], first["Open actions"], first["Overdue actions"]) == ("2", "2", "1")
    assert rows[4]["Review date"] == "2026-06-15"


def test_the_action_plan_csv_has_a_row_per_action_overdue_first_and_no_formula(catalogue, followed):
    text = to_plan_csv(catalogue, followed, TODAY).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:8] == ["No.", "Identified risk", "Action", "Who", "Due date", "Status", "Overdue", "Note"]
    assert [(r[0], r[4], r[6]) for r in rows[1:]] == [("1", "2026-02-01", "overdue"), ("1", "2027-01-31", ""),
                                                       ("13", "", "")]
    assert rows[1][2].startswith("'=HYPERLINK")


@pytest.mark.parametrize("language", ["fr", "es"])
def test_the_language_of_the_files_goes_with_the_file_and_an_unknown_one_is_english(catalogue, indicators, full,
                                                                                   language):
    french = Exported(title="Atelier de Dakar", language=language)
    assert from_json(to_json(french, full), catalogue).about.language == language
    assert from_xlsx(to_xlsx(french, full, catalogue, indicators), catalogue, indicators).about.language == language
    document = json.loads(to_json(french, full))
    for odd in ("xx", "<script>", 7, None):
        document["language"] = odd
        assert from_json(json.dumps(document).encode(), catalogue).about.language == "en"
