"""The register table Assess shows (ui.register) and the words and colours of levels and
bands (ui.levels): pure functions, tested without a page."""

from __future__ import annotations

import pytest

from riskkit.palette import BAND_COLOURS, UNRATED_COLOURS
from riskkit.rules import register
from tests.pages.conftest import seen
from ui.levels import band_badge_styles, band_word, level_word
from ui.register import COLUMNS, register_frame, register_table
from ui.text import shorten


def test_every_risk_is_a_row_with_its_full_statement_levels_band_and_strategy(catalogue, blank):
    assessment = blank.rate(catalogue, 2, likelihood="High", impact="Medium").write_strategy(
        catalogue, 2, "Map the referral services, county by county")
    frame = register_frame(catalogue, register(catalogue, assessment))
    assert tuple(frame.columns) == COLUMNS and len(frame) == 12
    row = frame.iloc[1]
    assert seen(row["Identified risk"]) == catalogue.risk(2).statement
    assert (row["Likelihood"], row["Impact"], row["Band"]) == ("High", "Medium", "HIGH")
    assert seen(row["Risk mitigation strategy"]) == "Map the referral services, county by county"
    assert tuple(frame.iloc[0][["Likelihood", "Impact", "Band", "Risk mitigation strategy"]]) == ("–",) * 4


def test_each_band_cell_has_its_palette_colours_and_unrated_is_grey(catalogue, blank):
    assessment = blank.rate(catalogue, 1, likelihood="High", impact="High").rate(
        catalogue, 3, likelihood="Low", impact="Low")
    styler = register_table(catalogue, register(catalogue, assessment))
    styler._compute()
    band = list(styler.data.columns).index("Band")
    fills = {row: dict(css)["background-color"] for (row, column), css in styler.ctx.items() if column == band}
    assert fills[0] == BAND_COLOURS[-1][0] and fills[2] == BAND_COLOURS[0][0] and fills[1] == UNRATED_COLOURS[0]
    assert all(column == band for _row, column in styler.ctx)  # only the band is coloured


@pytest.mark.parametrize("text", ["<b>x</b>", "[a](http://x)", "**bold**", "<script>alert(1)</script>"])
def test_user_text_in_the_table_is_escaped_for_st_table(catalogue, blank, text):
    assessment, number = blank.add_own_risk(catalogue, text)
    assessment = assessment.write_strategy(catalogue, number, text)
    frame = register_frame(catalogue, register(catalogue, assessment))
    cells = frame.iloc[-1]
    for cell in (cells["Identified risk"], cells["Risk mitigation strategy"]):
        assert all(ch not in cell.replace("\\" + ch, "") for ch in "<>[]*()")  # every mark escaped
        assert seen(cell).replace("\u200b", "").startswith(text)


def test_levels_and_bands_read_as_words_and_a_dash_when_missing(catalogue):
    assert [level_word(level) for level in catalogue.scale.levels] == ["Low", "Medium", "High"]
    assert level_word(None) == "–" and band_word(None) == "–"
    assert [band_word(band) for band in catalogue.bands.names] == ["LOW", "MEDIUM", "HIGH"]


def test_the_badge_styles_come_from_the_palette_only(catalogue):
    css = band_badge_styles(catalogue)
    assert all(fill in css for fill, _text in BAND_COLOURS) and UNRATED_COLOURS[0] in css
    assert css.count("st-key-bandis-") == 2 * (len(catalogue.bands.names) + 1)


@pytest.mark.parametrize("text, limit, expected", [
    ("Victims of trafficking are not identified", 20, "Victims of…"),
    ("Victims of trafficking", 11, "Victims of…"),
    ("Short", 20, "Short"),
    ("Supercalifragilistic words", 8, "Superca…"),  # one word longer than the limit: cut inside it
])
def test_shorten_cuts_between_words(text, limit, expected):
    assert shorten(text, limit) == expected and len(shorten(text, limit)) <= limit
