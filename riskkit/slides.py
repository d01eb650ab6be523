"""The PowerPoint briefing pack, laid out from a `Briefing` (riskkit.briefing decides the content).

Every slide sits on one of the template's own layouts (title, title and content, section
header) and writes into its placeholders, so an organisation's template restyles the pack:
its fonts, colours, backgrounds and where the title and the content go. Without a template a
clean 16:9 sans-serif one is built from python-pptx's own.

Text is measured before it is placed: long text continues on a further slide between
sentences, long lists become tables split between rows, and no type is under 18 pt.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE, PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn
from pptx.oxml.xmlchemy import OxmlElement
from pptx.presentation import Presentation as Deck
from pptx.slide import Slide, SlideLayout
from pptx.table import _Cell
from pptx.text.text import TextFrame
from pptx.util import Emu, Pt

from riskkit import words
from riskkit.briefing import (
    Briefing,
    BriefingRisk,
    Changes,
    action_change_words,
    cell_words,
    move_words,
    number_words,
    reading_words,
    status_words,
)
from riskkit.i18n import gettext as _
from riskkit.i18n import long_date
from riskkit.palette import colours_of
from riskkit.templates import TemplateRejected, presentation

SLIDE_W, SLIDE_H = Emu(12192000), Emu(6858000)  # 13.333 x 7.5 in: 16:9
MIN_PT = 18  # no type on a slide is smaller
BODY_PT = 20
HEAT_PT = 24
TITLE_PT = 32
TITLE_MIN_PT = 24
ACTIONS_LISTED = 20  # open actions a pack lists (overdue first); the Word report lists every one
# Cautious text metrics for Arial and its kin: English text averages ~0.45 em a character
# (spaces included), counted here as 0.5 (0.55 bold); a line is 1.2 em high. Measuring a little
# generously keeps text inside its box in PowerPoint and LibreOffice alike.
CHAR_EM, BOLD_EM, LINE_EM = 0.5, 0.55, 1.2
EMU_PER_PT = 12700
CELL_MARGIN_X, CELL_MARGIN_Y = 91440, 45720  # PowerPoint's default cell margins
DEFAULT_FONT = "Arial"  # LibreOffice draws it with Liberation Sans, its metric twin


@dataclass(frozen=True)
class Box:
    left: int
    top: int
    width: int
    height: int

    @property
    def bottom(self) -> int:
        return self.top + self.height


@dataclass(frozen=True)
class Layouts:
    title: SlideLayout
    content: SlideLayout
    section: SlideLayout


# --- measuring text --------------------------------------------------------------------


def capacity(width: int, height: int, points: int, bold: bool = False) -> tuple[int, int]:
    """How many characters fit on a line, and how many lines, in a box at a type size."""
    em = points * EMU_PER_PT
    return max(1, int(width / (em * (BOLD_EM if bold else CHAR_EM)))), max(1, int(height / (em * LINE_EM)))


def wrap(text: str, per_line: int) -> list[str]:
    """Lines as a word processor breaks them (or more cautiously); a word longer than a line is cut."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for word in paragraph.split():
            while len(word) > per_line:
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
        lines.append(current)
    return lines or [""]


def sentences(text: str) -> list[str]:
    """Text cut after each sentence's full stop (or ! ?), and at line breaks."""
    found: list[str] = []
    for paragraph in text.split("\n"):
        found.extend(s for s in re.split(r"(?<=[.!?])\s+", paragraph.strip()) if s)
    return found


def boxfuls(paragraphs: Sequence[str], per_line: int, lines: int) -> list[list[str]]:
    """Paragraphs packed into boxes of `lines` lines, broken only between sentences; a single
    sentence longer than a box (rare: a pasted list without full stops) is broken between words."""
    boxes: list[list[str]] = [[]]
    used = 0

    def put(text: str, new_paragraph: bool) -> None:
        nonlocal used
        needed = len(wrap(text, per_line))
        if boxes[-1] and used + needed > lines:
            boxes.append([])
            used = 0
            new_paragraph = True
        if new_paragraph or not boxes[-1]:
            boxes[-1].append(text)
        else:
            boxes[-1][-1] += " " + text
        used = len([ln for p in boxes[-1] for ln in wrap(p, per_line)])

    for paragraph in paragraphs:
        first = True
        for sentence in sentences(paragraph) or [""]:
            pieces = wrap(sentence, per_line)
            if len(pieces) <= lines:
                put(sentence, first)
            else:
                for start in range(0, len(pieces), lines):
                    put(" ".join(pieces[start:start + lines]), True)
            first = False
    return [box for box in boxes if box] or [[]]


def fit_title(text: str, box: Box, largest: int = TITLE_PT, smallest: int = TITLE_MIN_PT) -> tuple[str, int, bool]:
    """The title at the largest size that fits its box; if none does, its first words and '…'.
    Returns (text, points, whole)."""
    flat = " ".join(text.split())
    for points in range(largest, smallest - 1, -2):
        per_line, lines = capacity(box.width, box.height, points, bold=True)
        if len(wrap(flat, per_line)) <= lines:
            return flat, points, True
    per_line, lines = capacity(box.width, box.height, smallest, bold=True)
    kept = wrap(flat, per_line)[:lines]
    kept[-1] = kept[-1][:max(per_line - 2, 1)].rsplit(" ", 1)[0] if " " in kept[-1] else kept[-1][:per_line - 2]
    return " ".join(kept).rstrip(" ,;:") + " …", smallest, False


# --- the template ----------------------------------------------------------------------


def open_template(template: bytes | None) -> Deck:
    """The template as an empty deck: the user's .pptx or .potx (its slides removed), or the default.
    It is checked and opened where every template is (riskkit.templates)."""
    if template is None:
        return default_deck()
    deck = presentation(template)
    for slide_id in list(deck.slides._sldIdLst):  # the template's sample slides go; its layouts stay
        deck.part.drop_rel(slide_id.rId)
        deck.slides._sldIdLst.remove(slide_id)
    layouts(deck)  # refuses a template without a layout that has a title
    return deck


def layouts(deck: Deck) -> Layouts:
    """The template's title, title-and-content and section-header layouts, found by the kind
    PowerPoint records for each (so they are found whatever the template calls them)."""
    by_kind: dict[str, SlideLayout] = {}
    for layout in deck.slide_layouts:
        by_kind.setdefault(layout._element.get("type") or "cust", layout)
    titled = [layout for layout in deck.slide_layouts if _placeholder(layout, PP_PLACEHOLDER.TITLE,
                                                                       PP_PLACEHOLDER.CENTER_TITLE) is not None]
    if not titled:
        raise TemplateRejected(_("The slide template has no layout with a title: it needs at least the "
                                 "'Title and Content' layout."))
    content = by_kind.get("obj") or by_kind.get("tx") or titled[0]
    return Layouts(title=by_kind.get("title") or content, content=content,
                   section=by_kind.get("secHead") or by_kind.get("title") or content)


def _placeholder(owner: SlideLayout | Slide, *kinds: PP_PLACEHOLDER) -> Any:
    placeholders: Any = owner.placeholders
    for shape in placeholders:
        if shape.placeholder_format.type in kinds:
            return shape
    return None


def _body(owner: SlideLayout | Slide) -> Any:
    """The main text or content placeholder (a slide's or a layout's), if it has one."""
    placeholders: Any = owner.placeholders
    for shape in placeholders:
        fmt = shape.placeholder_format
        if fmt.idx != 0 and fmt.type in (PP_PLACEHOLDER.OBJECT, PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.SUBTITLE):
            return shape
    return None


def default_deck() -> Deck:
    """python-pptx's template made 16:9, left-aligned and Arial throughout."""
    deck = Presentation()
    stretch = SLIDE_W / int(deck.slide_width or SLIDE_W)
    deck.slide_width, deck.slide_height = SLIDE_W, SLIDE_H
    master = deck.slide_master
    for owner in (master, *deck.slide_layouts):
        for shape in owner.placeholders:
            if shape._element.spPr.find("{http://schemas.openxmlformats.org/drawingml/2006/main}xfrm") is not None:
                shape.left, shape.width = Emu(int((shape.left or 0) * stretch)), Emu(int((shape.width or 0) * stretch))
    for layout in deck.slide_layouts:  # the title slide: subtitle under the title, both left-aligned
        if layout._element.get("type") == "title":
            title, sub = _placeholder(layout, PP_PLACEHOLDER.CENTER_TITLE), _body(layout)
            if title is not None and sub is not None:
                sub.left, sub.width = title.left, title.width
                for level in sub._element.txBody.find(qn("a:lstStyle")):
                    level.set("algn", "l")
    theme = master.part.part_related_by(RT.THEME)
    theme._blob = re.sub(rb'<a:latin typeface="[^"]*"', f'<a:latin typeface="{DEFAULT_FONT}"'.encode(),
                         theme.blob)
    styles = master._element.find(qn("p:txStyles"))
    title_level = styles.find(qn("p:titleStyle")).find(qn("a:lvl1pPr"))
    title_level.set("algn", "l")
    title_level.find(qn("a:defRPr")).set("sz", str(TITLE_PT * 100))
    title_level.find(qn("a:defRPr")).set("b", "1")
    for level, points in zip(styles.find(qn("p:bodyStyle")), (24, 20, 20, 20, 20, 20, 20, 20, 20), strict=False):
        level.find(qn("a:defRPr")).set("sz", str(points * 100))
    return deck


# --- writing ---------------------------------------------------------------------------


def _write(frame: TextFrame, paragraphs: Sequence[str], points: int, *, bold_first: bool = False,
           colour: str | None = None, bullets: bool = False) -> None:
    """Paragraphs into a text frame at a size; no autofit (the text was measured to fit)."""
    frame.word_wrap = True
    frame.auto_size = None
    body: Any = frame._txBody.find(qn("a:bodyPr"))
    for fit in list(body):
        if fit.tag in (qn("a:normAutofit"), qn("a:spAutoFit")):
            body.remove(fit)
    for index, text in enumerate(paragraphs or [""]):
        para = frame.paragraphs[0] if index == 0 else frame.add_paragraph()  # type: ignore[no-untyped-call]
        para.text = ""
        if not bullets:
            props = para._p.get_or_add_pPr()
            props.set("indent", "0")
            props.set("marL", "0")
            props.append(OxmlElement("a:buNone"))
        run = para.add_run()
        run.text = text
        run.font.size = Pt(points)
        if bold_first and index == 0:
            run.font.bold = True
        if colour:
            run.font.color.rgb = _rgb(colour)


def _box_of(shape: Any) -> Box:
    return Box(int(shape.left or 0), int(shape.top or 0), int(shape.width or 0), int(shape.height or 0))


def _rgb(hex_colour: str) -> RGBColor:
    colour: RGBColor = RGBColor.from_string(hex_colour.lstrip("#"))  # type: ignore[no-untyped-call]
    return colour


def _content_box(deck: Deck, layout: SlideLayout) -> Box:
    body = _body(layout)
    if body is not None:
        return _box_of(body)
    title = _placeholder(layout, PP_PLACEHOLDER.TITLE)
    width, height = int(deck.slide_width or SLIDE_W), int(deck.slide_height or SLIDE_H)
    top = _box_of(title).bottom if title is not None else int(height * 0.2)
    margin = int(width * 0.05)
    return Box(margin, int(top + margin / 2), width - 2 * margin, int(height - top - 1.5 * margin))


class Pack:
    """A deck being written, on a template's layouts."""

    def __init__(self, deck: Deck) -> None:
        self.deck = deck
        self.layouts = layouts(deck)
        self.area = _content_box(deck, self.layouts.content)

    def slide(self, layout: SlideLayout, title: str, largest: int = TITLE_PT) -> Slide:
        page: Slide = self.deck.slides.add_slide(layout)
        heading = _placeholder(page, PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
        if heading is not None:
            shown, points, _whole = fit_title(title, _box_of(heading), largest)
            _write(heading.text_frame, [shown], points)
        return page

    def content(self, title: str) -> tuple[Slide, Box]:
        """A title-and-content slide with its content placeholder taken away, and where it was."""
        page = self.slide(self.layouts.content, title)
        body = _body(page)
        if body is not None:
            body._element.getparent().remove(body._element)
        return page, self.area

    def section(self, title: str, text: str) -> None:
        page = self.slide(self.layouts.section, title)
        body = _body(page)
        if body is not None:
            box = _box_of(body)
            per_line, lines = capacity(box.width, box.height, BODY_PT)
            _write(body.text_frame, boxfuls([text], per_line, lines)[0], BODY_PT)

    def table(self, title: str, header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float],
              intro: str = "", points: int = BODY_PT) -> None:
        """Rows in a table over as many slides as they need, each slide filled before the next
        starts and split only between rows; the header row repeats on every slide."""
        area = self.area
        intro_h = 0
        if intro:
            per_line, _lines = capacity(area.width, area.height, points)
            intro_h = int(len(wrap(intro, per_line)) * points * EMU_PER_PT * LINE_EM + points * EMU_PER_PT)
        columns = [int(area.width * w / sum(widths)) for w in widths]
        head_h = _row_height(header, columns, points, bold=True)
        pages: list[list[tuple[Sequence[str], int]]] = [[]]
        room = area.height - intro_h  # the first slide has the introduction above its table
        used = head_h
        waiting = list(rows)
        while waiting:
            row = waiting.pop(0)
            height = _row_height(row, columns, points)
            if used + height > room:
                # a long row (a list of risk numbers, a long text) fills the slide; a short one moves on whole
                long_row = height > area.height / 3 or any("." not in t and t.count(", ") > 8 for t in row)
                parts = _split_row(row, columns, points, room - used) if long_row else None
                if parts is not None:  # fill this slide with what fits, the rest goes on
                    row, rest = parts
                    waiting.insert(0, rest)
                    height = _row_height(row, columns, points)
                elif pages[-1]:
                    pages.append([])
                    used, room = head_h, area.height
                    waiting.insert(0, row)
                    continue
            pages[-1].append((row, height))
            used += height
        for index, page_rows in enumerate(pages):
            page, _box = self.content(title if index == 0 else _("{title} (continued)").format(title=title))
            top = area.top
            if intro and index == 0:
                above = page.shapes.add_textbox(Emu(area.left), Emu(area.top), Emu(area.width), Emu(intro_h))
                _write(above.text_frame, [intro], points)
                _no_margins(above.text_frame)
                top += intro_h
            shape = page.shapes.add_table(len(page_rows) + 1, len(columns), Emu(area.left), Emu(top),
                                          Emu(area.width), Emu(head_h + sum(h for _r, h in page_rows)))
            grid = shape.table
            grid.first_row = True
            for column, width in enumerate(columns):
                grid.columns[column].width = Emu(width)
            grid.rows[0].height = Emu(head_h)
            for column, text in enumerate(header):
                _cell(grid.cell(0, column), text, points, bold=True)
            for row_index, (row, height) in enumerate(page_rows, start=1):
                grid.rows[row_index].height = Emu(height)
                for column, text in enumerate(row):
                    _cell(grid.cell(row_index, column), text, points)


def _no_margins(frame: TextFrame) -> None:
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = Emu(0)


def _cell(cell: _Cell, text: str, points: int, bold: bool = False, fill: str | None = None,
          ink: str | None = None) -> None:
    cell.margin_left = cell.margin_right = Emu(CELL_MARGIN_X)
    cell.margin_top = cell.margin_bottom = Emu(CELL_MARGIN_Y)
    cell.vertical_anchor = MSO_ANCHOR.TOP
    _write(cell.text_frame, text.split("\n"), points, colour=ink)
    for para in cell.text_frame.paragraphs:
        for run in para.runs:
            run.font.bold = bold or None
    if fill:
        cell.fill.solid()  # type: ignore[no-untyped-call]
        cell.fill.fore_color.rgb = _rgb(fill)


def _row_height(row: Sequence[str], columns: Sequence[int], points: int, bold: bool = False) -> int:
    lines = max(len(wrap(text, capacity(width - 2 * CELL_MARGIN_X, 1, points, bold)[0]))
                for text, width in zip(row, columns, strict=False))
    return int(lines * points * EMU_PER_PT * LINE_EM + 2 * CELL_MARGIN_Y + points * EMU_PER_PT * 0.2)


def _split_row(row: Sequence[str], columns: Sequence[int], points: int,
               room: int) -> tuple[Sequence[str], Sequence[str]] | None:
    """A row too tall for the room left, as a first part that fits and the rest: each cell broken
    between sentences (a list of numbers between its items), the rest's first cell marked
    '(continued)'. None when not even one line would fit."""
    line_h = points * EMU_PER_PT * LINE_EM
    lines = int((room - 2 * CELL_MARGIN_Y - points * EMU_PER_PT * 0.2) / line_h)
    if lines < 2:
        return None
    first: list[str] = []
    rest: list[str] = []
    for text, width in zip(row, columns, strict=False):
        per_line = capacity(width - 2 * CELL_MARGIN_X, 1, points)[0]
        if len(wrap(text, per_line)) <= lines:
            first.append(text)
            rest.append("")
            continue
        if "." not in text and ", " in text:  # a list of numbers
            items = text.split(", ")
            taken = 1
            while taken < len(items) and len(wrap(", ".join(items[:taken + 1]), per_line)) <= lines:
                taken += 1
            first.append(", ".join(items[:taken]))
            rest.append(", ".join(items[taken:]))
        else:
            boxes = boxfuls([text], per_line, lines)
            first.append(" ".join(boxes[0]))
            rest.append(" ".join(" ".join(box) for box in boxes[1:]))
    rest[0] = _("{title} (continued)").format(title=row[0].removesuffix(" " + _("(continued)")))
    return first, rest


# --- the pack --------------------------------------------------------------------------


def to_pptx(content: Briefing, heatmap_image: bytes | None = None, template: bytes | None = None) -> bytes:
    """The briefing pack. The heat map is a native table (editable, in the template's fonts)
    unless an image of it is given; `template` is a .pptx or .potx whose layouts the slides use."""
    pack = Pack(open_template(template))
    _title_slide(pack, content)
    _heat_map(pack, content, heatmap_image)
    if content.high_band:
        top = words.band(content.band_names[-1])
        pack.section(_("Risks in the {band} band").format(band=top),
                     _("{count} risks are rated in the {band} band: each has a slide with its rating and its "
                       "mitigation strategy.").format(count=len(content.high_band), band=top))
        for item in content.high_band:
            _risk_slides(pack, content, item)
    _gaps(pack, content)
    _indicators(pack, content)
    _action_plan(pack, content)
    if content.changes is not None:
        _changes(pack, content, content.changes)
    out = io.BytesIO()
    pack.deck.save(out)
    return out.getvalue()


def _title_slide(pack: Pack, content: Briefing) -> None:
    page = pack.slide(pack.layouts.title, content.title, largest=40)
    sub = _body(page)
    if sub is None:
        return
    lines = [content.organisation,
             " · ".join(m for m in (content.context, content.held_on.isoformat() if content.held_on else "") if m),
             _("Protection and assistance risks (toolkit section {number})").format(
                 number=content.section.split(" ")[0])]
    if content.shareable:
        lines.append(_("Shareable version: notes and risks marked internal are left out."))
    if content.translation_note:
        _translation_note(pack, page, sub, content.translation_note)
    box = _box_of(sub)
    per_line, room = capacity(box.width, box.height, BODY_PT)
    _write(sub.text_frame, boxfuls([line for line in lines if line], per_line, room)[0], BODY_PT)


def _translation_note(pack: Pack, page: Slide, sub: Any, note: str) -> None:
    """Whose words section 3.6's are, in italics at the smallest size, across the foot of the
    title slide under the subtitle; where the template's subtitle reaches lower, it is made
    shorter so the note always shows whole."""
    box = _box_of(sub)
    slide_height = int(pack.deck.slide_height or SLIDE_H)
    margin = int(slide_height * 0.05)
    per_line, _room = capacity(box.width - 2 * CELL_MARGIN_X, slide_height, MIN_PT)  # a text box's own insets
    height = int(len(wrap(note, per_line)) * MIN_PT * LINE_EM * EMU_PER_PT) + 2 * CELL_MARGIN_Y
    top = min(box.bottom + margin // 2, slide_height - margin - height)
    if top - margin // 2 < box.bottom:  # all four: a placeholder's own position replaces its layout's whole
        sub.left, sub.top, sub.width = Emu(box.left), Emu(box.top), Emu(box.width)
        sub.height = Emu(max(0, top - margin // 2 - box.top))
    shape = page.shapes.add_textbox(Emu(box.left), Emu(top), Emu(box.width), Emu(height))
    _write(shape.text_frame, [note], MIN_PT)
    for run in shape.text_frame.paragraphs[0].runs:
        run.font.italic = True


def _heat_map(pack: Pack, content: Briefing, image: bytes | None) -> None:
    page, area = pack.content(_("Heat map: likelihood by impact"))
    if image is not None:
        picture = page.shapes.add_picture(io.BytesIO(image), Emu(area.left), Emu(area.top))
        scale = min(area.width / picture.width, area.height / picture.height)
        picture.width, picture.height = Emu(int(picture.width * scale)), Emu(int(picture.height * scale))
        picture.left = Emu(area.left + (area.width - picture.width) // 2)
        return
    numbers: dict[tuple[str, str], list[str]] = {}
    for item in content.all_risks:
        if item.risk.rated:
            numbers.setdefault((item.risk.likelihood, item.risk.impact), []).append(str(item.risk.number))  # type: ignore[arg-type]
    _grid(page, area, content, numbers, HEAT_PT, first_share=0.2)


def _grid(page: Slide, area: Box, content: Briefing, items: dict[tuple[str, str], list[str]], points: int,
          first_share: float) -> None:
    """The heat map as a native table: each cell says its band in words, on its colour, and lists
    its risks (as many as fit, then how many more)."""
    size = len(content.scale)
    first = int(area.width * first_share)
    width = (area.width - first) // size
    head = _row_height([_("Likelihood ↓  Impact →")], [first], MIN_PT, bold=True)
    height = (area.height - head) // size
    per_line, lines = capacity(width - 2 * CELL_MARGIN_X, height - 2 * CELL_MARGIN_Y, points)
    grid = page.shapes.add_table(size + 1, size + 1, Emu(area.left), Emu(area.top), Emu(first + width * size),
                                 Emu(head + height * size)).table
    grid.first_row = grid.horz_banding = False
    grid.columns[0].width = Emu(first)
    grid.rows[0].height = Emu(head)
    _cell(grid.cell(0, 0), _("Likelihood ↓  Impact →"), MIN_PT, bold=True)
    for column, impact in enumerate(content.scale, start=1):
        grid.columns[column].width = Emu(width)
        _cell(grid.cell(0, column), words.level(impact), points, bold=True)
    for row, (likelihood, bands) in enumerate(content.bands, start=1):
        grid.rows[row].height = Emu(height)
        _cell(grid.cell(row, 0), words.level(likelihood), points, bold=True)
        for column, (impact, band) in enumerate(zip(content.scale, bands, strict=False), start=1):
            fill, ink = colours_of(band, content.band_names)
            listed = _items_in(items.get((likelihood, impact), []), per_line, lines - 1)
            _cell(grid.cell(row, column), words.band(band).upper() + "\n" + listed, points, fill=fill, ink=ink)
            grid.cell(row, column).text_frame.paragraphs[0].runs[0].font.bold = True


def _risk_slides(pack: Pack, content: Briefing, item: BriefingRisk) -> None:
    """The statement as the title; a badge in the band's colour with the rating beside the
    strategy. A long strategy continues on further slides, between sentences."""
    risk = item.risk
    area = pack.area
    badge_w = int(area.width * 0.3)
    gap = int(area.width * 0.03)
    text_box = Box(area.left + badge_w + gap, area.top, area.width - badge_w - gap, area.height)
    title_ph = _placeholder(pack.layouts.content, PP_PLACEHOLDER.TITLE)
    title_box = _box_of(title_ph) if title_ph is not None else Box(0, 0, area.width, area.top)
    _shown, _points, whole = fit_title(risk.statement, title_box, 28)  # else the body repeats it whole
    paragraphs = [] if whole else [risk.statement]
    paragraphs.append(_("Risk mitigation strategy: {strategy}").format(
        strategy=risk.strategy.strip() or (_("none written yet (required).") if item.required else "–")))
    linked = ", ".join(i for i, _w in item.indicators)
    paragraphs.append(_("Indicators: {ids}").format(ids=linked) if linked else _("Indicators: none linked."))
    for points in (28, 24, 22, BODY_PT):  # the largest type that holds it on one slide, else 20 pt over several
        per_line, lines = capacity(text_box.width, text_box.height, points)
        pages = boxfuls(paragraphs, per_line, lines)
        if len(pages) == 1:
            break
    for index, text in enumerate(pages):
        page = pack.slide(pack.layouts.content, risk.statement if index == 0 else
                          _("{title} (continued)").format(title=risk.statement), largest=28)
        body = _body(page)
        if body is not None:
            body.left, body.top, body.width, body.height = (Emu(text_box.left), Emu(text_box.top),
                                                            Emu(text_box.width), Emu(text_box.height))
            _write(body.text_frame, text, points)
            _no_margins(body.text_frame)
        _badge(page, Box(area.left, area.top, badge_w, area.height), item, content)


def _badge(page: Slide, box: Box, item: BriefingRisk, content: Briefing) -> None:
    fill, ink = colours_of(item.band or content.band_names[-1], content.band_names)
    shape = page.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, Emu(box.left), Emu(box.top), Emu(box.width),
                                  Emu(box.height))
    shape.adjustments[0] = 0.06
    shape.fill.solid()
    shape.fill.fore_color.rgb = _rgb(fill)
    shape.line.fill.background()
    shape.shadow.inherit = False
    frame = shape.text_frame
    frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    band = words.band(item.band) if item.band else ""
    r = item.risk
    lines = [_("{band} band").format(band=band), _("Risk {number}").format(number=r.number),
             _("Likelihood: {level}").format(level=words.level(r.likelihood)) if r.likelihood else "",
             _("Impact: {level}").format(level=words.level(r.impact)) if r.impact else ""]
    _write(frame, [line for line in lines if line], BODY_PT, colour=ink)
    for index, para in enumerate(frame.paragraphs):
        para.alignment = PP_ALIGN.CENTER
        if index == 0:
            para.runs[0].font.size = Pt(28)
            para.runs[0].font.bold = True


def _gaps(pack: Pack, content: Briefing) -> None:
    hard = [g for g in content.gaps if not g.soft]
    intro = _("Policy in force: {policy}. {gaps} gap(s) and {flags} flag(s).").format(
        policy=content.policy, gaps=len(hard), flags=len(content.gaps) - len(hard))
    rows: list[tuple[str, str]] = []
    for kind in dict.fromkeys(g.kind for g in content.gaps):
        shown = words.gap_kind(kind)
        rows.append((shown[:1].upper() + shown[1:],
                     ", ".join(str(g.number) for g in content.gaps if g.kind == kind)))
    if not rows:
        rows.append((_("No gaps"), _("Every risk is rated and every required strategy is written.")))
    pack.table(_("Mitigation gaps"), (_("What is missing"), _("Risks")), rows, (1, 2), intro=intro)


def _indicators(pack: Pack, content: Briefing) -> None:
    used: dict[str, list[int]] = {}
    wording: dict[str, str] = {}
    for item in content.all_risks:
        for indicator_id, text in item.indicators:
            used.setdefault(indicator_id, []).append(item.risk.number)
            wording[indicator_id] = text
    intro = (_("Indicators proposed for monitoring, pending the indicators of section 4.3.5.")
             if content.indicators_draft else content.indicator_title)
    rows = [(indicator_id, wording[indicator_id], ", ".join(map(str, numbers)))
            for indicator_id, numbers in used.items()]
    if not rows:
        rows.append(("–", _("No indicator is linked to a risk yet."), ""))
    pack.table(_("Monitoring indicators"), (_("Indicator"), _("Wording"), _("Risks")), rows, (1, 5, 1.6),
               intro=intro)


def _day(day: object) -> str:
    return long_date(day, "d MMM y") if day is not None else "–"  # type: ignore[arg-type]


def _action_plan(pack: Pack, content: Briefing) -> None:
    """Who has what to do: the actions by owner, then the open actions, overdue first (said in words)."""
    if not content.plan:
        pack.section(_("Action plan"), _("No actions are planned yet: the strategies have not been broken down "
                                         "into actions with an owner and a date."))
        return
    statuses = list(words.ACTION_STATUSES)
    owners = sorted({row.action.who for row in content.plan}, key=lambda who: (not who, who.casefold()))
    rows = []
    for who in owners:
        mine = [row for row in content.plan if row.action.who == who]
        rows.append((who or _("No owner named"), *(str(sum(1 for r in mine if r.action.status == s)) for s in statuses),
                     str(sum(1 for r in mine if r.overdue))))
    header = (_("Who"), *(words.action_status(s)[:1].upper() + words.action_status(s)[1:] for s in statuses),
              _("Overdue"))
    pack.table(_("Action plan by owner"), header, rows, (3.2, 1.3, 1.4, 1.1, 1.2, 1.3),
               intro=_("{total} actions; {overdue} overdue on {today}.").format(
                   total=len(content.plan), overdue=len(content.overdue), today=_day(content.made_on)))
    open_rows = [row for row in content.plan if row.action.open]
    listed = open_rows[:ACTIONS_LISTED]
    if not listed:
        return
    intro = (_("All {count} open actions, overdue first.").format(count=len(open_rows)) if len(listed) == len(open_rows)
             else _("The {shown} open actions most overdue or due soonest, of {count}; the Word report lists every "
                    "action.").format(shown=len(listed), count=len(open_rows)))
    pack.table(_("Open actions"), (_("Risk"), _("Action"), _("Who"), _("Due"), _("Status")),
               [(str(row.number), row.action.what, row.action.who or "–", _day(row.action.due),
                 status_words(row.action, row.overdue)) for row in listed],
               (0.8, 4.0, 2.2, 1.8, 2.0), intro=intro)


def _changes(pack: Pack, content: Briefing, changes: Changes) -> None:
    """What changed since an earlier assessment: the moves (a table and a heat map that says where
    each risk came from), the gaps, strategies and actions, the indicators then and now."""
    c = changes.comparison
    day = _day(changes.held_on) if changes.held_on else ""
    earlier = _("{title} ({day})").format(title=changes.title, day=day) if day else changes.title
    pack.section(_("Changes since {earlier}").format(earlier=earlier),
                 _("Risks moved: {moved}. Gaps opened: {opened}, closed: {closed}. Strategies changed: {strategies}. "
                   "Actions added, removed or changed: {actions}.").format(
                     moved=len(c.moved), opened=len(c.gaps_opened), closed=len(c.gaps_closed),
                     strategies=len(c.strategies), actions=len(c.actions)))
    if c.moved:
        pack.table(_("Risks that moved"), (_("Risk"), _("Identified risk"), _("Likelihood / impact: then → now")),
                   [(str(m.number), m.statement, move_words(m)) for m in c.moved], (0.8, 5, 3.4))
    _moves_map(pack, content, changes)
    rows: list[tuple[str, str]] = []

    def listed(label: str, numbers: Sequence[int]) -> None:
        if numbers:
            rows.append((label, ", ".join(map(str, dict.fromkeys(numbers)))))

    listed(_("Risks added"), [r.number for r in c.added_risks])
    listed(_("Risks removed"), [r.number for r in c.removed_risks])
    for kind in dict.fromkeys(g.kind for g in c.gaps_opened):
        listed(_("Gap opened: {kind}").format(kind=words.gap_kind(kind)), [g.number for g in c.gaps_opened
                                                                           if g.kind == kind])
    for kind in dict.fromkeys(g.kind for g in c.gaps_closed):
        listed(_("Gap closed: {kind}").format(kind=words.gap_kind(kind)), [g.number for g in c.gaps_closed
                                                                           if g.kind == kind])
    listed(_("Strategy changed"), [s.number for s in c.strategies])
    listed(_("Action added"), [a.number for a in c.actions if a.before is None])
    listed(_("Action removed"), [a.number for a in c.actions if a.after is None])
    for status in words.ACTION_STATUSES:
        listed(_("Action now {status}").format(status=words.action_status(status)),
               [a.number for a in c.actions if a.before is not None and a.after is not None
                and a.before.status != a.after.status and a.after.status == status])
    if rows:
        pack.table(_("Gaps, strategies and actions"), (_("What changed"), _("Risks")), rows, (1, 1.4))
    if c.actions:
        pack.table(_("Actions that changed"), (_("Risk"), _("Action"), _("What changed")),
                   [(str(a.number), (a.after or a.before).what, action_change_words(a))  # type: ignore[union-attr]
                    for a in c.actions], (0.8, 4.4, 3.6))
    if c.indicators:
        pack.table(_("Indicator values then and now"), (_("Indicator"), _("Then"), _("Now"), _("Target")),
                   [(i.indicator_id, reading_words(i.before), reading_words(i.after), number_words(i.target))
                    for i in c.indicators], (1.2, 3, 3, 1.2))


def _moves_map(pack: Pack, content: Briefing, changes: Changes) -> None:
    """The heat map now, each cell listing its risks; one that moved says where it came from
    ('7 from High / High') and one new since says so: numbers and words, never colour alone."""
    c = changes.comparison
    came_from = {m.number: m.before for m in c.moved}
    added = {r.number for r in c.added_risks}
    page, area = pack.content(_("Where the risks are now, and where they came from"))
    cells: dict[tuple[str, str], list[str]] = {}
    for item in sorted(content.all_risks, key=lambda i: (i.risk.number not in came_from and i.risk.number
                                                         not in added, i.risk.number)):
        r = item.risk
        if not r.rated:
            continue
        if r.number in came_from:
            said = _("{number} from {cell}").format(number=r.number, cell=cell_words(came_from[r.number]))
        elif r.number in added:
            said = _("{number} (new)").format(number=r.number)
        else:
            said = str(r.number)
        cells.setdefault((r.likelihood, r.impact), []).append(said)  # type: ignore[arg-type]
    _grid(page, area, content, cells, MIN_PT, first_share=0.16)


def _items_in(items: Sequence[str], per_line: int, lines: int) -> str:
    """A cell's risks ('7 from High / High', '12'), as many as fit, then how many more."""
    if not items:
        return _("no risk")
    for shown in range(len(items), 0, -1):
        text = ", ".join(items[:shown])
        if shown < len(items):
            text += " " + _("and {count} more").format(count=len(items) - shown)
        if len(wrap(text, per_line)) <= lines:
            return text
    return _("{count} risks").format(count=len(items))
