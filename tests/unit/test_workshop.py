from riskkit.workshop import Vote, median_level, room_disagrees, tally

LEVELS = ("Low", "Medium", "High")


def votes(*pairs):
    return [Vote(likelihood=lk, impact=im) for lk, im in pairs]


def test_the_median_of_an_odd_room_is_the_middle_vote():
    assert median_level(LEVELS, ["Low", "High", "Medium"]) == "Medium"
    assert median_level(LEVELS, ["Low", "Low", "High"]) == "Low"


def test_an_even_room_splits_toward_the_more_cautious_level():
    assert median_level(LEVELS, ["Low", "Medium"]) == "Medium"
    assert median_level(LEVELS, ["Medium", "Medium", "High", "High"]) == "High"


def test_the_room_disagrees_when_votes_span_low_to_high():
    assert room_disagrees(LEVELS, ["Low", "High"])
    assert not room_disagrees(LEVELS, ["Low", "Medium", "Medium"])
    assert not room_disagrees(LEVELS, [])


def test_a_tally_counts_each_cell_and_suggests_the_medians(catalogue):
    result = tally(catalogue, votes(("High", "High"), ("High", "Medium"), ("Medium", "High"), ("Low", "High")))
    assert result.count == 4
    assert result.cells[("High", "High")] == 1 and result.cells[("Low", "Low")] == 0
    assert sum(result.cells.values()) == 4
    assert result.likelihood == {"Low": 1, "Medium": 1, "High": 2}
    assert result.suggested == ("High", "High")
    assert result.disagreement  # likelihood runs from Low to High


def test_an_empty_room_suggests_nothing(catalogue):
    result = tally(catalogue, [])
    assert result.count == 0 and result.suggested is None and not result.disagreement
