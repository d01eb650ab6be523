"""The one palette for severity bands: colour-blind-safe fills, each with the text
colour that reads on it at a contrast of at least 4.5:1 (WCAG AA).

Blue / pale yellow / dark red (after ColorBrewer's RdYlBu) stay apart for the
common colour-vision deficiencies because they also differ in lightness; cells
carry the band's name in words as well, so colour is never the only signal.
"""

from __future__ import annotations

# lowest band first; (fill, text)
BAND_COLOURS: tuple[tuple[str, str], ...] = (
    ("#ABD9E9", "#111111"),
    ("#FEE090", "#111111"),
    ("#A50026", "#FFFFFF"),
)
UNRATED_COLOURS = ("#EEEEEE", "#111111")
GRID_LINE = "#FFFFFF"


def colours_of(band: str, band_names: tuple[str, ...]) -> tuple[str, str]:
    """Fill and text colour of a band, by its rank among the catalogue's band names."""
    rank = band_names.index(band)
    scaled = round(rank * (len(BAND_COLOURS) - 1) / max(len(band_names) - 1, 1))
    return BAND_COLOURS[scaled]


def relative_luminance(hex_colour: str) -> float:
    channels = [int(hex_colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(a: str, b: str) -> float:
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)
