"""Assessments in and out of files: JSON (every field), Excel (the toolkit's table,
a legend and the indicators) and CSV (the register).

Import accepts an Excel file this module wrote and a person then edited (changed
ratings, added rows for additional risks). Anything it cannot use is refused with
a message naming the sheet, row and column, and nothing is imported.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import logging
import math
import unicodedata
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime, timezone
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation
from pydantic import ValidationError

from riskkit import words
from riskkit.catalogue import describe
from riskkit.errors import RiskkitError
from riskkit.i18n import gettext as _
from riskkit.limits import MAX_RISK_NUMBER, Context, Title, file_label
from riskkit.models import Assessment, Catalogue, Entry, Indicator, IndicatorSet, OwnRisk, Value
from riskkit.palette import colours_of
from riskkit.rules import band_of, indicators_for, register

FORMAT = "riskkit.assessment"
SCHEMA_VERSION = 1
MAX_IMPORT_BYTES = 10 * 1024 * 1024
# A workbook is a zip: its size on disk says little about its size once opened. An
# exported register of 300 risks with long strategies unpacks to about 2 MB.
MAX_UNPACKED_BYTES = 40 * 1024 * 1024
MAX_ROWS = 5_000
log = logging.getLogger("riskkit.exchange")

REGISTER = "Register"
LEGEND = "Legend"
INDICATORS = "Indicators"
# Columns by id; their headers are words from the message catalogue (riskkit.words), and an
# import recognises a column by its id or its header in any language riskkit has.
COLUMNS = tuple(words.REGISTER_COLUMNS)
REQUIRED = ("number", "statement", "likelihood", "impact", "strategy")
INDICATOR_COLUMNS = tuple(words.INDICATOR_COLUMNS)


class FileRejected(RiskkitError):
    """A file that cannot be imported; nothing was changed."""


class Exported(Value):
    """What a file holds besides the register itself."""

    title: Title
    context: Context = ""
    held_on: date | None = None


class Imported(Value):
    about: Exported
    assessment: Assessment


# --- JSON ------------------------------------------------------------------------------


def to_json(about: Exported, assessment: Assessment) -> bytes:
    document = {
        "format": FORMAT, "schema_version": SCHEMA_VERSION,
        "exported_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "title": about.title, "context": about.context,
        "held_on": about.held_on.isoformat() if about.held_on else None,
        "assessment": assessment.model_dump(mode="json"),
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def from_json(content: bytes, catalogue: Catalogue, name: str = "the file") -> Imported:
    _check_size(content, name)
    try:
        document = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise FileRejected(f"{name}: not a riskkit JSON file (it cannot be read as JSON).") from None
    except RecursionError:
        raise FileRejected(f"{name}: not a riskkit JSON file (it is nested far too deeply).") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise FileRejected(f"{name}: not a riskkit assessment (its 'format' is not '{FORMAT}').")
    version = document.get("schema_version")
    if version != SCHEMA_VERSION or isinstance(version, bool):
        shown = version if isinstance(version, int) and abs(version) < 10**6 else "unknown"
        raise FileRejected(f"{name}: written with schema version {shown}; this riskkit reads version "
                           f"{SCHEMA_VERSION}. Export it again from a matching riskkit.")
    try:
        about = Exported(title=document.get("title") or "Imported assessment", context=document.get("context") or "",
                         held_on=document.get("held_on"))
        assessment = Assessment.model_validate(document.get("assessment"))
    except ValidationError as exc:
        raise FileRejected(describe(exc, name)) from None
    except RiskkitError as exc:
        raise FileRejected(f"{name}: {exc}") from None
    _check(assessment, catalogue, name)
    return Imported(about=about, assessment=assessment)


# --- Excel ------------------------------------------------------------------------------

HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_FONT = Font(bold=True, color="FFFFFF")
WRAP = Alignment(wrap_text=True, vertical="top")


def to_xlsx(about: Exported, assessment: Assessment, catalogue: Catalogue, indicators: IndicatorSet) -> bytes:
    book = Workbook()
    sheet = book.create_sheet(REGISTER)
    book.remove(book.worksheets[0])
    sheet.append([words.header(words.REGISTER_COLUMNS, c) for c in COLUMNS])
    for risk in register(catalogue, assessment):
        sheet.append([risk.number, risk.statement, _word(risk.likelihood), _word(risk.impact),
                      risk.strategy, ", ".join(risk.references),
                      ", ".join(indicators_for(risk, indicators)), risk.notes,
                      words.yes() if _internal(assessment, risk.number) else "", risk.example_strategy])
    _style_table(sheet, (8, 60, 13, 13, 60, 12, 18, 40, 10, 60))
    shown = [words.level(level) for level in catalogue.scale.levels]
    levels = DataValidation(type="list", formula1='"' + ",".join(shown) + '"', allow_blank=True,
                            showErrorMessage=True, errorTitle=_("Not a level"),
                            error=_("Choose {levels} or leave empty.").format(levels=", ".join(shown)))
    sheet.add_data_validation(levels)
    levels.add(f"C2:D{max(sheet.max_row, 2) + 200}")
    _legend(book.create_sheet(LEGEND), about, assessment, catalogue)
    table = book.create_sheet(INDICATORS)
    table.append([words.header(words.INDICATOR_COLUMNS, c) for c in INDICATOR_COLUMNS])
    for indicator in indicators.indicators:
        table.append([indicator.id, indicator.wording, words.indicator_kind(indicator.kind),
                      "; ".join(indicator.disaggregation), "; ".join(map(str, indicator.risks))])
    _style_table(table, (10, 80, 10, 30, 12))
    for each in book.worksheets:
        for cells in each.iter_rows():
            for cell in cells:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text is text, never a formula, whatever it begins with
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _legend(sheet: Any, about: Exported, assessment: Assessment, catalogue: Catalogue) -> None:
    label = functools.partial(words.header, words.LEGEND_LABELS)
    levels = [words.level(level) for level in catalogue.scale.levels]
    rows: list[list[Any]] = [
        [label("title"), about.title],
        [label("context"), about.context],
        [label("held_on"), about.held_on.isoformat() if about.held_on else ""],
        [_("Toolkit section"), f"{catalogue.section.number} {catalogue.section.title}"],
        [_("Format"), FORMAT], [_("Schema version"), SCHEMA_VERSION],
        [label("policy"), assessment.policy], [_("Policy in force"), words.policy(assessment.policy)],
        [], [_("Scale (lowest first)"), ", ".join(levels)],
        [], [_("Band by likelihood (rows) and impact (columns)"), *levels],
    ]
    for row in rows:
        sheet.append(row)
    for likelihood in reversed(catalogue.scale.levels):
        sheet.append([words.level(likelihood), *(words.band(band_of(catalogue, likelihood, impact)).upper()
                                                 for impact in catalogue.scale.levels)])
        for column, impact in enumerate(catalogue.scale.levels, start=2):
            fill, ink = colours_of(band_of(catalogue, likelihood, impact), catalogue.bands.names)
            cell = sheet.cell(row=sheet.max_row, column=column)
            cell.fill = PatternFill("solid", fgColor=fill.lstrip("#"))
            cell.font = Font(bold=True, color=ink.lstrip("#"))
    sheet.append([])
    for name in catalogue.policies.options:
        sheet.append([_("Policy '{name}'").format(name=name), words.policy(name)])
    sheet.column_dimensions["A"].width = 44
    for letter in "BCD":
        sheet.column_dimensions[letter].width = 22


def _style_table(sheet: Any, widths: tuple[int, ...]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = width
    for cell in sheet[1]:
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = WRAP
    sheet.freeze_panes = "A2"


def from_xlsx(content: bytes, catalogue: Catalogue, draft: IndicatorSet, name: str = "the file") -> Imported:
    """An assessment from a workbook riskkit wrote (and a person may have edited). Anything
    wrong with the file, down to broken XML inside it, is a FileRejected and nothing else."""
    _check_size(content, name)
    _check_unpacked(content, name)
    try:
        with _at(name):
            return _from_workbook(content, catalogue, draft, name)
    except FileRejected:
        raise
    except Exception:  # a damaged workbook can fail anywhere inside openpyxl or its XML parser
        log.warning("workbook %r could not be read", name, exc_info=True)
        raise FileRejected(f"{name}: not an Excel workbook (.xlsx) that can be opened: part of it is damaged. "
                           "Save it from Excel or LibreOffice as .xlsx and try again.") from None


def _check_unpacked(content: bytes, name: str) -> None:
    """Refuse a workbook that would unpack to far more than a register, before opening it."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(max(info.file_size, 0) for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FileRejected(f"{name}: not an Excel workbook (.xlsx) that can be opened. "
                           "Save it from Excel or LibreOffice as .xlsx and try again.") from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise FileRejected(f"{name}: the workbook unpacks to {unpacked / 1024 / 1024:,.0f} MB, far more than a "
                           f"register (the limit is {MAX_UNPACKED_BYTES // 1024 // 1024} MB). Is it the right "
                           "file? Nothing was imported.")


def _from_workbook(content: bytes, catalogue: Catalogue, draft: IndicatorSet, name: str) -> Imported:
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise FileRejected(f"{name}: not an Excel workbook (.xlsx) that can be opened. "
                           "Save it from Excel or LibreOffice as .xlsx and try again.") from None
    if REGISTER not in book.sheetnames:
        raise FileRejected(f"{name}: no sheet named '{REGISTER}' (found: {', '.join(book.sheetnames)}). "
                           "Start from a file exported by riskkit.")
    rows = _rows(book[REGISTER], f"{name}, sheet {REGISTER}")
    columns = _columns(rows[0] if rows else (), words.REGISTER_COLUMNS, REQUIRED, f"{name}, sheet {REGISTER}")
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
        where = f"{name}, sheet {REGISTER}, row {line}"
        number = _number(cell["number"], where)
        values = {
            "likelihood": _level(cell["likelihood"], catalogue, f"{where}, column {_header('likelihood')}"),
            "impact": _level(cell["impact"], catalogue, f"{where}, column {_header('impact')}"),
            "strategy": _untext(cell["strategy"]), "notes": _untext(cell.get("notes")),
        }
        statement = _untext(cell["statement"])
        if number is None:
            if not statement:
                raise FileRejected(f"{where}: a row with ratings or a strategy needs a risk number or a statement.")
            pending_new.append((line, statement, values, cell))
            continue
        if number in seen:
            raise FileRejected(f"{name}, sheet {REGISTER}: risk number {number} appears twice "
                               f"(rows {seen[number]} and {line}). Each risk has one row.")
        seen[number] = line
        with _at(where):
            if number not in toolkit:
                if not statement:
                    raise FileRejected(f"{where}: your own risk {number} needs a statement in "
                                       f"'{_header('statement')}'.")
                own.append(_own(number, statement, cell))
            _keep(entries, number, values)
    next_number = max([catalogue.first_own_number - 1, *seen]) + 1
    for line, statement, values, cells in pending_new:
        with _at(f"{name}, sheet {REGISTER}, row {line}"):
            own.append(_own(next_number, statement, cells))
            _keep(entries, next_number, values)
        next_number += 1
    try:
        assessment = Assessment(policy=policy, entries=entries, own_risks=tuple(own), indicators=indicators)
    except ValidationError as exc:
        raise FileRejected(describe(exc, name)) from None
    _check(assessment, catalogue, name)
    return Imported(about=about, assessment=assessment)


@contextmanager
def _at(where: str) -> Iterator[None]:
    """Name the sheet and row in a refusal that comes from the model's limits."""
    try:
        yield
    except FileRejected:
        raise
    except RiskkitError as exc:
        raise FileRejected(f"{where}: {exc}") from None
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
    if LEGEND in book.sheetnames:
        for row in book[LEGEND].iter_rows(values_only=True):
            if row and isinstance(row[0], str) and len(row) > 1:
                label = words.id_from_text(row[0], words.LEGEND_LABELS)
                if label is not None:
                    found.setdefault(label, row[1])
    policy = str(found.get("policy") or catalogue.policies.default).strip()
    if policy not in catalogue.policies.options:
        raise FileRejected(f"Sheet {LEGEND}: '{policy}' is not a mitigation policy "
                           f"({', '.join(catalogue.policies.options)}).")
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
                     context=_untext(found.get("context")), held_on=held_on)
    return about, policy


def _read_indicators(book: Any, catalogue: Catalogue, draft: IndicatorSet, name: str) -> IndicatorSet | None:
    if INDICATORS not in book.sheetnames:
        return None
    rows = _rows(book[INDICATORS], f"{name}, sheet {INDICATORS}")
    if len(rows) < 2:
        return None
    where = f"{name}, sheet {INDICATORS}"
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
            raise FileRejected(f"{where}, row {line}: {exc}") from None
        except (ValueError, OverflowError, ValidationError):
            raise FileRejected(f"{where}, row {line}: needs an id, a wording, a kind (output or outcome) and "
                               "risk numbers separated by ';'.") from None
    if [(i.id, i.wording) for i in found] == [(i.id, i.wording) for i in draft.indicators]:
        return None  # the draft set, unchanged
    try:
        return IndicatorSet(title=f"Indicators from {file_label(name)}", indicators=tuple(found))
    except ValidationError as exc:
        raise FileRejected(describe(exc, where)) from None


def _rows(sheet: Any, where: str) -> list[tuple[Any, ...]]:
    rows = []
    for row in sheet.iter_rows(values_only=True):
        rows.append(row)
        if len(rows) > MAX_ROWS:
            raise FileRejected(f"{where}: more than {MAX_ROWS:,} rows; a register is far smaller. Nothing was "
                               "imported.")
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
        raise FileRejected(f"{where}: the first row must name the columns; missing: {', '.join(missing)}.")
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
        raise FileRejected(f"{where}, column No.: '{shown}' is not a risk number.") from None
    if not math.isfinite(number) or number != int(number) or not 1 <= number <= MAX_RISK_NUMBER:
        raise FileRejected(f"{where}, column No.: '{shown}' is not a risk number (whole numbers from 1 to "
                           f"{MAX_RISK_NUMBER:,}).")
    return int(number)


def _level(value: Any, catalogue: Catalogue, where: str) -> str | None:
    """A level id from a cell: the id, or the level's word in any language riskkit has."""
    text = _untext(value)
    level = words.id_from_text(text, words.LEVELS)
    if level is None and not text:
        return None
    if level is None or level not in catalogue.scale.levels:
        shown = ", ".join(words.level(each) for each in catalogue.scale.levels)
        raise FileRejected(f"{where}: '{text[:40]}' is not a level of this scale ({shown}).")
    return level


def _word(level: str | None) -> str:
    return words.level(level) if level is not None else ""


def _header(column: str) -> str:
    return words.header(words.REGISTER_COLUMNS, column)


def _check(assessment: Assessment, catalogue: Catalogue, name: str) -> None:
    try:
        assessment.check_against(catalogue)
    except RiskkitError as exc:
        raise FileRejected(f"{name}: {exc}") from None


def _check_size(content: bytes, name: str) -> None:
    if len(content) > MAX_IMPORT_BYTES:
        raise FileRejected(f"{name}: the file is larger than 10 MB; an assessment is far smaller. "
                           "Is it the right file?")


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


def to_csv(assessment: Assessment, catalogue: Catalogue, indicators: IndicatorSet) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL)
    writer.writerow([csv_safe(_header(c)) for c in COLUMNS[:-1]])
    for risk in register(catalogue, assessment):
        writer.writerow([risk.number, *(csv_safe(v) for v in (
            risk.statement, _word(risk.likelihood), _word(risk.impact), risk.strategy, ", ".join(risk.references),
            ", ".join(indicators_for(risk, indicators)), risk.notes,
            words.yes() if _internal(assessment, risk.number) else ""))])
    return out.getvalue().encode("utf-8-sig")
