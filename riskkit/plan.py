"""The follow-up of a register: its actions by owner and date, what is overdue, what is due
for review, and each monitoring indicator's latest value.

Pure functions of an assessment and a day, so "overdue" is always worked out from the date
the page or the report is made on, never stored.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from riskkit.models import Action, AssessedRisk, Assessment, Catalogue, IndicatorSet, Reading, Track, Value
from riskkit.rules import indicators_for, register

# how far ahead a review counts as "coming up" on the Overview
REVIEW_NOTICE = timedelta(days=30)


class PlannedAction(Value):
    """One row of the action plan: an action with the risk it belongs to."""

    number: int
    statement: str
    own: bool
    action: Action
    overdue: bool


def action_plan(catalogue: Catalogue, assessment: Assessment, today: date) -> tuple[PlannedAction, ...]:
    """Every action of every risk: overdue first, then by due date (undated last), then by risk."""
    rows = [PlannedAction(number=risk.number, statement=risk.statement, own=risk.own, action=action,
                          overdue=action.overdue(today))
            for risk in register(catalogue, assessment) for action in risk.actions]
    return tuple(sorted(rows, key=lambda r: (not r.overdue, r.action.due is None, r.action.due or today,
                                             r.number)))


def filtered(rows: Iterable[PlannedAction], *, who: Iterable[str] = (), statuses: Iterable[str] = (),
             overdue_only: bool = False) -> tuple[PlannedAction, ...]:
    """The plan narrowed to some owners and statuses (none given: all of them)."""
    owners, wanted = set(who), set(statuses)
    return tuple(r for r in rows if (not owners or r.action.who in owners)
                 and (not wanted or r.action.status in wanted) and (r.overdue or not overdue_only))


def owners(rows: Iterable[PlannedAction]) -> tuple[str, ...]:
    """The distinct owners named in the plan, sorted (a blank owner is left out)."""
    return tuple(sorted({r.action.who for r in rows if r.action.who}, key=str.casefold))


class ReviewDue(Value):
    """A review date reached or coming up: the whole register's (number None) or one risk's."""

    number: int | None
    statement: str
    on: date
    overdue: bool


def reviews_due(catalogue: Catalogue, assessment: Assessment, today: date,
                notice: timedelta = REVIEW_NOTICE) -> tuple[ReviewDue, ...]:
    """Reviews whose date has passed (overdue) or falls within `notice` of today, soonest first."""
    found: list[ReviewDue] = []
    if assessment.review_on is not None and assessment.review_on <= today + notice:
        found.append(ReviewDue(number=None, statement="", on=assessment.review_on,
                               overdue=assessment.review_on < today))
    for risk in register(catalogue, assessment):
        if risk.review_on is not None and risk.review_on <= today + notice:
            found.append(ReviewDue(number=risk.number, statement=risk.statement, on=risk.review_on,
                                   overdue=risk.review_on < today))
    return tuple(sorted(found, key=lambda r: (r.on, r.number or 0)))


def latest_readings(risk: AssessedRisk, assessment: Assessment,
                    indicators: IndicatorSet) -> tuple[tuple[str, Reading], ...]:
    """The latest value of each indicator monitoring a risk that has one: (indicator id, reading)."""
    found = []
    for indicator_id in indicators_for(risk, indicators):
        latest = assessment.track(indicator_id).latest
        if latest is not None:
            found.append((indicator_id, latest))
    return tuple(found)


def tracks_in_use(assessment: Assessment, indicators: IndicatorSet) -> tuple[tuple[str, Track], ...]:
    """Each indicator of the list in use with what is recorded for it (an empty track if nothing)."""
    return tuple((i.id, assessment.track(i.id)) for i in indicators.indicators)
