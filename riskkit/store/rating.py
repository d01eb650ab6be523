"""The rating-sessions aggregate: a group rating of one assessment and the phones' votes.

The facilitator acts with a token that only their link carries; participants with the join
code on the projector. A vote is checked (this risk is shown, votes not revealed, session
open) inside its own write transaction with the session's row share-locked on PostgreSQL:
votes of one room go in side by side, and a reveal or a move waits for the votes already
being written, so no vote gets in after it.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from riskkit.errors import (
    NotFacilitator,
    RatingClosed,
    UnknownAssessment,
    UnknownRatingSession,
    VotesHidden,
    VoteTooLate,
)
from riskkit.i18n import gettext as _
from riskkit.store.engine import Repository, StoreError, answering
from riskkit.store.schema import assessments, rating_sessions, votes
from riskkit.workshop import RatingSession, Vote, could_be_join_code, join_code


class RatingSessions(Repository):
    """Open, follow, move, reveal and close a group rating; take and count the votes."""

    @answering
    def open_rating(self, assessment_id: str, first_risk: int) -> tuple[RatingSession, str]:
        """A new rating session and its facilitator token (returned once, to the facilitator)."""
        token = secrets.token_urlsafe(24)
        for _attempt in range(20):
            code = join_code()
            session_id = secrets.token_hex(8)
            try:
                with self.db.write() as conn:
                    if conn.execute(select(assessments.c.id).where(
                            assessments.c.id == assessment_id, assessments.c.deleted_at.is_(None))).first() is None:
                        raise UnknownAssessment(_("This assessment was deleted or never existed, so no group "
                                                  "rating was started. Open one from the Assessments page."))
                    conn.execute(insert(rating_sessions).values(
                        id=session_id, assessment_id=assessment_id, facilitator_token=token, join_code=code,
                        current_risk=first_risk, revealed=False, created_at=_now()))
            except IntegrityError:
                continue  # that join code is taken: draw another
            return self._rating(rating_sessions.c.id == session_id), token
        raise StoreError(_("Could not find a free join code; close some old rating sessions."))

    @answering
    def rating_for_facilitator(self, token: str) -> RatingSession:
        """The session this facilitator key opens, closed or not (a closed one says so on the page)."""
        if not token or len(token) > 100:
            raise NotFacilitator(_("This page needs the facilitator's link."))
        found = self._rating_or_none(rating_sessions.c.facilitator_token == token)
        if found is None or not secrets.compare_digest(self._token_of(found.id), token):
            raise NotFacilitator(_("This is not a valid facilitator link."))
        return found

    @answering
    def rating_for_participant(self, code: str) -> RatingSession:
        wanted = code.strip().upper()
        if not could_be_join_code(wanted):
            raise UnknownRatingSession(_("That is not a join code: a code is six letters and digits, as shown on "
                                         "the projector."))
        found = self._rating_or_none(rating_sessions.c.join_code == wanted)
        if found is None:
            raise UnknownRatingSession(_("No rating session has the code {code}. Check the code on the "
                                         "projector.").format(code=wanted))
        if found.closed:
            raise RatingClosed(_("This group rating has ended. Thank you for taking part."))
        return found

    @answering
    def show_risk(self, token: str, number: int) -> RatingSession:
        """Facilitator: move the room to another risk (votes on it stay hidden until revealed)."""
        return self._facilitate(token, current_risk=number, revealed=False)

    @answering
    def reveal(self, token: str) -> RatingSession:
        return self._facilitate(token, revealed=True)

    @answering
    def close_rating(self, token: str) -> None:
        self._facilitate(token, closed_at=_now())

    def _facilitate(self, token: str, **values: Any) -> RatingSession:
        rating = self.rating_for_facilitator(token)
        if rating.closed:
            raise RatingClosed(_("This group rating has ended; start a new one to rate with the room again."))
        with self.db.write() as conn:
            if not conn.execute(update(rating_sessions).where(rating_sessions.c.id == rating.id,
                                                              rating_sessions.c.closed_at.is_(None))
                                .values(**values)).rowcount:
                raise RatingClosed(_("This group rating was ended a moment ago; start a new one to rate with the "
                                     "room again."))
        return self.rating_for_facilitator(token)

    @answering
    def cast_vote(self, code: str, participant: str, risk_number: int, vote: Vote) -> None:
        """A participant's vote on the risk being shown; voting again replaces their own vote."""
        rating = self.rating_for_participant(code)
        row = dict(session_id=rating.id, participant=participant, risk_number=risk_number,
                   likelihood=vote.likelihood, impact=vote.impact, cast_at=_now())
        with self.db.write() as conn:
            live = conn.execute(self.db.locked(select(
                rating_sessions.c.current_risk, rating_sessions.c.revealed, rating_sessions.c.closed_at).where(
                rating_sessions.c.id == rating.id), shared=True)).one()
            if live.closed_at is not None:
                raise RatingClosed(_("This group rating has ended; your vote was not counted."))
            if risk_number != live.current_risk:
                raise VoteTooLate(_("The facilitator had moved to another risk, so this vote was not counted. "
                                    "Your screen now shows the risk being rated."))
            if live.revealed:
                raise VoteTooLate(_("The votes on this risk had been revealed, so this vote was not counted."))
            upsert = postgresql_insert if self.db.is_postgresql else sqlite_insert
            conn.execute(upsert(votes).values(**row).on_conflict_do_update(
                index_elements=["session_id", "participant", "risk_number"],
                set_=dict(likelihood=vote.likelihood, impact=vote.impact, cast_at=row["cast_at"])))

    @answering
    def my_vote(self, code: str, participant: str, risk_number: int) -> Vote | None:
        rating = self.rating_for_participant(code)
        with self.db.read() as conn:
            row = conn.execute(select(votes.c.likelihood, votes.c.impact).where(
                votes.c.session_id == rating.id, votes.c.participant == participant,
                votes.c.risk_number == risk_number)).first()
        return Vote(likelihood=row.likelihood, impact=row.impact) if row else None

    @answering
    def vote_count(self, session_id: str, risk_number: int) -> int:
        """How many have voted: anyone may know this, never what they voted."""
        with self.db.read() as conn:
            return int(conn.execute(select(func.count()).select_from(votes).where(
                votes.c.session_id == session_id, votes.c.risk_number == risk_number)).scalar_one())

    @answering
    def votes_for_facilitator(self, token: str, risk_number: int) -> list[Vote]:
        return self._votes(self.rating_for_facilitator(token).id, risk_number)

    @answering
    def votes_revealed(self, code: str, risk_number: int) -> list[Vote]:
        """Participants see the distribution only once the facilitator has revealed it."""
        rating = self.rating_for_participant(code)
        if not (rating.revealed and rating.current_risk == risk_number):
            raise VotesHidden(_("Votes are shown once the facilitator reveals them."))
        return self._votes(rating.id, risk_number)

    def _votes(self, session_id: str, risk_number: int) -> list[Vote]:
        with self.db.read() as conn:
            rows = conn.execute(select(votes.c.likelihood, votes.c.impact).where(
                votes.c.session_id == session_id, votes.c.risk_number == risk_number))
            return [Vote(likelihood=r.likelihood, impact=r.impact) for r in rows]

    def _rating_or_none(self, where: ColumnElement[bool]) -> RatingSession | None:
        with self.db.read() as conn:
            row = conn.execute(select(rating_sessions).where(where)).first()
        if row is None:
            return None
        return RatingSession(id=row.id, assessment_id=row.assessment_id, join_code=row.join_code,
                             current_risk=row.current_risk, revealed=row.revealed, closed=row.closed_at is not None)

    def _rating(self, where: ColumnElement[bool]) -> RatingSession:
        found = self._rating_or_none(where)
        assert found is not None
        return found

    def _token_of(self, session_id: str) -> str:
        with self.db.read() as conn:
            return str(conn.execute(select(rating_sessions.c.facilitator_token)
                                    .where(rating_sessions.c.id == session_id)).scalar_one())


def _now() -> datetime:
    return datetime.now(UTC)
