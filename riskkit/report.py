"""The Word report: a briefing laid out in a house style a ministry accepts unedited.

Styles come from the organisation's template (.dotx or .docx, kept with the assessment)
or from a clean default: Arial throughout (LibreOffice draws it with Liberation Sans, its
metric twin, so lines break where Word breaks them). The report opens with a cover, then
a table of contents (a TOC field: Word fills in the page numbers on opening, LibreOffice
with Tools > Update), a summary of the follow-up (actions, reviews due, what changed), the
goals, the method with the heat map on one page, and, on landscape pages, the register with
each risk's residual rating beside its current one, the gaps, the action plan, the
indicators and their values, what changed since an earlier assessment (when one is given)
and the notes. Table rows never split across pages and their header repeats; the band has
its own coloured column with its word in it; "overdue" is said in words.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from xml.sax.saxutils import escape

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.section import Section, _Footer, _Header
from docx.shared import Cm, Emu, Length, Pt, RGBColor
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph

from riskkit import words
from riskkit.briefing import (
    Briefing,
    BriefingRisk,
    Changes,
    action_change_words,
    move_words,
    number_words,
    rating_words,
    reading_words,
    status_words,
)
from riskkit.i18n import _, long_date, ngettext
from riskkit.models import Reading
from riskkit.palette import UNRATED_COLOURS, colours_of
from riskkit.plan import REVIEW_NOTICE
from riskkit.templates import document

FONT = "Arial"  # in the PDF: LiberationSans, its metric twin (scripts/system-deps.sh installs it)
INK = "1F2A44"  # headings: a dark blue-grey that prints well in black and white
MUTED = "555555"
HEADER_FILL = "#D9E2F3"
RULE = "A6A6A6"
BODY_PT, SMALL_PT = 10, 8
MARGIN = Cm(2.0)
HEADER_DISTANCE = Cm(1.0)
AUTHOR = "riskkit"


def to_docx(content: Briefing, heatmap_png: bytes, template: bytes | None = None, organisation: str = "") -> bytes:
    """The report as .docx bytes. `template`: an organisation's .dotx/.docx whose styles and
    page set-up it takes (its body is left out); None for the default house style.
    `organisation` goes on the cover and into the file's author; without it, the assessment's
    organisation, else the template's company, else riskkit."""
    doc = _start(template)
    organisation = organisation.strip() or content.organisation.strip() or _company(doc)
    _properties(doc, content, organisation)
    when = _long_date(content.held_on)

    _cover(doc, content, when, organisation)
    _contents(doc)
    _summary(doc, content)
    _heading(doc, _("Goals"))
    for name, text in content.goals:
        para = doc.add_paragraph()
        para.add_run(f"{name}: ").bold = True
        para.add_run(text)

    _heading(doc, _("Method"), page_break=True)
    doc.add_paragraph(_("Likelihood and impact are each rated {levels}. Each combination falls in a severity "
                        "band, shown below. A risk mitigation strategy is required under the policy in force: "
                        "{policy}.").format(levels=" / ".join(_level(x) for x in reversed(content.scale)),
                                            policy=content.policy))
    _band_grid(doc, content)
    _heat_map(doc, content, heatmap_png)

    register_section = doc.add_section(WD_SECTION.NEW_PAGE)
    _landscape(register_section)
    width = _text_width(register_section)
    _heading(doc, _("Risk register"))
    _register_table(doc, content.toolkit_risks, content.band_names, width)
    _heading(doc, _("Additional risks identified by user"))
    if content.own_risks:
        _register_table(doc, content.own_risks, content.band_names, width)
    else:
        doc.add_paragraph(_("None added."))
    _gaps(doc, content)
    _action_plan(doc, content, width)
    _indicators(doc, content, width)
    _indicator_values(doc, content, width)
    if content.changes is not None:
        _changes(doc, content.changes, width)
    if not content.shareable:
        noted = [r for r in content.all_risks if r.risk.notes.strip()]
        if noted:
            _heading(doc, _("Notes"))
            for item in noted:
                doc.add_paragraph(_("Risk {number}: {notes}").format(number=item.risk.number, notes=item.risk.notes))

    _header_and_footer(doc.sections[0], content.title, when)
    for later in doc.sections[1:]:  # the landscape pages run on with the same header and footer
        later.header.is_linked_to_previous = later.footer.is_linked_to_previous = True
        later.different_first_page_header_footer = False
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# --- the document and its styles ------------------------------------------------------


def _start(template: bytes | None) -> DocxDocument:
    if template is None:
        doc = Document()
        _house_style(doc)
        section = doc.sections[0]
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)  # A4
        section.orientation = WD_ORIENT.PORTRAIT
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, MARGIN)
        section.header_distance = section.footer_distance = HEADER_DISTANCE
    else:
        doc = document(template)
        doc.element.body.clear_content()  # the template's styles and page, not its sample text
        _missing_styles(doc)
    return doc


def _house_style(doc: DocxDocument) -> None:
    """One sans-serif face throughout, sober sizes and a dark ink for headings."""
    _fonts_of(doc.styles.element.find(qn("w:docDefaults")))
    sizes = {"Normal": BODY_PT, "Title": 28, "Subtitle": 16, "Heading 1": 16, "Heading 2": 13,
             "Header": SMALL_PT, "Footer": SMALL_PT, "TOC Heading": 16}
    for style in doc.styles:
        if style.type not in (WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER, WD_STYLE_TYPE.TABLE):
            continue
        _fonts_of(style.element)
        if style.name in sizes:
            style.font.size = Pt(sizes[style.name])
    for name in ("Title", "Subtitle", "Heading 1", "Heading 2", "TOC Heading"):
        font = doc.styles[name].font
        font.color.rgb = RGBColor.from_string(INK)
        font.italic = False
    title = doc.styles["Title"].element
    for border in title.xpath("./w:pPr/w:pBdr"):  # the default's blue rule under the title
        border.getparent().remove(border)
    normal = doc.styles["Normal"].paragraph_format
    normal.space_after = Pt(6)
    normal.line_spacing = 1.1
    for name in ("Heading 1", "Heading 2"):
        heading = doc.styles[name].paragraph_format
        heading.space_before, heading.space_after = Pt(14), Pt(6)
        heading.keep_with_next = True


def _fonts_of(element: object) -> None:
    """Name the face outright in a style's run properties, dropping theme fonts (Calibri,
    Cambria), which LibreOffice would replace by whatever it finds."""
    if element is None:
        return
    props = element.find(qn("w:rPr")) if element.tag != qn("w:docDefaults") else None  # type: ignore[attr-defined]
    if element.tag == qn("w:docDefaults"):  # type: ignore[attr-defined]
        holder = element.find(qn("w:rPrDefault"))  # type: ignore[attr-defined]
        if holder is None:
            return
        props = holder.find(qn("w:rPr"))
    if props is None:
        props = OxmlElement("w:rPr")
        element.append(props)  # type: ignore[attr-defined]
    fonts = props.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        props.insert(0, fonts)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    for face in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(face), FONT)


def _missing_styles(doc: DocxDocument) -> None:
    """A template may lack a style the report uses: add a plain one, so nothing fails."""
    names = {style.name for style in doc.styles}
    for name, bold, size in (("Title", True, 26), ("Subtitle", False, 15), ("Heading 1", True, 15),
                             ("Heading 2", True, 12), ("Header", False, SMALL_PT), ("Footer", False, SMALL_PT),
                             ("TOC Heading", True, 15)):
        if name not in names:
            style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = doc.styles["Normal"]
            style.font.bold, style.font.size = bold, Pt(size)
            if name.startswith("Heading"):
                style.paragraph_format.keep_with_next = True
                level = OxmlElement("w:outlineLvl")
                level.set(qn("w:val"), str(int(name[-1]) - 1))
                style.element.get_or_add_pPr().append(level)


def _company(doc: DocxDocument) -> str:
    """The organisation a template was made for: its Company property, if it has one."""
    for rel in doc.part.package.rels.values():
        if rel.reltype.endswith("/extended-properties"):
            found = re.search(rb"<(?:\w+:)?Company>([^<]*)</", rel.target_part.blob)
            if found:
                return found.group(1).decode("utf-8", "replace").strip()
    return ""


def _properties(doc: DocxDocument, content: Briefing, organisation: str) -> None:
    props = doc.core_properties
    props.title = content.title[:255]
    props.subject = _("Risk register, toolkit section {section}").format(section=content.section)[:255]
    props.author = props.last_modified_by = (organisation or AUTHOR)[:255]
    props.keywords = _("risk register; protection and assistance; mitigation")
    props.category = _("Risk assessment")
    props.comments = content.context[:255]
    props.created = props.modified = datetime.now(UTC).replace(tzinfo=None)
    props.revision = 1


def _long_date(held_on: date | None) -> str:
    """'29 November 2026', as UN documents write it, in the reader's language."""
    return long_date(held_on, "d MMMM y")


# --- the parts ---------------------------------------------------------------------------


def _cover(doc: DocxDocument, content: Briefing, when: str, organisation: str) -> None:
    spacer = doc.add_paragraph()
    spacer.paragraph_format.space_before = Cm(5)
    doc.add_paragraph(content.title, style="Title")
    doc.add_paragraph(_("Protection and assistance risk register, toolkit section {section}").format(
        section=content.section), style="Subtitle")
    details = [(_("Country or project"), content.context), (_("Date"), when), (_("Organisation"), organisation)]
    for label, value in details:
        if value:
            para = doc.add_paragraph()
            para.paragraph_format.space_before = Pt(8)
            para.add_run(f"{label}: ").bold = True
            para.add_run(value)
    notes = [_("Shareable version: notes and risks marked internal are left out.") if content.shareable else "",
             content.translation_note]  # whose words section 3.6's are, when not the toolkit's English
    for index, text in enumerate(note for note in notes if note):
        note = doc.add_paragraph(text)
        note.paragraph_format.space_before = Pt(24 if index == 0 else 8)
        for run in note.runs:
            run.italic = True
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _heading(doc: DocxDocument, text: str, page_break: bool = False, level: int = 1) -> None:
    heading: Paragraph = doc.add_heading(text, level=level)
    heading.paragraph_format.page_break_before = page_break


def _contents(doc: DocxDocument) -> None:
    """A TOC field over the level 1 and 2 headings. Its shown text, until a reader's program
    updates it, lists the headings without page numbers."""
    doc.add_paragraph(_("Contents"), style="TOC Heading")
    first = doc.add_paragraph()
    _field_char(first, "begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = ' TOC \\o "1-2" \\h \\z \\u '
    first.add_run()._r.append(instruction)
    _field_char(first, "separate")
    first.add_run(_("Contents: update the field (F9 in Word) to show page numbers."))
    _field_char(first, "end")
    settings = doc.settings.element
    if settings.find(qn("w:updateFields")) is None:  # Word offers to fill in the page numbers on opening
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        settings.append(update)


def _band_grid(doc: DocxDocument, content: Briefing) -> None:
    size = len(content.scale) + 1
    grid = doc.add_table(rows=size, cols=size)
    _borders(grid)
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    _write(grid.cell(0, 0), _("Likelihood \\ Impact"), bold=True)
    for column, impact in enumerate(content.scale, start=1):
        _write(grid.cell(0, column), _level(impact), bold=True)
    for row, (likelihood, bands) in enumerate(content.bands, start=1):
        _write(grid.cell(row, 0), _level(likelihood), bold=True)
        for column, band in enumerate(bands, start=1):
            _band_cell(grid.cell(row, column), band, content.band_names)
    _widths(grid, (Cm(4.2),) + (Cm(3.2),) * len(content.scale))
    for table_row in grid.rows:
        _keep_row(table_row)


def _heat_map(doc: DocxDocument, content: Briefing, heatmap_png: bytes) -> None:
    """The picture and what it says, kept on the Method page."""
    _heading(doc, _("Heat map"))
    rated = [r for r in content.all_risks if r.band is not None]
    counts = {band: sum(1 for r in rated if r.band == band) for band in content.band_names}
    per_band = ", ".join(_("{band}: {count}").format(band=words.band(band), count=counts[band])
                         for band in reversed(content.band_names))
    unrated = len(content.all_risks) - len(rated)
    doc.add_paragraph(_("{rated} of {total} risks are rated ({per_band}); {unrated} not yet rated. Each cell "
                        "shows its band and the numbers of the risks rated into it; a strategy is required "
                        "for {required} of them.").format(
        rated=len(rated), total=len(content.all_risks), per_band=per_band, unrated=unrated,
        required=sum(1 for r in content.all_risks if r.required))).paragraph_format.keep_with_next = True
    section = doc.sections[-1]
    width = _text_width(section)
    picture = doc.add_paragraph()
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.add_run().add_picture(io.BytesIO(heatmap_png), width=Emu(int(width * 0.96)))


def _register_table(doc: DocxDocument, items: tuple[BriefingRisk, ...], band_names: tuple[str, ...],
                    width: int) -> None:
    headers = (words.header(words.REGISTER_COLUMNS, "statement"), words.header(words.REGISTER_COLUMNS, "likelihood"),
               words.header(words.REGISTER_COLUMNS, "impact"), _("Band"), _("Residual"),
               words.header(words.REGISTER_COLUMNS, "strategy"))
    levels, band, residual = int(Cm(2.7)), int(Cm(2.3)), int(Cm(2.6))  # "Likelihood" whole on one line
    rest = width - 2 * levels - band - residual
    statement = int(rest * 0.47)
    widths = (statement, levels, levels, band, residual, rest - statement)
    table = doc.add_table(rows=1, cols=len(headers))
    _borders(table)
    _header_row(table.rows[0], headers)
    for item in items:
        r = item.risk
        refs = f" ({', '.join(r.references)})" if r.references else ""
        first = [Text(f"{r.number}. {r.statement}{refs}")]
        if r.room is not None:  # what the room said, beside the rating it produced
            described = r.room.describe(item.levels)
            first.append(Text(described[:1].upper() + described[1:] + ".", size=SMALL_PT))
        fill, ink = colours_of(item.band, band_names) if item.band else UNRATED_COLOURS
        strategy = r.strategy.strip() or (_("None written: required") if item.required else "–")
        _add_row(table, [
            Cell(first, widths[0]), Cell([Text(_level(r.likelihood))], widths[1]),
            Cell([Text(_level(r.impact))], widths[2]),
            Cell([Text(words.band(item.band) if item.band else _("Not rated"), bold=True, ink=ink)], widths[3],
                 fill=fill),
            Cell(_residual(item), widths[4]),
            Cell([Text(strategy)], widths[5])])
    _widths(table, tuple(Emu(w) for w in widths))


def _residual(item: BriefingRisk) -> list[Text]:
    """The rating expected once the strategy is in place, with its band in words (no colour:
    the current band's column is the one coloured)."""
    r = item.risk
    if r.residual_likelihood is None and r.residual_impact is None:
        return [Text("–")]
    shown = [Text(_("{likelihood} / {impact}").format(likelihood=_level(r.residual_likelihood),
                                                      impact=_level(r.residual_impact)))]
    if item.residual_band is not None:
        shown.append(Text(_("{band} band").format(band=words.band(item.residual_band)), size=SMALL_PT))
    return shown


def _summary(doc: DocxDocument, content: Briefing) -> None:
    """The follow-up at a glance: the plan's state, the reviews due, what changed."""
    _heading(doc, _("Summary"))
    today = _long_date(content.made_on)
    if content.plan:
        counts = {status: sum(1 for row in content.plan if row.action.status == status)
                  for status in words.ACTION_STATUSES}
        by_status = ", ".join(_("{count} {status}").format(count=counts[s], status=words.action_status(s))
                              for s in words.ACTION_STATUSES)
        said = ngettext("{count} action in the plan ({by_status}); {overdue} overdue on {today}.",
                        "{count} actions in the plan ({by_status}); {overdue} overdue on {today}.",
                        len(content.plan))
        doc.add_paragraph(said.format(count=len(content.plan), by_status=by_status, overdue=len(content.overdue),
                                      today=today))
    else:
        doc.add_paragraph(_("No actions are planned yet."))
    if content.review_on is None:
        doc.add_paragraph(_("No date is set for the next review of the register."))
    elif content.review_on < content.made_on:
        doc.add_paragraph(_("The review of the register was due on {day}: it is overdue.").format(
            day=_long_date(content.review_on)))
    else:
        doc.add_paragraph(_("The register is next to be reviewed on {day}.").format(day=_long_date(content.review_on)))
    risks = [review for review in content.reviews if review.number is not None]
    if not risks:
        doc.add_paragraph(_("No risk's review is overdue or due within {days} days.").format(
            days=REVIEW_NOTICE.days))
    else:
        late = sum(1 for review in risks if review.overdue)
        doc.add_paragraph(_("Risk reviews overdue ({late}) or due within {days} days ({coming}):").format(
            late=late, days=REVIEW_NOTICE.days, coming=len(risks) - late)).paragraph_format.keep_with_next = True
        width = _text_width(doc.sections[-1])
        widths = (width - int(Cm(7.6)), int(Cm(3.6)), int(Cm(4.0)))
        table = _table(doc, (words.header(words.REGISTER_COLUMNS, "statement"), _("Review date"), _("Review")))
        for review in risks:
            _add_row(table, [Cell([Text(f"{review.number}. {review.statement}")], widths[0]),
                             Cell([Text(_long_date(review.on))], widths[1]),
                             Cell([Text(_("Overdue") if review.overdue else _("Coming up"), bold=review.overdue)],
                                  widths[2])])
        _widths(table, tuple(Emu(w) for w in widths))
    if content.changes is not None:
        c = content.changes.comparison
        doc.add_paragraph(_("Since {earlier}: risks moved on the heat map: {moved}; gaps closed: {closed}, opened: "
                            "{opened}; actions added, removed or changed: {actions} (section “{section}”)."
                            ).format(
            earlier=_earlier(content.changes), moved=len(c.moved), closed=len(c.gaps_closed),
            opened=len(c.gaps_opened), actions=len(c.actions), section=_changes_title(content.changes)))


def _gaps(doc: DocxDocument, content: Briefing) -> None:
    _heading(doc, _("Mitigation gaps"))
    doc.add_paragraph(_("Under the policy in force ({policy}).").format(policy=content.policy))
    if not content.gaps:
        doc.add_paragraph(_("No gaps: every risk is rated and every required strategy is written."))
    _bullets(doc, (_("Risk {number} ({kind}): {explanation}").format(
        number=gap.number, kind=words.gap_kind(gap.kind), explanation=gap.explanation) for gap in content.gaps))


def _bullet_style(doc: DocxDocument) -> str:
    name = "riskkit List"
    if name not in {s.name for s in doc.styles}:
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = doc.styles["Normal"]
        layout = style.paragraph_format
        layout.left_indent, layout.first_line_indent = Cm(0.6), Cm(-0.6)
        layout.tab_stops.add_tab_stop(Cm(0.6))
        layout.space_after = Pt(2)
    return str(doc.styles[name].style_id)


def _indicators(doc: DocxDocument, content: Briefing, width: int) -> None:
    _heading(doc, _("Monitoring indicators linked to each risk"))
    if content.indicators_draft:
        doc.add_paragraph(_("Indicators proposed for monitoring, pending the indicators of section 4.3.5 of the "
                            "toolkit."))
    else:
        doc.add_paragraph(content.indicator_title)
    widths = (int(Cm(2.0)), width - int(Cm(2.0)))
    table = doc.add_table(rows=1, cols=2)
    _borders(table)
    _header_row(table.rows[0], (_("Risk"), words.header(words.REGISTER_COLUMNS, "indicators")))
    for item in content.all_risks:
        linked = [f"{i}: {w}" for i, w in item.indicators] or [_("None linked")]
        _add_row(table, [Cell([Text(str(item.risk.number))], widths[0]), Cell([Text(x) for x in linked], widths[1])])
    _widths(table, tuple(Emu(w) for w in widths))


def _action_plan(doc: DocxDocument, content: Briefing, width: int) -> None:
    """Every action with its risk, owner, due date and status; overdue ones first, said in words."""
    _heading(doc, _("Action plan"))
    if not content.plan:
        doc.add_paragraph(_("No actions are planned yet: the strategies above have not been broken down into "
                            "actions with an owner and a date."))
        return
    doc.add_paragraph(_("Every action of every risk on {today}: overdue actions first, then by due date.").format(
        today=_long_date(content.made_on)))
    fixed = (int(Cm(1.6)), int(Cm(5.2)), int(Cm(3.6)), int(Cm(4.0)))
    widths = (fixed[0], width - sum(fixed), *fixed[1:])
    table = _table(doc, (_("Risk"), _("Action"), _("Who"), _("Due"), _("Status")))
    for row in content.plan:
        action = row.action
        what = [Text(action.what)] + ([Text(action.note, size=SMALL_PT)] if action.note.strip() else [])
        _add_row(table, [Cell([Text(str(row.number))], widths[0]), Cell(what, widths[1]),
                         Cell([Text(action.who or "–")], widths[2]),
                         Cell([Text(_long_date(action.due) or "–")], widths[3]),
                         Cell([Text(status_words(action, row.overdue), bold=row.overdue)], widths[4])])
    _widths(table, tuple(Emu(w) for w in widths))


def _indicator_values(doc: DocxDocument, content: Briefing, width: int) -> None:
    """Each indicator in use that has values: baseline, target, the latest value with its date and
    source, and every value measured."""
    _heading(doc, _("Monitoring indicator values"))
    if not content.tracks:
        doc.add_paragraph(_("No values are recorded for the monitoring indicators yet."))
        return
    fixed = (int(Cm(2.3)), int(Cm(2.3)), int(Cm(4.4)))
    indicator = int((width - sum(fixed)) * 0.36)
    widths = (indicator, *fixed, width - sum(fixed) - indicator)
    table = _table(doc, (_("Indicator"), _("Baseline"), _("Target"), _("Latest value"), _("All values")))
    for track in content.tracks:
        _add_row(table, [Cell([Text(f"{track.indicator_id}: {track.wording}")], widths[0]),
                         Cell([Text(number_words(track.baseline))], widths[1]),
                         Cell([Text(number_words(track.target))], widths[2]),
                         Cell([Text(reading_words(track.latest))], widths[3]),
                         Cell(_values_by_source(track.readings), widths[4])])
    _widths(table, tuple(Emu(w) for w in widths))


def _values_by_source(readings: tuple[Reading, ...]) -> list[Text]:
    """Every value, oldest first, one paragraph per source: 'Police database: 1 Dec 2024: 12 · …'."""
    if not readings:
        return [Text("–")]
    sources = list(dict.fromkeys(r.source for r in readings))
    paragraphs = []
    for source in sources:
        values = " · ".join(_("{day}: {value}").format(day=long_date(r.on, "d MMM y"), value=number_words(r.value))
                            for r in readings if r.source == source)
        paragraphs.append(Text(_("{source}: {values}").format(source=source or _("no source given"), values=values),
                               size=SMALL_PT if len(readings) > 8 else None))
    return paragraphs


def _earlier(changes: Changes) -> str:
    day = _long_date(changes.held_on)
    return _("{title} ({day})").format(title=changes.title, day=day) if day else changes.title


def _changes_title(changes: Changes) -> str:
    return _("Changes since {earlier}").format(earlier=_earlier(changes))


def _changes(doc: DocxDocument, changes: Changes, width: int) -> None:
    """What moved, opened, closed and changed since an earlier assessment, each part only when
    something did."""
    c = changes.comparison
    _heading(doc, _changes_title(changes))
    if c.nothing_changed:
        doc.add_paragraph(_("Nothing changed: the same ratings, gaps, strategies, actions and indicator values."))
        return
    doc.add_paragraph(_("Compared with {earlier}. Risks moved: {moved}, added: {added}, removed: {removed}. Gaps "
                        "opened: {opened}, closed: {closed}. Strategies changed: {strategies}. Actions added, removed "
                        "or changed: {actions}.").format(
        earlier=_earlier(changes), moved=len(c.moved), added=len(c.added_risks), removed=len(c.removed_risks),
        opened=len(c.gaps_opened), closed=len(c.gaps_closed), strategies=len(c.strategies), actions=len(c.actions)))
    risk_w = int(Cm(1.6))
    if c.moved:
        _heading(doc, _("Risks that moved"), level=2)
        widths: tuple[int, ...] = (width - int(Cm(9.0)), int(Cm(9.0)))
        table = _table(doc, (words.header(words.REGISTER_COLUMNS, "statement"), _("Likelihood / impact: then → now")))
        for move in c.moved:
            _add_row(table, [Cell([Text(f"{move.number}. {move.statement}")], widths[0]),
                             Cell([Text(move_words(move), bold=True)], widths[1])])
        _widths(table, tuple(Emu(w) for w in widths))
    for title, risks in ((_("Risks added"), c.added_risks), (_("Risks removed"), c.removed_risks)):
        if risks:
            _heading(doc, title, level=2)
            _bullets(doc, (_("Risk {number}: {statement} ({rating})").format(
                number=risk.number, statement=risk.statement, rating=rating_words(risk.likelihood, risk.impact))
                for risk in risks))
    for title, gaps in ((_("Mitigation gaps opened"), c.gaps_opened), (_("Mitigation gaps closed"), c.gaps_closed)):
        if gaps:
            _heading(doc, title, level=2)
            _bullets(doc, (_("Risk {number} ({kind}): {statement}").format(
                number=gap.number, kind=words.gap_kind(gap.kind), statement=gap.statement) for gap in gaps))
    if c.strategies:
        _heading(doc, _("Strategies changed"), level=2)
        half = (width - risk_w) // 2
        widths = (risk_w, half, width - risk_w - half)
        table = _table(doc, (_("Risk"), _("Before"), _("After")))
        for change in c.strategies:
            _add_row(table, [Cell([Text(str(change.number))], widths[0]), Cell([Text(change.before or "–")], widths[1]),
                             Cell([Text(change.after or "–")], widths[2])])
        _widths(table, tuple(Emu(w) for w in widths))
    if c.actions:
        _heading(doc, _("Actions added, removed or changed"), level=2)
        widths = (risk_w, width - risk_w - int(Cm(10.0)), int(Cm(10.0)))
        table = _table(doc, (_("Risk"), _("Action"), _("What changed")))
        for action in c.actions:
            shown = action.after or action.before
            assert shown is not None  # an action is on one side at least
            _add_row(table, [Cell([Text(str(action.number))], widths[0]), Cell([Text(shown.what)], widths[1]),
                             Cell([Text(action_change_words(action))], widths[2])])
        _widths(table, tuple(Emu(w) for w in widths))
    if c.indicators:
        _heading(doc, _("Indicator values then and now"), level=2)
        values = (int(Cm(5.6)), int(Cm(5.6)), int(Cm(2.6)))
        widths = (width - sum(values), *values)
        table = _table(doc, (_("Indicator"), _("Then"), _("Now"), _("Target")))
        for value in c.indicators:
            _add_row(table, [Cell([Text(f"{value.indicator_id}: {value.wording}")], widths[0]),
                             Cell([Text(reading_words(value.before))], widths[1]),
                             Cell([Text(reading_words(value.after))], widths[2]),
                             Cell([Text(number_words(value.target))], widths[3])])
        _widths(table, tuple(Emu(w) for w in widths))


def _table(doc: DocxDocument, headers: tuple[str, ...]) -> Table:
    table: Table = doc.add_table(rows=1, cols=len(headers))
    _borders(table)
    _header_row(table.rows[0], headers)
    return table


def _bullets(doc: DocxDocument, texts: Iterable[str]) -> None:
    """A bulleted list in the body's face (Word's list bullets are Symbol); the style found once
    and set by id: a lookup by name for each item takes seconds for 300 risks."""
    style = _bullet_style(doc)
    for text in texts:
        doc.add_paragraph(f"•\t{text}")._p.style = style


def _header_and_footer(section: Section, title: str, when: str) -> None:
    """The title at the top, "Page x of y" and the date at the foot; the cover's top shows
    only what a template puts there (a logo, say). A template's own header and footer are
    kept, with these lines after them."""
    section.different_first_page_header_footer = True
    _header_text(_line_in(section.header), title)
    _footer_text(_line_in(section.footer), when)
    _footer_text(_line_in(section.first_page_footer), when)


def _line_in(story: _Header | _Footer) -> Paragraph:
    """The header's or footer's empty paragraph, or a new one after what a template put there."""
    paragraphs: list[Paragraph] = story.paragraphs
    first = paragraphs[0] if len(paragraphs) == 1 else None
    if first is not None and not first.text.strip() and not first._p.xpath(".//w:drawing"):
        return first
    added: Paragraph = story.add_paragraph()
    return added


def _header_text(para: Paragraph, title: str) -> None:
    para.style = "Header"
    para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = para.add_run(title if len(title) <= 110 else title[:108] + "…")
    run.font.color.rgb = RGBColor.from_string(MUTED)


def _footer_text(para: Paragraph, when: str) -> None:
    """'Page {page} of {pages}' in the reader's language, with Word's PAGE and NUMPAGES fields
    where the numbers go; then the date."""
    para.style = "Footer"
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    wording = _("Page {page} of {pages}")
    for part in re.split(r"(\{page\}|\{pages\})", wording):
        if part == "{page}":
            _field(para, "PAGE")
        elif part == "{pages}":
            _field(para, "NUMPAGES")
        elif part:
            para.add_run(part)
    if when:
        para.add_run(f"  ·  {when}")
    for run in para.runs:
        run.font.color.rgb = RGBColor.from_string(MUTED)


# --- small pieces ------------------------------------------------------------------------


def _level(level: str | None) -> str:
    return words.level(level) if level is not None else "–"


def _field(para: Paragraph, code: str) -> None:
    _field_char(para, "begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = f" {code} "
    para.add_run()._r.append(instruction)
    _field_char(para, "separate")
    para.add_run("1")
    _field_char(para, "end")


def _field_char(para: Paragraph, kind: str) -> None:
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    para.add_run()._r.append(char)


def _write(cell: _Cell, text: str, bold: bool = False) -> None:
    cell.text = text
    for run in cell.paragraphs[0].runs:
        run.bold = bold
    cell.paragraphs[0].paragraph_format.space_after = Pt(2)


def _band_cell(cell: _Cell, band: str | None, band_names: tuple[str, ...]) -> None:
    fill, ink = colours_of(band, band_names) if band else UNRATED_COLOURS
    _write(cell, words.band(band) if band else _("Not rated"), bold=True)
    _shade(cell, fill)
    for run in cell.paragraphs[0].runs:
        run.font.color.rgb = RGBColor.from_string(ink.lstrip("#"))


def _header_row(row: _Row, titles: Iterable[str]) -> None:
    for cell, title in zip(_cells(row, row.table), titles, strict=False):
        _write(cell, title, bold=True)
        _shade(cell, HEADER_FILL)
    _row_flag(row, "w:tblHeader")
    _keep_row(row)


def _keep_row(row: _Row) -> None:
    """A row moves whole to the next page rather than splitting."""
    _row_flag(row, "w:cantSplit")


def _row_flag(row: _Row, name: str) -> None:
    props = row._tr.get_or_add_trPr()
    if props.find(qn(name)) is None:
        flag = OxmlElement(name)
        flag.set(qn("w:val"), "true")
        props.append(flag)


def _borders(table: Table) -> None:
    """Thin grey rules on every cell, stated in the table itself: no style needed."""
    props = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = OxmlElement(f"w:{side}")
        for key, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "0"), ("w:color", RULE)):
            edge.set(qn(key), value)
        borders.append(edge)
    props.append(borders)


def _widths(table: Table, widths: tuple[Length, ...]) -> None:
    """Fixed column widths (Word honours the cells, LibreOffice the grid: set both)."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for tr in table._tbl.tr_lst:
        for tc, width in zip(tr.tc_lst, widths, strict=True):
            if tc.tcPr is None or tc.tcPr.tcW is None:  # rows written whole carry theirs
                tc.width = width


@dataclass(frozen=True)
class Text:
    """A paragraph of a cell."""
    text: str
    size: int | None = None
    bold: bool = False
    ink: str | None = None


@dataclass(frozen=True)
class Cell:
    paragraphs: list[Text]
    width: int  # EMU
    fill: str | None = None


def _add_row(table: Table, cells: list[Cell]) -> None:
    """A row that never splits across pages, written as one piece of XML: python-docx's
    cell-by-cell calls take seconds for a register of 300 risks."""
    parts = [f'<w:tr {nsdecls("w")}><w:trPr><w:cantSplit w:val="true"/></w:trPr>']
    for cell in cells:
        shade = (f'<w:shd w:val="clear" w:color="auto" w:fill="{cell.fill.lstrip("#")}"/>' if cell.fill else "")
        parts.append(f'<w:tc><w:tcPr><w:tcW w:w="{cell.width // 635}" w:type="dxa"/>{shade}</w:tcPr>')
        for para in cell.paragraphs:
            props = (("<w:b/>" if para.bold else "") + (f'<w:color w:val="{para.ink.lstrip("#")}"/>' if para.ink
                     else "") + (f'<w:sz w:val="{para.size * 2}"/>' if para.size else ""))
            lines = "<w:br/>".join(f'<w:t xml:space="preserve">{escape(_printable(line))}</w:t>'
                                   for line in para.text.split("\n"))
            parts.append(f'<w:p><w:pPr><w:spacing w:after="40"/></w:pPr><w:r>'
                         f'{f"<w:rPr>{props}</w:rPr>" if props else ""}{lines}</w:r></w:p>')
        parts.append("</w:tc>")
    parts.append("</w:tr>")
    table._tbl.append(parse_xml("".join(parts)))


def _printable(text: str) -> str:
    """Characters XML can carry: control characters (bar tab) are dropped."""
    return "".join(ch for ch in text if ch >= " " or ch == "\t")


def _cells(row: _Row, table: Table) -> list[_Cell]:
    """A row's cells, straight from its XML (python-docx's row.cells reads the whole table,
    which makes a 300-row register take seconds)."""
    return [_Cell(tc, table) for tc in row._tr.tc_lst]


def _shade(cell: _Cell, hex_colour: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), hex_colour.lstrip("#"))
    cell._tc.get_or_add_tcPr().append(shading)


def _landscape(section: Section) -> None:
    width, height = section.page_width, section.page_height
    if width is not None and height is not None and width < height:
        section.page_width, section.page_height = height, width
    section.orientation = WD_ORIENT.LANDSCAPE


def _text_width(section: Section) -> int:
    return int((section.page_width or Cm(21)) - (section.left_margin or MARGIN) - (section.right_margin or MARGIN))

