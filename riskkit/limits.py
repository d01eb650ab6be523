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
from riskkit.i18n import N_, format_number
from riskkit.i18n import gettext as _


class InvalidText(InvalidEdit):
    """Text that cannot be saved: too long, or holding invisible control characters."""


class TextLimit:
    """How long a field may be, whether it may have line breaks, and why (label and reason are
    message ids, marked here and translated where a refusal says them)."""

    __slots__ = ("label", "max_chars", "multiline", "reason")

    def __init__(self, label: str, max_chars: int, multiline: bool, reason: str) -> None:
        self.label, self.max_chars, self.multiline, self.reason = label, max_chars, multiline, reason


# Excel refuses a cell over 32,767 characters, so no text field may be longer than that:
# every register must survive its own Excel export.
EXCEL_CELL_MAX: Final = 32_767

LIMITS: Final[dict[str, TextLimit]] = {
    "title": TextLimit(N_("Title"), 200, False,
                       N_("a title is a name for a list; longer ones do not fit a heading or a file name")),
    "context": TextLimit(N_("Country or project"), 200, False, N_("one line naming a country or project")),
    "organisation": TextLimit(N_("Organisation"), 200, False,
                              N_("one line naming the organisation the briefing is from")),
    "statement": TextLimit(N_("Identified risk"), 2_000, True,
                           N_("a risk is stated in a sentence or two; the toolkit's longest is under 300 characters")),
    "strategy": TextLimit(N_("Risk mitigation strategy"), 20_000, True,
                          N_("room for a detailed plan, well inside Excel's 32,767-character cell")),
    "notes": TextLimit(N_("Notes"), 20_000, True,
                       N_("room for long notes, well inside Excel's 32,767-character cell")),
    "reference": TextLimit(N_("Toolkit reference"), 40, False, N_("a section number such as 1.6")),
    "indicator_id": TextLimit(N_("Indicator id"), 40, False, N_("a short code such as PA-01")),
    "indicator_wording": TextLimit(N_("Indicator"), 2_000, True, N_("an indicator is one measurable sentence")),
    "indicator_kind": TextLimit(N_("Kind"), 20, False, N_("output or outcome")),
    "disaggregation": TextLimit(N_("Disaggregation"), 100, False, N_("a dimension such as sex or age")),
    "indicator_title": TextLimit(N_("Indicator list title"), 300, False, N_("one line naming the list")),
    "indicator_notice": TextLimit(N_("Indicator list notice"), 2_000, True,
                                  N_("a short note on where the list comes from")),
    "action_what": TextLimit(N_("Action"), 2_000, True, N_("an action is a task someone can do and tick off")),
    "action_who": TextLimit(N_("Who"), 200, False, N_("an organisation or a role, on one line")),
    "action_note": TextLimit(N_("Action note"), 5_000, True, N_("a short note on progress or a blocker")),
    "reading_source": TextLimit(N_("Source"), 300, False,
                                N_("where a value came from: a report, a database, a survey")),
    "person": TextLimit(N_("Your name"), 100, False, N_("a name or initials shown beside each change you save")),
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
    label = _(limit.label)
    if not isinstance(text, str):
        raise InvalidText(_("{field}: expected text.").format(field=label))
    cleaned = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if len(cleaned) > limit.max_chars:
        raise InvalidText(_("{field}: {length} characters is more than the {limit} allowed ({reason}). Nothing was "
                            "saved; shorten it and try again.").format(
            field=label, length=format_number(len(cleaned)), limit=format_number(limit.max_chars),
            reason=_(limit.reason)))
    bad = unwanted_character(cleaned, limit.multiline)
    if bad is not None:
        message = (_("{field}: contains a line break, which cannot be saved. Nothing was saved; remove it (retype "
                     "the text rather than paste it) and try again.") if bad == "\n" else
                   _("{field}: contains an invisible control character ({code}), which cannot be saved. Nothing "
                     "was saved; remove it (retype the text rather than paste it) and try again."))
        raise InvalidText(message.format(field=label, code=f"U+{ord(bad):04X}"))
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
        raise InvalidEdit(_("Risk numbers run from 1 to {highest}; {number} is outside that range.").format(
            highest=format_number(MAX_RISK_NUMBER), number=number))
    return number


RiskNumber = Annotated[int, AfterValidator(risk_number_in_range)]


def file_label(name: str, limit: int = 80) -> str:
    """An uploaded file's name, fit to quote in a title or a message: printable, one line, short."""
    shown = "".join(ch for ch in name if ch.isprintable() and ch not in BIDI_CONTROLS).strip()
    return (shown[: limit - 1] + "…" if len(shown) > limit else shown) or _("the file")


def unpacked_bytes(content: bytes) -> int:
    """What a zip (a workbook, a Word or PowerPoint file) unpacks to, as its directory says:
    checked before any library opens it, so a small upload cannot fill the memory.
    Raises zipfile.BadZipFile (or OSError, ValueError) for what is not a zip."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return sum(max(info.file_size, 0) for info in archive.infolist())
