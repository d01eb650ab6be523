"""How a level or a band reads and looks on screen: the one place pages get the words
and colours for them, so changing the words (a message catalogue, a translation) or the
colours changes every page at once."""

from __future__ import annotations

from riskkit import words
from riskkit.models import Catalogue
from riskkit.palette import UNRATED_COLOURS, colours_of

NONE = "–"  # an unrated level or band


def level_word(level: str | None) -> str:
    """A level's word for a person ('High'), or a dash when there is none."""
    return words.level(level) if level else NONE


def band_word(band: str | None) -> str:
    """A band's word for a person, upper case as on the heat map ('HIGH'), or a dash."""
    return words.band(band).upper() if band else NONE


def band_colours(catalogue: Catalogue, band: str | None) -> tuple[str, str]:
    """Fill and text colour of a band from riskkit's one palette (grey when unrated)."""
    return colours_of(band, catalogue.bands.names) if band else UNRATED_COLOURS


def band_css(catalogue: Catalogue, band: str | None) -> str:
    """Inline CSS for something that shows a band: its colours, and weight for the word."""
    fill, text = band_colours(catalogue, band)
    return f"background-color: {fill}; color: {text}; font-weight: 600"


def band_badge_styles(catalogue: Catalogue) -> str:
    """A style sheet giving each band badge (`ui.widgets.band_badge`) its band's colours.
    Built only from the catalogue's band ids and our palette, never from user text."""
    rules = []
    for band in (*catalogue.bands.names, None):
        fill, text = band_colours(catalogue, band)
        rules.append(f'[class*="st-key-bandis-{band or "none"}-"] {{ background-color: {fill}; '
                     f"border-radius: .4rem; padding: .15rem .6rem; width: fit-content; }}\n"
                     f'[class*="st-key-bandis-{band or "none"}-"] * {{ color: {text} !important; }}')
    return "<style>\n" + "\n".join(rules) + "\n</style>"
