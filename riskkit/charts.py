"""Plotly figures built from domain objects, and selections mapped back to them.

The heat map draws each cell as a shape (colour) plus one scatter point at its
centre (words, hover, click). Plotly heatmap traces do not report single clicks
when selection is on, points do; the cell key travels in customdata.
"""

from __future__ import annotations

import html
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any

import plotly.graph_objects as go

from riskkit import words
from riskkit.compare import Move
from riskkit.i18n import format_number, long_date, ngettext
from riskkit.i18n import gettext as _
from riskkit.models import AssessedRisk, Catalogue, Reading, Track, Value, validated
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


def cell_label(band: str, numbers: Sequence[int], limit: int = MAX_NUMBERS_IN_CELL, per_line: int = 5,
               short: bool = False) -> str:
    """What a cell says: its band in words, then the risk numbers in it, `per_line` to a line;
    `short` says how many more there are as '+2' (a small cell), else '+2 more'."""
    shown = [str(n) for n in numbers[:limit]]
    if len(numbers) > limit:
        more = len(numbers) - limit
        shown.append(f"+{more}" if short else ngettext("+{count} more", "+{count} more", more).format(count=more))
    lines = [", ".join(shown[i:i + per_line]) for i in range(0, len(shown), per_line)] or ["–"]
    return "<b>" + html.escape(words.band(band).upper(), quote=False) + "<br>" + "<br>".join(lines) + "</b>"


def hover_text(likelihood: str, impact: str, band: str, risks: Sequence[AssessedRisk]) -> str:
    """Hover label for a cell; user text is escaped so plotly shows it as text."""
    head = _("Likelihood {likelihood} · Impact {impact} · {band} band").format(
        likelihood=words.level(likelihood), impact=words.level(impact), band=words.band(band))
    lines = [html.escape(head, quote=False)]
    for risk in risks[:MAX_HOVER_LINES]:
        statement = " ".join(risk.statement.split())
        if len(statement) > HOVER_STATEMENT_CHARS:
            statement = statement[:HOVER_STATEMENT_CHARS - 1] + "…"
        # plotly decodes &lt; &gt; &amp; but not &quot;: escape tags, keep quotes as typed
        lines.append(html.escape(f"{risk.number}. {statement}", quote=False))
    if len(risks) > MAX_HOVER_LINES:
        lines.append(html.escape(ngettext(
            "… and {count} more", "… and {count} more", len(risks) - MAX_HOVER_LINES).format(
            count=len(risks) - MAX_HOVER_LINES), quote=False))
    if not risks:
        lines.append(html.escape(_("No rated risk in this cell"), quote=False))
    return "<br>".join(lines)


def heatmap_figure(catalogue: Catalogue, risks: Iterable[AssessedRisk], *,
                   selected: Iterable[Cell] = (), compact: bool = False) -> go.Figure:
    """Likelihood (vertical, lowest at the bottom) by impact (horizontal)."""
    levels = catalogue.scale.levels
    grid = cells(catalogue, risks)
    chosen = set(selected)
    text_size = 13 if compact else 22
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
        # the compact map's cells are about 65 px wide: three numbers to a line, two lines at most
        labels.append(cell_label(band, [r.number for r in in_cell], 5, per_line=3, short=True) if compact
                      else cell_label(band, [r.number for r in in_cell]))
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
        xaxis=dict(title=dict(text=html.escape(_("Impact →"), quote=False),
                              font=dict(size=axis_size, color="#111111")), **axis),
        yaxis=dict(title=dict(text=html.escape(_("Likelihood →"), quote=False),
                              font=dict(size=axis_size, color="#111111")), **axis),
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


# --- current -> residual, then -> now: arrows between cells ---------------------------------


def residual_risks(risks: Iterable[AssessedRisk]) -> tuple[AssessedRisk, ...]:
    """The register as it is expected to be once the strategies are in place: each risk at
    its residual rating, so the plain heat map, its table and its cell listing draw it."""
    return tuple(validated(AssessedRisk, {**dict(r), "likelihood": r.residual_likelihood, "impact": r.residual_impact})
                 for r in risks)


def _cell_of(likelihood: str | None, impact: str | None) -> Cell | None:
    return (likelihood, impact) if likelihood is not None and impact is not None else None


def current_to_residual(risks: Iterable[AssessedRisk]) -> tuple[Move, ...]:
    """Each risk rated either way, from its current cell to its residual (expected) cell."""
    return tuple(Move(number=r.number, statement=r.statement, before=_cell_of(r.likelihood, r.impact),
                      after=_cell_of(r.residual_likelihood, r.residual_impact))
                 for r in risks if r.likelihood or r.impact or r.residual_likelihood or r.residual_impact)


class Arrow(Value):
    number: int
    statement: str
    start: Cell
    end: Cell


class Movement(Value):
    """Risks between two ratings: the arrows a map draws, and the rest, which it says in words."""

    arrows: tuple[Arrow, ...]
    unchanged: tuple[int, ...]  # in the same cell both times
    start_only: tuple[int, ...]  # rated the first time only (no residual rating; not rated now)
    end_only: tuple[int, ...]  # rated the second time only


def movement(moves: Iterable[Move]) -> Movement:
    arrows: list[Arrow] = []
    unchanged: list[int] = []
    start_only: list[int] = []
    end_only: list[int] = []
    for move in sorted(moves, key=lambda m: m.number):
        if move.before is not None and move.after is not None:
            if move.before == move.after:
                unchanged.append(move.number)
            else:
                arrows.append(Arrow(number=move.number, statement=move.statement, start=move.before,
                                    end=move.after))
        elif move.before is not None:
            start_only.append(move.number)
        elif move.after is not None:
            end_only.append(move.number)
    return Movement(arrows=tuple(arrows), unchanged=tuple(unchanged), start_only=tuple(start_only),
                    end_only=tuple(end_only))


Point = tuple[float, float]
HEAD_PX = 50  # an arrowhead is drawn over the last 50 pixels of its line (less the stand-off)
CELL_ASPECT = 1.0  # the arrows' map has square cells
SPOTS_LEFT, SPOTS_RIGHT = -0.40, 0.40  # where numbers go in a cell (its centre at 0, 0)...
SPOTS_BOTTOM, SPOTS_TOP = -0.40, 0.22  # ...below the band's word, written at the top


def _spots(count: int) -> list[Point]:
    """Offsets from a cell's centre for `count` labels: a grid, filled row by row from the top."""
    columns = max(1, min(count, math.ceil(math.sqrt(count * CELL_ASPECT))))
    rows = math.ceil(count / columns)
    width, height = SPOTS_RIGHT - SPOTS_LEFT, SPOTS_TOP - SPOTS_BOTTOM
    return [(SPOTS_LEFT + (i % columns + 0.5) * width / columns,
             SPOTS_TOP - (i // columns + 0.5) * height / rows) for i in range(count)]


def arrow_ends(levels: Sequence[str], arrows: Sequence[Arrow]) -> dict[tuple[int, str], Point]:
    """Where each arrow starts and ends, as (number, "start"|"end") -> (x, y): inside its cell
    (impact across, likelihood up), the labels of one cell spread apart so none hides another."""
    in_cell: dict[Cell, list[tuple[int, str]]] = {}
    for arrow in arrows:
        in_cell.setdefault(arrow.start, []).append((arrow.number, "start"))
        in_cell.setdefault(arrow.end, []).append((arrow.number, "end"))
    placed: dict[tuple[int, str], Point] = {}
    for (likelihood, impact), ends in in_cell.items():
        x, y = levels.index(impact), levels.index(likelihood)
        for end, (dx, dy) in zip(sorted(ends), _spots(len(ends)), strict=True):
            placed[end] = (round(x + dx, 4), round(y + dy, 4))
    return placed


def _label_size(crowd: int) -> tuple[int, int]:
    """Marker and number size for the most crowded cell: large on a projector, smaller when full."""
    if crowd <= 2:
        return 34, 18
    if crowd <= 6:
        return 28, 15
    if crowd <= 12:
        return 24, 13
    return 20, 11


def arrows_figure(catalogue: Catalogue, arrows: Sequence[Arrow], *, start_name: str, end_name: str,
                  height: int = 500) -> go.Figure:
    """Each risk as an arrow from where it was (a white circle with its number) to where it is
    going (a black square with its number), on the band-coloured grid. Shapes and numbers carry
    the meaning; colour only repeats the bands, which each cell also names in words."""
    levels = catalogue.scale.levels
    ends = arrow_ends(levels, arrows)
    crowd = max(Counter((a.start if role == "start" else a.end) for a in arrows for role in ("start", "end")).values(),
                default=0)
    marker, number_size = _label_size(crowd)
    shapes, band_x, band_y, band_text, band_ink = [], [], [], [], []
    for likelihood in levels:
        for impact in levels:
            x, y = levels.index(impact), levels.index(likelihood)
            band = band_of(catalogue, likelihood, impact)
            fill, ink = colours_of(band, catalogue.bands.names)
            shapes.append(dict(type="rect", x0=x - 0.5, x1=x + 0.5, y0=y - 0.5, y1=y + 0.5, fillcolor=fill,
                               layer="below", line=dict(color=GRID_LINE, width=3)))
            band_x.append(x)
            band_y.append(y + 0.38)
            band_text.append(html.escape(words.band(band).upper(), quote=False))
            band_ink.append(ink)
    # The lines are traces, drawn under the numbers, so a line crossing a cell never hides a label;
    # only each arrowhead is an annotation (annotations are drawn on top), over the last stretch.
    line_x: list[float | None] = []
    line_y: list[float | None] = []
    annotations = []
    for arrow in arrows:
        (x0, y0), (x1, y1) = ends[(arrow.number, "start")], ends[(arrow.number, "end")]
        line_x += [x0, x1, None]
        line_y += [y0, y1, None]
        length = math.hypot(x1 - x0, y1 - y0)  # cells are about square on screen: the direction holds
        annotations.append(dict(x=x1, y=y1, ax=-(x1 - x0) / length * HEAD_PX, ay=(y1 - y0) / length * HEAD_PX,
                                xref="x", yref="y", axref="pixel", ayref="pixel", text="", showarrow=True, arrowhead=2,
                                arrowsize=1.4, arrowwidth=2.5, arrowcolor="#111111", standoff=marker * 0.75 + 3))
    lines = [dict(type="scatter", mode="lines", x=line_x, y=line_y, hoverinfo="skip", showlegend=False,
                  name=name, line=dict(color=colour, width=width))
             for name, colour, width in (("halo", "#FFFFFF", 6), ("arrows", "#111111", 2.5))]  # seen on dark red

    def hover(arrow: Arrow) -> str:
        statement = " ".join(arrow.statement.split())
        if len(statement) > HOVER_STATEMENT_CHARS:
            statement = statement[:HOVER_STATEMENT_CHARS - 1] + "…"
        lines = [f"{arrow.number}. {statement}", f"{start_name}: {cell_in_words(catalogue, arrow.start)}",
                 f"{end_name}: {cell_in_words(catalogue, arrow.end)}"]
        return "<br>".join(html.escape(line, quote=False) for line in lines)

    def ends_trace(role: str, name: str, symbol: str, fill: str, ink: str) -> dict[str, Any]:
        return dict(type="scatter", mode="markers+text", name=html.escape(name, quote=False),
                    x=[ends[(a.number, role)][0] for a in arrows], y=[ends[(a.number, role)][1] for a in arrows],
                    text=[f"<b>{a.number}</b>" for a in arrows], customdata=[[a.number, role] for a in arrows],
                    hovertext=[hover(a) for a in arrows], hoverinfo="text", textposition="middle center",
                    textfont=dict(size=number_size, color=ink),
                    marker=dict(size=marker, symbol=symbol, color=fill, line=dict(color="#111111", width=2)),
                    hoverlabel=dict(font=dict(size=18, color="#111111"), align="left", bgcolor="#FFFFFF",
                                    bordercolor="#111111"))

    bands_trace = dict(type="scatter", mode="text", x=band_x, y=band_y, text=band_text, hoverinfo="skip",
                       textfont=dict(size=14, color=band_ink), showlegend=False, name="bands")
    axis = dict(tickmode="array", tickvals=list(range(len(levels))), ticktext=[words.level(lv) for lv in levels],
                tickfont=dict(size=20, color="#111111"), showgrid=False, zeroline=False,
                range=[-0.5, len(levels) - 0.5], fixedrange=True, automargin=True)
    layout = dict(
        shapes=shapes, annotations=annotations,
        xaxis=dict(title=dict(text=html.escape(_("Impact →"), quote=False), font=dict(size=20, color="#111111")),
                   constrain="domain", **axis),
        # square cells at any width, so an arrowhead points along its line (HEAD_PX is in pixels)
        yaxis=dict(title=dict(text=html.escape(_("Likelihood →"), quote=False), font=dict(size=20, color="#111111")),
                   scaleanchor="x", scaleratio=1, constrain="domain", **axis),
        margin=dict(l=120, r=10, t=44, b=80), height=height,
        plot_bgcolor="#FFFFFF", paper_bgcolor="#FFFFFF", hovermode="closest", dragmode=False,
        showlegend=True, legend=dict(orientation="h", x=0, xanchor="left", y=1.01, yanchor="bottom",
                                     font=dict(size=17, color="#111111"), itemclick=False, itemdoubleclick=False),
        uirevision="riskkit-arrows", font=dict(family=SCREEN_FONT, color="#111111"),
    )
    data = [bands_trace, *lines,
            ends_trace("start", start_name, "circle", "#FFFFFF", "#111111"),
            ends_trace("end", end_name, "square", "#111111", "#FFFFFF")]
    return go.Figure(dict(data=data, layout=layout), _validate=False)


def cell_in_words(catalogue: Catalogue, cell: Cell | None) -> str:
    """A cell as a person says it: 'Likelihood High · Impact Medium (High band)'; 'not rated'."""
    if cell is None:
        return _("not rated")
    likelihood, impact = cell
    return _("Likelihood {likelihood} · Impact {impact} ({band} band)").format(
        likelihood=words.level(likelihood), impact=words.level(impact),
        band=words.band(band_of(catalogue, likelihood, impact)))


# --- a monitoring indicator over time -------------------------------------------------------


def reading_in_words(reading: Reading | None) -> str:
    """'12 on 3 Mar 2025 (police records)'; 'no value' when nothing is recorded."""
    if reading is None:
        return _("no value")
    said = _("{value} on {day}").format(value=number_in_words(reading.value), day=long_date(reading.on, "medium"))
    return _("{value} ({source})").format(value=said, source=reading.source) if reading.source else said


def number_in_words(value: float | None) -> str:
    """A value as a person writes it: 12, not 12.0; 0.25 stays 0.25; blank when there is none."""
    return "" if value is None else format_number(value)


def _date_ticks(track: Track, most: int = 3) -> dict[str, Any]:
    """The time axis in the reader's words (plotly's own month names are English: 'Aug 2026'):
    at most `most` month starts, or the measured days when they all fall within a month, with
    room on either side so the first and last labels are not cut."""
    days = sorted({r.on for r in track.readings})
    if not days:
        return {}
    first, last = days[0], days[-1]
    months = []
    month = date(first.year + first.month // 12, first.month % 12 + 1, 1) if first.day > 1 else first
    while month <= last:
        months.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    if len(months) >= 2:
        shown, pattern = months[::math.ceil(len(months) / most)], "MMM y"
    else:
        spread = days if len(days) <= most else [days[round(i * (len(days) - 1) / (most - 1))] for i in range(most)]
        shown, pattern = spread, "d MMM y"
    pad = timedelta(days=max((last - first).days * 0.12, 12))
    return dict(tickmode="array", tickvals=[d.isoformat() for d in dict.fromkeys(shown)],
                ticktext=[html.escape(long_date(d, pattern), quote=False) for d in dict.fromkeys(shown)],
                range=[(first - pad).isoformat(), (last + pad).isoformat()])


def indicator_figure(indicator_id: str, track: Track, *, height: int = 240) -> go.Figure:
    """One indicator's values over time: a line through the dated values, with its baseline
    (dashed) and target (dotted) as horizontal lines, each named in words at its end."""
    days = [r.on.isoformat() for r in track.readings]
    values = [r.value for r in track.readings]
    hovers = [html.escape(reading_in_words(r), quote=False) for r in track.readings]
    data: list[dict[str, Any]] = [dict(
        type="scatter", mode="lines+markers", x=days, y=values, hovertext=hovers, hoverinfo="text",
        name=html.escape(indicator_id, quote=False), line=dict(color="#111111", width=2.5),
        marker=dict(size=8, color="#111111"), showlegend=False)]
    shapes, annotations = [], []
    for value, word, dash in ((track.baseline, _("Baseline {value}"), "dash"),
                              (track.target, _("Target {value}"), "dot")):
        if value is None:
            continue
        shapes.append(dict(type="line", xref="paper", x0=0, x1=1, yref="y", y0=value, y1=value,
                           line=dict(color="#333333", width=2, dash=dash)))
        annotations.append(dict(xref="paper", x=1, xanchor="right", yref="y", y=value, yanchor="bottom",
                                text=html.escape(word.format(value=number_in_words(value)), quote=False),
                                showarrow=False, font=dict(size=13, color="#111111"), bgcolor="rgba(255,255,255,0.8)"))
    every = [*values, *(v for v in (track.baseline, track.target) if v is not None)]
    low, high = (min(every), max(every)) if every else (0.0, 1.0)
    pad = (high - low) * 0.15 or max(abs(high) * 0.15, 1.0)
    layout = dict(
        shapes=shapes, annotations=annotations, height=height, margin=dict(l=50, r=10, t=34, b=40),
        title=dict(text=html.escape(indicator_id, quote=False), x=0.01, xanchor="left", font=dict(size=15)),
        xaxis=dict(type="date", showgrid=False, fixedrange=True, tickfont=dict(size=12), **_date_ticks(track)),
        yaxis=dict(range=[low - pad, high + pad], fixedrange=True, gridcolor="#E5E5E5", tickfont=dict(size=12)),
        plot_bgcolor="#FFFFFF", paper_bgcolor="#FFFFFF", hovermode="closest", dragmode=False,
        font=dict(family=SCREEN_FONT, color="#111111"),
    )
    return go.Figure(dict(data=data, layout=layout), _validate=False)
