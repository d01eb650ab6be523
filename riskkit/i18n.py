"""Every word a person reads comes from one message catalogue: gettext, kept with Babel.

The English words in the source are the message ids. Translations are Babel `.po`
files under riskkit/locale/<locale>/LC_MESSAGES/riskkit.po, read at first use (no
compiled files in git). `riskkit/locale/riskkit.pot` lists every message; a test
fails when it is out of date (docs/messages.md says how to refresh it).

The locale is per run, not per process: a contextvar, so two people in two
languages on one server never see each other's words.
"""

from __future__ import annotations

import gettext as _gettext
import io
import os
import re
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from functools import lru_cache
from importlib.resources import files
from importlib.resources.abc import Traversable

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as _babel_date
from babel.dates import format_datetime as _babel_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

DOMAIN = "riskkit"
SOURCE_LOCALE = "en"
# The languages riskkit offers, each named in its own language (how a reader finds theirs in a
# list). Ids are ISO 639-1 codes: they travel in the address (?lang=fr) and in stored kinds.
LANGUAGES: dict[str, str] = {"en": "English", "fr": "Français", "es": "Español"}
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8})*")
_current: ContextVar[str | None] = ContextVar("riskkit.locale", default=None)
# Where a run that set no locale finds one (ui.language registers the session's choice):
# Streamlit starts a widget's callback and a fragment's rerun on a fresh thread, before the
# entry file could set the locale. Returns None outside a session (an HTTP route, the CLI).
_fallback: Callable[[], str | None] | None = None


def locale_dir() -> Traversable:
    return files("riskkit") / "locale"


def _po_file(locale: str, where: Traversable | None = None) -> Traversable:
    return (where or locale_dir()) / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def available_locales(where: Traversable | None = None) -> tuple[str, ...]:
    """English, then every locale with a catalogue, in name order (read once per folder:
    an import asks for every cell)."""
    base = where or locale_dir()
    known = _LOCALES.get(str(base))
    if known is None:
        known = _LOCALES[str(base)] = _read_locales(base)
    return known


_LOCALES: dict[str, tuple[str, ...]] = {}  # folder -> its locales


def _read_locales(base: Traversable) -> tuple[str, ...]:
    found = sorted(entry.name for entry in base.iterdir()
                   if entry.is_dir() and _po_file(entry.name, base).is_file()) if base.is_dir() else []
    return (SOURCE_LOCALE, *(name for name in found if name != SOURCE_LOCALE))


@lru_cache(maxsize=16)
def translations(locale: str, where: Traversable | None = None) -> _gettext.NullTranslations:
    """A locale's messages; English (and any locale without a catalogue) gives the ids back."""
    po = _po_file(locale, where)
    if locale == SOURCE_LOCALE or not po.is_file():
        return _gettext.NullTranslations()
    with po.open("rb") as source:
        catalog = read_po(source, locale=locale, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return _gettext.GNUTranslations(compiled)


def current_locale() -> str:
    locale = _current.get()
    if locale is None:
        found = _fallback() if _fallback is not None else None
        if found is None:
            return SOURCE_LOCALE
        set_locale(found)  # once per run: the next word is read from the contextvar
        return current_locale()
    return locale


def use_fallback(provider: Callable[[], str | None] | None) -> None:
    """Where a run with no locale of its own finds one (see _fallback)."""
    global _fallback
    _fallback = provider


def set_locale(locale: str) -> None:
    """The locale of this run (a page run, a CLI call); unknown locales fall back to English."""
    _current.set(locale if locale in LANGUAGES or locale in available_locales() else SOURCE_LOCALE)


def language_of(tag: str | None) -> str | None:
    """The language riskkit offers for a browser's locale ('fr-FR', 'es_419', 'FR'), or None.
    Anything that is not a language tag (too long, odd characters) is None, never an error."""
    if not tag or len(tag) > 35 or not _LANGUAGE_TAG.fullmatch(tag.strip()):
        return None
    primary = re.split(r"[-_]", tag.strip(), maxsplit=1)[0].lower()
    return primary if primary in LANGUAGES else None


def pick_language(asked: str | None, remembered: str | None = None, browser: str | None = None) -> str:
    """The language of a run: the address's ?lang= if riskkit offers it, else the one this
    session chose before, else the browser's, else English. A made-up value is passed over."""
    for candidate in (asked, remembered):
        if candidate in LANGUAGES:
            return candidate
    return language_of(browser) or SOURCE_LOCALE


def accepted_language(header: str | None) -> str:
    """The language for an HTTP Accept-Language header ('fr-CA,fr;q=0.9,en;q=0.8'): the
    preferred one riskkit offers, else English. Weights are honoured; a garbled header is English."""
    choices: list[tuple[float, int, str]] = []
    for position, part in enumerate((header or "")[:500].split(",")[:30]):
        tag, _sep, params = part.strip().partition(";")
        weight = 1.0
        match = re.fullmatch(r"\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*", params) if params else None
        if params and match is None:
            continue
        if match is not None:
            weight = float(match.group(1))
        language = language_of(tag)
        if language is not None and weight > 0:
            choices.append((-weight, position, language))
    return min(choices)[2] if choices else SOURCE_LOCALE


def terminal_language() -> str:
    """The language of the terminal a command runs in (LC_ALL, LC_MESSAGES, LANG: 'fr_FR.UTF-8'),
    else English. Only for what the command itself says: each app session picks its own, and a
    file it writes is in its assessment's language."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        found = language_of(os.environ.get(name, "").partition(".")[0].partition("@")[0])
        if found:
            return found
    return SOURCE_LOCALE


@contextmanager
def using(locale: str) -> Iterator[None]:
    token = _current.set(locale)
    try:
        yield
    finally:
        _current.reset(token)


def _babel_locale() -> Locale:
    try:
        return Locale.parse(current_locale())
    except (UnknownLocaleError, ValueError):  # a test's made-up language: English conventions
        return Locale.parse(SOURCE_LOCALE)


def long_date(day: date | None, pattern: str = "long") -> str:
    """A date written out in the reader's language (Babel's pattern names or a CLDR pattern);
    blank when there is none."""
    return _babel_date(day, format=pattern, locale=_babel_locale()) if day is not None else ""


def format_date(day: date | None, pattern: str = "medium") -> str:
    """A date as the reader's locale writes it ('3 mars 2025', '3 mar 2025'); blank for none."""
    return long_date(day, pattern)


def format_datetime(moment: datetime | None, pattern: str = "medium") -> str:
    """A date and time as the reader's locale writes it, in the moment's own time zone."""
    if moment is None:
        return ""
    return _babel_datetime(moment, format=pattern, tzinfo=moment.tzinfo, locale=_babel_locale())


def format_number(number: float | int, digits: int | None = None) -> str:
    """A number with the reader's separators ('1,234.5', '1 234,5', '1234,5'); `digits` fixes
    how many decimals are shown."""
    # up to six decimals unless told: a measured 0.0004 or 1,234.5678 keeps its digits (Babel's
    # own default keeps three), and a float's binary noise (0.30000000000000004) does not show
    pattern = "#,##0.######" if digits is None else "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return format_decimal(number, format=pattern, locale=_babel_locale())


def sort_key(name: str) -> tuple[str, str]:
    """Orders names as a reader of the current language expects: accents and case do not
    count ('Élodie' between 'Eduardo' and 'Emma'), and in Spanish 'ñ' comes after 'n'. The
    second part keeps the order stable between names that differ only in accents or case."""
    text = unicodedata.normalize("NFC", name).casefold()
    if current_locale() == "es":
        text = text.replace("ñ", "n\U0010ffff")
    base = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return base, text


def gettext(message: str) -> str:
    return translations(current_locale()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current_locale()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return translations(current_locale()).pgettext(context, message)


_ = gettext


def N_(message: str) -> str:
    """Marks a word for the catalogue where it is defined; it is translated where it is shown."""
    return message


def NP_(context: str, message: str) -> tuple[str, str]:
    """Like N_, with a context: 'High' as a level and 'High' as a band may differ in French."""
    return context, message
