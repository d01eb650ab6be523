"""Monitoring indicator values from a file: a CSV or Excel sheet a person filled in, one row per
value (docs/indicator-values.md gives the format).

The same table is the "Indicator values" sheet of the Excel export, so a team can fill in the
exported workbook and upload it. Reading is all or nothing: the first bad row raises an
IndicatorFileError naming the row, the column and the problem, and nothing is recorded.
"""

from __future__ import annotations

import csv
import io
import math
import re
import zipfile
from collections.abc import Callable, Collection, Sequence
from datetime import date, datetime
from functools import partial
from typing import Any, Final

from openpyxl import load_workbook

from riskkit import words
from riskkit.errors import IndicatorFileError, RiskkitError
from riskkit.i18n import available_locales, format_number, pgettext, using
from riskkit.i18n import gettext as _
from riskkit.limits import file_label, unpacked_bytes
from riskkit.models import Assessment, IndicatorSet, Reading, Track, validated

# The file's size: a year of monthly values for a hundred indicators is about 60 KB as CSV; an
# exported workbook of 300 risks (which can be uploaded as it is) is well under 1 MB.
MAX_VALUES_BYTES: Final = 10 * 1024 * 1024
MAX_UNPACKED_BYTES: Final = 40 * 1024 * 1024  # what a workbook may unpack to, checked before opening it
MAX_VALUE_ROWS: Final = 20_000  # forty years of monthly values for forty indicators
MAX_CELL_CHARS: Final = 2_000  # no cell of this table needs more (a source is at most 300)
SHEET: Final = "Indicator values"  # the sheet read from a workbook that has it (else the first one)
REQUIRED: Final = ("id",)
DATE_FORMAT: Final = "yyyy-mm-dd"


class Formula:
    """A cell holding a formula: refused, a file of values holds the values themselves."""


FORMULA: Final = Formula()
Cell = str | int | float | date | datetime | Formula | None


# --- reading -------------------------------------------------------------------------------


def _values_sheet(names: list[str]) -> str | None:
    """The workbook's sheet of values: named as riskkit's Excel export names it in any of its
    languages (riskkit.exchange.sheet_title), or in English."""
    by_name = {" ".join(name.split()).casefold(): name for name in names}
    for locale in available_locales():
        with using(locale):
            found = by_name.get(" ".join(pgettext("sheet", SHEET).split())[:31].strip().casefold())
        if found is not None:
            return found
    return by_name.get(SHEET.casefold())


def read_tracks(file_name: str, content: bytes, indicators: IndicatorSet) -> dict[str, Track]:
    """The values in a CSV (UTF-8, ',' or ';') or .xlsx file, by indicator id, for
    Assessment.record_tracks. Any problem is an IndicatorFileError and nothing is read."""
    name = file_label(file_name)
    if len(content) > MAX_VALUES_BYTES:
        raise IndicatorFileError(_("{file}: the file is larger than {limit} MB; a file of indicator values is far "
                                   "smaller. Is it the right file?").format(file=name,
                                                                            limit=MAX_VALUES_BYTES // 1024 // 1024))
    if file_name.lower().endswith(".xls") and content[:2] != b"PK":  # the Excel format before 2007
        raise IndicatorFileError(_("{file}: save it as .xlsx or as CSV (UTF-8) and upload it again.")
                                 .format(file=name))
    if file_name.lower().endswith((".xlsx", ".xlsm")) or content[:2] == b"PK":
        where, rows = _workbook_rows(content, name)
    else:
        where, rows = name, _csv_rows(content, name)
    return tracks_from_rows(rows, indicators.id_set, where)


def _csv_rows(content: bytes, name: str) -> list[list[Cell]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise IndicatorFileError(_("{file}: not a UTF-8 text file. Save it as \"CSV UTF-8\" and upload it again.")
                                 .format(file=name)) from None
    first = text.split("\n", 1)[0]
    separator = ";" if first.count(";") > first.count(",") else ","
    rows: list[list[Cell]] = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=separator):
            rows.append([FORMULA if cell.strip().startswith("=") else cell for cell in row])
            if len(rows) > MAX_VALUE_ROWS + 1:
                raise _too_many_rows(name)
    except csv.Error as exc:
        raise IndicatorFileError(_("{file}, row {row}: the CSV cannot be read ({problem}).")
                                 .format(file=name, row=len(rows) + 1, problem=exc)) from None
    return rows


def _workbook_rows(content: bytes, name: str) -> tuple[str, list[list[Cell]]]:
    not_a_workbook = IndicatorFileError(_("{file}: not an Excel workbook (.xlsx) that can be opened. Save it from "
                                          "Excel or LibreOffice as .xlsx and try again.").format(file=name))
    try:
        unpacked = unpacked_bytes(content)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise not_a_workbook from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise IndicatorFileError(_("{file}: the workbook unpacks to {size} MB, far more than a file of values "
                                   "(the limit is {limit} MB). Is it the right file?")
                                 .format(file=name, size=format_number(unpacked / 1024 / 1024, 0),
                                         limit=MAX_UNPACKED_BYTES // 1024 // 1024))
    try:  # formulas as formulas (not their cached results), so a row holding one can be refused
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
        sheet = book[_values_sheet(book.sheetnames) or book.sheetnames[0]]
        rows: list[list[Cell]] = []
        for cells in sheet.iter_rows():
            rows.append([_cell(c) for c in cells])
            if len(rows) > MAX_VALUE_ROWS + 1:
                raise _too_many_rows(name)
        title = str(sheet.title)
        book.close()
    except IndicatorFileError:
        raise
    except Exception:  # a damaged workbook can fail anywhere inside openpyxl or its XML parser
        raise not_a_workbook from None
    return _("{file}, sheet {sheet}").format(file=name, sheet=title), rows


def _cell(cell: Any) -> Cell:
    if getattr(cell, "data_type", None) == "f":
        return FORMULA
    value = cell.value
    if value is None or isinstance(value, (str, date)) or (isinstance(value, (int, float)) and
                                                           not isinstance(value, bool)):
        return value
    return str(value)  # a time, a duration, TRUE/FALSE: text, refused where a number or a date is wanted


def _too_many_rows(name: str) -> IndicatorFileError:
    return IndicatorFileError(_("{file}: more than {limit:,} rows; split the file and upload each part.")
                              .format(file=name, limit=MAX_VALUE_ROWS))


class _Collected:
    """What the rows say about one indicator, with the row each value came from."""

    def __init__(self) -> None:
        self.bounds: dict[str, tuple[float, int]] = {}  # "baseline" / "target" -> value, row
        self.readings: dict[tuple[date, str], tuple[float, int]] = {}


def tracks_from_rows(rows: Sequence[Sequence[Cell]], known: Collection[str], where: str) -> dict[str, Track]:
    """The tracks a table of values gives (its first row names the columns), by indicator id.
    `known` are the indicator ids the values may be for; `where` names the file (and sheet)."""
    if not rows:
        raise IndicatorFileError(_("{where}: the file is empty. The first row names the columns: {columns}.")
                                 .format(where=where, columns=_column_list()))
    columns = _columns(rows[0], where)
    found: dict[str, _Collected] = {}
    for line, row in enumerate(rows[1:], start=2):
        cell = {column: (row[index] if index < len(row) else None) for column, index in columns.items()}
        if all(_blank(value) for value in cell.values()):
            continue
        _read_row(cell, line, known, where, found)
    tracks: dict[str, Track] = {}
    for indicator_id, collected in found.items():
        readings = [Reading(on=on, value=value, source=source)
                    for (on, source), (value, _line) in collected.readings.items()]
        try:
            track = validated(Track, {"baseline": collected.bounds.get("baseline", (None,))[0],
                                      "target": collected.bounds.get("target", (None,))[0], "readings": readings})
        except RiskkitError as exc:
            raise IndicatorFileError(_("{where}: indicator {id}: {problem}")
                                     .format(where=where, id=indicator_id, problem=exc)) from None
        if not track.empty:
            tracks[indicator_id] = track
    return tracks


def _read_row(cell: dict[str, Cell], line: int, known: Collection[str], where: str,
              found: dict[str, _Collected]) -> None:
    def refuse(column: str, problem: str) -> IndicatorFileError:
        return IndicatorFileError(_("{where}, row {row}, column {column}: {problem}").format(
            where=where, row=line, column=words.header(words.VALUE_COLUMNS, column), problem=problem))

    for column, value in cell.items():
        if isinstance(value, Formula):
            raise refuse(column, _("a formula. Type the value itself (copy, then paste values only)."))
        if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
            raise refuse(column, _("{count:,} characters, far more than a value file needs.").format(count=len(value)))
    indicator_id = _text(cell.get("id"))
    if not indicator_id:
        raise refuse("id", _("missing: each row names the indicator its value is for."))
    if indicator_id not in known:
        raise refuse("id", _("'{id}' is not an indicator of the list in use.").format(id=indicator_id[:60]))
    collected = found.setdefault(indicator_id, _Collected())
    kind, on = _date_or_kind(cell.get("date"), partial(refuse, "date"))
    value = _number(cell.get("value"), partial(refuse, "value"))
    for bound in ("baseline", "target"):
        given = _number(cell.get(bound), partial(refuse, bound))
        if given is not None:
            _keep_bound(collected, bound, given, line, partial(refuse, bound))
    if kind is not None:
        if value is None:
            raise refuse("value", _("missing: a {kind} row needs its value.").format(kind=words.header(
                words.VALUE_ROW_KINDS, kind)))
        _keep_bound(collected, kind, value, line, partial(refuse, "value"))
        return
    if on is None and value is not None:
        raise refuse("date", _("missing: a value needs the date it was measured on (YYYY-MM-DD)."))
    if on is None:
        return  # the indicator's own row: its wording, baseline or target, or nothing yet
    if value is None:
        raise refuse("value", _("missing: the row has a date but no value."))
    source = _text(cell.get("source"))
    try:
        validated(Reading, {"on": on, "value": value, "source": source})
    except RiskkitError as exc:
        raise refuse("source", str(exc)) from None
    earlier = collected.readings.get((on, source))
    if earlier is not None:
        raise refuse("date", _("row {earlier} already gives a value for {id} on this date from the same source.")
                     .format(earlier=earlier[1], id=indicator_id))
    collected.readings[(on, source)] = (value, line)


def _keep_bound(collected: _Collected, bound: str, value: float, line: int,
                refuse: Callable[[str], IndicatorFileError]) -> None:
    earlier = collected.bounds.get(bound)
    if earlier is not None and earlier[0] != value:
        raise refuse(_("row {earlier} already gives a different {kind} ({value:g}).").format(
            earlier=earlier[1], kind=words.header(words.VALUE_ROW_KINDS, bound), value=earlier[0]))
    collected.bounds[bound] = (value, line)


def _columns(header: Sequence[Cell], where: str) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        if isinstance(cell, str):
            column = words.id_from_text(cell[:100], words.VALUE_COLUMNS)
            if column is not None:
                found.setdefault(column, index)
    if "id" not in found or not {"value", "baseline", "target"} & set(found) or ("value" in found) != (
            "date" in found):
        raise IndicatorFileError(_("{where}, row 1: the first row names the columns: {columns} (Indicator, "
                                   "Baseline and Target may be left out).").format(where=where,
                                                                                   columns=_column_list()))
    return found


def _column_list() -> str:
    return ", ".join(words.header(words.VALUE_COLUMNS, c) for c in words.VALUE_COLUMNS)


def _blank(value: Cell) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Cell) -> str:
    if value is None or isinstance(value, Formula):
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value).strip()


def _date_or_kind(value: Cell, refuse: Callable[[str], IndicatorFileError]) -> tuple[str | None, date | None]:
    """A reading's date, or the kind of row ('baseline', 'target') the date column names instead."""
    kind = words.id_from_text(value, words.VALUE_ROW_KINDS) if isinstance(value, str) else None
    if kind is not None:
        return kind, None
    try:
        return None, cell_date(value)
    except ValueError as exc:
        raise refuse(str(exc)) from None


def cell_date(value: Any) -> date | None:
    """A date from a cell: a spreadsheet's date, or text written YYYY-MM-DD; None when blank.
    Anything else raises a ValueError whose message says how to write a date."""
    if value is None or isinstance(value, Formula) or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    raise ValueError(_("'{text}' is not a date. Write dates as YYYY-MM-DD (2026-03-31), or use a date cell in "
                       "Excel.").format(text=text[:40]))


NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")


def _number(value: Cell, refuse: Callable[[str], IndicatorFileError]) -> float | None:
    """A number from a cell: a spreadsheet's number, or text with '.' or ',' as the decimal mark
    (a thousands separator is accepted where it cannot be taken for one: '1.234,5', '1,234.5')."""
    if _blank(value):
        return None
    if isinstance(value, bool) or isinstance(value, (date, datetime)):
        raise refuse(_("'{text}' is not a number.").format(text=_text(value)[:40]))
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        text = "".join(_text(value).split()).replace("\u2212", "-")
        if "," in text and "." in text:  # the last mark is the decimal one
            decimal = "," if text.rfind(",") > text.rfind(".") else "."
            text = text.replace("." if decimal == "," else ",", "").replace(",", ".")
        elif text.count(",") > 1 or text.count(".") > 1:
            text = text.replace(",", "").replace(".", "")
        elif re.fullmatch(r"[+-]?[1-9]\d{0,2}[.,]\d{3}", text):
            # '1,234' or '1.234': a thousand and more in one country's writing, a little over one in
            # another's; taking either silently could record a value a thousand times off
            raise refuse(_("'{text}' could mean a thousand or more, or a little over one: write 1234 for the "
                           "first, 1.2340 for the second.").format(text=text[:40]))
        else:
            text = text.replace(",", ".")
        if not NUMBER.fullmatch(text):
            raise refuse(_("'{text}' is not a number.").format(text=_text(value)[:40]))
        number = float(text)
    if not math.isfinite(number):
        raise refuse(_("'{text}' is not a number.").format(text=_text(value)[:40]))
    return number


# --- writing -------------------------------------------------------------------------------


def value_rows(assessment: Assessment, indicators: IndicatorSet) -> list[list[Any]]:
    """The table as the Excel export writes it, header first: a row per indicator in use (its
    wording, baseline and target), then a row per value; indicators no longer in the list but with
    values recorded come last. Read back by tracks_from_rows."""
    rows: list[list[Any]] = [[words.header(words.VALUE_COLUMNS, c) for c in words.VALUE_COLUMNS]]
    in_use = [(i.id, i.wording) for i in indicators.indicators]
    for indicator_id, wording in (*in_use, *((i, "") for i in kept_ids(assessment, indicators))):
        track = assessment.track(indicator_id)
        rows.append([indicator_id, wording, track.baseline, track.target, None, None, None])
        rows.extend([indicator_id, None, None, None, r.on, r.value, r.source] for r in track.readings)
    return rows


def kept_ids(assessment: Assessment, indicators: IndicatorSet) -> tuple[str, ...]:
    """Indicators with values recorded that are not in the list in use (the list was changed)."""
    return tuple(i for i in sorted(assessment.tracks) if i not in indicators.id_set)
