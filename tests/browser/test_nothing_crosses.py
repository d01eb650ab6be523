"""Two people at once on two assessments: every download holds the assessment of the person
who clicked it, whoever clicked first, and after a server restart too. (Downloads were built
after the run from a process-wide stand-in for session state: the first export after a
start decided what every later export of anyone held.)"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from playwright.sync_api import Browser, Page
from pptx import Presentation

from riskkit.catalogue import load_catalogue
from riskkit.models import Indicator, IndicatorSet
from riskkit.store import Store

from .helpers import after_run, goto, new_page
from .server import start_server, stop_server

ASSESSMENTS_DOWNLOADS = ["Export JSON", "Export Excel", "Export register CSV"]
BRIEFING_DOWNLOADS = ["Word report", "PowerPoint briefing pack", "Heat map image, 1920x1080",
                      "Heat map image for email, 960x540", "Heat map as SVG", "Excel register", "JSON (every field)"]


def make(server_env: Mapping[str, str], name: str, risk: int) -> str:
    """An assessment whose every output names it: its own risk, its note, its indicator list,
    and one rated risk (Alpha rates risk 1 High/High, Bravo risk 2 Low/Low)."""
    catalogue = load_catalogue()
    store = Store(server_env["RISKKIT_DATABASE_URL"])
    made = store.create(f"{name} workshop", catalogue.policies.default)
    snap = store.load(made)
    level = "High" if name == "Alpha" else "Low"
    a = (snap.assessment.rate(catalogue, risk, likelihood=level, impact=level)
         .write_notes(catalogue, risk, f"{name} team only"))
    a, _number = a.add_own_risk(catalogue, f"{name.upper()}-ONLY own risk")
    a = a.use_indicators(IndicatorSet(title=f"{name} indicators", indicators=(
        Indicator(id=f"{name.upper()}-IND", wording=f"{name} indicator wording", kind="output", risks=(risk,)),)))
    store.save(snap, a)
    store.engine.dispose()
    return made


def download(page: Page, label: str) -> bytes:
    with page.expect_download(timeout=90_000) as started:
        page.get_by_role("button", name=label, exact=True).click()
    return Path(started.value.path()).read_bytes()


def text_of(label: str, data: bytes) -> str:
    """The words a person would find in the file (for images: the SVG's text, or the PNG's size)."""
    if label.endswith("JSON") or label.startswith("JSON"):
        return json.dumps(json.loads(data))
    if "Excel" in label:
        book = load_workbook(io.BytesIO(data))
        return " ".join(str(c.value) for sheet in book.worksheets for row in sheet.iter_rows() for c in row)
    if "CSV" in label:
        return " ".join(" ".join(row) for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    if label.startswith("Word"):
        doc = Document(io.BytesIO(data))
        return " ".join([p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows
                                                            for c in r.cells])
    if label.startswith("PowerPoint"):
        deck = Presentation(io.BytesIO(data))
        texts = []
        for slide in deck.slides:
            for shape in slide.shapes:
                if shape.has_text_frame:
                    texts.append(shape.text_frame.text)
                if shape.has_table:  # the heat map, the gaps and the indicators are tables
                    texts.extend(cell.text for row in shape.table.rows for cell in row.cells)
        return " ".join(texts)
    if "SVG" in label:
        return " ".join(re.findall(r">([^<>]+)<", data.decode()))
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{label} is not a PNG"
    return ""


def assert_belongs_to(label: str, data: bytes, name: str, other: str) -> None:
    words = text_of(label, data)
    if "Heat map image" in label:
        return  # a picture: checked against the other person's below
    if "SVG" in label:  # the heat map's labels: the one rated risk sits in its own cell
        mine, theirs = ("1", "2") if name == "Alpha" else ("2", "1")
        numbers = re.findall(r"\b\d+\b", words)
        assert mine in numbers and theirs not in numbers, f"{label} for {name} shows {numbers}"
        return
    if label.startswith("PowerPoint"):  # the pack shows high-band risks and the indicators
        assert f"{name} workshop" in words and f"{name.upper()}-IND" in words, f"{label} for {name}: {words[:200]}"
    else:
        assert f"{name.upper()}-ONLY own risk" in words, f"{label} for {name} lacks {name}'s own risk"
    assert other.upper() not in words and other not in words, f"{label} for {name} holds {other}'s data"
    if "CSV" not in label and "Heat" not in label:
        assert f"{name} indicator wording" in words or label.startswith("PowerPoint") or "JSON" in label \
            or f"{name.upper()}-IND" in words, f"{label} for {name} lacks {name}'s indicators"


def downloads_of(alpha: Page, bravo: Page, url: str, page: str, labels: list[str], alpha_first: bool,
                 ids: dict[str, str]) -> dict[str, dict[str, bytes]]:
    got: dict[str, dict[str, bytes]] = {"Alpha": {}, "Bravo": {}}
    for person, name in ((alpha, "Alpha"), (bravo, "Bravo")):
        goto(person, f"{url}/{page}?assessment={ids[name]}")
    order = [(alpha, "Alpha"), (bravo, "Bravo")]
    if not alpha_first:
        order.reverse()
    for label in labels:
        for person, name in order:
            got[name][label] = download(person, label)
    return got


def check(got: dict[str, dict[str, bytes]]) -> None:
    for label in got["Alpha"]:
        assert_belongs_to(label, got["Alpha"][label], "Alpha", "Bravo")
        assert_belongs_to(label, got["Bravo"][label], "Bravo", "Alpha")
        assert got["Alpha"][label] != got["Bravo"][label], f"Alpha and Bravo got the same {label}"


@pytest.fixture
def two_people(browser: Browser):
    people = [new_page(browser, 1280, 900), new_page(browser, 1280, 900)]
    yield people
    for person in people:
        person.context.close()


@pytest.mark.parametrize("alpha_first", [True, False], ids=["alpha-first", "bravo-first"])
def test_two_people_on_two_assessments_each_download_their_own(server, server_env, two_people, alpha_first):
    ids = {"Alpha": make(server_env, "Alpha", 1), "Bravo": make(server_env, "Bravo", 2)}
    alpha, bravo = two_people
    check(downloads_of(alpha, bravo, server, "assessments", ASSESSMENTS_DOWNLOADS, alpha_first, ids))
    check(downloads_of(alpha, bravo, server, "briefing", BRIEFING_DOWNLOADS, alpha_first, ids))
    for person, name in ((alpha, "Alpha"), (bravo, "Bravo")):  # and the print view shows each their own
        goto(person, f"{server}/print?assessment={ids[name]}")
        assert f"{name.upper()}-ONLY" in person.locator("[data-testid=stMain]").inner_text()


def test_downloads_after_a_server_restart_hold_each_persons_assessment(browser, server_env, tmp_path):
    ids = {"Alpha": make(server_env, "Alpha", 1), "Bravo": make(server_env, "Bravo", 2)}
    proc, url = start_server(tmp_path, env=server_env)
    port = int(url.rsplit(":", 1)[1])
    alpha, bravo = new_page(browser, 1280, 900), new_page(browser, 1280, 900)
    try:
        check(downloads_of(alpha, bravo, url, "assessments", ASSESSMENTS_DOWNLOADS[:1], True, ids))
        stop_server(proc)
        proc, url = start_server(tmp_path, env=server_env, port=port)
        check(downloads_of(alpha, bravo, url, "assessments", ASSESSMENTS_DOWNLOADS, False, ids))
        check(downloads_of(alpha, bravo, url, "briefing", ["Word report", "Heat map as SVG"], True, ids))
    finally:
        stop_server(proc)
        alpha.context.close()
        bravo.context.close()


def test_every_link_of_the_sidebar_keeps_the_assessment_in_the_address(page, server):
    goto(page, f"{server}/overview")
    opened = page.assessment_id  # type: ignore[attr-defined]
    links = page.locator("[data-testid=stSidebar] [data-testid=stPageLink-NavLink]")
    titles = [links.nth(i).locator("[data-testid=stMarkdownContainer]").inner_text().strip()
              for i in range(links.count())]
    assert "Heat map" in titles and "Present" in titles
    for title in titles:
        link = links.filter(has=page.get_by_text(title, exact=True))
        after_run(page, link.click)
        assert f"assessment={opened}" in page.url, f"{title} dropped the assessment: {page.url}"
    for path in ("", "/", "/overview"):  # the default address and the README's bookmark open Overview
        goto(page, f"{server}{path}")
        assert page.locator("[data-testid=stMain] h1").first.inner_text().startswith("3.6 Protection")
        assert f"assessment={opened}" in page.url
