import io
import re
import struct
import time

import pytest
from docx import Document
from pptx import Presentation
from pptx.util import Pt

from riskkit import images
from riskkit.briefing import briefing, to_docx
from riskkit.charts import heatmap_figure
from riskkit.outputs import build
from riskkit.rules import register
from riskkit.slides import capacity, paginate, slide_count_floor, to_pptx
from riskkit.limits import LIMITS
from tests.briefing.conftest import ABOUT, LONG, pdf_pages, pdf_text, to_pdf, words_outside_pages
from tests.conftest import rated


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.fixture
def workshop(catalogue, blank):
    a = rated(catalogue, blank, 1, "High", "High", strategy="Screen at the border", notes="Confidential: NGO X")
    a = rated(catalogue, a, 5, "Medium", "High")
    a = rated(catalogue, a, 7, "Low", "Low")
    a, own = a.add_own_risk(catalogue, "Shelter staff leave", ("1.7",), ("PA-03",))
    a = rated(catalogue, a, own, "High", "Medium", strategy="Retention bonus")
    a, secret = a.add_own_risk(catalogue, "Minister's adviser blocks referrals")
    a = rated(catalogue, a, secret, "High", "High").keep_internal(secret, True)
    return a


@pytest.fixture
def hostile(catalogue, workshop):
    """Hostile text at the longest each field takes (riskkit/limits.py): a statement of 2,000
    characters, a strategy and notes of 20,000."""
    statement = LONG[:LIMITS["statement"].max_chars].strip()
    strategy = (LONG * 2)[:LIMITS["strategy"].max_chars].strip()
    a, number = workshop.add_own_risk(catalogue, statement)
    return rated(catalogue, a, number, "High", "High", strategy=strategy, notes=strategy)


def test_heat_map_images_are_projector_and_email_sized_and_the_browser_is_reused(catalogue, workshop):
    fig = heatmap_figure(catalogue, register(catalogue, workshop))
    assert png_size(images.render(fig, "png", "projector")) == (1920, 1080)
    started = time.perf_counter()
    small = images.render(fig, "png", "email")
    assert time.perf_counter() - started < 2.0  # no new browser: the first image started it
    assert png_size(small) == (960, 540)
    svg = images.render(fig, "svg").decode()
    assert svg.startswith("<svg") and "HIGH" in svg and ">1<" in svg.replace(", ", "<")


def test_the_word_report_has_every_risk_rating_gap_and_the_heat_map(catalogue, indicators, workshop, tmp_path):
    content = briefing(ABOUT, workshop, catalogue, indicators)
    data = to_docx(content, images.render(heatmap_figure(catalogue, register(catalogue, workshop))))
    doc = Document(io.BytesIO(data))
    assert len(doc.inline_shapes) == 1
    register_rows = {row.cells[0].text.split(".")[0]: [c.text for c in row.cells]
                     for table in doc.tables for row in table.rows if re.match(r"\d+\. ", row.cells[0].text)}
    for risk in catalogue.risks:
        assert register_rows[str(risk.number)][0].startswith(f"{risk.number}. {risk.statement}")
    assert register_rows["1"][1:] == ["High", "High", "Screen at the border"]
    assert register_rows["5"][3] == "None written: required"
    assert register_rows["13"][0] == "13. Shelter staff leave (1.7)"
    text = "\n".join(p.text for p in doc.paragraphs)
    for heading in ("Goals", "Method", "Heat map", "Risk register", "Additional risks identified by user",
                    "Mitigation gaps", "Monitoring indicators linked to each risk"):
        assert heading in text
    assert "Risk 5 (no strategy)" in text and "Confidential: NGO X" in text
    source = tmp_path / "report.docx"
    source.write_bytes(data)
    pdf = to_pdf(source)
    assert 4 <= pdf_pages(pdf) <= 12
    assert "Victims of trafficking are not identified" in pdf_text(pdf)


def test_the_shareable_report_leaves_out_notes_and_internal_risks(catalogue, indicators, workshop):
    data = build("docx", ABOUT, workshop, catalogue, indicators, shareable=True)
    doc = Document(io.BytesIO(data))
    everything = "\n".join([p.text for p in doc.paragraphs] +
                           [c.text for t in doc.tables for r in t.rows for c in r.cells])
    assert "Confidential: NGO X" not in everything and "Minister's adviser" not in everything
    assert "Shelter staff leave" in everything and "Shareable version" in everything


def test_the_slide_deck_has_a_slide_per_high_band_risk_and_nothing_under_18_points(catalogue, indicators,
                                                                                    workshop, tmp_path):
    content = briefing(ABOUT, workshop, catalogue, indicators)
    deck = Presentation(io.BytesIO(to_pptx(content, images.render(
        heatmap_figure(catalogue, register(catalogue, workshop))))))
    assert deck.slide_width * 9 == deck.slide_height * 16
    titles = [s.shapes[0].text_frame.text for s in deck.slides]
    assert titles[1] == "Heat map: likelihood by impact"
    assert [t for t in titles if t.startswith("High-band risk")] == [
        "High-band risk 1", "High-band risk 5", "High-band risk 13", "High-band risk 14"]
    plain = [t for t in titles if not t.endswith("(continued)")]
    assert plain[-2:] == ["Mitigation gaps", "Monitoring indicators"]
    assert len(plain) == slide_count_floor(content)
    sizes = [run.font.size for s in deck.slides for shape in s.shapes if shape.has_text_frame
             for p in shape.text_frame.paragraphs for run in p.runs]
    assert sizes and min(sizes) >= Pt(18)
    assert any(shape.shape_type == 13 for shape in deck.slides[1].shapes)  # the heat map picture
    source = tmp_path / "deck.pptx"
    source.write_bytes(to_pptx(content, b"\x89PNG\r\n\x1a\n" + images.render(
        heatmap_figure(catalogue, register(catalogue, workshop)), "png", "email")[8:]))
    assert pdf_pages(to_pdf(source)) == len(deck.slides)


def test_long_hostile_text_breaks_no_file_and_runs_off_no_slide(catalogue, indicators, hostile, tmp_path):
    content = briefing(ABOUT, hostile, catalogue, indicators)
    png = images.render(heatmap_figure(catalogue, register(catalogue, hostile)), "png", "email")
    deck_bytes = to_pptx(content, png)
    deck = Presentation(io.BytesIO(deck_bytes))
    assert len(deck.slides) > slide_count_floor(content)  # the long risk continues on further slides
    for slide in deck.slides:
        for shape in slide.shapes:
            assert shape.left + shape.width <= deck.slide_width and shape.top + shape.height <= deck.slide_height
    (tmp_path / "deck.pptx").write_bytes(deck_bytes)
    pdf = to_pdf(tmp_path / "deck.pptx")
    assert pdf_pages(pdf) == len(deck.slides)
    assert words_outside_pages(pdf) == []
    text = pdf_text(pdf)
    assert "<script>alert(1)</script>" in text and "=HYPERLINK" in text  # shown as text
    (tmp_path / "report.docx").write_bytes(to_docx(content, png))
    report = to_pdf(tmp_path / "report.docx")
    assert words_outside_pages(report) == [] and "<script>alert(1)</script>" in pdf_text(report)


def test_paginate_keeps_every_word_and_fills_no_box_past_its_lines():
    from pptx.util import Inches
    text = " ".join(f"w{i}" for i in range(2000))
    pages = paginate([text], Inches(12), Inches(5), 20)
    assert " ".join(" ".join(page) for page in pages).split() == text.split()
    per_line, lines = capacity(Inches(12), Inches(5), 20)
    assert all(len(page) <= lines and all(len(line) <= per_line for line in page) for page in pages)


def test_every_format_builds_for_three_hundred_risks(catalogue, indicators):
    from benchmarks.synthetic import synthetic_assessment
    big = synthetic_assessment(catalogue, 300)
    for fmt in ("docx", "pptx", "xlsx", "json", "csv", "svg"):
        assert len(build(fmt, ABOUT, big, catalogue, indicators)) > 1000, fmt


def test_what_the_room_said_goes_with_its_rating_into_the_word_report_and_json(catalogue, indicators):
    from datetime import datetime, timezone

    from docx import Document

    from riskkit.exchange import from_json, to_json
    from riskkit.models import Assessment, RoomRating
    from riskkit.outputs import build

    room = RoomRating(count=23, likelihood={"Low": 2, "Medium": 9, "High": 12}, impact={"Low": 1, "Medium": 4,
                      "High": 18}, disagreement=True, recorded_at=datetime(2026, 11, 30, 10, 0, tzinfo=timezone.utc))
    rated_by_room = Assessment(policy=catalogue.policies.default).record_room_rating(
        catalogue, 3, "High", "High", room)
    doc = Document(io.BytesIO(build("docx", ABOUT, rated_by_room, catalogue, indicators)))
    cells = " ".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert "Rated by the room: 23 votes; likelihood 2 Low / 9 Medium / 12 High; impact 1 Low / 4 Medium / 18 High" \
        in cells
    back = from_json(to_json(ABOUT, rated_by_room), catalogue).assessment
    assert back.entry(3).room == room
