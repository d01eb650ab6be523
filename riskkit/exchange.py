"""Assessments in and out of files: JSON (every field), Excel (the toolkit's table, the
action plan, the indicator values, a legend and the indicators) and CSV (the register, the
action plan).

Import accepts an Excel file this module wrote and a person then edited (changed
ratings, added rows for additional risks, actions or values). Anything it cannot use is
refused with a message naming the sheet, row and column, and nothing is imported.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import math
import re
import secrets
import unicodedata
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from copy import copy
from datetime import UTC, date, datetime
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.datavalidation import DataValidation
from pydantic import ValidationError, field_validator

from riskkit import words
from riskkit.catalogue import describe, indicators_in, translation_languages
from riskkit.errors import IndicatorFileError, RiskkitError
from riskkit.i18n import N_, NP_, SOURCE_LOCALE, available_locales, format_number, long_date, pgettext, using
from riskkit.i18n import gettext as _
from riskkit.limits import MAX_RISK_NUMBER, Context, Organisation, Title, file_label, unpacked_bytes
from riskkit.models import Action, Assessment, Catalogue, Entry, Indicator, IndicatorSet, OwnRisk, Value
from riskkit.palette import colours_of
from riskkit.plan import PlannedAction, action_plan
from riskkit.rules import band_of, indicators_for, policy_in_force, register, requires_mitigation
from riskkit.tracks_file import DATE_FORMAT, cell_date, kept_ids, tracks_from_rows, value_rows

FORMAT = "riskkit.assessment"
SCHEMA_VERSION = 2  # 2: actions, residual ratings, review dates and indicator values
READABLE_VERSIONS = (1, 2)  # a version 1 file has none of those: they take their defaults
MAX_IMPORT_BYTES = 10 * 1024 * 1024
# A workbook is a zip: its size on disk says little about its size once opened. An
# exported register of 300 risks with long strategies unpacks to about 2 MB.
MAX_UNPACKED_BYTES = 40 * 1024 * 1024
MAX_ROWS = 5_000
log = logging.getLogger("riskkit.exchange")

REGISTER = "Register"
LEGEND = "Legend"
INDICATORS = "Indicators"
ACTION_PLAN = "Action plan"
VALUES = "Indicator values"
# The sheets' ids are their English names; a workbook names them in its language, and an import
# finds each by its name in any language riskkit has (or its English id).
SHEET_NAMES: Mapping[str, tuple[str, str]] = {
    REGISTER: NP_("sheet", "Register"), ACTION_PLAN: NP_("sheet", "Action plan"),
    VALUES: NP_("sheet", "Indicator values"), LEGEND: NP_("sheet", "Legend"), INDICATORS: NP_("sheet", "Indicators"),
}
# Columns by id; their headers are words from the message catalogue (riskkit.words), and an
# import recognises a column by its id or its header in any language riskkit has.
COLUMNS = tuple(words.REGISTER_COLUMNS)
REQUIRED = ("number", "statement", "likelihood", "impact", "strategy")
INDICATOR_COLUMNS = tuple(words.INDICATOR_COLUMNS)
ACTION_COLUMNS = tuple(words.ACTION_COLUMNS)
LEVEL_COLUMNS = ("likelihood", "impact", "residual_likelihood", "residual_impact")


class FileRejected(RiskkitError):
    """A file that cannot be imported; nothing was changed."""


class Exported(Value):
    """What a file holds besides the register itself."""

    title: Title
    context: Context = ""
    held_on: date | None = None
    organisation: Organisation = ""
    language: str = SOURCE_LOCALE  # the language the assessment's files are written in, kept by an import

    @field_validator("language", mode="before")
    @classmethod
    def _known_language(cls, value: object) -> str:
        """A language this riskkit does not write in (a newer riskkit's, or nonsense) is English."""
        return value if isinstance(value, str) and value in (SOURCE_LOCALE, *translation_languages()) else SOURCE_LOCALE


class Imported(Value):
    about: Exported
    assessment: Assessment


# --- JSON ------------------------------------------------------------------------------


def to_json(about: Exported, assessment: Assessment) -> bytes:
    document = {
        "format": FORMAT, "schema_version": SCHEMA_VERSION,
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "title": about.title, "context": about.context, "organisation": about.organisation,
        "held_on": about.held_on.isoformat() if about.held_on else None, "language": about.language,
        "assessment": assessment.model_dump(mode="json"),
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def from_json(content: bytes, catalogue: Catalogue, name: str | None = None) -> Imported:
    name = name or _("the file")
    _check_size(content, name)
    try:
        document = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise FileRejected(_("{file}: not a riskkit JSON file (it cannot be read as JSON).").format(
            file=name)) from None
    except RecursionError:
        raise FileRejected(_("{file}: not a riskkit JSON file (it is nested far too deeply).").format(
            file=name)) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise FileRejected(_("{file}: not a riskkit assessment (its 'format' is not '{format}').").format(
            file=name, format=FORMAT))
    version = document.get("schema_version")
    if isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION:
        shown = version if version < 10**6 else _("unknown")
        raise FileRejected(_("{file}: written by a newer riskkit (schema version {version}); this riskkit reads "
                             "versions up to {newest}. Update riskkit, or export the file again from riskkit as "
                             "this version has it.").format(file=name, version=shown, newest=SCHEMA_VERSION))
    if version not in READABLE_VERSIONS or isinstance(version, bool):
        shown = version if isinstance(version, int) and abs(version) < 10**6 else _("unknown")
        raise FileRejected(_("{file}: written with schema version {version}, which this riskkit cannot read (it "
                             "reads versions {versions}). Export it again from riskkit.")
                           .format(file=name, version=shown, versions=", ".join(map(str, READABLE_VERSIONS))))
    try:
        about = Exported(title=document.get("title") or _("Imported assessment"), context=document.get("context") or "",
                         held_on=document.get("held_on"), organisation=document.get("organisation") or "",
                         language=document.get("language"))
        assessment = Assessment.model_validate(document.get("assessment"))
    except ValidationError as exc:
        raise FileRejected(describe(exc, name)) from None
    except RiskkitError as exc:
        raise FileRejected(_("{file}: {problem}").format(file=name, problem=exc)) from None
    _check(assessment, catalogue, name)
    return Imported(about=about, assessment=assessment)


# --- Excel ------------------------------------------------------------------------------

HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
FONT_NAME = "Arial"  # sans-serif everywhere (LibreOffice draws it with Liberation Sans, its metric twin)
FONT_PT = 10
BODY_FONT = Font(name=FONT_NAME, size=FONT_PT)
HEADER_FONT = Font(name=FONT_NAME, size=FONT_PT, bold=True, color="FFFFFF")
WRAP = Alignment(wrap_text=True, vertical="top")
LINE_PT = 13  # one line of 10 pt text, with its leading
# What an import reads besides the register, as ids and values, on a hidden sheet: people read the
# Legend, riskkit reads this (files from before it existed keep their values on the Legend).
ABOUT_SHEET = "riskkit"
# Columns the export adds for the reader, worked out from the ratings; an import ignores them.
DERIVED_COLUMNS: Mapping[str, str] = {"band": N_("Band"), "required": N_("Strategy required")}
# The printout: the register's columns up to and including this one, landscape, one page wide.
PRINTED_UP_TO = "indicators"
# Column widths in characters; those printed (up to PRINTED_UP_TO) add up to an A4 landscape line.
WIDTHS = {"number": 6, "statement": 40, "likelihood": 11, "impact": 10, "strategy": 40, "band": 9,
          "required": 10, "residual_likelihood": 10, "residual_impact": 9, "review_on": 11, "references": 11,
          "indicators": 12, "notes": 50, "internal": 9, "example_strategy": 90}
# The action plan: printed up to the note (the id is for riskkit, last and narrow).
ACTION_WIDTHS = {"number": 6, "statement": 32, "what": 40, "who": 18, "due": 11, "status": 11, "overdue": 9,
                 "note": 32, "id": 10}
VALUE_WIDTHS = (12, 50, 10, 10, 11, 10, 30)


def _sheet_columns() -> tuple[str, ...]:
    """The register's columns as written: the import's columns, with band and "strategy required"
    after the strategy (the ratings and the strategy keep their places, C, D and E)."""
    at = COLUMNS.index("strategy") + 1
    return COLUMNS[:at] + tuple(DERIVED_COLUMNS) + COLUMNS[at:]


def to_xlsx(about: Exported, assessment: Assessment, catalogue: Catalogue, indicators: IndicatorSet,
            today: date | None = None) -> bytes:
    """The workbook; `today` decides which actions show as overdue (the day it is made by default)."""
    book = _workbook()
    sheet = book.create_sheet(sheet_title(REGISTER))
    book.remove(book.worksheets[0])
    columns = _sheet_columns()
    sheet.append([_(DERIVED_COLUMNS[c]) if c in DERIVED_COLUMNS else words.header(words.REGISTER_COLUMNS, c)
                  for c in columns])
    policy = policy_in_force(catalogue, assessment)
    bands: list[str | None] = []
    for risk in register(catalogue, assessment):
        rated = risk.likelihood is not None and risk.impact is not None
        band = band_of(catalogue, risk.likelihood, risk.impact) if rated else None  # type: ignore[arg-type]
        required = rated and requires_mitigation(catalogue, policy, risk.likelihood, risk.impact)
        values = {
            "number": risk.number, "statement": risk.statement, "likelihood": _word(risk.likelihood),
            "impact": _word(risk.impact), "strategy": risk.strategy,
            "band": words.band(band) if band else "", "required": (words.yes() if required else _("no"))
            if rated else "", "residual_likelihood": _word(risk.residual_likelihood),
            "residual_impact": _word(risk.residual_impact), "review_on": risk.review_on,
            "references": ", ".join(risk.references), "indicators": ", ".join(indicators_for(risk, indicators)),
            "notes": risk.notes, "internal": words.yes() if _internal(assessment, risk.number) else "",
            "example_strategy": risk.example_strategy,
        }
        sheet.append([values[c] for c in columns])
        bands.append(band)
    _style_table(sheet, tuple(WIDTHS[c] for c in columns), printed=columns.index(PRINTED_UP_TO) + 1)
    band_column = columns.index("band") + 1
    for row, band in enumerate(bands, start=2):
        if band is not None:
            fill, ink = colours_of(band, catalogue.bands.names)
            cell = sheet.cell(row=row, column=band_column)
            cell.fill = PatternFill("solid", fgColor=fill.lstrip("#"))
            cell.font = Font(name=FONT_NAME, size=FONT_PT, bold=True, color=ink.lstrip("#"))
    _dates(sheet, columns.index("review_on") + 1)
    _print_setup(sheet, columns.index(PRINTED_UP_TO) + 1, about.title)
    shown = [words.level(level) for level in catalogue.scale.levels]
    levels = _choice(shown, _("Not a level"))
    sheet.add_data_validation(levels)
    for column in LEVEL_COLUMNS:
        letter = get_column_letter(columns.index(column) + 1)
        levels.add(f"{letter}2:{letter}{max(sheet.max_row, 2) + 200}")
    _action_plan_sheet(book.create_sheet(sheet_title(ACTION_PLAN)), about, assessment, catalogue, today or date.today())
    _values_sheet(book.create_sheet(sheet_title(VALUES)), about, assessment, indicators)
    _legend(book.create_sheet(sheet_title(LEGEND)), about, assessment, catalogue)
    table = book.create_sheet(sheet_title(INDICATORS))
    table.append([words.header(words.INDICATOR_COLUMNS, c) for c in INDICATOR_COLUMNS])
    for indicator in indicators.indicators:
        table.append([indicator.id, indicator.wording, words.indicator_kind(indicator.kind),
                      "; ".join(indicator.disaggregation), "; ".join(map(str, indicator.risks))])
    _style_table(table, (10, 80, 10, 30, 12))
    _print_setup(table, len(INDICATOR_COLUMNS), about.title)
    _about_sheet(book, about, assessment, indicators)
    for each in book.worksheets:
        for cells in each.iter_rows():
            for cell in cells:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text is text, never a formula, whatever it begins with
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def sheet_title(sheet_id: str) -> str:
    """A sheet's name in the reader's language, as a spreadsheet allows one (31 characters at most,
    none of []:*?/\\)."""
    shown = re.sub(r"[\[\]:*?/\\]", " ", pgettext(*SHEET_NAMES[sheet_id]))
    return " ".join(shown.split())[:31].strip() or sheet_id


def _sheet(book: Any, sheet_id: str) -> str | None:
    """The name of the workbook's sheet `sheet_id`: its id, or its name in any language riskkit has."""
    names: dict[str, str] = {" ".join(name.split()).casefold(): name for name in book.sheetnames}
    if sheet_id.casefold() in names:
        return names[sheet_id.casefold()]
    for locale in available_locales():
        with using(locale):
            found = names.get(sheet_title(sheet_id).casefold())
        if found is not None:
            return found
    return None


def _in_sheet(place: str, sheet: str) -> str:
    return _("{place}, sheet {sheet}").format(place=place, sheet=sheet)


def _in_row(place: str, row: int) -> str:
    return _("{place}, row {row}").format(place=place, row=row)


def _in_column(place: str, column: str) -> str:
    return _("{place}, column {column}").format(place=place, column=column)


def _choice(shown: list[str], title: str) -> DataValidation:
    """A drop-down of words (levels, statuses); a person may still leave the cell empty."""
    return DataValidation(type="list", formula1='"' + ",".join(shown) + '"', allow_blank=True,
                          showErrorMessage=True, errorTitle=title,
                          error=_("Choose {words} or leave empty.").format(words=", ".join(shown)))


def _dates(sheet: Any, column: int) -> None:
    """A column of real dates, shown YYYY-MM-DD whatever the reader's settings."""
    for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
        cell.number_format = DATE_FORMAT


def _action_plan_sheet(sheet: Any, about: Exported, assessment: Assessment, catalogue: Catalogue,
                       today: date) -> None:
    """One row per action, overdue first, as the Action plan page lists them. Overdue is a word
    worked out from the due date, for the reader: an import never reads it."""
    sheet.append([words.header(words.ACTION_COLUMNS, c) for c in ACTION_COLUMNS])
    for row in action_plan(catalogue, assessment, today):
        sheet.append(_plan_row(row, row.action.due))
    printed = ACTION_COLUMNS.index("note") + 1
    _style_table(sheet, tuple(ACTION_WIDTHS[c] for c in ACTION_COLUMNS), printed=printed)
    _dates(sheet, ACTION_COLUMNS.index("due") + 1)
    overdue = ACTION_COLUMNS.index("overdue") + 1
    for (cell,) in sheet.iter_rows(min_row=2, min_col=overdue, max_col=overdue):
        if cell.value:
            cell.font = Font(name=FONT_NAME, size=FONT_PT, bold=True)
    statuses = _choice([words.action_status(s) for s in words.ACTION_STATUSES], _("Not a status"))
    sheet.add_data_validation(statuses)
    letter = get_column_letter(ACTION_COLUMNS.index("status") + 1)
    statuses.add(f"{letter}2:{letter}{max(sheet.max_row, 2) + 200}")
    _print_setup(sheet, printed, about.title)


def _values_sheet(sheet: Any, about: Exported, assessment: Assessment, indicators: IndicatorSet) -> None:
    """Each indicator in use, then a row per value recorded for it: the format of an indicator
    values upload, so a person can add rows here and import the workbook, or upload this sheet."""
    for row in value_rows(assessment, indicators):
        sheet.append(row)
    _style_table(sheet, VALUE_WIDTHS)
    _dates(sheet, tuple(words.VALUE_COLUMNS).index("date") + 1)
    for first, wording in sheet.iter_rows(min_row=2, max_col=2):
        if wording.value:  # an indicator's first row, its id in bold: its values follow
            first.font = Font(name=FONT_NAME, size=FONT_PT, bold=True)
    _print_setup(sheet, len(VALUE_WIDTHS), about.title)


def _workbook() -> Workbook:
    """A workbook whose default style is the body font, so a cell left unstyled prints in it too
    (with openpyxl's default Calibri, LibreOffice printed such cells in DejaVu Sans)."""
    book = Workbook()
    internals: Any = book  # openpyxl has no public setter for the default font
    internals._fonts = IndexedList([BODY_FONT])  # the default cell format takes the first font
    internals._named_styles["Normal"].font = copy(BODY_FONT)
    return book


def _about_sheet(book: Any, about: Exported, assessment: Assessment, indicators: IndicatorSet) -> None:
    """The values an import needs, by id, out of people's way (a hidden sheet LibreOffice and Excel
    neither show nor print): besides the file's details, the order of each risk's actions (the
    Action plan sheet lists them overdue first) and the indicators with values kept that are no
    longer in the list in use."""
    sheet = book.create_sheet(ABOUT_SHEET)
    for key, value in (("format", FORMAT), ("schema_version", SCHEMA_VERSION), ("title", about.title),
                       ("context", about.context), ("organisation", about.organisation),
                       ("held_on", about.held_on.isoformat() if about.held_on else ""),
                       ("language", about.language), ("policy", assessment.policy),
                       ("review_on", assessment.review_on.isoformat() if assessment.review_on else "")):
        sheet.append([key, value])
    for number, entry in sorted(assessment.entries.items()):
        if entry.actions:
            sheet.append(["action_order", number, " ".join(a.id for a in entry.actions)])
    for indicator_id in kept_ids(assessment, indicators):
        sheet.append(["kept_values", indicator_id])
    sheet.sheet_state = "hidden"


def _legend(sheet: Any, about: Exported, assessment: Assessment, catalogue: Catalogue) -> None:
    """What the workbook is and how to read it, in words."""
    from riskkit.briefing import translation_words  # here: riskkit.briefing imports this module

    levels = [words.level(level) for level in catalogue.scale.levels]
    top = words.band(catalogue.bands.names[-1])
    translation = translation_words(catalogue)
    rows: list[list[Any]] = [
        [_("Assessment"), about.title],
        [_("Country or project"), about.context],
        [_("Organisation"), about.organisation],
        [_("Date"), long_date(about.held_on)],
        [_("Toolkit section"), f"{catalogue.section.number} {catalogue.section.title}"],
        *([[_("Translation"), translation]] if translation else []),
        [_("When a strategy is required"), words.policy(assessment.policy)],
        [_("Next review of the register"), long_date(assessment.review_on)],
        [],
        [_("How to read the register")],
        [_("Likelihood and Impact"), _("Each is rated {levels}.").format(levels=", ".join(levels))],
        [_("Band"), _("The severity band of the rating, from the grid below. {band} is the most severe.")
         .format(band=top)],
        [_("Strategy required"), _("Whether the rating calls for a risk mitigation strategy under the rule "
                                   "above.")],
        [_("Residual likelihood and impact"), _("The rating expected once the strategy is in place.")],
        [_("Action plan"), _("One row per action, overdue first. Overdue is worked out from the due date on the "
                             "day the file was made.")],
        [_("Indicator values"), _("Each indicator in use with its baseline and target, then one row per value "
                                  "measured: its date, the value and where it came from.")],
        [_("Editing"), _("Change the ratings and strategies, or add rows for risks of your own, then import the "
                         "file again: riskkit works out the band and whether a strategy is required anew. Add a "
                         "row to the Action plan for a new action (leave its Id empty), or to Indicator values "
                         "for a new value (its indicator id, date and value).")],
        [],
        [_("Band by likelihood (rows) and impact (columns)"), *levels],
    ]
    for row in rows:
        sheet.append(row)
    for cells in sheet.iter_rows():
        for cell in cells:
            cell.font = BODY_FONT
    heading = Font(name=FONT_NAME, bold=True, size=12)
    headings = [line for line, row in enumerate(rows, start=1) if len(row) == 1]
    grid = len(rows)  # the grid's header row
    for line in (1, *headings, grid):
        sheet.cell(row=line, column=1).font = heading
    for likelihood in reversed(catalogue.scale.levels):
        sheet.append([words.level(likelihood), *(words.band(band_of(catalogue, likelihood, impact))
                                                 for impact in catalogue.scale.levels)])
        sheet.cell(row=sheet.max_row, column=1).font = BODY_FONT
        for column, impact in enumerate(catalogue.scale.levels, start=2):
            fill, ink = colours_of(band_of(catalogue, likelihood, impact), catalogue.bands.names)
            cell = sheet.cell(row=sheet.max_row, column=column)
            cell.fill = PatternFill("solid", fgColor=fill.lstrip("#"))
            cell.font = Font(name=FONT_NAME, size=FONT_PT, bold=True, color=ink.lstrip("#"))
            cell.alignment = Alignment(horizontal="center")
    sheet.column_dimensions["A"].width = 30
    for letter in "BCDE":
        sheet.column_dimensions[letter].width = 16
    sheet.cell(row=grid, column=1).alignment = WRAP
    for line, cells in enumerate(sheet.iter_rows(max_row=grid - 1), start=1):
        cells[0].alignment = WRAP
        if cells[1].value:  # explanations span the grid's columns
            cells[1].alignment = WRAP
            sheet.merge_cells(start_row=line, start_column=2, end_row=line, end_column=5)
    _fit_heights(sheet, (30, 64))
    _print_setup(sheet, 5, about.title, header_rows=False)


def _style_table(sheet: Any, widths: tuple[int, ...], printed: int | None = None) -> None:
    """Header, fonts, wrapping, heights from the printed columns, a frozen header and a filter."""
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for cell in sheet[1]:
        cell.fill, cell.font, cell.alignment = HEADER_FILL, HEADER_FONT, WRAP
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment, cell.font = WRAP, BODY_FONT
    _fit_heights(sheet, widths[:printed])
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(widths))}{max(sheet.max_row, 2)}"


def _fit_heights(sheet: Any, widths: tuple[int, ...]) -> None:
    """Each row as tall as its most wrapped cell: spreadsheets keep a row one line high unless told,
    and wrapped text then prints over the rows below."""
    for cells in sheet.iter_rows():
        lines = 1
        for cell, width in zip(cells, widths, strict=False):
            if isinstance(cell.value, str) and cell.value:
                per_line = max(int(width * 1.2), 1)  # Arial 10 pt fits ~1.3 characters a unit
                lines = max(lines, sum(max(1, math.ceil(len(part) / per_line)) for part in cell.value.split("\n")))
        sheet.row_dimensions[cells[0].row].height = min(lines * LINE_PT + 3, 409)  # 409 pt: the most a row can be


def _print_setup(sheet: Any, last_column: int, title: str, header_rows: bool = True) -> None:
    """Landscape A4, one page wide, the header row on every page, page x of y in the footer."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.gridLines = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.page_margins.top = sheet.page_margins.bottom = 0.7
    sheet.print_area = f"A1:{get_column_letter(last_column)}{max(sheet.max_row, 1)}"
    if header_rows:
        sheet.print_title_rows = "1:1"
    sheet.oddHeader.left.text = title.replace("&", "&&")[:100]
    sheet.oddFooter.right.text = _("Page &P of &N")
    for part in (sheet.oddHeader.left, sheet.oddFooter.right):
        part.font, part.size = f"{FONT_NAME},Regular", 9


def from_xlsx(content: bytes, catalogue: Catalogue, draft: IndicatorSet, name: str | None = None) -> Imported:
    """An assessment from a workbook riskkit wrote (and a person may have edited). Anything
    wrong with the file, down to broken XML inside it, is a FileRejected and nothing else."""
    name = name or _("the file")
    _check_size(content, name)
    _check_unpacked(content, name)
    try:
        with _at(name):
            return _from_workbook(content, catalogue, draft, name)
    except FileRejected:
        raise
    except Exception:  # a damaged workbook can fail anywhere inside openpyxl or its XML parser
        log.warning("workbook %r could not be read", name, exc_info=True)
        raise FileRejected(_("{file}: not an Excel workbook (.xlsx) that can be opened: part of it is damaged. "
                             "Save it from Excel or LibreOffice as .xlsx and try again.").format(file=name)) from None


def _check_unpacked(content: bytes, name: str) -> None:
    """Refuse a workbook that would unpack to far more than a register, before opening it."""
    try:
        unpacked = unpacked_bytes(content)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FileRejected(_("{file}: not an Excel workbook (.xlsx) that can be opened. "
                             "Save it from Excel or LibreOffice as .xlsx and try again.").format(file=name)) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise FileRejected(_("{file}: the workbook unpacks to {size} MB, far more than a register (the limit "
                             "is {limit} MB). Is it the right file? Nothing was imported.").format(
            file=name, size=format_number(unpacked / 1024 / 1024, 0), limit=MAX_UNPACKED_BYTES // 1024 // 1024))


def _from_workbook(content: bytes, catalogue: Catalogue, draft: IndicatorSet, name: str) -> Imported:
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise FileRejected(_("{file}: not an Excel workbook (.xlsx) that can be opened. "
                             "Save it from Excel or LibreOffice as .xlsx and try again.").format(file=name)) from None
    register_sheet = _sheet(book, REGISTER)
    if register_sheet is None:
        raise FileRejected(_("{file}: no sheet named '{sheet}' (found: {found}). Start from a file exported by "
                             "riskkit.").format(file=name, sheet=sheet_title(REGISTER),
                                                found=", ".join(book.sheetnames)))
    in_register = _in_sheet(name, register_sheet)
    rows = _rows(book[register_sheet], in_register)
    columns = _columns(rows[0] if rows else (), words.REGISTER_COLUMNS, REQUIRED, in_register)
    about, policy = _read_legend(book, catalogue)
    indicators = _read_indicators(book, catalogue, draft, name)

    toolkit = {r.number for r in catalogue.risks}
    entries: dict[int, Entry] = {}
    own: list[OwnRisk] = []
    seen: dict[int, int] = {}
    pending_new: list[tuple[int, str, dict[str, Any], dict[str, Any]]] = []  # line, statement, values, cells
    for line, row in enumerate(rows[1:], start=2):
        cell = {column: _cell(row, index) for column, index in columns.items()}
        if not any(str(v).strip() for v in cell.values() if v is not None):
            continue
        where = _in_row(in_register, line)
        number = _number(cell["number"], where)
        values: dict[str, Any] = {
            column: _level(cell.get(column), catalogue, _in_column(where, _header(column)))
            for column in LEVEL_COLUMNS}
        values.update(strategy=_untext(cell["strategy"]), notes=_untext(cell.get("notes")),
                      review_on=_date(cell.get("review_on"), _in_column(where, _header("review_on"))))
        statement = _untext(cell["statement"])
        if number is None:
            if not statement:
                raise FileRejected(_("{where}: a row with ratings or a strategy needs a risk number or a "
                                     "statement.").format(where=where))
            pending_new.append((line, statement, values, cell))
            continue
        if number in seen:
            raise FileRejected(_("{where}: risk number {number} appears twice (rows {first} and {second}). Each "
                                 "risk has one row.").format(where=in_register, number=number, first=seen[number],
                                                             second=line))
        seen[number] = line
        with _at(where):
            if number not in toolkit:
                if not statement:
                    raise FileRejected(_("{where}: your own risk {number} needs a statement in '{column}'.").format(
                        where=where, number=number, column=_header("statement")))
                own.append(_own(number, statement, cell))
            _keep(entries, number, values)
    next_number = max([catalogue.first_own_number - 1, *seen]) + 1
    for line, statement, values, cells in pending_new:
        with _at(_in_row(in_register, line)):
            own.append(_own(next_number, statement, cells))
            _keep(entries, next_number, values)
        next_number += 1
    review_on, order, kept = _read_follow_up(book)
    for number, actions in _read_actions(book, name, toolkit | {r.number for r in own}, order).items():
        with _at(_("{place}, risk {number}").format(place=_in_sheet(name, _sheet(book, ACTION_PLAN) or ACTION_PLAN),
                                                      number=number)):
            entries[number] = Entry.model_validate({**dict(entries.get(number, Entry())), "actions": actions})
    in_use = indicators or draft
    values_sheet = _sheet(book, VALUES)
    try:
        tracks = tracks_from_rows(_rows(book[values_sheet], _in_sheet(name, values_sheet)), in_use.id_set | kept,
                                  _in_sheet(name, values_sheet)) if values_sheet is not None else {}
    except IndicatorFileError as exc:
        raise FileRejected(str(exc)) from None
    try:
        assessment = Assessment(policy=policy, entries=entries, own_risks=tuple(own), indicators=indicators,
                                review_on=review_on, tracks=tracks)
    except ValidationError as exc:
        raise FileRejected(describe(exc, name)) from None
    _check(assessment, catalogue, name)
    return Imported(about=about, assessment=assessment)


def _read_follow_up(book: Any) -> tuple[date | None, dict[int, list[str]], frozenset[str]]:
    """From the hidden sheet: the register's review date, each risk's actions in their order, and
    the indicators whose values are kept though no longer in the list in use."""
    review_on: date | None = None
    order: dict[int, list[str]] = {}
    kept: set[str] = set()
    if ABOUT_SHEET in book.sheetnames:
        for row in _rows(book[ABOUT_SHEET], ABOUT_SHEET):
            key = row[0] if row else None
            if key == "review_on" and len(row) > 1:
                try:
                    review_on = cell_date(row[1])
                except ValueError:
                    review_on = None
            elif key == "action_order" and len(row) > 2 and isinstance(row[1], (int, float)):
                order[int(row[1])] = str(row[2] or "").split()
            elif key == "kept_values" and len(row) > 1 and row[1]:
                kept.add(str(row[1]))
    return review_on, order, frozenset(kept)


def _read_actions(book: Any, name: str, known: set[int], order: dict[int, list[str]]) -> dict[int, tuple[Action, ...]]:
    """Each risk's actions from the Action plan sheet, as a person may have edited it: a status in
    any language riskkit has, a row added without an id (it gets one). The risk statement and
    "overdue" are there for the reader and are not read."""
    plan_sheet = _sheet(book, ACTION_PLAN)
    if plan_sheet is None:
        return {}
    where = _in_sheet(name, plan_sheet)
    rows = _rows(book[plan_sheet], where)
    if len(rows) < 2:
        return {}
    columns = _columns(rows[0], words.ACTION_COLUMNS, ("number", "what"), where)
    found: dict[int, list[tuple[int, dict[str, Any]]]] = {}
    ids: dict[tuple[int, str], int] = {}
    for line, row in enumerate(rows[1:], start=2):
        cell = {column: _cell(row, index) for column, index in columns.items()}
        if not any(_untext(cell.get(c)) for c in columns if c not in ("statement", "overdue")):
            continue
        at = _in_row(where, line)

        def column(column_id: str, at: str = at) -> str:
            return _in_column(at, words.header(words.ACTION_COLUMNS, column_id))
        number = _number(cell["number"], at)
        if number is None:
            raise FileRejected(_("{where}: the risk number is missing: say which risk the action belongs to.")
                               .format(where=column("number")))
        if number not in known:
            raise FileRejected(_("{where}: risk {number} is not in the register.").format(where=column("number"),
                                                                                         number=number))
        what = _untext(cell["what"])
        if not what:
            raise FileRejected(_("{where}: missing: say what is to be done.").format(where=column("what")))
        status_text = _untext(cell.get("status"))
        status = words.id_from_text(status_text, words.ACTION_STATUSES) if status_text else "planned"
        if status is None:
            shown = ", ".join(words.action_status(s) for s in words.ACTION_STATUSES)
            raise FileRejected(_("{where}: '{text}' is not a status ({statuses}).").format(
                where=column("status"), text=status_text[:40], statuses=shown))
        action_id = _untext(cell.get("id")).lower()
        if action_id and not re.fullmatch(r"[0-9a-f]{8}", action_id):
            raise FileRejected(_("{where}: '{text}' is not an id riskkit wrote. Leave the Id empty for a new "
                                 "action.").format(where=column("id"), text=action_id[:40]))
        if action_id and (number, action_id) in ids:
            raise FileRejected(_("{where}: rows {first} and {second} are the same action of risk {number}. For a "
                                 "new action copied from another, leave its Id empty.").format(
                where=column("id"), first=ids[(number, action_id)], second=line, number=number))
        ids[(number, action_id)] = line
        values = {"id": action_id, "what": what, "who": _untext(cell.get("who")), "status": status,
                  "due": _date(cell.get("due"), column("due")), "note": _untext(cell.get("note"))}
        found.setdefault(number, []).append((line, values))
    plans: dict[int, tuple[Action, ...]] = {}
    for number, rows_of_risk in found.items():
        taken = {values["id"] for _line, values in rows_of_risk}
        actions = []
        for line, values in rows_of_risk:
            while not values["id"]:
                fresh = secrets.token_hex(4)
                values["id"] = fresh if fresh not in taken else ""
                taken.add(values["id"])
            with _at(_in_row(where, line)):
                actions.append(Action(**values))
        written = {action_id: place for place, action_id in enumerate(order.get(number, []))}
        plans[number] = tuple(sorted(actions, key=lambda a: written.get(a.id, len(written))))  # new ones last
    return plans


def _date(value: Any, where: str) -> date | None:
    try:
        return cell_date(value)
    except ValueError as exc:
        raise FileRejected(_("{where}: {problem}").format(where=where, problem=exc)) from None


@contextmanager
def _at(where: str) -> Iterator[None]:
    """Name the sheet and row in a refusal that comes from the model's limits."""
    try:
        yield
    except FileRejected:
        raise
    except RiskkitError as exc:
        raise FileRejected(_("{where}: {problem}").format(where=where, problem=exc)) from None
    except ValidationError as exc:
        raise FileRejected(describe(exc, where)) from None


def _own(number: int, statement: str, cell: dict[str, Any]) -> OwnRisk:
    refs = tuple(p.strip() for p in _untext(cell.get("references")).split(",") if p.strip())
    ids = tuple(p.strip() for p in _untext(cell.get("indicators")).replace(";", ",").split(",") if p.strip())
    internal = words.is_yes(_untext(cell.get("internal")))
    return OwnRisk(number=number, statement=statement, references=refs, indicator_ids=ids, internal=internal)


def _keep(entries: dict[int, Entry], number: int, values: dict[str, Any]) -> None:
    entry = Entry(**values)
    if entry != Entry():
        entries[number] = entry


def _read_legend(book: Any, catalogue: Catalogue) -> tuple[Exported, str]:
    found: dict[str, Any] = {}
    if ABOUT_SHEET in book.sheetnames:  # written since the Legend is in plain words
        for row in book[ABOUT_SHEET].iter_rows(values_only=True, max_row=50):
            if row and len(row) > 1 and row[0] in ("title", "context", "organisation", "held_on", "language", "policy"):
                found.setdefault(row[0], row[1])
    elif _sheet(book, LEGEND) is not None:  # an older file: the values sit on the Legend, by their labels
        for row in book[_sheet(book, LEGEND)].iter_rows(values_only=True):
            if row and isinstance(row[0], str) and len(row) > 1:
                label = words.id_from_text(row[0], words.LEGEND_LABELS)
                if label is not None:
                    found.setdefault(label, row[1])
    policy = str(found.get("policy") or catalogue.policies.default).strip()
    if policy not in catalogue.policies.options:
        raise FileRejected(_("Sheet {sheet}: '{policy}' is not a mitigation policy ({policies}).").format(
            sheet=_sheet(book, LEGEND) or sheet_title(LEGEND), policy=policy[:40],
            policies=", ".join(catalogue.policies.options)))
    held_on = found.get("held_on")
    if isinstance(held_on, datetime):
        held_on = held_on.date()
    elif isinstance(held_on, str) and held_on.strip():
        try:
            held_on = date.fromisoformat(held_on.strip())
        except ValueError:
            held_on = None
    else:
        held_on = None
    about = Exported(title=_untext(found.get("title")) or _("Imported assessment"),
                     context=_untext(found.get("context")), held_on=held_on,
                     organisation=_untext(found.get("organisation")), language=_untext(found.get("language")))
    return about, policy


def _read_indicators(book: Any, catalogue: Catalogue, draft: IndicatorSet, name: str) -> IndicatorSet | None:
    indicators_sheet = _sheet(book, INDICATORS)
    if indicators_sheet is None:
        return None
    where = _in_sheet(name, indicators_sheet)
    rows = _rows(book[indicators_sheet], where)
    if len(rows) < 2:
        return None
    columns = _columns(rows[0], words.INDICATOR_COLUMNS, INDICATOR_COLUMNS, where)
    found = []
    for line, row in enumerate(rows[1:], start=2):
        cell = {column: _untext(_cell(row, index)) for column, index in columns.items()}
        if not any(cell.values()):
            continue
        try:
            risks = tuple(int(float(p)) for p in cell["risks"].replace(",", ";").split(";") if p.strip())
            found.append(Indicator.model_validate({
                "id": cell["id"], "wording": cell["wording"],
                "kind": words.id_from_text(cell["kind"], words.INDICATOR_KINDS) or cell["kind"],
                "disaggregation": tuple(p.strip() for p in cell["disaggregation"].split(";") if p.strip()),
                "risks": risks}))
        except RiskkitError as exc:
            raise FileRejected(_("{where}: {problem}").format(where=_in_row(where, line), problem=exc)) from None
        except (ValueError, OverflowError, ValidationError):
            raise FileRejected(_("{where}: needs an id, a wording, a kind (output or outcome) and risk numbers "
                                 "separated by ';'.").format(where=_in_row(where, line))) from None
    if _is_draft(found, draft):
        return None  # the draft set, unchanged, in whichever language it was written
    try:
        return IndicatorSet(title=_("Indicators from {file}").format(file=file_label(name)), indicators=tuple(found))
    except ValidationError as exc:
        raise FileRejected(describe(exc, where)) from None


def _is_draft(found: list[Indicator], draft: IndicatorSet) -> bool:
    """The draft indicators as given, or as riskkit writes them in any of its languages."""
    listed = [(i.id, i.wording) for i in found]
    return any(listed == [(i.id, i.wording) for i in each.indicators]
               for each in (draft, *(indicators_in(language) for language in translation_languages())))


def _rows(sheet: Any, where: str) -> list[tuple[Any, ...]]:
    rows = []
    for row in sheet.iter_rows(values_only=True):
        rows.append(row)
        if len(rows) > MAX_ROWS:
            raise FileRejected(_("{where}: more than {count} rows; a register is far smaller. Nothing was "
                                 "imported.").format(where=where, count=format_number(MAX_ROWS)))
    return rows


def _columns(header: tuple[Any, ...], vocabulary: Mapping[str, str], required: tuple[str, ...],
             where: str) -> dict[str, int]:
    """Column id -> position, from a header row in any language riskkit has (or of ids)."""
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        column = words.id_from_text(str(cell), vocabulary) if cell is not None else None
        if column is not None:
            found.setdefault(column, index)
    missing = [words.header(vocabulary, c) for c in required if c not in found]
    if missing:
        raise FileRejected(_("{where}: the first row must name the columns; missing: {columns}.").format(
            where=where, columns=", ".join(missing)))
    return found


def _cell(row: tuple[Any, ...], index: int) -> Any:
    return row[index] if index < len(row) else None


def _number(value: Any, where: str) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    shown = _untext(value)[:20]
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        raise FileRejected(_("{where}: '{text}' is not a risk number.").format(
            where=_in_column(where, _header("number")), text=shown)) from None
    if not math.isfinite(number) or number != int(number) or not 1 <= number <= MAX_RISK_NUMBER:
        raise FileRejected(_("{where}: '{text}' is not a risk number (whole numbers from 1 to {most}).").format(
            where=_in_column(where, _header("number")), text=shown, most=format_number(MAX_RISK_NUMBER)))
    return int(number)


def _level(value: Any, catalogue: Catalogue, where: str) -> str | None:
    """A level id from a cell: the id, or the level's word in any language riskkit has."""
    text = _untext(value)
    level = words.id_from_text(text, words.LEVELS)
    if level is None and not text:
        return None
    if level is None or level not in catalogue.scale.levels:
        shown = ", ".join(words.level(each) for each in catalogue.scale.levels)
        raise FileRejected(_("{where}: '{text}' is not a level of this scale ({levels}).").format(
            where=where, text=text[:40], levels=shown))
    return level


def _word(level: str | None) -> str:
    return words.level(level) if level is not None else ""


def _header(column: str) -> str:
    return words.header(words.REGISTER_COLUMNS, column)


def _check(assessment: Assessment, catalogue: Catalogue, name: str) -> None:
    try:
        assessment.check_against(catalogue)
    except RiskkitError as exc:
        raise FileRejected(_("{file}: {problem}").format(file=name, problem=exc)) from None


def _check_size(content: bytes, name: str) -> None:
    if len(content) > MAX_IMPORT_BYTES:
        raise FileRejected(_("{file}: the file is larger than 10 MB; an assessment is far smaller. Is it the right "
                             "file?").format(file=name))


def _internal(assessment: Assessment, number: int) -> bool:
    return any(r.number == number and r.internal for r in assessment.own_risks)


def _untext(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    return str(value).strip()


# --- CSV -------------------------------------------------------------------------------


FORMULA_TRIGGERS = frozenset("=+-@")
CELL_STARTS = frozenset(",;\t|\r\n")  # where a spreadsheet may start a new cell, whatever separator it assumes


def csv_safe(value: str) -> str:
    """Text a spreadsheet will show as text, never run as a formula (OWASP's CSV injection advice).

    An apostrophe goes before = + - @ wherever a cell could start: at the beginning, and
    after any character a spreadsheet may take for a separator or a line break (so 'x;=1+1'
    opened with ';' as the separator gives 'x' and \'=1+1, not a formula). Blanks (spaces,
    no-break spaces) before the sign, and full-width or other look-alike signs that a
    spreadsheet folds to = + - @ (NFKC), are caught too."""
    out: list[str] = []
    at_start = True
    for ch in value:
        if at_start and unicodedata.normalize("NFKC", ch)[:1] in FORMULA_TRIGGERS:
            out.append("'")
            at_start = False
        elif ch in CELL_STARTS:
            at_start = True
        elif not ch.isspace():
            at_start = False
        out.append(ch)
    return "".join(out)


# Columns the register CSV adds after the register's: its actions, counted.
ACTION_COUNTS: Mapping[str, str] = {"actions": N_("Actions"), "open_actions": N_("Open actions"),
                                    "overdue_actions": N_("Overdue actions")}


def to_csv(assessment: Assessment, catalogue: Catalogue, indicators: IndicatorSet, today: date | None = None) -> bytes:
    """The register, a row per risk, with its actions counted (overdue on `today`, the day it is
    made by default); dates are written YYYY-MM-DD."""
    day = today or date.today()
    columns = COLUMNS[:-1]  # all but the toolkit's example strategy
    rows: list[list[Any]] = [[_header(c) for c in columns] + [_(word) for word in ACTION_COUNTS.values()]]
    for risk in register(catalogue, assessment):
        values = {"number": risk.number, "statement": risk.statement, "likelihood": _word(risk.likelihood),
                  "impact": _word(risk.impact), "strategy": risk.strategy,
                  "residual_likelihood": _word(risk.residual_likelihood),
                  "residual_impact": _word(risk.residual_impact), "review_on": _iso(risk.review_on),
                  "references": ", ".join(risk.references), "indicators": ", ".join(indicators_for(risk, indicators)),
                  "notes": risk.notes, "internal": words.yes() if _internal(assessment, risk.number) else ""}
        counts = [len(risk.actions), sum(a.open for a in risk.actions), sum(a.overdue(day) for a in risk.actions)]
        rows.append([values[c] for c in columns] + counts)
    return _csv(rows)


def to_plan_csv(catalogue: Catalogue, assessment: Assessment, today: date | None = None) -> bytes:
    """The action plan, a row per action, overdue first (as on `today`, the day it is made by default)."""
    rows: list[list[Any]] = [[words.header(words.ACTION_COLUMNS, c) for c in ACTION_COLUMNS]]
    rows.extend(_plan_row(row, _iso(row.action.due)) for row in action_plan(catalogue, assessment,
                                                                              today or date.today()))
    return _csv(rows)


def _plan_row(row: PlannedAction, due: date | str | None) -> list[Any]:
    """An action as the plan's columns show it: its status in words, "overdue" when it is."""
    action = row.action
    values = {"number": row.number, "statement": row.statement, "what": action.what, "who": action.who,
              "due": due, "status": words.action_status(action.status),
              "overdue": _("overdue") if row.overdue else "", "note": action.note, "id": action.id}
    return [values[c] for c in ACTION_COLUMNS]


def _csv(rows: list[list[Any]]) -> bytes:
    """UTF-8 with a BOM (so Excel reads the accents), every cell quoted and safe from formulas;
    numbers stay numbers."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL)
    for row in rows:
        writer.writerow([value if isinstance(value, int) else csv_safe(str(value)) for value in row])
    return out.getvalue().encode("utf-8-sig")


def _iso(day: date | None) -> str:
    return day.isoformat() if day is not None else ""
