"""Briefings: what a report or a slide deck says, then the Word and PowerPoint files.

`briefing()` decides the content once (which risks, which bands, which gaps,
what a shareable version leaves out); the writers only lay it out.
"""

from __future__ import annotations

import io
from datetime import date

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.document import Document as DocxDocument
from docx.shared import Cm, Length, Pt, RGBColor
from docx.table import Table, _Cell, _Row
from pptx import Presentation
from pptx.dml.color import RGBColor as PptxRGB
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.slide import Slide
from pptx.util import Emu, Inches
from pptx.util import Pt as PptxPt

from riskkit.exchange import Exported
from riskkit import words
from riskkit.models import AssessedRisk, Assessment, Catalogue, IndicatorSet, Value
from riskkit.palette import colours_of
from riskkit.rules import (Gap, band_of, indicators_for, mitigation_gaps, policy_in_force, register,
                           requires_mitigation, shareable_copy)


class BriefingRisk(Value):
    risk: AssessedRisk
    band: str | None
    required: bool
    indicators: tuple[tuple[str, str], ...]  # (id, wording)
    levels: tuple[str, ...] = ()  # the scale, lowest first, for the room's votes


class Briefing(Value):
    title: str
    context: str
    held_on: date | None
    shareable: bool
    section: str
    goals: tuple[tuple[str, str], ...]
    scale: tuple[str, ...]
    bands: tuple[tuple[str, tuple[str, ...]], ...]  # likelihood (highest first) -> band per impact
    band_names: tuple[str, ...]
    policy: str
    toolkit_risks: tuple[BriefingRisk, ...]
    own_risks: tuple[BriefingRisk, ...]
    gaps: tuple[Gap, ...]
    indicators_draft: bool
    indicator_title: str

    @property
    def all_risks(self) -> tuple[BriefingRisk, ...]:
        return self.toolkit_risks + self.own_risks

    @property
    def high_band(self) -> tuple[BriefingRisk, ...]:
        top = self.band_names[-1]
        return tuple(r for r in self.all_risks if r.band == top)


def briefing(about: Exported, assessment: Assessment, catalogue: Catalogue, indicators: IndicatorSet,
             shareable: bool = False) -> Briefing:
    """The content of a briefing. A shareable one leaves out notes and own risks marked internal."""
    if shareable:
        assessment = shareable_copy(assessment)
    policy = policy_in_force(catalogue, assessment)
    wording = {i.id: i.wording for i in indicators.indicators}

    def shown(risk: AssessedRisk) -> BriefingRisk:
        band = band_of(catalogue, risk.likelihood, risk.impact) if risk.rated else None  # type: ignore[arg-type]
        return BriefingRisk(risk=risk, band=band, levels=catalogue.scale.levels,
                            required=risk.rated and requires_mitigation(catalogue, policy, risk.likelihood,
                                                                        risk.impact),
                            indicators=tuple((i, wording[i]) for i in indicators_for(risk, indicators)))

    rows = [shown(r) for r in register(catalogue, assessment)]
    levels = catalogue.scale.levels
    return Briefing(
        title=about.title, context=about.context, held_on=about.held_on, shareable=shareable,
        section=f"{catalogue.section.number} {catalogue.section.title}",
        goals=tuple((g.name, g.text) for g in catalogue.goals), scale=levels,
        bands=tuple((lk, tuple(band_of(catalogue, lk, im) for im in levels)) for lk in reversed(levels)),
        band_names=catalogue.bands.names, policy=words.policy(assessment.policy),
        toolkit_risks=tuple(r for r in rows if not r.risk.own), own_risks=tuple(r for r in rows if r.risk.own),
        gaps=mitigation_gaps(catalogue, assessment, indicators),
        indicators_draft=indicators.draft, indicator_title=indicators.title)


def _rating(item: BriefingRisk) -> str:
    r = item.risk
    if not r.rated:
        return "Not rated"
    return (f"Likelihood {_level(r.likelihood)} · Impact {_level(r.impact)} · "
            f"{words.band(item.band).upper() if item.band else ''} band")


def _level(level: str | None) -> str:
    return words.level(level) if level is not None else "–"


def _identified(r: AssessedRisk) -> str:
    refs = f" ({', '.join(r.references)})" if r.references else ""
    return f"{r.number}. {r.statement}{refs}"


# --- Word ------------------------------------------------------------------------------


def to_docx(content: Briefing, heatmap_png: bytes) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)  # A4 landscape: the register is wide
    section.orientation = WD_ORIENT.LANDSCAPE
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.8))
    styles = doc.styles
    styles["Normal"].font.name = "Arial"
    styles["Normal"].font.size = Pt(10.5)

    doc.add_heading(content.title, level=0)
    meta = [content.context, content.held_on.isoformat() if content.held_on else "",
            f"Toolkit section {content.section}"]
    doc.add_paragraph(" · ".join(m for m in meta if m))
    if content.shareable:
        doc.add_paragraph("Shareable version: notes and risks marked internal are left out.")

    doc.add_heading("Goals", level=1)
    for name, text in content.goals:
        para = doc.add_paragraph()
        para.add_run(f"{name}: ").bold = True
        para.add_run(text)

    doc.add_heading("Method", level=1)
    doc.add_paragraph(f"Likelihood and impact are each rated {' / '.join(map(_level, reversed(content.scale)))}. "
                      f"Each combination has a severity band, shown below. A risk mitigation strategy is "
                      f"required under the policy in force: {content.policy}.")
    grid = doc.add_table(rows=len(content.scale) + 1, cols=len(content.scale) + 1)
    grid.style = "Table Grid"
    grid.cell(0, 0).text = "Likelihood \\ Impact"
    for column, impact in enumerate(content.scale, start=1):
        grid.cell(0, column).text = _level(impact)
    for row, (likelihood, bands) in enumerate(content.bands, start=1):
        grid.cell(row, 0).text = _level(likelihood)
        for column, band in enumerate(bands, start=1):
            fill, ink = colours_of(band, content.band_names)
            cell = grid.cell(row, column)
            cell.text = words.band(band).upper()
            _shade(cell, fill)
            for run in cell.paragraphs[0].runs:
                run.font.color.rgb = RGBColor.from_string(ink.lstrip("#"))
                run.bold = True

    doc.add_heading("Heat map", level=1)
    doc.add_picture(io.BytesIO(heatmap_png), width=Cm(20))
    doc.add_paragraph("Each cell shows its band and the numbers of the risks rated into it.")

    doc.add_page_break()  # type: ignore[no-untyped-call]
    doc.add_heading("Risk register", level=1)
    _register_table(doc, content.toolkit_risks, content.band_names)
    doc.add_heading("Additional risks identified by user", level=1)
    if content.own_risks:
        _register_table(doc, content.own_risks, content.band_names)
    else:
        doc.add_paragraph("None added.")

    doc.add_heading("Mitigation gaps", level=1)
    doc.add_paragraph(f"Under the policy in force ({content.policy}).")
    if not content.gaps:
        doc.add_paragraph("No gaps: every risk is rated and every required strategy is written.")
    for gap in content.gaps:
        doc.add_paragraph(f"Risk {gap.number} ({words.gap_kind(gap.kind)}): {gap.explanation}",
                          style="List Bullet")

    doc.add_heading("Monitoring indicators linked to each risk", level=1)
    if content.indicators_draft:
        doc.add_paragraph("These are riskkit's draft indicators standing in for the toolkit's section 4.3.5.")
    table = doc.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Risk", "Indicators"
    for item in content.all_risks:
        cells = table.add_row().cells
        cells[0].text = str(item.risk.number)
        cells[1].text = "\n".join(f"{i}: {w}" for i, w in item.indicators) or "None linked"
    _widths(table, (Cm(2), Cm(24)))

    if not content.shareable:
        noted = [r for r in content.all_risks if r.risk.notes.strip()]
        if noted:
            doc.add_heading("Notes", level=1)
            for item in noted:
                doc.add_paragraph(f"Risk {item.risk.number}: {item.risk.notes}")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _register_table(doc: DocxDocument, items: tuple[BriefingRisk, ...], band_names: tuple[str, ...]) -> None:
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, title in zip(table.rows[0].cells, ("Identified risk", "Likelihood", "Impact",
                                                 "Risk mitigation strategy")):
        cell.text = title
        cell.paragraphs[0].runs[0].bold = True
        _shade(cell, "#D9E2F3")
    _repeat_header(table.rows[0])
    for item in items:
        r = item.risk
        cells = table.add_row().cells
        cells[0].text = _identified(r)
        cells[1].text = _level(r.likelihood)
        cells[2].text = _level(r.impact)
        strategy = r.strategy.strip() or ("None written: required" if item.required else "–")
        cells[3].text = strategy
        if r.room is not None:  # what the room said, beside the rating it produced
            described = r.room.describe(item.levels)
            said = cells[0].add_paragraph(described[:1].upper() + described[1:] + ".")
            for run in said.runs:
                run.font.size = Pt(8)
        if item.band:
            fill, ink = colours_of(item.band, band_names)
            for cell in (cells[1], cells[2]):
                _shade(cell, fill)
                for run in cell.paragraphs[0].runs:
                    run.font.color.rgb = RGBColor.from_string(ink.lstrip("#"))
    _widths(table, (Cm(9.5), Cm(2.6), Cm(2.6), Cm(11.3)))


def _widths(table: Table, widths: tuple[Length, ...]) -> None:
    """Fixed column widths (Word honours the cells, LibreOffice the grid: set both)."""
    table.autofit = False
    for column, width in zip(table.columns, widths):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = width


def _shade(cell: _Cell, hex_colour: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), hex_colour.lstrip("#"))
    cell._tc.get_or_add_tcPr().append(shading)


def _repeat_header(row: _Row) -> None:
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


# --- PowerPoint ------------------------------------------------------------------------

SLIDE_W, SLIDE_H = Emu(12192000), Emu(6858000)  # 13.333 x 7.5 in: 16:9
MARGIN = Inches(0.6)
BODY_PT = 20  # never below 18
TITLE_PT = 32
INK = PptxRGB(0x11, 0x11, 0x11)  # type: ignore[no-untyped-call]
# Conservative text metrics for Arial: an average character is ~0.55 em wide, a line 1.25 em high.
CHAR_EM, LINE_EM = 0.55, 1.25


def capacity(width: int, height: int, points: int) -> tuple[int, int]:
    """How many characters fit on a line, and how many lines, in a box at a type size."""
    em = points * 12700  # EMU per point
    return max(1, int(width / (em * CHAR_EM))), max(1, int(height / (em * LINE_EM)))


def paginate(paragraphs: list[str], width: int, height: int, points: int) -> list[list[str]]:
    """Split text into boxfuls that fit, wrapping words as PowerPoint would (or more cautiously)."""
    per_line, lines = capacity(width, height, points)
    pages: list[list[str]] = [[]]
    used = 0
    for paragraph in paragraphs:
        for line in _wrap(paragraph, per_line):
            if used + 1 > lines:
                pages.append([])
                used = 0
            pages[-1].append(line)
            used += 1
    return [page for page in pages if page] or [[]]


def _wrap(text: str, per_line: int) -> list[str]:
    tokens, lines, current = text.split(), [], ""
    for word in tokens:
        while len(word) > per_line:  # a very long word (a URL) is cut, never left to overflow
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:per_line])
            word = word[per_line:]
        if not current:
            current = word
        elif len(current) + 1 + len(word) <= per_line:
            current += " " + word
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines or [""]


def to_pptx(content: Briefing, heatmap_png: bytes) -> bytes:
    deck = Presentation()
    deck.slide_width, deck.slide_height = SLIDE_W, SLIDE_H
    blank = deck.slide_layouts[6]
    body_w = SLIDE_W - 2 * MARGIN
    title_h = Inches(1.1)
    body_top = MARGIN + title_h
    body_h = SLIDE_H - body_top - MARGIN

    def slide(title: str, lines: list[str], points: int = BODY_PT) -> None:
        page = deck.slides.add_slide(blank)
        _box(page, MARGIN, MARGIN, body_w, title_h, [title], TITLE_PT, bold=True)
        if lines:
            _box(page, MARGIN, body_top, body_w, body_h, lines, points)

    def text_slides(title: str, paragraphs: list[str]) -> None:
        pages = paginate(paragraphs, body_w, body_h, BODY_PT)
        for index, lines in enumerate(pages):
            slide(title if index == 0 else f"{title} (continued)", lines)

    first = deck.slides.add_slide(blank)
    title_lines = paginate([content.title], body_w, Inches(2.4), 40)[0]
    _box(first, MARGIN, Inches(1.6), body_w, Inches(2.4), title_lines, 40, bold=True)
    meta = [m for m in (content.context, content.held_on.isoformat() if content.held_on else "") if m]
    sub = paginate([" · ".join(meta)] if meta else [], body_w, Inches(1.0), 24)[0]
    _box(first, MARGIN, Inches(4.2), body_w, Inches(1.0), sub, 24)
    _box(first, MARGIN, Inches(5.4), body_w, Inches(1.2),
         [f"Protection and assistance risks (toolkit section {content.section.split(' ')[0]})"]
         + (["Shareable version"] if content.shareable else []), 20)

    heat = deck.slides.add_slide(blank)
    _box(heat, MARGIN, MARGIN, body_w, title_h, ["Heat map: likelihood by impact"], TITLE_PT, bold=True)
    picture_h = body_h
    picture_w = int(picture_h * 16 / 9)
    heat.shapes.add_picture(io.BytesIO(heatmap_png), int((SLIDE_W - picture_w) / 2), body_top, picture_w,
                            picture_h)

    for item in content.high_band:
        r = item.risk
        paragraphs = [_identified(r), _rating(item),
                      "Strategy: " + (r.strategy.strip() or "none written yet (required)"),
                      "Indicators: " + (", ".join(i for i, _ in item.indicators) or "none linked")]
        text_slides(f"High-band risk {r.number}", paragraphs)

    hard = [g for g in content.gaps if not g.soft]
    gap_lines = [f"Policy in force: {content.policy}.", f"{len(hard)} gap(s), {len(content.gaps) - len(hard)} "
                 "flag(s)."]
    for kind in dict.fromkeys(g.kind for g in content.gaps):
        of_kind = [str(g.number) for g in content.gaps if g.kind == kind]
        shown = words.gap_kind(kind)
        gap_lines.append(f"{shown[:1].upper() + shown[1:]}: risks {', '.join(of_kind)}")
    text_slides("Mitigation gaps", gap_lines)

    indicator_lines = [("Draft indicators (stand-in for toolkit section 4.3.5)." if content.indicators_draft
                        else content.indicator_title)]
    used: dict[str, list[int]] = {}
    wording: dict[str, str] = {}
    for item in content.all_risks:
        for indicator_id, wording_of in item.indicators:
            used.setdefault(indicator_id, []).append(item.risk.number)
            wording[indicator_id] = wording_of
    for indicator_id, numbers in used.items():
        indicator_lines.append(f"{indicator_id} (risks {', '.join(map(str, numbers))}): {wording[indicator_id]}")
    text_slides("Monitoring indicators", indicator_lines)

    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def _box(slide: Slide, left: int, top: int, width: int, height: int, lines: list[str], points: int, bold: bool = False) -> None:
    shape = slide.shapes.add_textbox(Emu(left), Emu(top), Emu(width), Emu(height))
    frame = shape.text_frame
    frame.word_wrap = True
    frame.auto_size = None
    frame.vertical_anchor = MSO_ANCHOR.TOP
    for side in ("margin_left", "margin_right", "margin_top", "margin_bottom"):
        setattr(frame, side, 0)
    for index, line in enumerate(lines):
        para = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        para.alignment = PP_ALIGN.LEFT
        run = para.add_run()
        run.text = line
        run.font.size = PptxPt(points)
        run.font.bold = bold
        run.font.name = "Arial"
        run.font.color.rgb = INK


def slide_count_floor(content: Briefing) -> int:
    """Title, heat map, one per high-band risk, gaps, indicators: the least a deck has."""
    return 2 + len(content.high_band) + 2

