"""Every word of every file a manager sends goes through the message catalogue, in the
assessment's language: the Word report, the PowerPoint pack, an image (SVG, whose words can be
read) and the Excel file are built once in a made-up language whose every message is marked
("⟦Risk register⟧"); any run of text outside the marks that is not what people typed and not
the toolkit's own English was never wrapped. Then real French and Spanish exports are read
back into an English session with nothing lost, and a French Word report is looked at on paper.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from pptx import Presentation

from riskkit import i18n
from riskkit.briefing import Earlier, translation_words
from riskkit.catalogue import catalogue_in, indicators_in, parse_wording_upload, with_official_wording, wording_path
from riskkit.exchange import from_json, from_xlsx
from riskkit.models import Assessment, Catalogue, IndicatorSet
from riskkit.outputs import build
from tests.briefing import layout
from tests.briefing.conftest import ABOUT
from tests.briefing.follow_up import followed_up
from tests.pages.test_languages import CLOSE, OPEN, _strings, english_left, locale_words, toolkit_english
from tests.pseudo import write_pseudo_locale

PSEUDO = "xx"
ORGANISATION = ABOUT.model_copy(update={"organisation": "Ministry of the Interior"})
SANS = {"LiberationSans", "LiberationSans-Bold", "LiberationSans-Italic"}


@pytest.fixture(scope="module")
def register(catalogue: Catalogue, indicators: IndicatorSet) -> tuple[Assessment, Earlier]:
    """The workshop six months on, with an own risk (some of the words are the users')."""
    from tests.briefing.test_word import workshop

    return followed_up(catalogue, indicators, workshop(catalogue))


@pytest.fixture(scope="module")
def pseudo_files(register: tuple[Assessment, Earlier], catalogue: Catalogue, indicators: IndicatorSet,
                 tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """Each kind of file, built once in the made-up language (the real languages back afterwards)."""
    folder = write_pseudo_locale(tmp_path_factory.mktemp("pseudo"), PSEUDO, lambda m: f"{OPEN}{m}{CLOSE}")
    assessment, earlier = register
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(i18n, "locale_dir", lambda: folder)
            i18n.translations.cache_clear()
            return {fmt: build(fmt, ORGANISATION, assessment, catalogue, indicators, earlier=earlier,
                               language=PSEUDO) for fmt in ("docx", "pptx", "svg", "xlsx", "csv")}
    finally:
        i18n.translations.cache_clear()
        i18n._LOCALES.clear()


def allowed(register: tuple[Assessment, Earlier]) -> list[str]:
    """The toolkit's English, Babel's month names, and everything people typed, on both sides."""
    assessment, earlier = register
    typed = [*_strings(assessment.model_dump(mode="json")), *_strings(earlier.assessment.model_dump(mode="json")),
             *_strings(ORGANISATION.model_dump(mode="json")), *_strings(earlier.about.model_dump(mode="json"))]
    return toolkit_english() + locale_words() + typed + ["riskkit", "UNODC"]


def docx_texts(data: bytes) -> list[str]:
    """Every paragraph of the body, its tables, headers and footers, and the file's properties."""
    doc = Document(io.BytesIO(data))
    texts = []
    for part in [doc.element.body] + [s.header._element for s in doc.sections] + [s.footer._element
                                                                                   for s in doc.sections]:
        for paragraph in part.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p"):
            texts.append("".join(t.text or "" for t in paragraph.iter(
                "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t")))
    texts += [doc.core_properties.title or "", doc.core_properties.subject or "", doc.core_properties.keywords or ""]
    drawing = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
    texts += [each.get("descr") or "" for each in doc.element.body.iter(drawing)]  # a picture's alt text
    return texts


def pptx_texts(data: bytes) -> list[str]:
    deck = Presentation(io.BytesIO(data))
    texts = []
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts += [p.text for p in shape.text_frame.paragraphs]
            if shape.has_table:
                texts += [cell.text for row in shape.table.rows for cell in row.cells]
            if shape.shape_type == 13 and getattr(shape, "_element", None) is not None:  # a picture: its alt text
                texts.append(shape._element.nvPicPr.cNvPr.get("descr") or "")
        if slide.has_notes_slide:
            texts.append(slide.notes_slide.notes_text_frame.text)
    return texts


def xlsx_texts(data: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(data))
    shown = [sheet for sheet in book.worksheets if sheet.sheet_state == "visible"]  # the hidden one holds ids
    texts = [sheet.title for sheet in shown]
    for sheet in shown:
        texts += [str(cell.value) for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
        texts += [v.prompt or "" for v in sheet.data_validations.dataValidation]
        texts += [v.promptTitle or "" for v in sheet.data_validations.dataValidation]
        texts += [sheet.oddHeader.center.text or "", sheet.oddFooter.center.text or "",
                  sheet.oddHeader.left.text or "", sheet.oddFooter.right.text or ""]
    return [re.sub(r"&[A-Z]|&\"[^\"]*\"|&\d+", " ", t) for t in texts]


def svg_texts(data: bytes) -> list[str]:
    from html import unescape

    return [unescape(re.sub(r"<[^>]+>", "", t)) for t in re.findall(r"<text[^>]*>(.*?)</text>", data.decode())]


def csv_texts(data: bytes) -> list[str]:
    return data.decode("utf-8-sig").splitlines()[:1]  # the header: the rows are ids, numbers and user text


READERS = {"docx": docx_texts, "pptx": pptx_texts, "svg": svg_texts, "xlsx": xlsx_texts, "csv": csv_texts}


@pytest.mark.parametrize("fmt", list(READERS))
def test_every_word_of_the_file_comes_from_the_catalogue(fmt, pseudo_files, register):
    texts = [t for t in READERS[fmt](pseudo_files[fmt]) if t.strip()]
    assert any(OPEN in t for t in texts), f"{fmt}: nothing in the made-up language at all"
    left = english_left(texts, allowed(register))
    assert left == [], f"{fmt}: text not from the catalogue: {left}"


# --- French and Spanish, read back in English --------------------------------------------------


@pytest.fixture(scope="module")
def translated_files(register: tuple[Assessment, Earlier]) -> dict[str, dict[str, bytes]]:
    assessment, _earlier = register
    files: dict[str, dict[str, bytes]] = {}
    for language in ("fr", "es"):
        with i18n.using(language):
            shown, draft = catalogue_in(language), indicators_in(language)
            files[language] = {fmt: build(fmt, ORGANISATION, assessment, shown, draft) for fmt in ("xlsx", "json")}
    return files


@pytest.mark.parametrize("language", ["fr", "es"])
def test_an_export_in_french_or_spanish_reads_back_in_english_with_nothing_lost(
        language, translated_files, register, catalogue, indicators):
    assessment, _earlier = register
    book = load_workbook(io.BytesIO(translated_files[language]["xlsx"]))
    header = [c.value for c in book.worksheets[0][1]]
    assert {"fr": "Probabilité", "es": "Probabilidad"}[language] in header  # written in the language
    back = from_xlsx(translated_files[language]["xlsx"], catalogue, indicators, name=f"register.{language}.xlsx")
    assert back.assessment == assessment
    assert (back.about.title, back.about.organisation) == (ORGANISATION.title, ORGANISATION.organisation)
    again = from_json(translated_files[language]["json"], catalogue, name=f"register.{language}.json")
    assert again.assessment == assessment
    assert json.loads(translated_files[language]["json"])["assessment"]["entries"]  # ids, not words


def test_the_values_sheet_of_a_french_workbook_uploads_as_indicator_values(translated_files, register, indicators):
    from riskkit.tracks_file import read_tracks

    assessment, _earlier = register
    tracks = read_tracks("registre.xlsx", translated_files["fr"]["xlsx"], indicators)
    assert tracks == {i: t for i, t in assessment.tracks.items() if not t.empty}


# --- a French Word report on paper --------------------------------------------------------------


def test_a_french_word_report_lays_out_on_paper(register, tmp_path):
    assessment, earlier = register
    with i18n.using("fr"):
        french = Earlier(about=earlier.about, assessment=earlier.assessment, indicators=indicators_in("fr"))
        data = build("docx", ORGANISATION, assessment, catalogue_in("fr"), indicators_in("fr"), earlier=french)
    source = Path(tmp_path) / "rapport.docx"
    source.write_bytes(data)
    rendered = layout.render(source, "word-fr")
    assert "Registre des risques" in rendered.text and "Risk register" not in rendered.text
    margin = 2.0 / 2.54 * 72 - 1
    assert layout.text_outside(rendered, margin, margin, 1.0 / 2.54 * 72 - 2, 1.0 / 2.54 * 72 - 2) == []
    assert layout.overlapping_lines(rendered) == []
    assert layout.pages_without_number(rendered, "Page {page} sur {pages}") == []
    assert layout.fonts_other_than(rendered, SANS) == []
    with i18n.using("fr"):
        note = translation_words(catalogue_in("fr"))
    cover = " ".join(line.text for line in rendered.pages[0].lines)
    assert " ".join(note.split()[:6]) in cover and note.split()[-1] in cover  # on the cover, wrapped


# --- whose words section 3.6's are -------------------------------------------------------------

MARKED = ("docx", "pptx", "xlsx")
OFFICIAL = "ONUDC section 3.6 (fr).yaml"


@pytest.fixture(scope="module")
def marked_files(register: tuple[Assessment, Earlier], catalogue: Catalogue,
                 indicators: IndicatorSet) -> dict[str, tuple[str, dict[str, bytes]]]:
    """The files a ministry is sent, with what each should say about its words: in English, in
    riskkit's French and Spanish, and in an official French wording a user uploaded."""
    assessment, _earlier = register
    wording = parse_wording_upload(OFFICIAL, wording_path("fr").read_bytes(), "fr")
    shown = {"en": catalogue, "fr": catalogue_in("fr"), "es": catalogue_in("es"),
             "fr-official": with_official_wording("fr", wording)}
    files = {}
    for label, words in shown.items():
        language = label[:2]
        with i18n.using(language):
            draft = indicators_in(language)
            files[label] = (translation_words(words),
                            {fmt: build(fmt, ORGANISATION, assessment, words, draft) for fmt in MARKED})
    return files


@pytest.mark.parametrize("language", ["fr", "es"])
@pytest.mark.parametrize("fmt", MARKED)
def test_a_file_in_riskkits_translation_says_so_in_its_language(fmt, language, marked_files):
    note, files = marked_files[language]
    assert "riskkit" in note and "3.6" in note
    assert note in READERS[fmt](files[fmt])


@pytest.mark.parametrize("fmt", MARKED)
def test_a_file_in_the_toolkits_english_says_nothing_about_a_translation(fmt, marked_files):
    note, files = marked_files["en"]
    assert note == ""
    texts = READERS[fmt](files[fmt])
    assert not [t for t in texts if "translation" in t.lower() or "wording provided" in t]


@pytest.mark.parametrize("fmt", MARKED)
def test_a_file_in_an_official_wording_names_the_file_it_came_in(fmt, marked_files):
    note, files = marked_files["fr-official"]
    texts = READERS[fmt](files[fmt])
    assert OFFICIAL in note and note in texts
    assert marked_files["fr"][0] not in texts  # not called riskkit's translation


def test_the_note_sits_whole_on_the_french_title_slide_under_the_subtitle(marked_files, tmp_path):
    note, files = marked_files["fr"]
    deck = Presentation(io.BytesIO(files["pptx"]))
    slides = deck.slides._sldIdLst
    for later in list(slides)[1:]:  # the title slide alone is looked at
        slides.remove(later)
    source = Path(tmp_path) / "titre.pptx"
    deck.save(source)
    rendered = layout.render(source, "slides-title-fr")
    assert len(rendered.pages) == 1
    shown = " ".join(line.text for line in rendered.pages[0].lines)
    assert " ".join(note.split()) in shown
    assert ORGANISATION.organisation in shown  # the subtitle keeps its lines
    assert layout.text_outside(rendered, 0, 0, 0, 0) == []
    assert layout.overlapping_lines(rendered) == []


# --- the command line --------------------------------------------------------------------------


def test_riskkit_export_writes_in_the_assessments_language_unless_told_otherwise(catalogue, tmp_path):
    from riskkit.cli import main
    from riskkit.store import Store

    store = Store()
    try:
        made = store.create("Atelier Dakar", catalogue.policies.default, language="fr")
        assert main(["export", made, "--format", "csv", "--out", str(tmp_path / "fr.csv")]) == 0
        assert main(["export", made, "--format", "csv", "--out", str(tmp_path / "es.csv"), "--language", "es"]) == 0
    finally:
        store.engine.dispose()
    french = (tmp_path / "fr.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    spanish = (tmp_path / "es.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert "Probabilité" in french and "Probabilidad" in spanish


# --- the Briefing page -------------------------------------------------------------------------


def test_the_briefing_page_says_the_files_language_and_changes_it_for_the_assessment():
    from streamlit.testing.v1 import AppTest

    from riskkit.store import database_url, shared_store
    from tests.pages.conftest import APP, open_page
    from ui.state import SNAPSHOT

    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    open_page(at, "briefing")
    assert any("**English**" in c.value for c in at.caption), [c.value for c in at.caption]
    at.selectbox(key="briefing.language").select("fr").run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    saved = shared_store(database_url()).load(at.session_state[SNAPSHOT].summary.id).summary
    assert saved.language == "fr"
    assert any("**Français**" in c.value for c in at.caption)
    assert at.title[0].value == "Briefing"  # the page itself stays in the reader's language
