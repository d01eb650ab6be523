"""The Word report as a ministry receives it: opened with python-docx for what it holds,
and rendered once per document with LibreOffice for how it looks on paper (layout.py).
PNGs of every page stay in artifacts/briefing/word-*/ for a person to look at."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from riskkit import images
from riskkit.briefing import Briefing, briefing
from riskkit.charts import heatmap_figure
from riskkit.models import Assessment, Catalogue, IndicatorSet
from riskkit.outputs import build
from riskkit.palette import colours_of
from riskkit.report import to_docx
from riskkit.rules import register
from tests.briefing import layout
from tests.briefing.conftest import ABOUT
from tests.briefing.follow_up import CLOSED, MOVED, TODAY, followed_up
from tests.conftest import rated

SANS = {"LiberationSans", "LiberationSans-Bold", "LiberationSans-Italic"}  # Arial's twins in the PDF
# Where text may go, in points from the paper's edges: inside the side margins, and between
# the header and the footer (1 cm from the edge in the default, half an inch in the template);
# a point or two of slack for the glyphs' own boxes.
SIDES = {"twelve": Cm(2.0).pt - 1, "three_hundred": Cm(2.0).pt - 1, "templated": Cm(3.175).pt - 1}
ENDS = {"twelve": Cm(1.0).pt - 2, "three_hundred": Cm(1.0).pt - 2, "templated": Cm(1.27).pt - 2}
BODY_TOP = BODY_BOTTOM = Cm(2.0).pt
SECTIONS = ("Contents", "Method", "Risk register", "Monitoring indicators", "Notes", "Action plan", "Changes since")
ROW = re.compile(r"\d+\. ")


def heat_map(catalogue: Catalogue, assessment: Assessment) -> bytes:
    return images.render(heatmap_figure(catalogue, register(catalogue, assessment)), "png", "projector")


def workshop(catalogue: Catalogue) -> Assessment:
    a = Assessment(policy=catalogue.policies.default)
    a = rated(catalogue, a, 1, "High", "Low", strategy="Screen at the border", notes="Confidential: NGO X")
    a = rated(catalogue, a, 5, "Medium", "High")
    a = rated(catalogue, a, 7, "Low", "Low")
    a, own = a.add_own_risk(catalogue, "Shelter staff leave", ("1.7",), ("PA-03",))
    a = rated(catalogue, a, own, "High", "Medium", strategy="Retention bonus")
    return a


class Report:
    def __init__(self, content: Briefing, data: bytes, rendered: layout.Rendered) -> None:
        self.content, self.data, self.rendered = content, data, rendered
        self.doc: DocxDocument = Document(io.BytesIO(data))


def made(content: Briefing, png: bytes, folder: Path, label: str, template: bytes | None = None) -> Report:
    data = to_docx(content, png, template=template)
    source = folder / f"{label}.docx"
    source.write_bytes(data)
    return Report(content, data, layout.render(source, label))


@pytest.fixture(scope="module")
def twelve(catalogue: Catalogue, indicators: IndicatorSet, tmp_path_factory: pytest.TempPathFactory) -> Report:
    """The workshop six months on: 3 actions per risk, reviews, indicator values, compared with May."""
    a, earlier = followed_up(catalogue, indicators, workshop(catalogue))
    return made(briefing(ABOUT, a, catalogue, indicators, today=TODAY, earlier=earlier), heat_map(catalogue, a),
                tmp_path_factory.mktemp("word12"), "word-12")


@pytest.fixture(scope="module")
def three_hundred(catalogue: Catalogue, indicators: IndicatorSet, tmp_path_factory: pytest.TempPathFactory) -> Report:
    a, earlier = followed_up(catalogue, indicators, 300)
    return made(briefing(ABOUT, a, catalogue, indicators, today=TODAY, earlier=earlier), heat_map(catalogue, a),
                tmp_path_factory.mktemp("word300"), "word-300")


def organisation_template() -> bytes:
    """An organisation's .dotx as Word saves one: Letter paper, its own face (DejaVu Sans,
    a serif-free face LibreOffice has), sample text, and a Company property."""
    doc = Document()
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Header", "Footer"):
        style = doc.styles[name]
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(theme), None)
        style.font.name = "DejaVu Sans"  # type: ignore[union-attr]
    doc.styles["Heading 1"].font.size = Pt(20)  # type: ignore[union-attr]
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.59), Cm(27.94)
    doc.add_paragraph("Replace this sample text with your own.")
    section.header.paragraphs[0].text = "Ministry letterhead"
    saved = io.BytesIO()
    doc.save(saved)
    out = io.BytesIO()
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"wordprocessingml.document.main+xml", b"wordprocessingml.template.main+xml")
            if info.filename == "docProps/app.xml":
                data = data.replace(b"</Properties>", b"<Company>Ministry of the Interior</Company></Properties>")
            target.writestr(info, data)
    return out.getvalue()


@pytest.fixture(scope="module")
def templated(catalogue: Catalogue, indicators: IndicatorSet, tmp_path_factory: pytest.TempPathFactory) -> Report:
    a = workshop(catalogue)
    return made(briefing(ABOUT, a, catalogue, indicators), heat_map(catalogue, a),
                tmp_path_factory.mktemp("wordtpl"), "word-template", template=organisation_template())


def register_tables(doc: DocxDocument) -> list:
    return [t for t in doc.tables if [c.text for c in t.rows[0].cells][:4] == ["Identified risk", "Likelihood",
                                                                               "Impact", "Band"]]


def register_rows(doc: DocxDocument) -> dict[str, list[str]]:
    return {row.cells[0].text.split(".")[0]: [c.text for c in row.cells]
            for table in register_tables(doc) for row in table.rows if ROW.match(row.cells[0].text)}


def page_with(rendered: layout.Rendered, text: str) -> layout.Page:
    return next(page for page in rendered.pages if text in " ".join(page.text.split()))


# --- what the report holds ------------------------------------------------------------------


def test_every_risk_is_in_the_register_with_its_levels_in_words_and_its_band_in_a_column_of_its_own(twelve, catalogue):
    rows = register_rows(twelve.doc)
    for risk in catalogue.risks:
        assert rows[str(risk.number)][0].startswith(f"{risk.number}. {risk.statement}")
    first = next(r for r in twelve.content.all_risks if r.risk.number == 1)
    residual = f"Low / {first.risk.residual_impact}\n{first.residual_band.capitalize()} band"
    assert rows["1"][1:] == ["High", "Low", "Medium", residual, "Screen at the border"]
    assert rows["5"][1:4] == ["Medium", "High", "High"] and rows["5"][5] == "None written: required"
    assert rows["2"][1:4] == ["–", "–", "Not rated"] and rows["2"][5] == "–"
    assert rows["13"][0] == "13. Shelter staff leave (1.7)"


def test_every_part_is_there_with_the_gaps_the_notes_and_one_picture(twelve):
    text = "\n".join(p.text for p in twelve.doc.paragraphs)
    for heading in ("Contents", "Summary", "Goals", "Method", "Heat map", "Risk register",
                    "Additional risks identified by user", "Mitigation gaps", "Action plan",
                    "Monitoring indicators linked to each risk", "Monitoring indicator values",
                    "Changes since Kenya workshop, May (28 May 2026)", "Notes"):
        assert heading in text
    assert "Risk 5 (no strategy)" in text and "Risk 1: Confidential: NGO X" in text
    assert len(twelve.doc.inline_shapes) == 1
    assert 'TOC \\o "1-2"' in twelve.data.decode("latin-1") or b"TOC \\o" in zipfile.ZipFile(
        io.BytesIO(twelve.data)).read("word/document.xml")


def table_under(doc: DocxDocument, *header: str) -> list[list[str]]:
    """The rows (cell texts) of the first table whose header starts with these words."""
    table = next(t for t in doc.tables if [c.text for c in t.rows[0].cells][:len(header)] == list(header))
    return [[c.text for c in row.cells] for row in table.rows[1:]]


def test_the_action_plan_lists_every_action_overdue_first_and_says_overdue_in_words(twelve):
    rows = table_under(twelve.doc, "Risk", "Action", "Who", "Due", "Status")
    assert len(rows) == len(twelve.content.plan) == 3 * 13 + 1  # three a risk, and one added since May
    overdue = [row[4].startswith("Overdue: ") for row in rows]
    assert overdue[0] and overdue == sorted(overdue, reverse=True)
    late = twelve.content.overdue[0]
    assert rows[0][:4] == [str(late.number), late.action.what + ("\n" + late.action.note if late.action.note else ""),
                           late.action.who, f"{late.action.due.day} {late.action.due:%B} {late.action.due.year}"]
    assert {row[4].removeprefix("Overdue: ") for row in rows} <= {"Planned", "In progress", "Done", "Dropped",
                                                                  "planned", "in progress"}


def test_a_register_without_actions_or_values_says_so_in_a_sentence(templated):
    text = "\n".join(p.text for p in templated.doc.paragraphs)
    assert "No actions are planned yet: the strategies above have not been broken down" in text
    assert "No values are recorded for the monitoring indicators yet." in text
    assert "No date is set for the next review of the register." in text


def test_the_summary_gives_the_plan_and_the_reviews_due(twelve):
    text = "\n".join(p.text for p in twelve.doc.paragraphs)
    assert "40 actions in the plan (" in text and f"{len(twelve.content.overdue)} overdue on 29 November 2026" in text
    assert "The review of the register was due on 26 November 2026: it is overdue." in text
    reviews = table_under(twelve.doc, "Identified risk", "Review date", "Review")
    due = [r for r in twelve.content.reviews if r.number is not None]
    assert [row[0].split(".")[0] for row in reviews] == [str(r.number) for r in due]
    assert [row[2] for row in reviews] == ["Overdue" if r.overdue else "Coming up" for r in due]


def test_each_indicator_with_values_has_its_baseline_target_latest_value_and_every_value(twelve):
    rows = {row[0].split(":")[0]: row for row in table_under(twelve.doc, "Indicator", "Baseline", "Target")}
    assert len(rows) == 18
    first = rows["PA-01"]
    assert first[1:4] == ["10", "60", "33.5 on 1 Nov 2026 (Police database)"]
    assert first[4].startswith("Police database: 1 Dec 2024: 10 · 1 Jan 2025: 11 · ")
    assert "Shelter records: 1 Jun 2026: 28.5 · " in first[4] and first[4].count(": ") == 24 + 2


def test_the_changes_since_the_earlier_workshop_are_said_in_words(twelve):
    text = " ".join(twelve.rendered.text.split())
    section = text[text.index("Changes since Kenya workshop, May (28 May 2026) Compared with"):]
    assert f"{MOVED}. Protection and assistance are not provided" in section
    assert "High / High → Medium / High" in section
    assert f"Mitigation gaps closed • Risk {CLOSED} (no strategy)" in section
    assert "Strategies changed Risk Before After 4 – Joint screening teams at the two main border posts" in section
    assert "status planned → done" in section and "Brief the new shelter director Added (planned)" in section
    then_now = section[section.index("Indicator values then and now Indicator Then Now Target PA-01: "):]
    assert "27 on 1 May 2026" in then_now and "33.5 on 1 Nov 2026" in then_now


def test_only_the_band_cell_is_coloured_and_it_says_its_band(twelve):
    table = register_tables(twelve.doc)[0]
    row = next(r for r in table.rows if r.cells[0].text.startswith("5. "))
    fills = [cell._tc.tcPr.find(qn("w:shd")) for cell in row.cells]
    assert [f is None for f in fills] == [True, True, True, False, True, True]
    high_fill, high_ink = colours_of("high", ("low", "medium", "high"))
    assert fills[3].get(qn("w:fill")) == high_fill.lstrip("#") and row.cells[3].text == "High"
    assert str(row.cells[3].paragraphs[0].runs[0].font.color.rgb) == high_ink.lstrip("#")


def test_register_rows_never_split_and_the_header_row_repeats(twelve, three_hundred):
    for report in (twelve, three_hundred):
        for table in report.doc.tables:
            header = table.rows[0]._tr.trPr
            if table.rows[0].cells[0].text in ("Identified risk", "Risk", "Indicator"):
                assert header is not None and header.find(qn("w:tblHeader")) is not None
            assert all(row._tr.trPr is not None and row._tr.trPr.find(qn("w:cantSplit")) is not None
                       for row in table.rows)


def test_the_file_says_who_made_it_and_what_it_is(twelve, templated):
    props = twelve.doc.core_properties
    assert (props.title, props.author, props.last_modified_by) == ("Kenya national workshop", "riskkit", "riskkit")
    assert "3.6" in props.subject and props.comments == "Kenya"
    assert templated.doc.core_properties.author == "Ministry of the Interior"
    assert b"python-docx" not in zipfile.ZipFile(io.BytesIO(twelve.data)).read("docProps/core.xml")


def test_every_page_has_the_title_at_the_top_and_page_x_of_y_with_the_date_at_the_foot(twelve):
    for section in twelve.doc.sections:
        assert section.header.paragraphs[0].text == "Kenya national workshop"
        codes = [t.text.strip() for t in section.footer._element.iter(qn("w:instrText"))]
        assert codes == ["PAGE", "NUMPAGES"] and "29 November 2026" in section.footer.paragraphs[0].text
    assert twelve.doc.sections[0].different_first_page_header_footer  # the cover carries no running title
    assert layout.pages_without_number(twelve.rendered) == []


def test_indicators_are_introduced_in_words_an_official_audience_accepts(twelve):
    text = "\n".join(p.text for p in twelve.doc.paragraphs)
    assert "Indicators proposed for monitoring, pending the indicators of section 4.3.5" in text
    assert "draft" not in text.lower() and "riskkit" not in text


# --- how it looks on paper ------------------------------------------------------------------


def test_the_cover_has_the_title_country_date_and_organisation_and_the_contents_have_page_numbers(twelve, templated):
    cover = " ".join(twelve.rendered.pages[0].text.split())
    assert all(part in cover for part in ("Kenya national workshop", "Country or project: Kenya",
                                          "Date: 29 November 2026"))
    assert "Organisation: Ministry of the Interior" in " ".join(templated.rendered.pages[0].text.split())
    contents = twelve.rendered.pages[1].text
    register_page = page_with(twelve.rendered, "Risk register Identified risk").number
    assert re.search(rf"Risk register\W*\.{{5,}}\s*{register_page}\b", contents), contents


def test_the_heat_map_and_its_explanation_share_the_method_page(twelve, three_hundred):
    for report in (twelve, three_hundred):
        page = page_with(report.rendered, "Each cell shows its band")
        assert "Method" in page.text and "Heat map" in page.text
        explained = max(line.box.y1 for line in page.lines if "risks are rated" in line.text)
        drawn = layout.content_bottom(page, BODY_TOP, BODY_BOTTOM)
        assert drawn > explained + Cm(8).pt  # the picture below it, on the same page
        assert report.rendered.pages[page.number].text.lstrip().startswith(
            ("Kenya national workshop\nRisk register", "Risk register"))


@pytest.mark.parametrize("which", ["twelve", "three_hundred", "templated"])
def test_on_paper_nothing_runs_off_overlaps_splits_or_leaves_a_page_half_empty(which, request):
    report: Report = request.getfixturevalue(which)
    rendered = report.rendered
    assert layout.text_outside(rendered, SIDES[which], SIDES[which], ENDS[which], ENDS[which]) == []
    assert layout.overlapping_lines(rendered) == []
    assert layout.pages_without_number(rendered) == []
    assert layout.split_rows(rendered, "Identified risk", ROW) == []
    assert layout.split_rows(rendered, "Risk Indicators", re.compile(r"\d+ ")) == []
    for header, start in (("Risk Action", r"\d+( |$)"), ("Indicator Baseline", r"PA-\d+: "),
                          ("Indicator Then", r"PA-\d+: ")):
        assert layout.split_rows(rendered, header, re.compile(start)) == [], header
    assert layout.half_empty_pages(rendered, BODY_TOP, BODY_BOTTOM, SECTIONS) == []


def test_the_report_is_set_in_one_sans_serif_face(twelve, three_hundred):
    for report in (twelve, three_hundred):
        assert layout.fonts_other_than(report.rendered, SANS) == []


def test_the_register_of_three_hundred_risks_repeats_its_header_on_every_page_it_spans(three_hundred):
    pages = three_hundred.rendered.pages
    first = page_with(three_hundred.rendered, "Risk register Identified risk").number
    last = page_with(three_hundred.rendered, "300. Synthetic risk 300").number
    assert last - first >= 10
    for page in pages[first - 1:last]:
        assert any(line.text.startswith("Identified risk") for line in page.lines), page.number
    assert len(pages) < 160


def test_an_organisations_template_gives_the_report_its_face_and_paper_and_none_of_its_sample_text(templated):
    assert layout.fonts_other_than(templated.rendered, {"DejaVuSans", "DejaVuSans-Bold",
                                                                 "DejaVuSans-Oblique"}) == []  # its subtitle
    first = templated.rendered.pages[0]
    assert (round(first.width), round(first.height)) == (612, 792)  # US Letter, portrait, as the template
    assert "Replace this sample text" not in templated.rendered.text
    landscape = page_with(templated.rendered, "Risk register Identified risk")
    assert (round(landscape.width), round(landscape.height)) == (792, 612)
    for page in templated.rendered.pages[1:]:  # the template's header kept, the running title under it
        assert "Ministry letterhead\nKenya national workshop" in page.text, page.number


def test_a_template_also_reaches_the_report_through_build(catalogue, indicators):
    data = build("docx", ABOUT, workshop(catalogue), catalogue, indicators, report_template=organisation_template())
    doc = Document(io.BytesIO(data))
    assert doc.styles["Normal"].font.name == "DejaVu Sans"
    assert doc.core_properties.author == "Ministry of the Interior"


def test_the_command_line_export_uses_the_template_kept_with_the_assessment(catalogue, tmp_path, capsys):
    from riskkit.cli import main
    from riskkit.store import Store

    store = Store()
    made = store.create("Kenya national workshop", catalogue.policies.default, context="Kenya")
    store.put_template(made, "docx", "ministry.dotx", organisation_template())
    out = tmp_path / "report.docx"
    assert main(["export", made, "--format", "docx", "--out", str(out)]) == 0
    doc = Document(str(out))
    assert doc.styles["Normal"].font.name == "DejaVu Sans" and doc.core_properties.author == "Ministry of the Interior"
    store.engine.dispose()


def cover_text(doc: DocxDocument) -> str:
    """The cover's paragraphs: everything before the first page break."""
    lines = []
    for para in doc.paragraphs:
        if any(br.get(qn("w:type")) == "page" for br in para._element.iter(qn("w:br"))):
            break
        lines.append(para.text)
    return "\n".join(lines)


def test_the_assessments_organisation_is_on_the_cover_and_the_templates_company_only_stands_in(catalogue,
                                                                                                indicators):
    ours = ABOUT.model_copy(update={"organisation": "UNODC Regional Office for Eastern Africa"})
    for template in (None, organisation_template()):
        doc = Document(io.BytesIO(build("docx", ours, workshop(catalogue), catalogue, indicators,
                                        report_template=template)))
        cover = cover_text(doc)
        assert "Organisation: UNODC Regional Office for Eastern Africa" in cover
        assert "Ministry of the Interior" not in cover
        assert doc.core_properties.author == "UNODC Regional Office for Eastern Africa"
    fallback = Document(io.BytesIO(build("docx", ABOUT, workshop(catalogue), catalogue, indicators,
                                         report_template=organisation_template())))
    assert "Organisation: Ministry of the Interior" in cover_text(fallback)
    plain = cover_text(Document(io.BytesIO(build("docx", ABOUT, workshop(catalogue), catalogue, indicators))))
    assert "Organisation" not in plain and "Kenya national workshop" in plain


def test_the_command_line_export_puts_the_assessments_organisation_on_the_cover(catalogue, tmp_path):
    from riskkit.cli import main
    from riskkit.store import Store

    store = Store()
    made = store.create("Kenya national workshop", catalogue.policies.default, context="Kenya",
                        organisation="UNODC Nairobi")
    store.put_template(made, "docx", "ministry.dotx", organisation_template())
    out = tmp_path / "report.docx"
    assert main(["export", made, "--format", "docx", "--out", str(out)]) == 0
    doc = Document(str(out))
    assert "Organisation: UNODC Nairobi" in cover_text(doc) and "Ministry" not in cover_text(doc)
    store.engine.dispose()
