"""The limits at the domain boundary hold for typed text, JSON, Excel and indicator uploads
alike, and every refusal is a sentence, never a traceback."""

from __future__ import annotations

import io
import json
import time
import zipfile

import pytest
from openpyxl import Workbook

from riskkit.catalogue import parse_indicator_upload
from riskkit.errors import IndicatorFileError, InvalidEdit, RiskkitError
from riskkit.exchange import MAX_UNPACKED_BYTES, Exported, FileRejected, from_json, from_xlsx, to_json, to_xlsx
from riskkit.limits import LIMITS, MAX_RISK_NUMBER, InvalidText, checked_text
from riskkit.models import Entry, IndicatorSet, OwnRisk

CONTROL = ["\x00", "\x0b", "\x1b[31m", "\x7f", "\u202e", "\u2066", "\u200f"]


@pytest.mark.parametrize("bad", CONTROL)
def test_control_and_bidi_characters_are_refused_naming_the_field(bad):
    with pytest.raises(InvalidText, match=r"Notes: contains an invisible control character \(U\+"):
        checked_text("notes", f"a note {bad} here")


def test_line_breaks_and_tabs_are_ordinary_typing_in_long_fields_but_not_in_a_title():
    assert checked_text("notes", "line one\r\nline two\tend") == "line one\nline two\tend"
    with pytest.raises(InvalidText, match="Title: contains a line break"):
        checked_text("title", "two\nlines")


@pytest.mark.parametrize("field", sorted(LIMITS))
def test_every_limit_lets_its_longest_text_in_and_refuses_one_more_character(field):
    limit = LIMITS[field].max_chars
    assert checked_text(field, "x" * limit) == "x" * limit
    with pytest.raises(InvalidText, match=f"{limit + 1:,} characters is more than the {limit:,} allowed"):
        checked_text(field, "x" * (limit + 1))


def test_an_edit_with_an_unknown_field_or_a_wrong_type_raises(catalogue, blank):
    with pytest.raises(InvalidEdit, match="likelyhood"):
        blank.rate(catalogue, 1, likelyhood="High")
    with pytest.raises(InvalidEdit, match="strategy"):
        blank.write_strategy(catalogue, 1, None)
    added, number = blank.add_own_risk(catalogue, "A risk of ours")
    with pytest.raises(InvalidEdit, match="internal"):
        added.keep_internal(number, "yes please")
    with pytest.raises(InvalidEdit, match="internal"):
        added.keep_internal(number, "yes")  # strict: a word that looks like yes is still not a boolean
    with pytest.raises(InvalidEdit, match="likelihood"):
        blank.rate(catalogue, 1, likelihood=3)
    with pytest.raises(InvalidEdit, match="references"):
        added.cite_references(number, "1.6")  # a string is not a tuple of references


def test_typed_text_over_a_limit_is_refused_by_the_edit_itself(catalogue, blank):
    with pytest.raises(InvalidText, match="Risk mitigation strategy"):
        blank.write_strategy(catalogue, 2, "x" * 20_001)
    with pytest.raises(InvalidText, match="Notes"):
        blank.write_notes(catalogue, 2, "bell\x07")
    with pytest.raises(InvalidText, match="Identified risk"):
        blank.add_own_risk(catalogue, "x" * 2_001)


@pytest.mark.parametrize("number", [0, -1, MAX_RISK_NUMBER + 1, 2**31, 2**63])
def test_risk_numbers_out_of_range_are_refused(number):
    with pytest.raises(InvalidEdit, match="Risk numbers run from 1"):
        OwnRisk(number=number, statement="s")


def _document(**assessment) -> bytes:
    return json.dumps({"format": "riskkit.assessment", "schema_version": 1, "title": "t",
                       "assessment": {"policy": "both", **assessment}}).encode()


@pytest.mark.parametrize(("document", "words"), [
    (b"[" * 50_000 + b"]" * 50_000, "nested far too deeply"),
    (_document(entries={"1": {"notes": "x" * 20_001}}), "Notes: 20,001 characters"),
    (_document(entries={"1": {"notes": "esc \x1b[2J"}}), "control character"),
    (_document(own_risks=[{"number": 2**63, "statement": "big"}]), "Risk numbers run from 1"),
    (json.dumps({"format": "riskkit.assessment", "schema_version": 1, "title": "x" * 300,
                 "assessment": {"policy": "both"}}).encode(), "Title: 300 characters"),
    (json.dumps({"format": "riskkit.assessment", "schema_version": 10**400}).encode(), "schema version unknown"),
])
def test_a_hostile_json_file_is_refused_with_words(catalogue, document, words):
    with pytest.raises(FileRejected, match=words):
        from_json(document, catalogue, "hostile.json")


def _book(rows) -> bytes:
    book = Workbook()
    book.active.title = "Register"
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


HEADER = ["No.", "Identified risk", "Likelihood", "Impact", "Risk mitigation strategy", "Notes"]


@pytest.mark.parametrize("number", ["nan", "inf", "-inf", "1e400", 2**63, 2**31, MAX_RISK_NUMBER + 1, "9" * 5000])
def test_a_risk_number_that_is_no_number_is_refused_naming_the_row(catalogue, indicators, number):
    with pytest.raises(FileRejected, match="row 2, column No.: '[^']{1,20}' is not a risk number"):
        from_xlsx(_book([HEADER, [number, "An own risk", "Low", "Low", "", ""]]), catalogue, indicators, "r.xlsx")


def test_a_cell_over_its_limit_is_refused_naming_the_sheet_and_row(catalogue, indicators):
    content = _book([HEADER, [None, "An own risk", "Low", "Low", "", "x" * 20_001]])
    with pytest.raises(FileRejected, match="r.xlsx, sheet Register, row 2: Notes: 20,001 characters"):
        from_xlsx(content, catalogue, indicators, "r.xlsx")


def test_a_small_workbook_that_unpacks_to_a_huge_one_is_refused_before_it_is_opened(catalogue, indicators):
    """The outside test's file: an exported register plus one cell of 100 MB, 114 KB zipped."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/sharedStrings.xml", "<sst>" + "x" * (MAX_UNPACKED_BYTES + 1) + "</sst>")
    content = out.getvalue()
    assert len(content) < 200_000
    started = time.perf_counter()
    with pytest.raises(FileRejected, match="unpacks to 40 MB, far more than a register"):
        from_xlsx(content, catalogue, indicators, "bomb.xlsx")
    assert time.perf_counter() - started < 1.0


def test_broken_xml_inside_a_workbook_is_a_refusal_not_a_traceback(catalogue, indicators, blank):
    good = to_xlsx(Exported(title="t"), blank, catalogue, indicators)
    source, out = zipfile.ZipFile(io.BytesIO(good)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as broken:
        for item in source.infolist():
            data = source.read(item.filename)
            broken.writestr(item, data[: len(data) // 2] if item.filename.endswith("sheet1.xml") else data)
    with pytest.raises(FileRejected, match="part of it is damaged"):
        from_xlsx(out.getvalue(), catalogue, indicators, "broken.xlsx")


@pytest.mark.parametrize(("content", "words"), [
    (b"id,wording,kind,disaggregation,risks\nX,\x1b[31mred,output,,1\n", "control character"),
    (b"id,wording,kind,disaggregation,risks\n" + b"X" * 41 + b",w,output,,1\n", "Indicator id: 41 characters"),
    (b"id,wording,kind,disaggregation,risks\nX,w,output,,\xc2\xb2\n", "risk numbers separated by ';'"),
    (b"title: t\nindicators: " + b"[" * 20_000 + b"]" * 20_000, "cannot be read|nested|not readable"),
])
def test_a_hostile_indicator_list_is_refused_with_words(catalogue, content, words):
    name = "list.csv" if content.startswith(b"id") else "list.yaml"
    with pytest.raises(IndicatorFileError, match=words):
        parse_indicator_upload(name, content, catalogue)


def test_checking_indicator_ids_is_linear_so_a_long_list_loads_quickly(catalogue):
    rows = "\n".join(f"I{n},W{n},output,,{n % 12 + 1}" for n in range(30_000))
    content = f"id,wording,kind,disaggregation,risks\n{rows}\n".encode()
    started = time.perf_counter()
    parsed = parse_indicator_upload("long.csv", content, catalogue)
    IndicatorSet.model_validate_json(parsed.model_dump_json())  # what every page load of it does
    assert len(parsed.indicators) == 30_000
    assert time.perf_counter() - started < 10  # quadratic took over 70 s


def test_every_refusal_is_a_riskkit_error_so_pages_show_it_as_words():
    assert issubclass(InvalidText, RiskkitError) and issubclass(FileRejected, RiskkitError)


def test_a_register_at_every_limit_still_exports_to_excel_and_back(catalogue, indicators, blank):
    full = blank.write_strategy(catalogue, 1, "s" * 20_000).write_notes(catalogue, 1, "n" * 20_000)
    content = to_xlsx(Exported(title="t" * 200), full, catalogue, indicators)
    back = from_xlsx(content, catalogue, indicators, "full.xlsx").assessment
    assert back.entry(1) == Entry(strategy="s" * 20_000, notes="n" * 20_000)
    assert from_json(to_json(Exported(title="t" * 200), full), catalogue).assessment == full
