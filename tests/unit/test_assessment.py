import pytest
from pydantic import ValidationError

from riskkit.errors import InvalidEdit, UnknownLevel, UnknownRisk
from riskkit.models import Assessment


def test_rating_returns_a_new_assessment_and_leaves_the_old_one_alone(catalogue, blank):
    after = blank.rate(catalogue, 3, likelihood="High")
    assert after.entry(3).likelihood == "High"
    assert blank.entry(3).likelihood is None


def test_an_unknown_level_is_refused_and_changes_nothing(catalogue, blank):
    with pytest.raises(UnknownLevel, match="Very high"):
        blank.rate(catalogue, 3, likelihood="Very high")
    assert blank.entries == {}


def test_rating_a_risk_that_does_not_exist_is_refused(catalogue, blank):
    with pytest.raises(UnknownRisk, match="99"):
        blank.rate(catalogue, 99, likelihood="Low")


def test_own_risks_are_numbered_after_the_catalogue_and_never_reuse_a_number(catalogue, blank):
    a, first = blank.add_own_risk(catalogue, "First")
    a, second = a.add_own_risk(catalogue, "Second")
    a = a.remove_own_risk(first)
    a, third = a.add_own_risk(catalogue, "Third")
    assert (first, second, third) == (13, 14, 15)


def test_deleting_an_own_risk_removes_its_rating_too(catalogue, blank):
    a, number = blank.add_own_risk(catalogue, "Shelter closes")
    a = a.rate(catalogue, number, likelihood="High", impact="High")
    a = a.remove_own_risk(number)
    assert number not in a.entries and a.own_risks == ()


def test_a_catalogue_risk_cannot_be_deleted(catalogue, blank):
    with pytest.raises(UnknownRisk):
        blank.remove_own_risk(1)


@pytest.mark.parametrize("statement", ["", "   \n "])
def test_an_own_risk_needs_a_statement(catalogue, blank, statement):
    with pytest.raises(InvalidEdit, match="statement"):
        blank.add_own_risk(catalogue, statement)


def test_editing_an_own_risk_statement_keeps_its_number_and_rating(catalogue, blank):
    a, number = blank.add_own_risk(catalogue, "Old wording")
    a = a.rate(catalogue, number, impact="Low")
    a = a.restate_own_risk(number, "  New wording ")
    assert a.own_risks[0].statement == "New wording" and a.entry(number).impact == "Low"


def test_an_unknown_policy_is_refused(catalogue, blank):
    with pytest.raises(InvalidEdit):
        blank.choose_policy(catalogue, "whenever")


def test_levels_typed_by_a_person_are_read_generously_but_strictly(catalogue):
    assert catalogue.scale.from_text(" high ") == "High"
    assert catalogue.scale.from_text("") is None
    with pytest.raises(UnknownLevel):
        catalogue.scale.from_text("Very high")


def test_assessments_are_frozen_values(blank):
    with pytest.raises(ValidationError, match="frozen"):
        blank.policy = "either"  # type: ignore[misc]
    assert isinstance(blank, Assessment)
