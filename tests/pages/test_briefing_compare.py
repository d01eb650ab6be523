"""The Briefing page offers to compare with another assessment (a snapshot made with
Assessments → Duplicate); the Word report and the slides it then builds say what changed since."""

from __future__ import annotations

import functools
import io
from collections.abc import Callable
from typing import Any

import pytest
from docx import Document
from pptx import Presentation

import ui.widgets
from riskkit.store import Store
from tests.pages.conftest import open_page, rate


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> dict[str, Callable[[], bytes]]:
    """Every download the page draws, by key: the file as the button would build it."""
    seen: dict[str, Callable[[], bytes]] = {}
    real = ui.widgets.download

    def recording(where: Any, label: str, build: Callable[..., bytes], *args: Any, **options: Any) -> None:
        seen[options["key"]] = functools.partial(build, *args)
        real(where, label, build, *args, **options)

    monkeypatch.setattr(ui.widgets, "download", recording)
    return seen


def test_comparing_with_a_snapshot_adds_what_changed_to_the_report_and_the_slides(app, drawn):
    store = Store()
    snapshot = store.duplicate(app.query_params["assessment"][0] if isinstance(app.query_params["assessment"], list)
                               else app.query_params["assessment"], "Snapshot before the workshop")
    store.engine.dispose()
    open_page(app, "assess")
    rate(app, 3, "High", "High")
    open_page(app, "briefing")
    choice = app.selectbox(key="briefing.compare")
    assert choice.value is None and choice.options[0] == "No comparison"
    assert any(option.startswith("Snapshot before the workshop") for option in choice.options)
    plain = Document(io.BytesIO(drawn["briefing.docx.projector"]()))
    assert not any(p.text.startswith("Changes since") for p in plain.paragraphs)

    choice.set_value(snapshot).run()
    assert not app.exception and not app.error
    doc = Document(io.BytesIO(drawn["briefing.docx.projector"]()))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert any(h.startswith("Changes since Snapshot before the workshop") for h in headings)
    moved = next(t for t in doc.tables if t.rows[0].cells[-1].text == "Likelihood / impact: then → now")
    assert moved.rows[1].cells[0].text.startswith("3. ") and moved.rows[1].cells[1].text == "not rated → High / High"
    deck = Presentation(io.BytesIO(drawn["briefing.pptx.projector"]()))
    titles = [s.shapes.title.text_frame.text for s in deck.slides if s.shapes.title is not None]
    assert "Risks that moved" in titles and "Where the risks are now, and where they came from" in titles
