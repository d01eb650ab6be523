"""Indicator values from a file a person filled in: CSV or Excel, in any language riskkit has,
all or nothing, a bad row named."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from riskkit.errors import IndicatorFileError
from riskkit.exchange import Exported, to_xlsx
from riskkit.models import Reading, Track
from riskkit.tracks_file import MAX_VALUES_BYTES, read_tracks
from tests.unit.test_exchange import workbook
from tests.unit.test_words import pseudo  # noqa: F401  (the made-up language, as a fixture)


def xlsx(rows: list[list[object]]) -> bytes:
    return workbook(rows, sheet="Values")


def test_a_csv_with_a_bom_semicolons_and_decimal_commas_is_read(indicators):
    content = ("\ufeffIndicator id;Date;Value;Source\n"
               "PA-01;2026-03-31;12,5;MoJ report\n"
               "PA-01;2026-01-31;1.234,5;\n"
               "PA-02;baseline;3;\n"
               "PA-02;target;10;\n").encode()
    tracks = read_tracks("values.csv", content, indicators)
    assert tracks["PA-01"].readings == (Reading(on=date(2026, 1, 31), value=1234.5),
                                        Reading(on=date(2026, 3, 31), value=12.5, source="MoJ report"))
    assert (tracks["PA-02"].baseline, tracks["PA-02"].target, tracks["PA-02"].readings) == (3.0, 10.0, ())


def test_an_excel_sheet_with_real_dates_and_baseline_columns_is_read(indicators):
    content = xlsx([["Indicator id", "Indicator", "Baseline", "Target", "Date", "Value", "Source"],
                    ["PA-01", "Victims identified", 4, 20, None, None, None],
                    ["PA-01", None, None, None, datetime(2026, 2, 28), 7, "hotline log"]])
    assert read_tracks("values.xlsx", content, indicators) == {
        "PA-01": Track(baseline=4, target=20, readings=(Reading(on=date(2026, 2, 28), value=7, source="hotline log"),))}


def test_headers_and_row_kinds_in_another_language_are_understood(indicators, pseudo):  # noqa: F811
    content = "‹Indicator id›,‹Date›,‹Value›\nPA-01,‹baseline›,2\nPA-01,2026-01-01,3\n".encode()
    track = read_tracks("valeurs.csv", content, indicators)["PA-01"]
    assert track.baseline == 2 and track.latest.value == 3


def test_the_exported_workbook_can_be_uploaded_as_it_is(catalogue, indicators, blank):
    assessment = (blank.set_baseline_and_target("PA-03", 1, 2)
                  .record_reading("PA-03", date(2026, 4, 1), 1.5, "survey"))
    content = to_xlsx(Exported(title="t"), assessment, catalogue, indicators)
    assert read_tracks("register.xlsx", content, indicators) == assessment.tracks


@pytest.mark.parametrize(("content", "message"), [
    (b"Indicator id,Date,Value\nXX-9,2026-01-01,3\n", "row 2, column Indicator id: 'XX-9' is not an indicator"),
    (b"Indicator id,Date,Value\nPA-01,01/02/2026,3\n", "row 2, column Date: '01/02/2026' is not a date"),
    (b"Indicator id,Date,Value\nPA-01,2026-02-30,3\n", "row 2, column Date: '2026-02-30' is not a date"),
    (b"Indicator id,Date,Value\nPA-01,2026-01-01,a lot\n", "row 2, column Value: 'a lot' is not a number"),
    (b"Indicator id,Date,Value\nPA-01,2026-01-01,nan\n", "row 2, column Value: 'nan' is not a number"),
    (b"Indicator id,Date,Value\n\nPA-01,2026-01-01,\n", "row 3, column Value: missing"),
    (b"Indicator id,Date,Value\nPA-01,,4\n", "row 2, column Date: missing"),
    (b"Indicator id,Date,Value\n,2026-01-01,4\n", "row 2, column Indicator id: missing"),
    (b"Indicator id,Date,Value\nPA-01,2026-01-01,=2*2\n", "row 2, column Value: a formula"),
    (b"Indicator id,Date,Value\nPA-01,2026-01-01,1\nPA-01,2026-01-01,2\n", "row 3, column Date: row 2 already"),
    (b"Indicator id,Date,Value\nPA-01,baseline,1\nPA-01,baseline,2\n", "row 3, column Value: row 2 already gives"),
    ("Indicator id,Date,Value,Source\nPA-01,2026-01-01,1,{}\n".format("s" * 301).encode(), "row 2, column Source: "
     "Source: 301 characters"),
    ("Indicator id,Date,Value,Source\nPA-01,2026-01-01,1,{}\n".format("s" * 3000).encode(), "row 2, column Source: "
     "3,000 characters"),
    (b"Risk,When,How many\nPA-01,2026-01-01,1\n", "row 1: the first row names the columns"),
    (b"Indicator id,Date,Value\nPA-01,2026-01-01,1\n\xff\xfe", "not a UTF-8 text file"),
    (b"0" * (MAX_VALUES_BYTES + 1), "larger than 10 MB"),
    (xlsx([["Indicator id", "Date", "Value"], ["PA-01", datetime(2026, 1, 1), "=1+1"]]),
     "sheet Values, row 2, column Value: a formula"),
    (xlsx([["Indicator id", "Date", "Value"], ["PA-01", 46000, 1]]), "row 2, column Date: '46000' is not a date"),
    (b"PK\x03\x04 broken", "not an Excel workbook"),
    (b"Indicator id,Date,Value\nPA-01,2026-01-01,\"1,234\"\n", "row 2, column Value: '1,234' could mean a thousand"),
    (b"Indicator id;Date;Value\nPA-01;2026-01-01;12.500\n", "row 2, column Value: '12.500' could mean a thousand"),
])
def test_a_bad_row_is_refused_naming_row_and_problem_and_nothing_is_read(indicators, content, message):
    with pytest.raises(IndicatorFileError, match=message):
        read_tracks("values.csv" if not content.startswith(b"PK") else "values.xlsx", content, indicators)


def test_unambiguous_separators_are_read(indicators):
    content = b"Indicator id;Date;Value\nPA-01;2026-01-01;0,125\nPA-01;2026-02-01;1234\nPA-01;2026-03-01;1.5\n"
    assert [r.value for r in read_tracks("v.csv", content, indicators)["PA-01"].readings] == [0.125, 1234, 1.5]


def test_an_assessment_takes_the_values_all_at_once(indicators, blank):
    content = b"Indicator id,Date,Value\nPA-01,2026-01-01,1\nPA-01,2026-02-01,2\n"
    recorded = blank.record_tracks(read_tracks("v.csv", content, indicators))
    assert [r.value for r in recorded.track("PA-01").readings] == [1, 2]
    assert recorded.record_tracks(read_tracks("v.csv", content, indicators)) == recorded  # same day and source
