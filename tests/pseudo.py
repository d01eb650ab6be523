"""A made-up language built from riskkit/locale/riskkit.pot at test time, each message marked
so that a word shown in it is told apart from a word that never went through the catalogue."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from babel.messages.pofile import read_po, write_po

POT = Path(__file__).resolve().parents[1] / "riskkit" / "locale" / "riskkit.pot"


def write_pseudo_locale(root: Path, code: str, mark: Callable[[str], str]) -> Path:
    """root/<code>/LC_MESSAGES/riskkit.po with every message (each plural form too) as mark(message);
    returns root, to stand in for riskkit.i18n.locale_dir()."""
    with POT.open("rb") as source:
        catalog = read_po(source, locale="en")
    for message in catalog:
        if message.id:
            message.string = (tuple(mark(part) for part in message.id) if isinstance(message.id, tuple)
                              else mark(message.id))
    folder = root / code / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "riskkit.po").open("wb") as out:
        write_po(out, catalog)
    return root
