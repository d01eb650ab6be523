import json
from datetime import date

import pytest

from riskkit.charts import cell_label, cells_from_selection, heatmap_figure
from riskkit.palette import BAND_COLOURS, UNRATED_COLOURS, colours_of, contrast_ratio
from riskkit.rules import register
from tests.conftest import rated

HOSTILE = "<img src=x onerror=alert(1)> <script>alert(2)</script> [x](javascript:alert(3))"


def point_of(fig, likelihood, impact):
    trace = fig.data[0]
    index = [list(c) for c in trace.customdata].index([likelihood, impact])
    return trace.text[index], trace.hovertext[index]


def test_each_cell_says_its_band_in_words_and_the_numbers_of_its_risks(catalogue, blank):
    assessment = rated(catalogue, rated(catalogue, blank, 1, "High", "High"), 8, "High", "High")
    fig = heatmap_figure(catalogue, register(catalogue, assessment))
    text, hover = point_of(fig, "High", "High")
    assert "HIGH" in text and "1, 8" in text
    assert "Victims of trafficking are not identified" in hover
    empty, _ = point_of(fig, "Low", "Low")
    assert "LOW" in empty and "1" not in empty
    assert len(fig.data[0].x) == 9


def test_likelihood_runs_up_the_vertical_axis_from_low(catalogue, blank):
    fig = heatmap_figure(catalogue, register(catalogue, blank))
    assert list(fig.layout.yaxis.ticktext) == ["Low", "Medium", "High"]
    assert "Likelihood" in fig.layout.yaxis.title.text and "Impact" in fig.layout.xaxis.title.text
    trace = fig.data[0]
    high_high = [list(c) for c in trace.customdata].index(["High", "High"])
    assert trace.y[high_high] == 2 and trace.x[high_high] == 2


def test_user_text_in_hover_labels_is_escaped(catalogue, blank):
    assessment, number = blank.add_own_risk(catalogue, HOSTILE)
    assessment = rated(catalogue, assessment, number, "High", "High")
    fig = heatmap_figure(catalogue, register(catalogue, assessment))
    _, hover = point_of(fig, "High", "High")
    assert "<img" not in hover and "<script" not in hover
    assert "&lt;img src=x onerror=alert(1)&gt;" in hover


def test_a_crowded_cell_is_summarised_not_overflowed():
    label = cell_label("high", list(range(13, 313)))
    assert "+286 more" in label and label.count(",") < 20


def test_a_selection_maps_back_to_cells_and_ignores_junk():
    levels = ("Low", "Medium", "High")
    selection = {"points": [{"customdata": ["High", "Low"]}, {"customdata": ["High", "Low"]},
                            {"customdata": ["Huge", "Low"]}, {"x": 1}, "junk"]}
    assert cells_from_selection(selection, levels) == (("High", "Low"),)
    assert cells_from_selection(None, levels) == ()
    assert cells_from_selection({"points": []}, levels) == ()


def test_the_figure_is_plain_json_with_a_stable_ui_revision(catalogue, blank):
    fig = heatmap_figure(catalogue, register(catalogue, blank), selected=[("Low", "Low")])
    assert json.loads(fig.to_json())["layout"]["uirevision"] == "riskkit-heatmap"
    widths = sorted(s.line.width for s in fig.layout.shapes)
    assert widths[-1] > widths[0]  # the chosen cell has the heavier border


@pytest.mark.parametrize(("fill", "ink"), [*BAND_COLOURS, UNRATED_COLOURS])
def test_every_band_colour_has_text_contrast_of_at_least_4_5_to_1(fill, ink):
    assert contrast_ratio(fill, ink) >= 4.5


def test_band_colours_differ_in_lightness_so_they_survive_grey_printing():
    from riskkit.palette import relative_luminance
    lum = sorted(relative_luminance(fill) for fill, _ in BAND_COLOURS)
    assert all(b - a > 0.05 for a, b in zip(lum, lum[1:]))


def test_band_colours_follow_the_bands_rank(catalogue):
    names = catalogue.bands.names
    assert colours_of("low", names) == BAND_COLOURS[0] and colours_of("high", names) == BAND_COLOURS[-1]


def test_the_figure_spec_passes_plotlys_full_validation(catalogue, blank):
    import plotly.graph_objects as go
    assessment, number = blank.add_own_risk(catalogue, HOSTILE)
    for compact in (False, True):
        fig = heatmap_figure(catalogue, register(catalogue, rated(catalogue, assessment, number, "Low", "High")),
                             selected=[("Low", "High")], compact=compact)
        validated = go.Figure(fig.to_dict())  # raises on any invalid property
        assert validated.to_dict()["layout"]["height"] == fig.layout.height


def test_quotes_in_user_text_stay_quotes_in_hover_labels(catalogue, blank):
    assessment, number = blank.add_own_risk(catalogue, 'Officials say "no interpreter today"')
    fig = heatmap_figure(catalogue, register(catalogue, rated(catalogue, assessment, number, "Low", "Low")))
    _, hover = point_of(fig, "Low", "Low")
    assert '"no interpreter today"' in hover and "&quot;" not in hover


# --- current -> residual, then -> now ----------------------------------------------------------

def _moves(*rows):
    from riskkit.compare import Move
    return [Move(number=n, statement=f"Risk {n}", before=b, after=a) for n, b, a in rows]


def test_an_arrow_for_each_risk_that_moves_and_words_for_the_rest():
    from riskkit.charts import movement
    moved = movement(_moves((7, ("High", "High"), ("High", "High")), (3, ("High", "High"), ("Low", "Medium")),
                            (5, ("Low", "Low"), None), (9, None, ("Medium", "Low")), (4, None, None)))
    assert [(a.number, a.start, a.end) for a in moved.arrows] == [(3, ("High", "High"), ("Low", "Medium"))]
    assert moved.unchanged == (7,) and moved.start_only == (5,) and moved.end_only == (9,)


def test_current_to_residual_pairs_each_rated_risk_with_its_residual_cell(catalogue, blank):
    from riskkit.charts import current_to_residual, residual_risks
    assessment = rated(catalogue, rated(catalogue, blank, 1, "High", "High"), 2, "Medium", "Low")
    assessment = assessment.rate_residual(catalogue, 1, likelihood="Low", impact="Medium")
    moves = {m.number: (m.before, m.after) for m in current_to_residual(register(catalogue, assessment))}
    assert moves == {1: (("High", "High"), ("Low", "Medium")), 2: (("Medium", "Low"), None)}
    residual = {r.number: (r.likelihood, r.impact) for r in residual_risks(register(catalogue, assessment))}
    assert residual[1] == ("Low", "Medium") and residual[2] == (None, None)


def test_arrow_ends_sit_inside_their_cells_and_apart_from_each_other(catalogue):
    from riskkit.charts import arrow_ends, movement
    levels = catalogue.scale.levels
    crowd = [(n, ("High", "High"), ("Low", "Low")) for n in range(1, 10)] + [(10, ("Low", "Low"), ("High", "High"))]
    arrows = movement(_moves(*crowd)).arrows
    ends = arrow_ends(levels, arrows)
    assert len(ends) == 20
    for arrow in arrows:
        for role, (likelihood, impact) in (("start", arrow.start), ("end", arrow.end)):
            x, y = ends[(arrow.number, role)]
            assert abs(x - levels.index(impact)) < 0.45 and abs(y - levels.index(likelihood)) < 0.45
    in_low_low = [p for p in ends.values() if round(p[0]) == 0 and round(p[1]) == 0]
    assert len(in_low_low) == 10 and len(set(in_low_low)) == 10
    closest = min(abs(a[0] - b[0]) + abs(a[1] - b[1]) for i, a in enumerate(in_low_low) for b in in_low_low[i + 1:])
    assert closest > 0.15  # a label's width apart at least, in one direction or the other


def test_the_arrows_figure_draws_each_arrow_from_its_start_to_its_end_with_both_numbers(catalogue):
    import plotly.graph_objects as go

    from riskkit.charts import arrow_ends, arrows_figure, movement
    arrows = movement(_moves((3, ("High", "High"), ("Low", "Medium")), (12, ("Medium", "Low"), ("Low", "Low")))).arrows
    fig = arrows_figure(catalogue, arrows, start_name="Current", end_name="Residual")
    ends = arrow_ends(catalogue.scale.levels, arrows)
    line = next(t for t in fig.data if t.name == "arrows")
    drawn = {(line.x[i], line.y[i], line.x[i + 1], line.y[i + 1]) for i in range(0, len(line.x), 3)}
    assert drawn == {(*ends[(n, "start")], *ends[(n, "end")]) for n in (3, 12)}
    heads = {(a.x, a.y) for a in fig.layout.annotations if a.showarrow}
    assert heads == {ends[(n, "end")] for n in (3, 12)}  # each arrow points at where the risk goes
    for head in fig.layout.annotations:  # from the direction of its start (pixels run down the screen)
        start = next(ends[(n, "start")] for n in (3, 12) if ends[(n, "end")] == (head.x, head.y))
        assert (head.ax < 0) == (start[0] < head.x) and (head.ay > 0) == (start[1] < head.y)
    starts, finishes = (next(t for t in fig.data if t.name == name) for name in ("Current", "Residual"))
    assert [t.replace("<b>", "").replace("</b>", "") for t in starts.text] == ["3", "12"] == \
           [t.replace("<b>", "").replace("</b>", "") for t in finishes.text]
    assert starts.marker.symbol != finishes.marker.symbol  # told apart by shape, not colour alone
    for trace in (starts, finishes):
        assert all(-0.5 < x < 2.5 for x in trace.x) and all(-0.5 < y < 2.5 for y in trace.y)
    go.Figure(fig.to_dict())  # passes plotly's full validation


def test_user_text_in_arrow_hover_labels_is_escaped(catalogue):
    from riskkit.charts import Arrow, arrows_figure
    arrow = Arrow(number=13, statement=HOSTILE, start=("High", "High"), end=("Low", "Low"))
    fig = arrows_figure(catalogue, [arrow], start_name="<b>Then</b>", end_name="Now")
    hovers = " ".join(h for t in fig.data if t.hovertext for h in t.hovertext)
    assert "<img" not in hovers and "&lt;img" in hovers
    assert fig.data[-2].name == "&lt;b&gt;Then&lt;/b&gt;"


def test_an_indicator_chart_has_its_values_and_labelled_baseline_and_target():
    import plotly.graph_objects as go

    from riskkit.charts import indicator_figure, reading_in_words
    from riskkit.models import Reading, Track
    track = Track(baseline=10, target=40.5, readings=(Reading(on=date(2025, 3, 1), value=22, source="<b>police</b>"),
                                                      Reading(on=date(2025, 1, 1), value=12)))
    fig = indicator_figure("PA-01", track)
    assert list(fig.data[0].y) == [12, 22] and list(fig.data[0].x) == ["2025-01-01", "2025-03-01"]
    assert sorted(s.y0 for s in fig.layout.shapes) == [10, 40.5]
    assert sorted(a.text for a in fig.layout.annotations) == ["Baseline 10", "Target 40.5"]
    low, high = fig.layout.yaxis.range
    assert low < 10 and high > 40.5
    assert "&lt;b&gt;police" in fig.data[0].hovertext[1]
    assert reading_in_words(None) == "no value" and reading_in_words(track.readings[0]) == "12 on Jan 1, 2025"
    go.Figure(fig.to_dict())


def test_values_keep_their_digits_and_the_readers_separators():
    from riskkit.charts import number_in_words
    from riskkit.i18n import using

    assert [number_in_words(v) for v in (1234567, 12.0, 0.25, 0.0004, 1234.5678, 0.1 + 0.2, None)] == [
        "1,234,567", "12", "0.25", "0.0004", "1,234.5678", "0.3", ""]
    with using("fr"):
        assert number_in_words(1234.5).replace("\u202f", " ").replace("\xa0", " ") == "1 234,5"


def test_the_compact_map_puts_three_numbers_to_a_line_and_two_lines_at_most(catalogue):
    from riskkit.models import AssessedRisk

    risks = [AssessedRisk(number=n, statement=f"Risk {n}", references=(), example_strategy="", own=False,
                          likelihood="High", impact="Low", strategy="", notes="", indicator_ids=())
             for n in (1, 4, 7, 10, 12, 13, 14)]
    figure = heatmap_figure(catalogue, risks, compact=True)
    label = next(t for t in figure.data[0].text if "1, 4, 7" in t)
    assert label.split("<br>")[1:] == ["1, 4, 7", "10, 12, +2</b>"]
