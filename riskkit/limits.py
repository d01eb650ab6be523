"""What text and numbers riskkit accepts, with the reason for each limit.

One boundary for every way text gets in (typed on a page, a JSON or Excel import, an
indicator upload, an address): the models' fields use these checks, so a limit cannot
hold for one path and not another. A refusal is an InvalidText whose message names
the field, the problem and the limit, in words a workshop facilitator understands.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from typing import Annotated, Final

from pydantic import AfterValidator

from riskkit.errors import InvalidEdit


class InvalidText(InvalidEdit):
    """Text that cannot be saved: too long, or holding invisible control characters."""


class TextLimit:
    """How long a field may be, whether it may have line breaks, and why."""

    __slots__ = ("label", "max_chars", "multiline", "reason")

    def __init__(self, label: str, max_chars: int, multiline: bool, reason: str) -> None:
        self.label, self.max_chars, self.multiline, self.reason = label, max_chars, multiline, reason


# Excel refuses a cell over 32,767 characters, so no text field may be longer than that:
# every register must survive its own Excel export.
EXCEL_CELL_MAX: Final = 32_767

LIMITS: Final[dict[str, TextLimit]] = {
    "title": TextLimit("Title", 200, False,
                       "a title is a name for a list; longer ones do not fit a heading or a file name"),
    "context": TextLimit("Country or project", 200, False, "one line naming a country or project"),
    "organisation": TextLimit("Organisation", 200, False, "one line naming the organisation the briefing is from"),
    "statement": TextLimit("Identified risk", 2_000, True,
                           "a risk is stated in a sentence or two; the toolkit's longest is under 300 characters"),
    "strategy": TextLimit("Risk mitigation strategy", 20_000, True,
                          "room for a detailed plan, well inside Excel's 32,767-character cell"),
    "notes": TextLimit("Notes", 20_000, True, "room for long notes, well inside Excel's 32,767-character cell"),
    "reference": TextLimit("Toolkit reference", 40, False, "a section number such as 1.6"),
    "indicator_id": TextLimit("Indicator id", 40, False, "a short code such as PA-01"),
    "indicator_wording": TextLimit("Indicator", 2_000, True, "an indicator is one measurable sentence"),
    "indicator_kind": TextLimit("Kind", 20, False, "output or outcome"),
    "disaggregation": TextLimit("Disaggregation", 100, False, "a dimension such as sex or age"),
    "indicator_title": TextLimit("Indicator list title", 300, False, "one line naming the list"),
    "indicator_notice": TextLimit("Indicator list notice", 2_000, True, "a short note on where the list comes from"),
    "action_what": TextLimit("Action", 2_000, True, "an action is a task someone can do and tick off"),
    "action_who": TextLimit("Who", 200, False, "an organisation or a role, on one line"),
    "action_note": TextLimit("Action note", 5_000, True, "a short note on progress or a blocker"),
    "reading_source": TextLimit("Source", 300, False, "where a value came from: a report, a database, a survey"),
    "person": TextLimit("Your name", 100, False, "a name or initials shown beside each change you save"),
}
assert all(limit.max_chars <= EXCEL_CELL_MAX for limit in LIMITS.values())

MAX_RISK_NUMBER: Final = 9_999  # a register of a few hundred risks at most; 4 digits fit every table
MAX_REFERENCES: Final = 20
MAX_INDICATOR_LINKS: Final = 200
MAX_ACTIONS: Final = 50  # per risk: a plan, not a task tracker
MAX_READINGS: Final = 500  # per indicator: monthly values for forty years

# Characters that change how the text around them is shown without being seen:
# bidirectional overrides and isolates (a title that reverses the text after it).
BIDI_CONTROLS: Final = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")


def unwanted_character(text: str, multiline: bool) -> str | None:
    """The first character that may not be saved in such a field, or None.

    Control characters (NUL, vertical tab, ESC...) break Word and Excel files and
    terminals; bidi controls disguise text. Tabs and, in multi-line fields, line
    breaks are ordinary typing and are kept.
    """
    allowed = {"\t", "\n", "\r"} if multiline else {"\t"}
    for ch in text:
        if ch in allowed:
            continue
        if ch in BIDI_CONTROLS:
            return ch
        category = unicodedata.category(ch)
        if category in ("Cc", "Cs") or ch in ("\u2028", "\u2029", "\ufffe", "\uffff"):
            return ch
    return None


def checked_text(field: str, text: str) -> str:
    """The text as it will be saved (line breaks made uniform, surrounding space
    removed), or an InvalidText naming the field and what is wrong."""
    limit = LIMITS[field]
    if not isinstance(text, str):
        raise InvalidText(f"{limit.label}: expected text.")
    cleaned = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if len(cleaned) > limit.max_chars:
        raise InvalidText(f"{limit.label}: {len(cleaned):,} characters is more than the {limit.max_chars:,} "
                          f"allowed ({limit.reason}). Nothing was saved; shorten it and try again.")
    bad = unwanted_character(cleaned, limit.multiline)
    if bad is not None:
        what = "a line break" if bad == "\n" else f"an invisible control character (U+{ord(bad):04X})"
        raise InvalidText(f"{limit.label}: contains {what}, which cannot be saved. "
                          "Nothing was saved; remove it (retype the text rather than paste it) and try again.")
    return cleaned


def _checker(field: str) -> AfterValidator:
    return AfterValidator(lambda value: checked_text(field, value))


Title = Annotated[str, _checker("title")]
Context = Annotated[str, _checker("context")]
Organisation = Annotated[str, _checker("organisation")]
Statement = Annotated[str, _checker("statement")]
Strategy = Annotated[str, _checker("strategy")]
Notes = Annotated[str, _checker("notes")]
Reference = Annotated[str, _checker("reference")]
IndicatorId = Annotated[str, _checker("indicator_id")]
IndicatorWording = Annotated[str, _checker("indicator_wording")]
Disaggregation = Annotated[str, _checker("disaggregation")]
IndicatorTitle = Annotated[str, _checker("indicator_title")]
IndicatorNotice = Annotated[str, _checker("indicator_notice")]
ActionWhat = Annotated[str, _checker("action_what")]
ActionWho = Annotated[str, _checker("action_who")]
ActionNote = Annotated[str, _checker("action_note")]
ReadingSource = Annotated[str, _checker("reading_source")]


def risk_number_in_range(number: int) -> int:
    if not 1 <= number <= MAX_RISK_NUMBER:
        raise InvalidEdit(f"Risk numbers run from 1 to {MAX_RISK_NUMBER:,}; {number} is outside that range.")
    return number


RiskNumber = Annotated[int, AfterValidator(risk_number_in_range)]


def file_label(name: str, limit: int = 80) -> str:
    """An uploaded file's name, fit to quote in a title or a message: printable, one line, short."""
    shown = "".join(ch for ch in name if ch.isprintable() and ch not in BIDI_CONTROLS).strip()
    return (shown[: limit - 1] + "…" if len(shown) > limit else shown) or "the file"


def unpacked_bytes(content: bytes) -> int:
    """What a zip (a workbook, a Word or PowerPoint file) unpacks to, as its directory says:
    checked before any library opens it, so a small upload cannot fill the memory.
    Raises zipfile.BadZipFile (or OSError, ValueError) for what is not a zip."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return sum(max(info.file_size, 0) for info in archive.infolist())
