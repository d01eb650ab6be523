"""Assessments and group ratings kept in a database: SQLite by default, PostgreSQL when
RISKKIT_DATABASE_URL names one.

One repository per aggregate: `assessments` (an assessment with its entries and own risks)
and `rating` (a rating session with its votes). `engine` holds the connection and its guards,
`schema` the tables, `migrations` the Alembic revisions that build and change them. Store is
the one handle pages, routes and the command line hold: it opens the database, brings its
schema up to date, and answers each call from the aggregate's repository.
"""

from __future__ import annotations

import functools

from sqlalchemy import Engine

from riskkit.errors import (
    NotFacilitator,
    RatingClosed,
    StaleEdit,
    UnknownAssessment,
    UnknownRatingSession,
    VotesHidden,
    VoteTooLate,
)
from riskkit.snapshot import Change, Snapshot, Summary
from riskkit.store import migrations
from riskkit.store.assessments import Assessments
from riskkit.store.engine import (
    Database,
    DatabaseGone,
    DatabaseNotAnswering,
    DatabaseTooNew,
    StoreError,
    answering,
    database_url,
)
from riskkit.store.rating import RatingSessions
from riskkit.store.templates import Templates
from riskkit.workshop import NO_RISK, RatingSession, Vote

__all__ = ["NO_RISK", "Change", "DatabaseGone", "DatabaseNotAnswering", "DatabaseTooNew", "NotFacilitator",
           "RatingClosed", "RatingSession", "Snapshot", "StaleEdit", "Store", "StoreError", "Summary",
           "UnknownAssessment", "UnknownRatingSession", "Vote", "VoteTooLate", "VotesHidden", "database_url",
           "shared_store"]


class Store:
    """The one way assessments and group ratings reach the database. Thread-safe: share one
    per process and database (shared_store)."""

    def __init__(self, url: str | None = None) -> None:
        self.db = Database(url or database_url())
        self.url = self.db.url
        self._migrate()
        self.db.remember_file()
        self.assessments = Assessments(self.db)
        self.ratings = RatingSessions(self.db)
        self.templates = Templates(self.db)
        # assessments
        self.create = self.assessments.create
        self.list = self.assessments.list
        self.most_recent = self.assessments.most_recent
        self.count = self.assessments.count
        self.load = self.assessments.load
        self.revision = self.assessments.revision
        self.save = self.assessments.save
        self.history = self.assessments.history
        self.rename = self.assessments.rename
        self.delete = self.assessments.delete
        self.restore = self.assessments.restore
        # group rating
        self.open_rating = self.ratings.open_rating
        self.rating_for_facilitator = self.ratings.rating_for_facilitator
        self.rating_for_participant = self.ratings.rating_for_participant
        self.show_risk = self.ratings.show_risk
        self.reveal = self.ratings.reveal
        self.close_rating = self.ratings.close_rating
        self.cast_vote = self.ratings.cast_vote
        self.my_vote = self.ratings.my_vote
        self.vote_count = self.ratings.vote_count
        self.votes_for_facilitator = self.ratings.votes_for_facilitator
        self.votes_revealed = self.ratings.votes_revealed
        # an assessment's Word and PowerPoint templates
        self.put_template = self.templates.put
        self.template = self.templates.get
        self.remove_template = self.templates.remove

    def duplicate(self, assessment_id: str, title: str) -> str:
        """A snapshot to compare with later: a new assessment with everything copied, templates
        too, but not the history."""
        copied = self.assessments.duplicate(assessment_id, title)
        self.templates.copy(assessment_id, copied)
        return copied

    @property
    def engine(self) -> Engine:
        return self.db.engine

    @answering
    def _migrate(self) -> str:
        return migrations.upgrade(self.engine)

    @answering
    def schema_revision(self) -> str | None:
        """The Alembic revision the database is at."""
        with self.db.read() as conn:
            return migrations.current_revision(conn)


@functools.lru_cache(maxsize=8)
def shared_store(url: str) -> Store:
    """One Store (one connection pool) per process and database, for the app's sessions and
    the phones' routes alike."""
    return Store(url)
