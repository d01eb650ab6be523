import pytest

from riskkit.errors import UnknownLevel
from riskkit.rules import band_of, cells, policy_in_force, progress, register, requires_mitigation, risks_in_cells
from tests.conftest import rated

L, M, H = "Low", "Medium", "High"

# (likelihood, impact) -> required?  Written out by hand from the section's rule.
TOOLKIT_READING = {
    (L, L): False, (L, M): False, (L, H): False,
    (M, L): False, (M, M): True, (M, H): True,
    (H, L): False, (H, M): True, (H, H): True,
}
CAUTIOUS_READING = {
    (L, L): False, (L, M): True, (L, H): True,
    (M, L): True, (M, M): True, (M, H): True,
    (H, L): True, (H, M): True, (H, H): True,
}
BANDS = {
    (L, L): "low", (L, M): "low", (L, H): "medium",
    (M, L): "low", (M, M): "medium", (M, H): "high",
    (H, L): "medium", (H, M): "high", (H, H): "high",
}


@pytest.mark.parametrize(("cell", "expected"), TOOLKIT_READING.items())
def test_toolkit_reading_requires_a_strategy_only_when_both_ratings_are_medium_or_high(catalogue, cell, expected):
    policy = catalogue.policies.options["both"]
    assert requires_mitigation(catalogue, policy, *cell) is expected


@pytest.mark.parametrize(("cell", "expected"), CAUTIOUS_READING.items())
def test_cautious_reading_requires_a_strategy_when_either_rating_is_medium_or_high(catalogue, cell, expected):
    policy = catalogue.policies.options["either"]
    assert requires_mitigation(catalogue, policy, *cell) is expected


def test_the_toolkit_reading_is_the_default_policy(catalogue, blank):
    assert blank.policy == "both"
    assert policy_in_force(catalogue, blank).combine == "all"


@pytest.mark.parametrize("policy", ["both", "either"])
def test_an_unrated_side_counts_as_below_the_threshold(catalogue, policy):
    chosen = catalogue.policies.options[policy]
    assert requires_mitigation(catalogue, chosen, None, None) is False
    assert requires_mitigation(catalogue, chosen, H, None) is (policy == "either")


@pytest.mark.parametrize(("cell", "band"), BANDS.items())
def test_each_cell_has_the_band_of_the_catalogue_grid(catalogue, cell, band):
    assert band_of(catalogue, *cell) == band


def test_a_level_off_the_scale_is_refused_with_the_levels_named(catalogue):
    with pytest.raises(UnknownLevel, match="Very high.*Low, Medium, High"):
        band_of(catalogue, "Very high", H)


def test_rating_a_risk_high_high_puts_it_in_the_high_high_cell(catalogue, blank):
    assessment = rated(catalogue, blank, 1, H, H)
    grid = cells(catalogue, register(catalogue, assessment))
    assert [r.number for r in grid[(H, H)]] == [1]
    assert sum(len(v) for v in grid.values()) == 1
    assert len(grid) == 9


def test_risks_in_chosen_cells_are_listed_in_register_order(catalogue, blank):
    assessment = rated(catalogue, rated(catalogue, rated(catalogue, blank, 7, M, H), 2, M, H), 3, L, L)
    rows = register(catalogue, assessment)
    assert [r.number for r in risks_in_cells(catalogue, rows, [(M, H)])] == [2, 7]
    assert [r.number for r in risks_in_cells(catalogue, rows, [(M, H), (L, L)])] == [2, 3, 7]


def test_register_lists_the_twelve_toolkit_risks_then_own_risks(catalogue, blank):
    with_own, number = blank.add_own_risk(catalogue, "Interpreters are not available for rare languages")
    rows = register(catalogue, with_own)
    assert [r.number for r in rows] == list(range(1, 14))
    assert number == 13 and rows[-1].own and not rows[0].own


def test_progress_counts_rated_risks_and_missing_strategies_under_the_policy(catalogue, blank):
    assessment = rated(catalogue, blank, 1, H, H)
    assessment = rated(catalogue, assessment, 2, M, M, strategy="Map local shelters")
    assessment = rated(catalogue, assessment, 3, L, H)
    p = progress(catalogue, assessment)
    assert (p.rated, p.total, p.requiring_mitigation, p.missing_strategies) == (3, 12, 2, 1)
    cautious = progress(catalogue, assessment.choose_policy(catalogue, "either"))
    assert (cautious.requiring_mitigation, cautious.missing_strategies) == (3, 2)
    assert "Cautious" in cautious.policy_label
