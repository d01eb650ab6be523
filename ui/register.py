"""The register as one table a person reads (and a screen reader reads as a table): full
statements and strategies that wrap, each band in words and in its palette colour.

st.table renders Markdown in its cells, so every cell is escaped with md_literal: a user's
`<b>x</b>` or `[a](http://x)` shows as those characters.
"""

from __future__ import annotations

import pandas as pd
from pandas.io.formats.style import Styler

from riskkit.i18n import N_
from riskkit.i18n import gettext as _
from riskkit.models import AssessedRisk, Catalogue
from riskkit.rules import band_of
from ui.levels import NONE, band_css, band_word, level_word
from ui.text import md_literal

# The headers, in the reader's language where the table is built.
COLUMNS = (N_("No."), N_("Identified risk"), N_("Likelihood"), N_("Impact"), N_("Band"), N_("Risk mitigation strategy"))
BAND = COLUMNS.index("Band")


def band_id(catalogue: Catalogue, risk: AssessedRisk) -> str | None:
    return band_of(catalogue, risk.likelihood, risk.impact) if risk.likelihood and risk.impact else None


def register_frame(catalogue: Catalogue, rows: tuple[AssessedRisk, ...]) -> pd.DataFrame:
    """Every risk as a row, in the words a person reads, each cell escaped for st.table."""
    cells = [(str(r.number), _("{statement} (your own)").format(statement=r.statement) if r.own else r.statement,
              level_word(r.likelihood),
              level_word(r.impact), band_word(band_id(catalogue, r)), r.strategy.strip() or NONE) for r in rows]
    return pd.DataFrame([[md_literal(cell) for cell in row] for row in cells], columns=[_(c) for c in COLUMNS])


def register_table(catalogue: Catalogue, rows: tuple[AssessedRisk, ...]) -> Styler:
    """The register with each Band cell in its band's colours (words in every cell)."""
    bands = [band_id(catalogue, r) for r in rows]
    frame = register_frame(catalogue, rows)

    def colour(column: pd.Series) -> list[str]:
        return [band_css(catalogue, band) for band in bands]

    return frame.style.apply(colour, subset=[frame.columns[BAND]]).hide(axis="index")
