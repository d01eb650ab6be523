"""Briefing tests open every file with its library and, where layout matters,
turn it into PDF with LibreOffice and read the pages back with poppler."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from riskkit import images
from riskkit.exchange import Exported

ABOUT = Exported(title="Kenya national workshop", context="Kenya", held_on=date(2026, 11, 29))
HOSTILE = "<script>alert(1)</script> =HYPERLINK(\"http://x\") [x](javascript:alert(1)) "
LONG = (HOSTILE + "A strategy written at length by a committee. ") * 110  # ~5,000+ characters


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        pytest.fail(f"{name} is missing: `make test` installs it (scripts/system-deps.sh)")
    return found


@pytest.fixture(scope="session", autouse=True)
def _browser_for_images():
    os.environ.setdefault("BROWSER_PATH", _tool("chromium"))
    yield
    images.stop()


def to_pdf(source: Path) -> Path:
    """LibreOffice headless, with its own profile so parallel or leftover instances do not clash."""
    profile = source.parent / "lo-profile"
    subprocess.run([_tool("soffice"), f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(source.parent), str(source)],
                   check=True, capture_output=True, timeout=180)
    pdf = source.with_suffix(".pdf")
    assert pdf.exists(), f"LibreOffice made no PDF of {source.name}"
    return pdf


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run([_tool("pdfinfo"), str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def words_outside_pages(pdf: Path) -> list[str]:
    """Words whose box lies outside their page, from poppler's layout: text that ran off."""
    import re
    xml = subprocess.run([_tool("pdftotext"), "-bbox", str(pdf), "-"], check=True, capture_output=True,
                         text=True).stdout
    outside = []
    for page in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', xml, re.S):
        width, height = float(page.group(1)), float(page.group(2))
        for word in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>',
                                page.group(3)):
            x_max, y_max = float(word.group(3)), float(word.group(4))
            if x_max > width + 0.5 or y_max > height + 0.5:
                outside.append(word.group(5))
    return outside


def pdf_text(pdf: Path) -> str:
    return subprocess.run([_tool("pdftotext"), str(pdf), "-"], check=True, capture_output=True, text=True).stdout
