"""The Briefing page keeps an organisation's templates with the assessment: upload, say
which is in use, remove; a file that is not a template is refused under its uploader and
nothing changes (the reports built with a template: tests/briefing/test_word.py)."""

from __future__ import annotations

import io

from docx import Document
from docx.shared import Cm

from tests.pages.conftest import open_page


def word_template() -> bytes:
    doc = Document()
    doc.styles["Normal"].font.name = "DejaVu Sans"
    doc.sections[0].page_width = Cm(21.59)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def captions(app) -> str:
    """What the captions say, as read (md_literal escapes their punctuation)."""
    return " ".join(c.value for c in app.caption).replace("\\", "")


def test_a_word_template_is_kept_said_and_removed(app):
    open_page(app, "briefing")
    assert "Word template (.dotx or .docx): none" in captions(app)
    app.file_uploader(key="briefing.template.docx.file").upload("ministry.docx", word_template(),
                                                                "application/octet-stream").run()
    app.button(key="briefing.template.docx.keep").click().run()
    assert not app.exception and not app.error
    assert "in use: ministry.docx" in captions(app)
    app.button(key="briefing.template.docx.remove").click().run()
    assert "Word template (.dotx or .docx): none" in captions(app)


def test_a_file_that_is_not_a_template_is_refused_under_its_uploader(app):
    open_page(app, "briefing")
    app.file_uploader(key="briefing.template.pptx.file").upload("deck.pptx", b"not a presentation",
                                                                "application/octet-stream").run()
    app.button(key="briefing.template.pptx.keep").click().run()
    assert not app.exception
    assert [e.value for e in app.error] and "cannot be opened as a PowerPoint template" in app.error[0].value.replace(
        "\\", "")
    assert "PowerPoint template (.potx or .pptx): none" in captions(app)
