"""Heat map: likelihood by impact, now, as expected once the strategies are in place, or both
with an arrow from one to the other; choose a cell to list its risks and strategies."""

import functools
from collections.abc import Sequence

import pandas as pd
import streamlit as st

from riskkit import words
from riskkit.charts import (
    arrows_figure,
    cell_in_words,
    cells_from_selection,
    current_to_residual,
    heatmap_figure,
    heatmap_table,
    movement,
    residual_risks,
)
from riskkit.compare import Move
from riskkit.i18n import N_, ngettext
from riskkit.i18n import gettext as _
from riskkit.models import AssessedRisk
from riskkit.rules import Cell, band_of, cells, risks_in_cells
from riskkit.rules import register as register_of
from ui import state
from ui.text import md_literal
from ui.widgets import refusable, show_notice

CHART_KEY = "heatmap.chart"
RESIDUAL_CHART_KEY = "heatmap.residual_chart"
ARROWS_CHART_KEY = "heatmap.arrows_chart"
PICKER_KEY = "heatmap.cell"
TABLE_KEY = "heatmap.as_table"
VIEW_KEY = "heatmap.view"
LAST_VIEW_KEY = "heatmap.view_last"  # the view shown when the control is clicked off
VIEWS = {"current": N_("Current"), "residual": N_("Residual"), "arrows": N_("Current → residual")}

cat = state.catalogue()
levels = cat.scale.levels


def _chart_selected(key: str) -> None:
    chosen = cells_from_selection(st.session_state[key].get("selection"), levels)
    state.select_cells(chosen)


@refusable
def _picker_changed() -> None:
    value = st.session_state[PICKER_KEY]
    state.select_cells((value,) if value else ())


@refusable
def _view_changed() -> None:
    """A second click on the chosen view clears the control: keep showing that view."""
    chosen = st.session_state[VIEW_KEY]
    if chosen in VIEWS:
        st.session_state[LAST_VIEW_KEY] = chosen
    else:
        st.session_state[VIEW_KEY] = st.session_state.get(LAST_VIEW_KEY, "current")


def _cell_name(cell: Cell) -> str:
    likelihood, impact = cell
    return _("Likelihood {likelihood} · Impact {impact} ({band})").format(
        likelihood=words.level(likelihood), impact=words.level(impact),
        band=words.band(band_of(cat, likelihood, impact)))


@st.fragment
def heatmap_region() -> None:
    show_notice()  # a selection that could not be taken says so here
    rows = register_of(cat, state.assessment())
    if st.session_state.get(VIEW_KEY) not in VIEWS:
        st.session_state[VIEW_KEY] = st.session_state.get(LAST_VIEW_KEY, "current")
    view = st.segmented_control(_("View"), list(VIEWS), key=VIEW_KEY, on_change=_view_changed,
                                format_func=lambda v: _(VIEWS[v]), label_visibility="collapsed")
    if view == "arrows":
        _arrows_view(rows)
    elif view == "residual":
        _map_view(residual_risks(rows), RESIDUAL_CHART_KEY,
                  _("{unrated} of {total} risks have no residual rating yet and are not on this map."))
    else:
        _map_view(rows, CHART_KEY, _("{unrated} of {total} risks are not rated yet and are not on the map."))


def _map_view(rows: tuple[AssessedRisk, ...], chart_key: str, unrated_words: str) -> None:
    chosen = state.selected_cells()
    chart, listing = st.columns([5, 3])  # the chosen cell's risks beside the map: on screen at 1280x720
    chart.plotly_chart(heatmap_figure(cat, rows, selected=chosen), key=chart_key, theme=None,
                       on_select=refusable(functools.partial(_chart_selected, chart_key)),
                       selection_mode="points",
                       config={"displayModeBar": False, "scrollZoom": False})
    unrated = sum(not r.rated for r in rows)
    if unrated:
        chart.caption(md_literal(unrated_words.format(unrated=unrated, total=len(rows))))

    grid = cells(cat, rows)
    options = [cell for cell in grid if grid[cell]] or list(grid)
    state.seed(PICKER_KEY, chosen[0] if len(chosen) == 1 and chosen[0] in options else None)
    chart.selectbox(md_literal(_("Or choose a cell")), options, key=PICKER_KEY, on_change=_picker_changed,
                    index=None, format_func=lambda c: ngettext(
                        "{cell}: {count} risk", "{cell}: {count} risks", len(grid[c])).format(
                        cell=_cell_name(c), count=len(grid[c])),
                    placeholder=md_literal(_("Choose a cell to list its risks")))
    with chart.expander(md_literal(_("The heat map as a table")), key=TABLE_KEY, icon=":material/table_rows:"):
        _as_table(rows)
    with listing.container(height=560, border=False):
        if chosen:
            _cell_listing(chosen, rows)
        else:
            st.info(md_literal(_("Click a cell of the map, or choose one under it, to list its risks and their "
                                 "mitigation strategies here.")), icon=":material/touch_app:")


def _as_table(rows: tuple[AssessedRisk, ...]) -> None:
    """The map's text alternative: a real <table> (st.table) that a screen reader reads cell
    by cell; st.table renders Markdown in cells, so every cell is escaped."""
    table = pd.DataFrame([{_("Likelihood"): words.level(row.likelihood), _("Impact"): words.level(row.impact),
                           _("Band"): words.band(row.band),
                           _("Risks in this cell"): "\n".join(row.risks) or _("None")}
                          for row in heatmap_table(cat, rows)])
    st.table(table.map(md_literal), hide_index=True,
             alt=_("Each cell of the heat map: its likelihood, impact, band and the risks in it"))


def _cell_listing(chosen: Sequence[Cell], rows: tuple[AssessedRisk, ...]) -> None:
    for cell in chosen:
        in_cell = risks_in_cells(cat, rows, [cell])
        st.subheader(md_literal(_cell_name(cell)))
        if not in_cell:
            st.caption(md_literal(_("No rated risk in this cell.")))
        for risk in in_cell:
            with st.container(border=True):
                st.markdown("**" + md_literal(_("Risk {number}").format(number=risk.number)) + "**"
                            + (md_literal(" · " + _("your own")) if risk.own else ""))
                st.text(risk.statement)
                st.markdown("**" + md_literal(_("Risk mitigation strategy")) + "**")
                st.text(risk.strategy or _("None written yet."))
                st.page_link("pages/assess.py", label=md_literal(_("Open risk {number} in Assess").format(
                    number=risk.number)), query_params={"risk": str(risk.number)})


def _numbers(numbers: Sequence[int]) -> str:
    return ", ".join(str(n) for n in numbers)


def _arrows_view(rows: tuple[AssessedRisk, ...]) -> None:
    moves = current_to_residual(rows)
    moved = movement(moves)
    chart, listing = st.columns([5, 3])
    if moved.arrows:
        chart.plotly_chart(arrows_figure(cat, moved.arrows, start_name=_("Current"), end_name=_("Residual")),
                           key=ARROWS_CHART_KEY, theme=None,
                           config={"displayModeBar": False, "scrollZoom": False})
    else:
        chart.info(md_literal(_("No risk is expected to move yet: give risks a residual likelihood and impact "
                                "(expected once the strategy is in place) on Assess.")), icon=":material/info:")
    with chart.expander(md_literal(_("The heat map as a table")), key=TABLE_KEY, icon=":material/table_rows:"):
        _moves_table(moves)
    with listing.container(key="heatmap-arrows-words"):
        st.markdown("**" + md_literal(_("Each arrow runs from a risk's current cell (white circle) to its "
                                        "residual cell (black square).")) + "**")
        if moved.arrows:
            st.text(_("{numbers}: expected to move").format(numbers=_numbers([a.number for a in moved.arrows])))
        if moved.unchanged:
            st.text(_("{numbers}: no change expected").format(numbers=_numbers(moved.unchanged)))
        if moved.start_only:
            st.text(_("{numbers}: no residual rating yet").format(numbers=_numbers(moved.start_only)))
        if moved.end_only:
            st.text(_("{numbers}: a residual rating but no current rating").format(
                numbers=_numbers(moved.end_only)))
        unrated = len(rows) - len(moves)
        if unrated:
            st.caption(md_literal(_("{unrated} of {total} risks are rated neither way yet.").format(
                unrated=unrated, total=len(rows))))


def _moves_table(moves: Sequence[Move]) -> None:
    """The arrows as rows: each risk, where it is and where it is expected to be."""
    if not moves:
        st.caption(md_literal(_("No risk is rated yet.")))
        return
    table = pd.DataFrame([{_("Risk"): f"{m.number}. {' '.join(m.statement.split())}",
                           _("Current"): cell_in_words(cat, m.before), _("Residual"): cell_in_words(cat, m.after),
                           _("Change"): _change_words(m)} for m in moves])
    st.table(table.map(md_literal), hide_index=True,
             alt=_("Each risk with its current and its residual rating"))


def _change_words(move: Move) -> str:
    if move.before is None:
        return _("no current rating")
    if move.after is None:
        return _("no residual rating yet")
    return _("no change expected") if move.before == move.after else _("expected to move")


st.title(md_literal(_("Heat map")))
heatmap_region()
st.caption(md_literal(_("Likelihood (vertical, Low at the bottom) by impact (horizontal). Current: the risks as "
                        "rated now; Residual: as expected once their strategies are in place. Each cell shows its "
                        "band in words and the numbers of the risks in it. Click a cell, or choose one under the "
                        "map, to list its risks with their strategies.")))
