"""The register CSV and the action plan CSV opened the way a person opens it: in LibreOffice Calc, with ',' and with
';' as the separator, formulas evaluated. No cell may become a formula (OWASP CSV injection)."""

from __future__ import annotations

import csv
import io
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from riskkit.exchange import to_csv, to_plan_csv

from .conftest import _tool

# Each of these starts a formula in some spreadsheet when written as it is.
ATTACKS = [
    "=1+1", "+1+1", "-1+1", "@SUM(1,1)", "\t=1+1", "\r=1+1", " =1+1", "\u00a0=1+1", "\n=1+1",
    "\uff1d1+1", "x;=1+1", "x,=1+1", '=HYPERLINK("http://attacker.example","click")',
]
SEPARATORS = {"comma": 44, "semicolon": 59}


def _open_in_calc(content: bytes, separator: int, folder: Path) -> list[list[object]]:
    """Import the CSV into LibreOffice Calc (formulas evaluated) and read back what each cell became."""
    source = folder / f"register-{separator}.csv"
    source.write_bytes(content)
    profile = folder / "lo-profile"
    # CSV filter tokens: separator, text delimiter ("), UTF-8 (76), first line 1, cell formats, language,
    # quoted field as text, detect special numbers, ..., evaluate formulas (13th) = true
    options = f"{separator},34,76,1,,0,false,true,false,false,false,-1,true"
    subprocess.run([_tool("soffice"), f"-env:UserInstallation=file://{profile}", "--headless",
                    f"--infilter=CSV:{options}", "--convert-to", "xlsx", "--outdir", str(folder), str(source)],
                   check=True, capture_output=True, timeout=180)
    book = load_workbook(source.with_suffix(".xlsx"))
    return [[(cell.data_type, cell.value) for cell in row] for row in book.active.iter_rows()]


def _register_with(catalogue, blank, text: str):
    assessment = blank
    for number in range(1, len(ATTACKS) + 1):
        assessment = (assessment.write_strategy(catalogue, number, ATTACKS[number - 1].strip() or "x")
                      .write_notes(catalogue, number, text))
    return assessment


@pytest.mark.parametrize("separator", SEPARATORS.values(), ids=SEPARATORS.keys())
def test_no_cell_of_the_register_csv_becomes_a_formula_in_a_spreadsheet(catalogue, indicators, blank, tmp_path,
                                                                         separator):
    assessment = blank
    for number, attack in enumerate(ATTACKS, start=1):
        if number > 12:
            assessment, number = assessment.add_own_risk(catalogue, "own " + attack.strip())
        assessment = (assessment.write_strategy(catalogue, number, attack.replace("\t", " ").strip() or "x")
                      .write_notes(catalogue, number, attack.replace("\r", "\n").replace("\t", " ")))
    cells = _open_in_calc(to_csv(assessment, catalogue, indicators), separator, tmp_path)
    formulas = [value for row in cells for kind, value in row if kind == "f"]
    assert formulas == []
    if separator == 44:  # read with the separator it was written with, every cell is its text
        strategies = [row[4][1] for row in cells[1:len(ATTACKS) + 1]]
        assert all(str(s).lstrip("'").strip() for s in strategies)
        assert any(str(s).startswith("'=HYPERLINK") for s in strategies)


def test_no_cell_of_the_action_plan_csv_becomes_a_formula_in_a_spreadsheet(catalogue, blank, tmp_path):
    assessment = blank
    for attack in ATTACKS:
        assessment, _ = assessment.add_action(catalogue, 1, attack.replace("\t", " ").strip() or "x",
                                              who=attack.replace("\t", " ").replace("\n", " ").replace("\r", " ")
                                              .strip()[:200], note=attack.replace("\r", "\n").replace("\t", " "))
    cells = _open_in_calc(to_plan_csv(catalogue, assessment), 59, tmp_path)
    assert len(cells) > len(ATTACKS) and [value for row in cells for kind, value in row if kind == "f"] == []


def test_the_same_cells_written_plainly_do_become_formulas(tmp_path):
    """The check above can fail: without neutralising, Calc runs these."""
    out = io.StringIO()
    csv.writer(out).writerows([["No.", "Strategy"], *([n, attack] for n, attack in enumerate(ATTACKS))])
    cells = _open_in_calc(out.getvalue().encode(), 59, tmp_path)
    assert [value for row in cells for kind, value in row if kind == "f"]
