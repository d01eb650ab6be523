"""The Briefing page's downloads, as a person gets them from the browser."""

from __future__ import annotations

import io
import struct
from collections.abc import Mapping

from docx import Document
from playwright.sync_api import Page

from riskkit.catalogue import load_catalogue
from riskkit.store import Store

from .helpers import after_run, goto


def seed(server_env: Mapping[str, str], assessment_id: str) -> None:
    """Ratings, a note and an internal own risk, saved as the app saves them."""
    catalogue = load_catalogue()
    store = Store(server_env["RISKKIT_DATABASE_URL"])
    snap = store.load(assessment_id)
    a = (snap.assessment.rate(catalogue, 1, likelihood="High", impact="High")
         .write_notes(catalogue, 1, "Only for the team"))
    a, number = a.add_own_risk(catalogue, "The minister's adviser blocks referrals")
    a = a.rate(catalogue, number, likelihood="High", impact="Medium").keep_internal(number, True)
    store.save(snap, a)
    store.engine.dispose()


def download(page: Page, label: str) -> bytes:
    with page.expect_download(timeout=90_000) as started:
        page.get_by_role("button", name=label).click()
    return open(started.value.path(), "rb").read()


def document_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    return "\n".join([p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells])


def test_the_briefing_page_downloads_a_projector_image_and_a_report_with_the_ratings(
        page: Page, server: str, server_env: Mapping[str, str]) -> None:
    seed(server_env, page.assessment_id)  # type: ignore[attr-defined]
    goto(page, f"{server}/briefing")
    png = download(page, "Heat map image, 1920x1080")
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", png[16:24]) == (1920, 1080)
    report = document_text(download(page, "Word report"))
    assert "1. Victims of trafficking are not identified" in report
    assert "Only for the team" in report and "minister's adviser" in report


def test_the_shareable_report_leaves_out_notes_and_internal_risks(
        page: Page, server: str, server_env: Mapping[str, str]) -> None:
    seed(server_env, page.assessment_id)  # type: ignore[attr-defined]
    goto(page, f"{server}/briefing")
    after_run(page, lambda: page.get_by_text("Shareable version").click())
    report = document_text(download(page, "Word report"))
    assert "Victims of trafficking are not identified" in report
    assert "Only for the team" not in report and "minister's adviser" not in report
