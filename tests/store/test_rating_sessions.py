import threading

import pytest

from riskkit.errors import (
    NotFacilitator,
    RatingClosed,
    UnknownAssessment,
    UnknownRatingSession,
    VotesHidden,
    VoteTooLate,
)
from riskkit.store import Store
from riskkit.workshop import Vote

HIGH = Vote(likelihood="High", impact="High")
LOW = Vote(likelihood="Low", impact="Low")


@pytest.fixture
def rating(store, catalogue):
    assessment_id = store.create("Workshop", catalogue.policies.default)
    session, token = store.open_rating(assessment_id, first_risk=1)
    return session, token


def test_a_rating_session_has_a_short_readable_join_code_and_a_long_token(rating):
    session, token = rating
    assert len(session.join_code) == 6 and not set(session.join_code) & set("01OIL")
    assert len(token) >= 32 and token not in session.model_dump_json()


def test_votes_are_counted_and_a_revote_replaces_ones_own(store, rating):
    session, token = rating
    store.cast_vote(session.join_code, "p1", 1, HIGH)
    store.cast_vote(session.join_code.lower(), "p2", 1, LOW)
    store.cast_vote(session.join_code, "p1", 1, LOW)  # changed their mind
    assert store.vote_count(session.id, 1) == 2
    assert sorted(v.likelihood for v in store.votes_for_facilitator(token, 1)) == ["Low", "Low"]
    assert store.my_vote(session.join_code, "p1", 1) == LOW


def test_participants_cannot_see_votes_before_the_reveal(store, rating):
    session, token = rating
    store.cast_vote(session.join_code, "p1", 1, HIGH)
    with pytest.raises(VotesHidden):
        store.votes_revealed(session.join_code, 1)
    store.reveal(token)
    assert store.votes_revealed(session.join_code, 1) == [HIGH]


def test_facilitator_actions_need_the_token(store, rating):
    session, _token = rating
    for attempt in ("", "wrong", session.id, session.join_code):
        with pytest.raises(NotFacilitator):
            store.show_risk(attempt, 2)
        with pytest.raises(NotFacilitator):
            store.reveal(attempt)
        with pytest.raises(NotFacilitator):
            store.votes_for_facilitator(attempt, 1)


def test_a_vote_for_a_risk_not_shown_or_already_revealed_is_refused(store, rating):
    session, token = rating
    with pytest.raises(VoteTooLate, match="moved to another risk"):
        store.cast_vote(session.join_code, "p1", 2, HIGH)
    store.reveal(token)
    with pytest.raises(VoteTooLate, match="revealed"):
        store.cast_vote(session.join_code, "p1", 1, HIGH)
    moved = store.show_risk(token, 2)
    assert moved.current_risk == 2 and not moved.revealed
    store.cast_vote(session.join_code, "p1", 2, HIGH)
    assert store.vote_count(session.id, 2) == 1


def test_a_closed_session_takes_no_more_votes(store, rating):
    session, token = rating
    store.close_rating(token)
    with pytest.raises(RatingClosed, match="has ended"):
        store.cast_vote(session.join_code, "p1", 1, HIGH)


def test_votes_survive_a_new_store_on_the_same_database(store_url, store, rating):
    session, token = rating
    store.cast_vote(session.join_code, "p1", 1, HIGH)
    again = Store(store_url)
    assert again.votes_for_facilitator(token, 1) == [HIGH]
    again.engine.dispose()


def test_a_rating_session_needs_an_existing_assessment(store, catalogue):
    with pytest.raises(UnknownAssessment):
        store.open_rating("nope", 1)
    deleted = store.create("Deleted", catalogue.policies.default)
    store.delete(deleted)
    with pytest.raises(UnknownAssessment, match="deleted"):
        store.open_rating(deleted, 1)


def test_a_wrong_join_code_or_facilitator_key_is_never_taken_for_a_missing_assessment(store, rating):
    session, token = rating
    with pytest.raises(UnknownRatingSession):
        store.cast_vote("ZZZZZZ", "p1", 1, HIGH)
    with pytest.raises(NotFacilitator):
        store.reveal(session.join_code)  # a participant's code opens no facilitator action


def test_no_vote_is_stored_after_the_reveal_however_the_voters_race_it(store, rating):
    """Twenty-four phones voting while the facilitator reveals: every vote the store took is
    in the tally the facilitator sees, and every other vote was refused."""
    session, token = rating
    start = threading.Barrier(25)
    taken: list[str] = []
    refused: list[str] = []

    def vote(who: str) -> None:
        """Vote again and again (as a phone retrying would) until the reveal refuses it."""
        start.wait()
        for _ in range(2000):
            try:
                store.cast_vote(session.join_code, who, 1, HIGH)
                taken.append(who)
            except VoteTooLate:
                refused.append(who)
                return

    phones = [threading.Thread(target=vote, args=(f"p{n:02d}",)) for n in range(24)]
    for phone in phones:
        phone.start()
    start.wait()
    store.reveal(token)
    shown = store.votes_for_facilitator(token, 1)
    for phone in phones:
        phone.join()
    assert store.votes_for_facilitator(token, 1) == shown
    assert len(shown) == len(set(taken))
    assert len(set(refused)) == 24, "a phone was never refused: the reveal came after it stopped voting"


def test_a_vote_on_a_risk_the_room_has_left_is_refused_with_words(store, rating):
    session, token = rating
    store.show_risk(token, 2)
    with pytest.raises(VoteTooLate, match="moved to another risk"):
        store.cast_vote(session.join_code, "p1", 1, HIGH)


@pytest.mark.parametrize("code", ["", "ZZZZZZ", "x" * 5000, "ÅÅÅ", "' OR 1=1 --"])
def test_a_code_that_is_no_join_code_is_refused_with_words(store, code):
    with pytest.raises(UnknownRatingSession):
        store.rating_for_participant(code)


def test_a_closed_session_takes_no_more_facilitator_actions(store, rating):
    _session, token = rating
    store.close_rating(token)
    with pytest.raises(RatingClosed):
        store.reveal(token)
    assert store.rating_for_facilitator(token).closed
