"""The print view on paper: what the browser's "Save as PDF" makes of it. Pages 1 and 2
are also rendered to PNG under artifacts/print/ for a person to look at."""

from __future__ import annotations

import subprocess
from pathlib import Path

from playwright.sync_api import Page, expect

from .helpers import goto, rate_risk
from .server import REPO

PRINTS = REPO / "artifacts" / "print"
RATINGS = ((1, "High", "High"), (2, "Medium", "High"), (5, "Low", "Medium"), (9, "Low", "Low"))
FIRST_STATEMENT = "Victims of trafficking are not identified"
APP_CHROME = ("Mitigation gaps", "Indicators (4.3.5)", "Open the print view", "Every change is saved")


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])


def pdf_text(pdf: Path, number: int) -> str:
    return subprocess.run(["pdftotext", "-layout", "-f", str(number), "-l", str(number), str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout


def flat(text: str) -> str:
    """Words as read, whatever the line breaks of a table cell."""
    return " ".join(text.split())


def test_the_print_view_prints_the_heat_map_and_register_on_their_own_pages_without_the_app_chrome(
        page: Page, server: str, tmp_path: Path) -> None:
    goto(page, f"{server}/assess")
    for number, likelihood, impact in RATINGS:
        rate_risk(page, number, likelihood, impact)

    goto(page, f"{server}/print")
    expect(page.locator("[data-testid=stMain] .js-plotly-plot .textpoint").first).to_be_attached()
    pdf = tmp_path / "print-view.pdf"
    pdf.write_bytes(page.pdf(format="A4", print_background=True))

    pages = pdf_pages(pdf)
    assert pages >= 2, f"the print view prints on {pages} page(s)"
    first, second = flat(pdf_text(pdf, 1)), flat(pdf_text(pdf, 2))
    assert "HIGH" in first, f"page 1 shows no heat map: {first[:500]!r}"
    assert "Risk register" not in first, "the register starts on page 1, under the heat map"
    assert "Risk register" in second, f"page 2 does not start the register: {second[:500]!r}"
    assert FIRST_STATEMENT in second, f"risk 1 is not on page 2: {second[:800]!r}"
    for number in range(1, pages + 1):
        text = flat(pdf_text(pdf, number))
        shown = [words for words in APP_CHROME if words in text]
        assert not shown, f"page {number} prints the app's chrome: {shown}"

    PRINTS.mkdir(parents=True, exist_ok=True)
    for number in (1, 2):
        subprocess.run(["pdftoppm", "-r", "50", "-png", "-singlefile", "-f", str(number), "-l", str(number),
                        str(pdf), str(PRINTS / f"print-view-page-{number}")], check=True)
