"""Plotly figures built from domain objects, and selections mapped back to them.

The heat map draws each cell as a shape (colour) plus one scatter point at its
centre (words, hover, click). Plotly heatmap traces do not report single clicks
when selection is on, points do; the cell key travels in customdata.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

import plotly.graph_objects as go

from riskkit import words
from riskkit.i18n import gettext as _
from riskkit.i18n import long_date
from riskkit.models import AssessedRisk, Catalogue, Value
from riskkit.palette import GRID_LINE, colours_of
from riskkit.rules import Cell, band_of, cells

MAX_NUMBERS_IN_CELL = 14
# Family names with a digit or a blank are quoted: plotly drops an unquoted "Source Sans 3" and
# with it the whole list, and the browser then falls back to its serif font.
SCREEN_FONT = "'Source Sans 3', 'Source Sans Pro', 'Liberation Sans', Arial, sans-serif"
# Images are drawn by kaleido's Chromium, which has only the system's fonts: Liberation Sans is the
# one scripts/system-deps.sh installs (fonts-liberation), a metric twin of Arial.
IMAGE_FONT = "'Liberation Sans', Arial, sans-serif"
MAX_HOVER_LINES = 8
HOVER_STATEMENT_CHARS = 70


def cell_label(band: str, numbers: Sequence[int], limit: int = MAX_NUMBERS_IN_CELL) -> str:
    """What a cell says: its band in words, then the risk numbers in it."""
    shown = [str(n) for n in numbers[:limit]]
    if len(numbers) > limit:
        shown.append(f"+{len(numbers) - limit} more")
    lines = [", ".join(shown[i:i + 5]) for i in range(0, len(shown), 5)] or ["–"]
    return "<b>" + html.escape(words.band(band).upper(), quote=False) + "<br>" + "<br>".join(lines) + "</b>"


def hover_text(likelihood: str, impact: str, band: str, risks: Sequence[AssessedRisk]) -> str:
    """Hover label for a cell; user text is escaped so plotly shows it as text."""
    head = (f"Likelihood {words.level(likelihood)} · Impact {words.level(impact)} · "
            f"{words.band(band)} band")
    lines = [html.escape(head, quote=False)]
    for risk in risks[:MAX_HOVER_LINES]:
        statement = " ".join(risk.statement.split())
        if len(statement) > HOVER_STATEMENT_CHARS:
            statement = statement[:HOVER_STATEMENT_CHARS - 1] + "…"
        # plotly decodes &lt; &gt; &amp; but not &quot;: escape tags, keep quotes as typed
        lines.append(html.escape(f"{risk.number}. {statement}", quote=False))
    if len(risks) > MAX_HOVER_LINES:
        lines.append(f"… and {len(risks) - MAX_HOVER_LINES} more")
    if not risks:
        lines.append("No rated risk in this cell")
    return "<br>".join(lines)


def heatmap_figure(catalogue: Catalogue, risks: Iterable[AssessedRisk], *,
                   selected: Iterable[Cell] = (), compact: bool = False) -> go.Figure:
    """Likelihood (vertical, lowest at the bottom) by impact (horizontal)."""
    levels = catalogue.scale.levels
    grid = cells(catalogue, risks)
    chosen = set(selected)
    text_size = 16 if compact else 22
    axis_size = 14 if compact else 22
    xs, ys, labels, hovers, custom, text_colours = [], [], [], [], [], []
    shapes = []
    for (likelihood, impact), in_cell in grid.items():
        x, y = levels.index(impact), levels.index(likelihood)
        band = band_of(catalogue, likelihood, impact)
        fill, ink = colours_of(band, catalogue.bands.names)
        shapes.append(dict(type="rect", x0=x - 0.5, x1=x + 0.5, y0=y - 0.5, y1=y + 0.5,
                           fillcolor=fill, layer="below",
                           line=dict(color="#111111" if (likelihood, impact) in chosen else GRID_LINE,
                                     width=6 if (likelihood, impact) in chosen else 3)))
        xs.append(x)
        ys.append(y)
        labels.append(cell_label(band, [r.number for r in in_cell], 8 if compact else MAX_NUMBERS_IN_CELL))
        hovers.append(hover_text(likelihood, impact, band, in_cell))
        custom.append([likelihood, impact])
        text_colours.append(ink)
    scatter = dict(
        type="scatter", x=xs, y=ys, mode="markers+text", text=labels, customdata=custom,
        hovertext=hovers, hoverinfo="text", textfont=dict(size=text_size, color=text_colours),
        marker=dict(size=30 if compact else 60, symbol="square", color="rgba(0,0,0,0)"),
        hoverlabel=dict(font=dict(size=20, color="#111111"), align="left", bgcolor="#FFFFFF",
                        bordercolor="#111111"),
        showlegend=False, name="cells",
    )
    axis = dict(tickmode="array", tickvals=list(range(len(levels))), ticktext=[words.level(level) for level in levels],
                tickfont=dict(size=axis_size, color="#111111"), showgrid=False, zeroline=False,
                range=[-0.5, len(levels) - 0.5], fixedrange=True, automargin=True)
    layout = dict(
        shapes=shapes,
        xaxis=dict(title=dict(text="Impact →", font=dict(size=axis_size, color="#111111")), **axis),
        yaxis=dict(title=dict(text="Likelihood →", font=dict(size=axis_size, color="#111111")), **axis),
        margin=dict(l=90 if compact else 130, r=10, t=10, b=60 if compact else 100),
        height=260 if compact else 500,
        plot_bgcolor="#FFFFFF", paper_bgcolor="#FFFFFF",
        hovermode="closest", hoverdistance=-1, dragmode=False,
        uirevision="riskkit-heatmap", clickmode="event+select",
        font=dict(family=SCREEN_FONT, color="#111111"),
    )
    # Plotly's property validation costs ~13 ms a figure, most of a page rerun;
    # the spec is checked against the full validators in tests/unit/test_charts.py.
    return go.Figure(dict(data=[scatter], layout=layout), _validate=False)


def heatmap_image_figure(catalogue: Catalogue, risks: Iterable[AssessedRisk], *, assessment: str,
                         context: str = "", held_on: date | None = None) -> go.Figure:
    """The heat map as a picture to send: a title, the assessment and its date, a legend of the
    bands in words, in a font the drawing browser has. Laid out for a 960 x 540 to 1280 x 720
    canvas (riskkit.images scales it up for slides and print)."""
    fig = heatmap_figure(catalogue, risks)
    about = " · ".join(part for part in (assessment, context, long_date(held_on)) if part)
    fig.update_layout(
        font=dict(family=IMAGE_FONT, color="#111111", size=18),
        title=dict(text="<b>" + html.escape(_("Protection and assistance risks: likelihood by impact"),
                                             quote=False) + "</b>",
                   subtitle=dict(text=html.escape(about, quote=False), font=dict(size=17, color="#333333")),
                   x=0.01, xanchor="left", y=0.975, yanchor="top", font=dict(size=24)),
        margin=dict(l=150, r=40, t=96, b=124), height=None,
        showlegend=True,
        legend=dict(orientation="h", x=0.5, xanchor="center", y=-0.2, yanchor="top", font=dict(size=17),
                    title=dict(text=html.escape(_("Band:"), quote=False), font=dict(size=17)),
                    itemclick=False, itemdoubleclick=False),
    )
    fig.update_traces(textfont_size=20, selector=dict(name="cells"))
    fig.update_xaxes(tickfont_size=18, title_font_size=18, title_standoff=12)
    fig.update_yaxes(tickfont_size=18, title_font_size=18, title_standoff=18)
    for band in catalogue.bands.names:  # legend entries only: a square of the band's colour and its word
        fill, _ink = colours_of(band, catalogue.bands.names)
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=html.escape(words.band(band), quote=False),
                                 marker=dict(symbol="square", size=20, color=fill, line=dict(color="#111111", width=1)),
                                 hoverinfo="skip", showlegend=True))
    fig.add_annotation(text=html.escape(_("Numbers are the risks' numbers in the register."), quote=False),
                       xref="paper", yref="paper", x=1, xanchor="right", y=-0.2, yanchor="top", showarrow=False,
                       font=dict(size=15, color="#333333"))
    return fig


def cells_from_selection(selection: Mapping[str, Any] | None, levels: Sequence[str]) -> tuple[Cell, ...]:
    """The cells a plotly selection event names (points carry [likelihood, impact])."""
    if not selection:
        return ()
    found: list[Cell] = []
    for point in selection.get("points", ()) or ():
        data = point.get("customdata") if isinstance(point, Mapping) else None
        if (isinstance(data, Sequence) and len(data) == 2 and data[0] in levels and data[1] in levels
                and (data[0], data[1]) not in found):
            found.append((data[0], data[1]))
    return tuple(found)


class HeatmapRow(Value):
    """One cell of the heat map as a row of its text alternative: what a screen reader reads
    instead of the picture (the band in words, and every risk with its statement)."""

    likelihood: str
    impact: str
    band: str
    risks: tuple[str, ...]  # "1. <statement>", in register order; empty for an empty cell


def heatmap_table(catalogue: Catalogue, risks: Iterable[AssessedRisk]) -> tuple[HeatmapRow, ...]:
    """Every cell of the heat map, in the order the map is read: the top row (the highest
    likelihood) first, each row from the lowest impact to the highest."""
    levels = catalogue.scale.levels
    grid = cells(catalogue, risks)
    return tuple(
        HeatmapRow(likelihood=likelihood, impact=impact, band=band_of(catalogue, likelihood, impact),
                   risks=tuple(f"{r.number}. {' '.join(r.statement.split())}" for r in grid[(likelihood, impact)]))
        for likelihood in reversed(levels) for impact in levels)
