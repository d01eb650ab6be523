from riskkit.rules import mitigation_gaps
from tests.conftest import rated

H, M, L = "High", "Medium", "Low"


def gaps_by_kind(catalogue, assessment, indicators):
    found: dict[str, list[int]] = {}
    for gap in mitigation_gaps(catalogue, assessment, indicators):
        found.setdefault(gap.kind, []).append(gap.number)
    return found


def test_a_blank_register_has_every_risk_unrated_and_nothing_else(catalogue, blank, indicators):
    assert gaps_by_kind(catalogue, blank, indicators) == {"not_rated": list(range(1, 13))}


def test_a_rated_risk_that_requires_a_strategy_and_has_none_is_a_gap(catalogue, blank, indicators):
    gaps = gaps_by_kind(catalogue, rated(catalogue, blank, 4, H, M), indicators)
    assert gaps["no_strategy"] == [4]
    assert 4 not in gaps["not_rated"]


def test_a_written_strategy_closes_the_gap(catalogue, blank, indicators):
    assessment = rated(catalogue, blank, 4, H, M, strategy="Brief the ministry on the NGO role")
    assert "no_strategy" not in gaps_by_kind(catalogue, assessment, indicators)


def test_a_low_rated_risk_needs_no_strategy_under_the_toolkit_reading_but_does_when_cautious(
        catalogue, blank, indicators):
    assessment = rated(catalogue, blank, 6, L, H)
    assert "no_strategy" not in gaps_by_kind(catalogue, assessment, indicators)
    cautious = assessment.choose_policy(catalogue, "either")
    assert gaps_by_kind(catalogue, cautious, indicators)["no_strategy"] == [6]


def test_a_strategy_identical_to_the_example_is_flagged_softly_as_not_yet_tailored(
        catalogue, blank, indicators):
    example = catalogue.risk(1).example_strategy
    assessment = rated(catalogue, blank, 1, H, H, strategy="  " + example.upper() + "\n")
    gaps = mitigation_gaps(catalogue, assessment, indicators)
    flagged = [g for g in gaps if g.kind == "example_as_is"]
    assert [g.number for g in flagged] == [1] and flagged[0].soft
    assert not any(g.kind == "no_strategy" for g in gaps)


def test_an_edited_example_is_no_longer_flagged(catalogue, blank, indicators):
    example = catalogue.risk(1).example_strategy
    assessment = rated(catalogue, blank, 1, H, H, strategy=example + " Start with the border posts.")
    assert "example_as_is" not in gaps_by_kind(catalogue, assessment, indicators)


def test_an_own_risk_without_an_indicator_is_a_gap_until_one_is_linked(catalogue, blank, indicators):
    assessment, number = blank.add_own_risk(catalogue, "Court interpreters are unavailable")
    assert gaps_by_kind(catalogue, assessment, indicators)["no_indicator"] == [number]
    linked = assessment.link_indicators(number, (indicators.indicators[0].id,))
    assert "no_indicator" not in gaps_by_kind(catalogue, linked, indicators)


def test_a_link_to_an_indicator_no_longer_in_the_set_does_not_count(catalogue, blank, indicators):
    assessment, number = blank.add_own_risk(catalogue, "Data sharing breaches privacy", indicator_ids=("GONE-1",))
    assert gaps_by_kind(catalogue, assessment, indicators)["no_indicator"] == [number]


def test_gaps_come_worst_first(catalogue, blank, indicators):
    assessment = rated(catalogue, blank, 9, H, H)
    kinds = [g.kind for g in mitigation_gaps(catalogue, assessment, indicators)]
    assert kinds[0] == "no_strategy"
    assert kinds.index("no_strategy") < kinds.index("not_rated")
