import io
import struct
import time
from datetime import UTC

import pytest
from docx import Document

from riskkit import images
from riskkit.briefing import briefing
from riskkit.charts import heatmap_figure
from riskkit.limits import LIMITS
from riskkit.outputs import build
from riskkit.report import to_docx
from riskkit.rules import register
from tests.briefing.conftest import ABOUT, LONG, pdf_text, to_pdf, words_outside_pages
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


def test_the_shareable_report_leaves_out_notes_and_internal_risks(catalogue, indicators, workshop):
    data = build("docx", ABOUT, workshop, catalogue, indicators, shareable=True)
    doc = Document(io.BytesIO(data))
    everything = "\n".join([p.text for p in doc.paragraphs] +
                           [c.text for t in doc.tables for r in t.rows for c in r.cells])
    assert "Confidential: NGO X" not in everything and "Minister's adviser" not in everything
    assert "Shelter staff leave" in everything and "Shareable version" in everything


def test_long_hostile_text_breaks_no_report(catalogue, indicators, hostile, tmp_path):
    content = briefing(ABOUT, hostile, catalogue, indicators)
    png = images.render(heatmap_figure(catalogue, register(catalogue, hostile)), "png", "email")
    (tmp_path / "report.docx").write_bytes(to_docx(content, png))
    report = to_pdf(tmp_path / "report.docx")
    assert words_outside_pages(report) == [] and "<script>alert(1)</script>" in pdf_text(report)


def test_every_format_builds_for_three_hundred_risks(catalogue, indicators):
    from benchmarks.synthetic import synthetic_assessment
    big = synthetic_assessment(catalogue, 300)
    for fmt in ("docx", "pptx", "xlsx", "json", "csv", "svg"):
        assert len(build(fmt, ABOUT, big, catalogue, indicators)) > 1000, fmt


def test_what_the_room_said_goes_with_its_rating_into_the_word_report_and_json(catalogue, indicators):
    from datetime import datetime

    from docx import Document

    from riskkit.exchange import from_json, to_json
    from riskkit.models import Assessment, RoomRating
    from riskkit.outputs import build

    room = RoomRating(count=23, likelihood={"Low": 2, "Medium": 9, "High": 12}, impact={"Low": 1, "Medium": 4,
                      "High": 18}, disagreement=True, recorded_at=datetime(2026, 11, 30, 10, 0, tzinfo=UTC))
    rated_by_room = Assessment(policy=catalogue.policies.default).record_room_rating(
        catalogue, 3, "High", "High", room)
    doc = Document(io.BytesIO(build("docx", ABOUT, rated_by_room, catalogue, indicators)))
    cells = " ".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert "Rated by the room: 23 votes; likelihood 2 Low / 9 Medium / 12 High; impact 1 Low / 4 Medium / 18 High" \
        in cells
    back = from_json(to_json(ABOUT, rated_by_room), catalogue).assessment
    assert back.entry(3).room == room
