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
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from functools import lru_cache
from importlib.resources import files
from importlib.resources.abc import Traversable

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

DOMAIN = "riskkit"
SOURCE_LOCALE = "en"
_current: ContextVar[str] = ContextVar("riskkit.locale", default=SOURCE_LOCALE)


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
    return _current.get()


def set_locale(locale: str) -> None:
    """The locale of this run (a page run, a CLI call); unknown locales fall back to English."""
    _current.set(locale if locale in available_locales() else SOURCE_LOCALE)


@contextmanager
def using(locale: str) -> Iterator[None]:
    token = _current.set(locale)
    try:
        yield
    finally:
        _current.reset(token)


def long_date(day: date | None, pattern: str = "long") -> str:
    """A date written out in the reader's language (Babel's pattern names or a CLDR pattern);
    blank when there is none."""
    return format_date(day, format=pattern, locale=_current.get()) if day is not None else ""


def gettext(message: str) -> str:
    return translations(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(_current.get()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return translations(_current.get()).pgettext(context, message)


_ = gettext


def N_(message: str) -> str:
    """Marks a word for the catalogue where it is defined; it is translated where it is shown."""
    return message


def NP_(context: str, message: str) -> tuple[str, str]:
    """Like N_, with a context: 'High' as a level and 'High' as a band may differ in French."""
    return context, message
