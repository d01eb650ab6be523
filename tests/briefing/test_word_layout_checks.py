"""The layout checks catch what they are for: a document made badly on purpose (a row split
across pages, text pushed into the margin, a page left half empty, no page numbers, a serif
face, two lines drawn over each other) is rendered once and every check names its fault."""

from __future__ import annotations

import re

import pytest
from docx import Document
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from tests.briefing import layout

MARGIN = Cm(2.0).pt


@pytest.fixture(scope="module")
def badly_made(tmp_path_factory: pytest.TempPathFactory) -> layout.Rendered:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.0))
    doc.styles["Normal"].font.name = "DejaVu Serif"
    doc.add_paragraph("A short first page, then a break.")
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    doc.add_paragraph("Into the margin " * 8).paragraph_format.left_indent = Cm(-1.5)
    crowded = doc.add_paragraph("Drawn over the line below")
    crowded.runs[0].add_break()
    crowded.add_run("The line drawn over")
    crowded.paragraph_format.line_spacing = Pt(5)  # the second line lands on the first
    table = doc.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Identified risk", "Strategy"
    repeat = OxmlElement("w:tblHeader")  # the header repeats, but rows may split
    repeat.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(repeat)
    for number in range(1, 5):
        cells = table.add_row().cells
        cells[0].text = f"{number}. A risk"
        cells[1].text = "\n".join(f"line {i} of a long strategy" for i in range(25))  # rows that must split
    source = tmp_path_factory.mktemp("bad") / "badly-made.docx"
    doc.save(str(source))
    return layout.render(source, "word-badly-made")


def test_every_check_names_the_fault_it_is_for(badly_made):
    assert layout.text_outside(badly_made, MARGIN - 1, MARGIN - 1, 20, 20)
    assert layout.overlapping_lines(badly_made)
    assert layout.pages_without_number(badly_made) == list(range(1, len(badly_made.pages) + 1))
    assert layout.fonts_other_than(badly_made, {"LiberationSans"}) == ["DejaVuSerif"]
    assert layout.split_rows(badly_made, "Identified risk", re.compile(r"\d+\. "))
    empty = layout.half_empty_pages(badly_made, MARGIN, MARGIN, section_starts=())
    assert empty and empty[0].startswith("page 1:")
    assert layout.half_empty_pages(badly_made, MARGIN, MARGIN, section_starts=("Into the margin",))[:1] != empty[:1]
