"""The print view on paper: what the browser's "Save as PDF" makes of it (page.pdf is
Chromium's print-to-PDF). One PDF is printed for the module; its pages 1 and 2 are
rendered to PNG under artifacts/print/ for a person to look at."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from riskkit.catalogue import load_catalogue

from .helpers import goto, new_page, rate_risk
from .server import REPO

PRINTS = REPO / "artifacts" / "print"
RATINGS = ((1, "High", "High"), (2, "Medium", "High"), (5, "Low", "Medium"), (9, "Low", "Low"))
FIRST_STATEMENT = "Victims of trafficking are not identified"
APP_CHROME = ("Mitigation gaps", "Indicators (4.3.5)", "Open the print view", "Every change is saved")
# pdftotext reads a table row by row: a cell on the statement's line (a level, a band, the
# dash of an empty cell) lands among the statement's words.
OTHER_CELLS = {"–", "Low", "Medium", "High", "LOW", "MEDIUM", "HIGH"}
BANDS = {"LOW", "MEDIUM", "HIGH"}
CELLS = 9  # the catalogue's 3 x 3 grid: every cell prints its band's word


class Printed:
    """The print view saved as a PDF, read page by page."""

    def __init__(self, pdf: Path, assessment_id: str | None = None) -> None:
        self.pdf = pdf
        self.assessment_id = assessment_id
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        self.pages = int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])

    def text(self, number: int) -> str:
        """The words of one page (1-based) in reading order, whatever the line breaks."""
        found = subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), str(self.pdf), "-"],
                               capture_output=True, text=True, check=True).stdout
        return " ".join(found.split())

    def png(self, number: int, to: Path) -> Path:
        subprocess.run(["pdftoppm", "-r", "50", "-png", "-singlefile", "-f", str(number), "-l", str(number),
                        str(self.pdf), str(to)], check=True)
        return to.with_suffix(".png")


def print_to_pdf(page: Page, server: str, pdf: Path) -> None:
    """Open the print view and print it to A4 as a browser's "Save as PDF" does."""
    goto(page, f"{server}/print")
    expect(page.locator("[data-testid=stMain] .js-plotly-plot .textpoint").first).to_be_attached()
    pdf.write_bytes(page.pdf(format="A4", print_background=True))


def band_words(text: str) -> list[str]:
    return [word for word in text.split() if word in BANDS]


def statement_words(text: str) -> str:
    return " ".join(word for word in text.split() if word not in OTHER_CELLS)


@pytest.fixture(scope="module")
def printed(browser: Browser, server: str, new_assessment: Callable[..., str | None],
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[Printed]:
    """A few risks rated, then the print view printed to A4 as a browser's "Save as PDF" does."""
    assessment_id = new_assessment("Print test")
    page = new_page(browser, assessment_id=assessment_id)
    pdf = tmp_path_factory.mktemp("print") / "print-view.pdf"
    try:
        goto(page, f"{server}/assess")
        for number, likelihood, impact in RATINGS:
            rate_risk(page, number, likelihood, impact)
        print_to_pdf(page, server, pdf)
    finally:
        page.context.close()
    result = Printed(pdf, assessment_id)
    PRINTS.mkdir(parents=True, exist_ok=True)
    for number in range(1, min(result.pages, 2) + 1):
        result.png(number, PRINTS / f"print-view-page-{number}")
    yield result


def test_the_print_view_prints_the_heat_map_and_register_on_their_own_pages_without_the_app_chrome(
        printed: Printed) -> None:
    assert printed.pages >= 2, f"the print view prints on {printed.pages} page(s)"
    first, second = printed.text(1), printed.text(2)
    assert "HIGH" in first, f"page 1 shows no heat map: {first[:500]!r}"
    assert "Risk register" not in first, "the register starts on page 1, under the heat map"
    for number in range(1, printed.pages + 1):
        shown = [words for words in APP_CHROME if words in printed.text(number)]
        assert not shown, f"page {number} prints the app's chrome: {shown}"
    assert len(band_words(first)) == CELLS, f"page 1 shows {band_words(first)}, not the {CELLS} cells"
    assert "Risk register" in second, f"page 2 does not start the register: {second[:500]!r}"
    assert FIRST_STATEMENT in second, f"page 2 has the register's heading but not risk 1: {second[:500]!r}"


def test_no_row_of_the_printed_register_is_cut_in_half_between_two_pages(printed: Printed) -> None:
    pages = [statement_words(printed.text(number)) for number in range(1, printed.pages + 1)]
    cut = [risk.number for risk in load_catalogue().risks
           if not any(statement_words(f"{risk.number}. {risk.statement}") in page for page in pages)]
    assert not cut, f"the rows of risks {cut} are not whole on any one page"


def test_the_whole_heat_map_prints_from_a_wide_browser_window(browser: Browser, server: str, printed: Printed,
                                                               tmp_path: Path) -> None:
    page = new_page(browser, 1920, 1080, assessment_id=printed.assessment_id)
    try:
        print_to_pdf(page, server, tmp_path / "wide.pdf")
    finally:
        page.context.close()
    first = Printed(tmp_path / "wide.pdf").text(1)
    assert len(band_words(first)) == CELLS, f"page 1 shows {band_words(first)}, not the {CELLS} cells"
    assert "Impact →" in first, "the impact axis is cut off"
