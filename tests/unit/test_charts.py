import json

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
