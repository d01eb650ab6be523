"""A database made by the last release (schema 2: no room votes on entries), with data in
it, is upgraded on start and every row is intact, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (Boolean, Column, DateTime, ForeignKey, Integer, MetaData, String, Table, Text, create_engine,
                        insert, inspect)

from riskkit.models import RoomRating
from riskkit.store import SCHEMA_VERSION, Store


def released_schema() -> tuple[MetaData, dict[str, Table]]:
    """The tables as the release before schema 3 created them (riskkit/store.py at that release)."""
    old = MetaData()
    tables = {
        "meta": Table("riskkit_meta", old, Column("key", String(50), primary_key=True),
                      Column("value", String(200), nullable=False)),
        "assessments": Table("assessments", old, Column("id", String(40), primary_key=True),
                             Column("title", String(200), nullable=False), Column("context", String(200)),
                             Column("held_on", String(10)), Column("policy", String(50), nullable=False),
                             Column("indicators", Text), Column("version", Integer, nullable=False),
                             Column("revision", Integer, nullable=False),
                             Column("created_at", DateTime(timezone=True), nullable=False),
                             Column("updated_at", DateTime(timezone=True), nullable=False),
                             Column("deleted_at", DateTime(timezone=True))),
        "entries": Table("risk_entries", old,
                         Column("assessment_id", String(40), ForeignKey("assessments.id", ondelete="CASCADE"),
                                primary_key=True),
                         Column("number", Integer, primary_key=True), Column("likelihood", String(50)),
                         Column("impact", String(50)), Column("strategy", Text, nullable=False),
                         Column("notes", Text, nullable=False), Column("version", Integer, nullable=False)),
        "own": Table("own_risks", old,
                     Column("assessment_id", String(40), ForeignKey("assessments.id", ondelete="CASCADE"),
                            primary_key=True),
                     Column("number", Integer, primary_key=True), Column("statement", Text, nullable=False),
                     Column("refs", Text, nullable=False), Column("indicator_ids", Text, nullable=False),
                     Column("internal", Boolean, nullable=False), Column("version", Integer, nullable=False)),
        "sessions": Table("rating_sessions", old, Column("id", String(40), primary_key=True),
                          Column("assessment_id", String(40), ForeignKey("assessments.id", ondelete="CASCADE"),
                                 nullable=False),
                          Column("facilitator_token", String(80), nullable=False, unique=True),
                          Column("join_code", String(12), nullable=False, unique=True),
                          Column("current_risk", Integer, nullable=False),
                          Column("revealed", Boolean, nullable=False),
                          Column("created_at", DateTime(timezone=True), nullable=False),
                          Column("closed_at", DateTime(timezone=True))),
        "votes": Table("votes", old,
                       Column("session_id", String(40), ForeignKey("rating_sessions.id", ondelete="CASCADE"),
                              primary_key=True),
                       Column("participant", String(40), primary_key=True),
                       Column("risk_number", Integer, primary_key=True),
                       Column("likelihood", String(50), nullable=False), Column("impact", String(50), nullable=False),
                       Column("cast_at", DateTime(timezone=True), nullable=False)),
    }
    return old, tables


def test_a_database_of_the_last_release_is_upgraded_with_every_row_intact(store_url, catalogue):
    old, t = released_schema()
    engine = create_engine(store_url)
    now = datetime.now(timezone.utc)
    with engine.begin() as conn:
        old.create_all(conn)
        conn.execute(insert(t["meta"]).values(key="schema_version", value="2"))
        conn.execute(insert(t["assessments"]).values(id="a1", title="Kenya 2025", context="Kenya", policy="both",
                                                     version=2, revision=7, created_at=now, updated_at=now))
        conn.execute(insert(t["entries"]).values(assessment_id="a1", number=1, likelihood="High", impact="Medium",
                                                 strategy="Screen everyone", notes="Team only", version=3))
        conn.execute(insert(t["own"]).values(assessment_id="a1", number=13, statement="Shelter staff leave",
                                             refs='["1.7"]', indicator_ids='["PA-03"]', internal=True, version=1))
        conn.execute(insert(t["sessions"]).values(id="s1", assessment_id="a1", facilitator_token="tok",
                                                  join_code="ABCDEF", current_risk=1, revealed=True, created_at=now))
        conn.execute(insert(t["votes"]).values(session_id="s1", participant="p1", risk_number=1, likelihood="High",
                                               impact="Low", cast_at=now))
    engine.dispose()

    store = Store(store_url)
    assert store.schema_version() == SCHEMA_VERSION
    snap = store.load("a1")
    assert (snap.summary.title, snap.summary.context, snap.summary.revision) == ("Kenya 2025", "Kenya", 7)
    entry = snap.assessment.entry(1)
    assert (entry.likelihood, entry.impact, entry.strategy, entry.notes, entry.room) == \
        ("High", "Medium", "Screen everyone", "Team only", None)
    own = snap.assessment.own_risks[0]
    assert (own.number, own.statement, own.references, own.indicator_ids, own.internal) == \
        (13, "Shelter staff leave", ("1.7",), ("PA-03",), True)
    assert [(v.likelihood, v.impact) for v in store.votes_for_facilitator("tok", 1)] == [("High", "Low")]
    with store.engine.connect() as conn:
        assert "room" in {c["name"] for c in inspect(conn).get_columns("risk_entries")}

    room = RoomRating(count=1, likelihood={"High": 1}, impact={"Low": 1}, disagreement=False, recorded_at=now)
    saved = store.save(snap, snap.assessment.record_room_rating(catalogue, 1, "High", "Low", room))
    assert store.load("a1").assessment.entry(1).room == room == saved.assessment.entry(1).room
    again = Store(store_url)  # opening it again migrates nothing
    assert again.schema_version() == SCHEMA_VERSION and again.load("a1").assessment.entry(1).room == room
    again.engine.dispose()
    store.engine.dispose()
