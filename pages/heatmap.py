"""Heat map: likelihood by impact; choose a cell to list its risks and strategies."""

import pandas as pd
import streamlit as st

from riskkit import words
from riskkit.charts import cells_from_selection, heatmap_figure, heatmap_table
from riskkit.models import AssessedRisk
from riskkit.rules import band_of, cells, register, risks_in_cells
from ui import state
from ui.text import md_literal
from ui.widgets import refusable, show_notice

CHART_KEY = "heatmap.chart"
PICKER_KEY = "heatmap.cell"
TABLE_KEY = "heatmap.as_table"

cat = state.catalogue()
levels = cat.scale.levels


@refusable
def _chart_selected() -> None:
    chosen = cells_from_selection(st.session_state[CHART_KEY].get("selection"), levels)
    state.select_cells(chosen)


@refusable
def _picker_changed() -> None:
    value = st.session_state[PICKER_KEY]
    state.select_cells((value,) if value else ())


def _cell_name(cell: tuple[str, str]) -> str:
    likelihood, impact = cell
    return (f"Likelihood {words.level(likelihood)} · Impact {words.level(impact)} "
            f"({words.band(band_of(cat, likelihood, impact))})")


@st.fragment
def heatmap_region() -> None:
    show_notice()  # a selection that could not be taken says so here
    rows = register(cat, state.assessment())
    chosen = state.selected_cells()
    chart, listing = st.columns([5, 3])  # the chosen cell's risks beside the map: on screen at 1280x720
    chart.plotly_chart(heatmap_figure(cat, rows, selected=chosen), key=CHART_KEY, theme=None,
                       on_select=_chart_selected, selection_mode="points",
                       config={"displayModeBar": False, "scrollZoom": False})
    unrated = sum(not r.rated for r in rows)
    if unrated:
        chart.caption(md_literal(f"{unrated} of {len(rows)} risks are not rated yet and are not on the map."))

    grid = cells(cat, rows)
    options = [cell for cell in grid if grid[cell]] or list(grid)
    state.seed(PICKER_KEY, chosen[0] if len(chosen) == 1 and chosen[0] in options else None)
    chart.selectbox("Or choose a cell", options, key=PICKER_KEY, on_change=_picker_changed, index=None,
                    format_func=lambda c: f"{_cell_name(c)}: {len(grid[c])} risk(s)",
                    placeholder="Choose a cell to list its risks")
    with chart.expander("The heat map as a table", key=TABLE_KEY, icon=":material/table_rows:"):
        _as_table(rows)
    with listing.container(height=560, border=False):
        if chosen:
            _cell_listing(chosen, rows)
        else:
            st.info("Click a cell of the map, or choose one under it, to list its risks and their "
                    "mitigation strategies here.", icon=":material/touch_app:")


def _as_table(rows: tuple[AssessedRisk, ...]) -> None:
    """The map's text alternative: a real <table> (st.table) that a screen reader reads cell
    by cell; st.table renders Markdown in cells, so every cell is escaped."""
    table = pd.DataFrame([{"Likelihood": words.level(row.likelihood), "Impact": words.level(row.impact),
                           "Band": words.band(row.band),
                           "Risks in this cell": "\n".join(row.risks) or "None"}
                          for row in heatmap_table(cat, rows)])
    st.table(table.map(md_literal), hide_index=True,
             alt="Each cell of the heat map: its likelihood, impact, band and the risks in it")


def _cell_listing(chosen, rows) -> None:
    for cell in chosen:
        in_cell = risks_in_cells(cat, rows, [cell])
        st.subheader(md_literal(_cell_name(cell)))
        if not in_cell:
            st.caption("No rated risk in this cell.")
        for risk in in_cell:
            with st.container(border=True):
                st.markdown("**" + md_literal(f"Risk {risk.number}") + "**" + (" · your own" if risk.own else ""))
                st.text(risk.statement)
                st.markdown("**Risk mitigation strategy**")
                st.text(risk.strategy or "None written yet.")
                st.page_link("pages/assess.py", label=md_literal(f"Open risk {risk.number} in Assess"),
                             query_params={"risk": str(risk.number)})


st.title("Heat map")
heatmap_region()
st.caption("Likelihood (vertical, Low at the bottom) by impact (horizontal). Each cell shows its band "
           "in words and the numbers of the risks in it. Click a cell, or choose one under the map, "
           "to list its risks with their strategies.")
