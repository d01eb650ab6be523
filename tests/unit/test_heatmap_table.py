"""The heat map's text alternative: a table a screen reader reads instead of the picture."""

from riskkit.charts import heatmap_table
from riskkit.rules import band_of, register
from tests.conftest import rated


def test_the_table_has_a_row_for_every_cell_in_the_order_the_map_is_read(catalogue, blank):
    rows = heatmap_table(catalogue, register(catalogue, blank))
    levels = catalogue.scale.levels
    assert len(rows) == len(levels) ** 2
    assert [(r.likelihood, r.impact) for r in rows[:3]] == [("High", "Low"), ("High", "Medium"), ("High", "High")]
    assert (rows[-1].likelihood, rows[-1].impact) == ("Low", "High")


def test_each_row_names_the_band_of_its_cell_from_the_catalogue(catalogue, blank):
    for row in heatmap_table(catalogue, register(catalogue, blank)):
        assert row.band == band_of(catalogue, row.likelihood, row.impact)


def test_a_cell_lists_its_risks_with_number_and_whole_statement(catalogue, blank):
    assessment = rated(catalogue, rated(catalogue, blank, 8, "High", "High"), 1, "High", "High")
    assessment, own = assessment.add_own_risk(catalogue, "Interpreters leave\n  mid-case, and nobody   replaces them")
    assessment = rated(catalogue, assessment, own, "Low", "Medium")
    rows = {(r.likelihood, r.impact): r for r in heatmap_table(catalogue, register(catalogue, assessment))}
    high = rows[("High", "High")].risks
    assert [line.split(".")[0] for line in high] == ["1", "8"]
    assert high[0] == "1. " + " ".join(catalogue.risk(1).statement.split())
    assert rows[("Low", "Medium")].risks == (f"{own}. Interpreters leave mid-case, and nobody replaces them",)


def test_unrated_and_half_rated_risks_are_in_no_cell(catalogue, blank):
    assessment = rated(catalogue, rated(catalogue, blank, 2, "High", None), 3, None, None)
    rows = heatmap_table(catalogue, register(catalogue, assessment))
    assert all(row.risks == () for row in rows)
