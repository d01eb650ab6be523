"""Briefings: what a report or a slide deck says, then the Word file (slides: riskkit.slides).

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
