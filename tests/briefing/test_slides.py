"""The PowerPoint pack as a person sees it: each deck is rendered once (LibreOffice, then
poppler), its pages kept as PNGs under artifacts/briefing/slides-*/."""

import io
import re
import zipfile

import pytest
from pptx import Presentation
from pptx.util import Pt

from riskkit.briefing import briefing
from riskkit.palette import colours_of
from riskkit.slides import default_deck, to_pptx
from riskkit.templates import AS_DOCUMENT, TemplateRejected
from tests.briefing.conftest import ABOUT, LONG
from tests.briefing.follow_up import MOVED, TODAY, followed_up
from tests.briefing.layout import content_bottom, fonts_other_than, overlapping_lines, render, text_outside
from tests.conftest import rated

LIBERATION = {"LiberationSans", "LiberationSans-Bold"}
LAYOUT_KINDS = {"title", "obj", "secHead"}


def _title(slide) -> str:
    return slide.shapes.title.text_frame.text if slide.shapes.title is not None else ""


def _deck_and_pages(content, tmp_path_factory, label: str, template: bytes | None = None):
    data = to_pptx(content, template=template)
    source = tmp_path_factory.mktemp(label) / f"{label}.pptx"
    source.write_bytes(data)
    return Presentation(io.BytesIO(data)), render(source, label)


@pytest.fixture(scope="module")
def twelve(catalogue, indicators, tmp_path_factory):
    """The toolkit's twelve risks rated, and one own risk with the longest strategy a field takes."""
    from benchmarks.synthetic import synthetic_assessment
    assessment = synthetic_assessment(catalogue, 12)
    assessment, own = assessment.add_own_risk(catalogue, "Shelter staff leave mid-project")
    assessment = rated(catalogue, assessment, own, "High", "High", strategy=(LONG * 4)[:20_000].strip())
    now, earlier = followed_up(catalogue, indicators, assessment)  # 3 actions a risk, values, and May's register
    content = briefing(ABOUT, now, catalogue, indicators, today=TODAY, earlier=earlier)
    return (content, *_deck_and_pages(content, tmp_path_factory, "slides-12"))


@pytest.fixture(scope="module")
def three_hundred(catalogue, indicators, tmp_path_factory):
    now, earlier = followed_up(catalogue, indicators, 300)
    content = briefing(ABOUT, now, catalogue, indicators, today=TODAY, earlier=earlier)
    return (content, *_deck_and_pages(content, tmp_path_factory, "slides-300"))


@pytest.fixture(scope="module", params=["twelve", "three_hundred"])
def pack(request):
    return request.getfixturevalue(request.param)


def test_every_slide_is_on_a_title_content_or_section_layout_and_nothing_is_under_18_points(pack):
    _content, deck, _rendered = pack
    assert deck.slide_width * 9 == deck.slide_height * 16
    assert {slide.slide_layout._element.get("type") for slide in deck.slides} == LAYOUT_KINDS
    sizes = [run.font.size for slide in deck.slides for shape in slide.shapes
             for frame in ([shape.text_frame] if shape.has_text_frame else
                           [cell.text_frame for row in shape.table.rows for cell in row.cells]
                           if shape.has_table else [])
             for paragraph in frame.paragraphs for run in paragraph.runs if run.text.strip()]
    assert sizes and None not in sizes and min(sizes) >= Pt(18)


def test_each_high_band_risk_has_its_statement_as_a_title_and_a_badge_in_its_band_colour(pack):
    content, deck, _rendered = pack
    fill, _ink = colours_of(content.band_names[-1], content.band_names)
    for item in content.high_band:
        slides = [s for s in deck.slides if " ".join(item.risk.statement.split()).startswith(
            _title(s).removesuffix(" …"))]
        assert slides, item.risk.statement
        badges = [shape for shape in slides[0].shapes if shape.shape_type == 1]
        assert badges and str(badges[0].fill.fore_color.rgb) == fill.lstrip("#")
        assert f"Risk {item.risk.number}" in badges[0].text_frame.text


def test_the_heat_map_is_an_editable_table_with_band_words_and_colours(pack):
    content, deck, _rendered = pack
    slide = next(s for s in deck.slides if _title(s) == "Heat map: likelihood by impact")
    table = next(shape.table for shape in slide.shapes if shape.has_table)
    top_right = table.cell(1, len(content.scale))  # the highest likelihood by the highest impact
    assert top_right.text_frame.text.startswith("HIGH")
    assert str(top_right.fill.fore_color.rgb) == colours_of("high", content.band_names)[0].lstrip("#")
    assert table.cell(len(content.scale), 1).text_frame.text.startswith("LOW")


def test_the_rendered_pack_keeps_every_word_on_its_slide_and_no_line_over_another(pack):
    _content, deck, rendered = pack
    assert len(rendered.pages) == len(deck.slides)
    assert text_outside(rendered, 0, 0, 0, 0) == []
    assert overlapping_lines(rendered) == []
    assert fonts_other_than(rendered, LIBERATION) == []


def test_no_slide_but_a_sections_last_has_its_lower_half_empty(pack):
    _content, deck, rendered = pack
    titles = [_title(s) for s in deck.slides]
    for index, page in enumerate(rendered.pages[:-1]):
        continued = titles[index + 1] == f"{titles[index]} (continued)" or (
            titles[index + 1].endswith("(continued)") and titles[index].endswith("(continued)")
            and titles[index + 1] == titles[index])
        if continued:
            assert content_bottom(page, 0, 0) > page.height / 2, f"slide {index + 1}: {titles[index]!r}"


def test_a_long_strategy_continues_between_sentences(twelve):
    _content, deck, _rendered = twelve
    own = [s for s in deck.slides if _title(s).startswith("Shelter staff leave")]
    assert len(own) > 3
    for slide in own[:-1]:
        body = [shape.text_frame.text for shape in slide.placeholders if shape.placeholder_format.idx == 1]
        assert body and re.search(r"[.!?]$", body[0].strip()), body[0][-80:]


def test_long_lists_become_tables_that_split_only_between_rows(three_hundred):
    _content, deck, rendered = three_hundred
    tables = [s for s in deck.slides if _title(s).startswith(("Mitigation gaps", "Monitoring indicators"))]
    assert len(tables) > 4 and all(any(shape.has_table for shape in s.shapes) for s in tables)
    text = rendered.text
    for number in (1, 150, 300):  # every risk number is said somewhere in the gaps, none lost
        assert re.search(rf"\b{number}\b", text)


def _organisation_template(tmp_path) -> bytes:
    """An organisation's .potx: DejaVu Sans throughout, a sample slide left in it."""
    deck = default_deck()
    theme = deck.slide_master.part.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme")
    theme._blob = re.sub(rb'<a:latin typeface="[^"]*"', b'<a:latin typeface="DejaVu Sans"', theme.blob)
    deck.slides.add_slide(deck.slide_layouts[0]).shapes.title.text = "Sample slide of the template"
    out = io.BytesIO()
    deck.save(out)
    potx = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as source, zipfile.ZipFile(potx, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item, data.replace(AS_DOCUMENT["pptx"][1], AS_DOCUMENT["pptx"][0]))
    return potx.getvalue()


def test_an_organisations_template_restyles_the_pack(catalogue, indicators, blank, tmp_path_factory, tmp_path):
    assessment = rated(catalogue, rated(catalogue, blank, 1, "High", "High", strategy="Screen at the border"),
                       2, "Low", "Low")
    content = briefing(ABOUT, assessment, catalogue, indicators)
    deck, rendered = _deck_and_pages(content, tmp_path_factory, "slides-template",
                                     template=_organisation_template(tmp_path))
    assert "Sample slide of the template" not in rendered.text
    assert {font.name for font in rendered.fonts} <= {"DejaVuSans", "DejaVuSans-Bold"}
    assert text_outside(rendered, 0, 0, 0, 0) == [] and overlapping_lines(rendered) == []


@pytest.mark.parametrize("bad", [b"not a zip", b"PK\x03\x04broken", b""])
def test_a_file_that_is_not_a_template_is_refused_in_words(catalogue, indicators, blank, bad):
    with pytest.raises(TemplateRejected, match="cannot be opened as a PowerPoint template"):
        to_pptx(briefing(ABOUT, blank, catalogue, indicators), template=bad)


def test_the_heat_map_can_be_a_picture_instead(catalogue, indicators, blank):
    from tests.briefing.test_images import TINY_PNG
    deck = Presentation(io.BytesIO(to_pptx(briefing(ABOUT, blank, catalogue, indicators), heatmap_image=TINY_PNG)))
    assert any(shape.shape_type == 13 for shape in deck.slides[1].shapes)


def test_the_title_slide_names_the_organisation_under_the_title_when_there_is_one(catalogue, blank, indicators):
    ours = ABOUT.model_copy(update={"organisation": "UNODC Regional Office for Eastern Africa"})
    for about, shown in ((ours, True), (ABOUT, False)):
        first = Presentation(io.BytesIO(to_pptx(briefing(about, blank, catalogue, indicators)))).slides[0]
        under = [shape.text_frame.text for shape in first.placeholders
                 if shape.has_text_frame and shape != first.shapes.title]
        assert _title(first) == ABOUT.title
        assert any(text.startswith("UNODC Regional Office for Eastern Africa\n") for text in under) is shown, under


def _tables(deck, title: str) -> list[list[list[str]]]:
    """The tables of the slides with this title (and its continuations), as rows of cell texts."""
    return [[[cell.text_frame.text for cell in row.cells] for row in shape.table.rows]
            for slide in deck.slides if _title(slide).removesuffix(" (continued)") == title
            for shape in slide.shapes if shape.has_table]


def test_the_open_actions_are_listed_overdue_first_in_words_with_the_header_on_every_slide(pack):
    content, deck, _rendered = pack
    tables = _tables(deck, "Open actions")
    assert tables and all(table[0] == ["Risk", "Action", "Who", "Due", "Status"] for table in tables)
    statuses = [row[4] for table in tables for row in table[1:]]
    overdue = [status.startswith("Overdue: ") for status in statuses]
    assert overdue[0] and overdue == sorted(overdue, reverse=True)  # overdue first, said in words
    expected = [r for r in content.plan if r.action.open][:20]
    assert [row[1] for table in tables for row in table[1:]] == [r.action.what for r in expected]
    owners = _tables(deck, "Action plan by owner")[0]
    assert owners[0] == ["Who", "Planned", "In progress", "Done", "Dropped", "Overdue"]
    assert sum(int(row[5]) for row in owners[1:]) == len(content.overdue)


def test_the_comparison_says_where_each_moved_risk_came_from_in_numbers_and_words(pack):
    _content, deck, rendered = pack
    moved = _tables(deck, "Risks that moved")[0]
    assert [MOVED, "High / High → Medium / High"] == [int(moved[1][0]), moved[1][2]]
    grid = _tables(deck, "Where the risks are now, and where they came from")[0]
    medium_high = grid[2][3]  # likelihood Medium (second row from the top), impact High
    assert medium_high.startswith("HIGH\n") and f"{MOVED} from High / High" in medium_high
    then_now = _tables(deck, "Indicator values then and now")
    assert then_now[0][0] == ["Indicator", "Then", "Now", "Target"]
    assert then_now[0][1][1].endswith("on 1 May 2026 (Police database)") and "on 1 Nov 2026" in then_now[0][1][2]
    changed = dict(row for row in _tables(deck, "Gaps, strategies and actions")[0][1:])
    assert changed["Gap closed: no strategy"] == "4" and changed["Action now done"] == "1"
    assert "CHANGES SINCE KENYA WORKSHOP, MAY" in " ".join(rendered.text.split()).upper()
