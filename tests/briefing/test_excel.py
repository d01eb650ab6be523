"""The Excel register as printed and as read back: band colours, a filter, a frozen header,
A4 landscape one page wide with the header on every page, the action plan and the indicator
values printed the same way, a Legend in plain words, and files from before (values on the
Legend) still imported. Rendered once per size; pages kept under artifacts/briefing/excel-*/."""

import io
import re
import zipfile
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from riskkit.exchange import ABOUT_SHEET, Exported, from_xlsx, to_xlsx
from riskkit.palette import colours_of
from tests.briefing.conftest import ABOUT
from tests.briefing.layout import fonts_other_than, overlapping_lines, render, text_outside

LIBERATION = {"LiberationSans", "LiberationSans-Bold"}
A4_MARGIN_PT = 0.5 * 72 - 2  # the printout's side margins, less a little for the grid lines


@pytest.fixture(scope="module", params=[12, 300])
def workbook(request, catalogue, indicators, tmp_path_factory):
    from benchmarks.synthetic import synthetic_assessment
    assessment = with_a_plan(catalogue, indicators, synthetic_assessment(catalogue, request.param))
    data = to_xlsx(ABOUT, assessment, catalogue, indicators, today=TODAY)
    source = tmp_path_factory.mktemp("excel") / f"register-{request.param}.xlsx"
    source.write_bytes(data)
    return assessment, data, render(source, f"excel-{request.param}")


TODAY = date(2026, 11, 29)


def with_a_plan(catalogue, indicators, assessment):
    """Two actions for each toolkit risk (the first ones overdue, long notes on some), residual
    ratings, and monthly values for three indicators."""
    for risk in catalogue.risks:
        n = risk.number
        assessment = assessment.rate_residual(catalogue, n, likelihood="Low", impact="Medium")
        assessment, _ = assessment.add_action(catalogue, n, f"Step one for risk {n}: agree the referral forms with "
                                              "every shelter in the region", "Ministry of Social Protection",
                                              TODAY + timedelta(days=30 * n - 120), "in_progress",
                                              "Waiting for the regional office. " * (n % 3))
        assessment, _ = assessment.add_action(catalogue, n, "Brief the hotline staff", "IOM", None)
    for indicator in indicators.indicators[:3]:
        assessment = assessment.set_baseline_and_target(indicator.id, 10, 50)
        for month in range(1, 7):
            assessment = assessment.record_reading(indicator.id, date(2026, month, 28), 10 + 3 * month, "MoJ report")
    return assessment


def test_the_register_has_band_and_strategy_required_columns_in_band_colours(workbook, catalogue):
    _assessment, data, _rendered = workbook
    sheet = load_workbook(io.BytesIO(data))["Register"]
    header = [cell.value for cell in sheet[1]]
    assert header[:7] == ["No.", "Identified risk", "Likelihood", "Impact", "Risk mitigation strategy", "Band",
                          "Strategy required"]
    for row in sheet.iter_rows(min_row=2, max_row=sheet.max_row):
        band = {"Low": "low", "Medium": "medium", "High": "high"}[row[5].value]
        assert row[5].fill.fgColor.rgb.endswith(colours_of(band, catalogue.bands.names)[0].lstrip("#"))
        assert row[6].value in ("yes", "no")
    assert sheet.auto_filter.ref == f"A1:O{sheet.max_row}"
    assert sheet.freeze_panes == "A2"


def test_the_register_prints_landscape_one_page_wide_with_its_header_on_every_page(workbook):
    _assessment, data, rendered = workbook
    sheet = load_workbook(io.BytesIO(data))["Register"]
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
    assert sheet.page_setup.fitToHeight == 0 and sheet.print_title_rows == "$1:$1"
    register_pages = [page for page in rendered.pages if "Identified risk" in page.text
                      and "Due date" not in page.text]
    assert register_pages and all("Indicators" in page.text and "Band" in page.text for page in register_pages)
    assert text_outside(rendered, A4_MARGIN_PT, A4_MARGIN_PT, 20, 20) == []
    assert overlapping_lines(rendered) == []
    assert fonts_other_than(rendered, LIBERATION) == []  # every page, every sheet: cells, header and footer
    assert all(f"Page {n}" in page.text for n, page in enumerate(register_pages, start=1))


def test_the_action_plan_prints_one_page_wide_overdue_first(workbook):
    assessment, data, rendered = workbook
    sheet = load_workbook(io.BytesIO(data))["Action plan"]
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.print_area == f"'Action plan'!$A$1:$H${sheet.max_row}"
    plan_pages = [page for page in rendered.pages if "Due date" in page.text]
    assert plan_pages and all("Note" in page.text and "Overdue" in page.text for page in plan_pages)
    overdue = [row[6].value for row in sheet.iter_rows(min_row=2)]
    assert overdue[:3] == ["overdue"] * 3 and "overdue" not in overdue[3:]  # due 90, 60 and 30 days ago
    values_pages = [page for page in rendered.pages if "Baseline" in page.text and "Source" in page.text]
    assert values_pages and "MoJ report" in values_pages[0].text


def test_a_cell_left_unstyled_prints_in_the_body_font_not_calibri(workbook):
    """The default style is the workbook's fallback for any cell without a font of its own (the
    Legend's grid labels once were: LibreOffice printed them in DejaVu Sans, for Calibri)."""
    _assessment, data, _rendered = workbook
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        styles = archive.read("xl/styles.xml").decode()
    first_font = re.search(r"<fonts [^>]*><font>(.*?)</font>", styles)
    assert first_font and '<name val="Arial"/>' in first_font.group(1)
    assert "Calibri" not in styles


def test_the_legend_is_in_plain_words_and_the_ids_are_out_of_sight(workbook):
    _assessment, data, rendered = workbook
    book = load_workbook(io.BytesIO(data))
    legend = " ".join(str(c.value) for row in book["Legend"].iter_rows() for c in row if c.value is not None)
    for internal in ("riskkit.assessment", "Schema version", "Format", "Policy both", "'both'"):
        assert internal not in legend and internal not in rendered.text
    assert "Kenya national workshop" in legend and "November 29, 2026" in legend
    assert "Toolkit reading: likelihood and impact both Medium or High" in legend
    assert book[ABOUT_SHEET].sheet_state == "hidden"


def test_the_workbook_reads_back_as_it_was_written(workbook, catalogue, indicators):
    assessment, data, _rendered = workbook
    back = from_xlsx(data, catalogue, indicators)
    assert back.assessment == assessment
    assert back.about == ABOUT


def test_a_workbook_from_the_previous_version_still_imports(catalogue, indicators, blank):
    """Before the Legend was in plain words, it held the values an import reads, by label."""
    book = load_workbook(io.BytesIO(to_xlsx(ABOUT, blank, catalogue, indicators)))
    del book[ABOUT_SHEET]
    old = book["Legend"]
    old.delete_rows(1, old.max_row)
    for row in (["riskkit assessment", "Old workshop"], ["Country or project", "Ghana"], ["Date", "2025-03-04"],
                ["Toolkit section", "3.6"], ["Format", "riskkit.assessment"], ["Schema version", 1],
                ["Policy", "either"], ["Policy in force", "Cautious"]):
        old.append(row)
    out = io.BytesIO()
    book.save(out)
    back = from_xlsx(out.getvalue(), catalogue, indicators)
    assert back.about == Exported(title="Old workshop", context="Ghana", held_on=date(2025, 3, 4))
    assert back.assessment.policy == "either"
