import csv
import io
import json
import zipfile
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook

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
    to_xlsx,
)
from riskkit.models import Indicator, IndicatorSet
from tests.conftest import rated

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
