"""The PowerPoint briefing pack, laid out from a `Briefing` (riskkit.briefing decides the content)."""

from __future__ import annotations

import io

from pptx import Presentation
from pptx.dml.color import RGBColor as PptxRGB
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.slide import Slide
from pptx.util import Emu, Inches
from pptx.util import Pt as PptxPt

from riskkit import words
from riskkit.briefing import Briefing, _identified, _rating


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

