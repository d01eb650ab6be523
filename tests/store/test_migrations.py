"""Databases made by the releases before Alembic (schema 1, 2 and 3 in riskkit_meta), with
data in them, are brought to the newest revision when a Store opens them, with every row
intact, on SQLite and PostgreSQL. An up-to-date database is only read; one from a newer
riskkit is refused untouched."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Engine,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    create_engine,
    event,
    insert,
    inspect,
    select,
    text,
)

from riskkit.models import Entry, RoomRating
from riskkit.store import DatabaseTooNew, Store, migrations

NOW = datetime(2026, 11, 30, 9, 30, tzinfo=UTC)
ROOM = RoomRating(count=3, likelihood={"High": 2, "Low": 1}, impact={"Medium": 3}, disagreement=True,
                  recorded_at=NOW)


def released_schema(version: int) -> tuple[MetaData, dict[str, Table]]:
    """The tables as the release at `version` left them (riskkit/store.py on main at fea828f:
    schema 1 made the assessments' tables, 2 the rating sessions', 3 added risk_entries.room;
    then Alembic revisions on main at 83ead8c: 4 added assessment_templates, 5
    assessments.organisation)."""
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
                         Column("notes", Text, nullable=False),
                         *([Column("room", Text)] if version >= 3 else []),
                         Column("version", Integer, nullable=False)),
        "own": Table("own_risks", old,
                     Column("assessment_id", String(40), ForeignKey("assessments.id", ondelete="CASCADE"),
                            primary_key=True),
                     Column("number", Integer, primary_key=True), Column("statement", Text, nullable=False),
                     Column("refs", Text, nullable=False), Column("indicator_ids", Text, nullable=False),
                     Column("internal", Boolean, nullable=False), Column("version", Integer, nullable=False)),
    }
    if version >= 2:
        tables["sessions"] = Table(
            "rating_sessions", old, Column("id", String(40), primary_key=True),
            Column("assessment_id", String(40), ForeignKey("assessments.id", ondelete="CASCADE"), nullable=False),
            Column("facilitator_token", String(80), nullable=False, unique=True),
            Column("join_code", String(12), nullable=False, unique=True),
            Column("current_risk", Integer, nullable=False), Column("revealed", Boolean, nullable=False),
            Column("created_at", DateTime(timezone=True), nullable=False), Column("closed_at", DateTime(timezone=True)))
        tables["votes"] = Table(
            "votes", old,
            Column("session_id", String(40), ForeignKey("rating_sessions.id", ondelete="CASCADE"), primary_key=True),
            Column("participant", String(40), primary_key=True), Column("risk_number", Integer, primary_key=True),
            Column("likelihood", String(50), nullable=False), Column("impact", String(50), nullable=False),
            Column("cast_at", DateTime(timezone=True), nullable=False))
    if version >= 5:
        tables["assessments"].append_column(Column("organisation", String(200), nullable=False, server_default=""))
        tables["templates"] = Table(
            "assessment_templates", old,
            Column("assessment_id", String(40), ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True),
            Column("kind", String(10), primary_key=True), Column("file_name", String(200), nullable=False),
            Column("content", LargeBinary, nullable=False),
            Column("uploaded_at", DateTime(timezone=True), nullable=False))
        tables["alembic"] = Table("alembic_version", old, Column("version_num", String(32), nullable=False),
                                  PrimaryKeyConstraint("version_num", name="alembic_version_pkc"))
    return old, tables


def released_database(url: str, version: int) -> dict[str, Table]:
    """A database as the release at `version` made and used it: two assessments (one deleted),
    rated risks, an own risk, a group rating with votes."""
    old, t = released_schema(version)
    engine = create_engine(url)
    with engine.begin() as conn:
        old.create_all(conn)
        conn.execute(insert(t["meta"]).values(key="schema_version", value=str(version)))
        conn.execute(insert(t["assessments"]), [
            dict(id="a1", title="Kenya 2025", context="Kenya", held_on="2025-11-29", policy="both",
                 indicators='{"title": "Ours", "indicators": []}', version=2, revision=7, created_at=NOW,
                 updated_at=NOW, deleted_at=None),
            dict(id="gone", title="Deleted draft", context="", held_on=None, policy="either", indicators=None,
                 version=1, revision=1, created_at=NOW, updated_at=NOW, deleted_at=NOW)])
        room = {"room": ROOM.model_dump_json()} if version >= 3 else {}
        conn.execute(insert(t["entries"]), [
            dict(assessment_id="a1", number=1, likelihood="High", impact="Medium", strategy="Screen everyone",
                 notes="Team only", version=3, **room),
            dict(assessment_id="a1", number=2, likelihood=None, impact="Low", strategy="", notes="", version=1,
                 **({"room": None} if room else {})),
            dict(assessment_id="gone", number=5, likelihood="Low", impact="Low", strategy="Kept while deleted",
                 notes="", version=1, **({"room": None} if room else {}))])
        conn.execute(insert(t["own"]).values(assessment_id="a1", number=13, statement="Shelter staff leave",
                                             refs='["1.7"]', indicator_ids='["PA-03"]', internal=True, version=1))
        if version >= 2:
            conn.execute(insert(t["sessions"]).values(id="s1", assessment_id="a1", facilitator_token="tok",
                                                      join_code="ABCDEF", current_risk=1, revealed=True,
                                                      created_at=NOW))
            conn.execute(insert(t["votes"]), [
                dict(session_id="s1", participant="p1", risk_number=1, likelihood="High", impact="Low", cast_at=NOW),
                dict(session_id="s1", participant="p2", risk_number=1, likelihood="Low", impact="Low", cast_at=NOW)])
        if version >= 5:
            conn.execute(insert(t["alembic"]).values(version_num=f"{version:04d}"))
            conn.execute(t["assessments"].update().where(t["assessments"].c.id == "a1")
                         .values(organisation="IOM Kenya"))
            conn.execute(insert(t["templates"]).values(assessment_id="a1", kind="docx", file_name="letterhead.docx",
                                                       content=b"PK\x03\x04 a letterhead", uploaded_at=NOW))
    engine.dispose()
    return t


def every_row(url: str, tables: dict[str, Table]) -> dict[str, list[tuple[object, ...]]]:
    engine = create_engine(url)
    with engine.connect() as conn:
        found = {name: sorted(tuple(row) for row in conn.execute(select(table)))
                 for name, table in tables.items() if name not in ("meta", "alembic")}
    engine.dispose()
    return found


@contextmanager
def statements() -> Iterator[list[str]]:
    """Every SQL statement any engine sends while inside."""
    sent: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        sent.append(statement)

    event.listen(Engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(Engine, "before_cursor_execute", record)


def writes(sent: list[str]) -> list[str]:
    return [s for s in sent if re.match(r"\s*(INSERT|UPDATE|DELETE|CREATE|ALTER|DROP)\b", s, re.IGNORECASE)]


def test_a_database_of_the_last_release_is_upgraded_with_every_row_intact(store_url, catalogue):
    tables = released_database(store_url, 3)
    before = every_row(store_url, tables)

    store = Store(store_url)
    assert store.schema_revision() == migrations.newest_revision()
    assert every_row(store_url, tables) == before
    with store.engine.connect() as conn:  # revision 0004: templates kept with their assessment, none yet
        assert {c["name"] for c in inspect(conn).get_columns("assessment_templates")} == \
            {"assessment_id", "kind", "file_name", "content", "uploaded_at"}
        assert conn.execute(text("SELECT count(*) FROM assessment_templates")).scalar() == 0
    assert store.template("a1", "docx") is None
    with store.engine.connect() as conn:  # revision 0005: an organisation, empty for what existed
        assert sorted(conn.execute(text("SELECT id, organisation FROM assessments"))) == [("a1", ""), ("gone", "")]

    snap = store.load("a1")
    assert (snap.summary.title, snap.summary.context, str(snap.summary.held_on), snap.summary.revision) == \
        ("Kenya 2025", "Kenya", "2025-11-29", 7)
    assert snap.summary.organisation == ""
    entry = snap.assessment.entry(1)
    assert (entry.likelihood, entry.impact, entry.strategy, entry.notes, entry.room) == \
        ("High", "Medium", "Screen everyone", "Team only", ROOM)
    own = snap.assessment.own_risks[0]
    assert (own.number, own.statement, own.references, own.indicator_ids, own.internal) == \
        (13, "Shelter staff leave", ("1.7",), ("PA-03",), True)
    assert [s.id for s in store.list(deleted=True)] == ["gone"]
    store.restore("gone")
    assert store.load("gone").assessment.entry(5).strategy == "Kept while deleted"
    renamed = store.rename("a1", "Kenya 2025", organisation="IOM Kenya", seen=snap.summary)
    assert (renamed.title, renamed.context, renamed.organisation, renamed.revision) == \
        ("Kenya 2025", "Kenya", "IOM Kenya", 7)
    assert sorted((v.likelihood, v.impact) for v in store.votes_for_facilitator("tok", 1)) == \
        [("High", "Low"), ("Low", "Low")]
    store.engine.dispose()


def test_a_database_of_the_previous_release_gets_the_follow_up_empty_with_every_row_intact(store_url, catalogue):
    """Revision 0005 as main released it (83ead8c), every table filled, opened by this riskkit:
    every row as it was, and no actions, residual ratings, review dates, values or history yet."""
    tables = released_database(store_url, 5)
    before = every_row(store_url, tables)

    store = Store(store_url)
    assert store.schema_revision() == migrations.newest_revision()
    assert every_row(store_url, tables) == before
    snap = store.load("a1")
    assert (snap.summary.organisation, snap.summary.language, snap.summary.revision) == ("IOM Kenya", "en", 7)
    entry = snap.assessment.entry(1)
    assert (entry.likelihood, entry.impact, entry.strategy, entry.notes, entry.room) == \
        ("High", "Medium", "Screen everyone", "Team only", ROOM)
    assert all(getattr(e, name) == Entry.model_fields[name].default for e in snap.assessment.entries.values()
               for name in ("residual_likelihood", "residual_impact", "review_on", "actions"))
    assert (snap.assessment.review_on, snap.assessment.tracks, store.history("a1")) == (None, {}, ())
    assert store.template("a1", "docx").file_name == "letterhead.docx"

    # a row from before the follow-up takes an action beside a colleague's rating of it
    store.save(snap, snap.assessment.rate(catalogue, 1, impact="Low"))
    planned, action_id = snap.assessment.add_action(catalogue, 1, "Train", due=NOW.date())
    store.save(snap, planned.record_reading("PA-01", NOW.date(), 3.0), by="Amina")
    entry = store.load("a1").assessment.entry(1)
    assert (entry.impact, entry.action(action_id).what, entry.strategy) == ("Low", "Train", "Screen everyone")
    assert {(c.by, c.field) for c in store.history("a1")} == {("", "impact"), ("Amina", "actions"),
                                                              ("Amina", "readings")}
    store.engine.dispose()


@pytest.mark.parametrize("version", [1, 2])
def test_a_database_of_an_older_release_is_upgraded_and_takes_what_it_lacked(store_url, catalogue, version):
    tables = released_database(store_url, version)
    before = every_row(store_url, tables)

    store = Store(store_url)
    assert store.schema_revision() == migrations.newest_revision()
    after = every_row(store_url, tables)
    assert after == before  # the columns the release had, untouched
    with store.engine.connect() as conn:
        assert "room" in {c["name"] for c in inspect(conn).get_columns("risk_entries")}

    snap = store.load("a1")
    voted = Entry(likelihood="High", impact="Low", room=ROOM)
    saved = store.save(snap, snap.assessment.model_copy(update={"entries": {**snap.assessment.entries, 1: voted}}))
    assert store.load("a1").assessment.entry(1).room == ROOM == saved.assessment.entry(1).room
    session, token = store.open_rating("a1", 1)
    assert store.rating_for_facilitator(token) == session
    store.engine.dispose()


def test_a_new_database_is_built_by_the_migrations_and_says_its_revision(store):
    assert store.schema_revision() == migrations.newest_revision()
    with store.engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        legacy = conn.execute(text("SELECT value FROM riskkit_meta WHERE key = 'schema_version'")).scalar()
    assert {"assessments", "risk_entries", "own_risks", "rating_sessions", "votes", "alembic_version"} <= tables
    assert legacy == str(int(migrations.newest_revision()))  # a release before Alembic refuses anything newer


def test_every_field_of_an_entry_has_its_column_after_the_migrations(store):
    """Adding a field to Entry without the migration that adds its column fails here."""
    with store.engine.connect() as conn:
        columns = {c["name"] for c in inspect(conn).get_columns("risk_entries")}
    assert columns == {"assessment_id", "number", "version", *Entry.model_fields}


def test_an_entry_with_every_field_set_comes_back_equal(store, catalogue):
    room = RoomRating(count=3, likelihood={"High": 3}, impact={"Low": 2, "Medium": 1}, disagreement=False,
                      recorded_at=datetime(2026, 11, 30, 9, 0, tzinfo=UTC))
    snap = store.load(store.create("Every field", catalogue.policies.default))
    changed, _ = (snap.assessment.record_room_rating(catalogue, 2, "High", "Low", room)
                  .write_strategy(catalogue, 2, "Screen").write_notes(catalogue, 2, "Day 1")
                  .rate_residual(catalogue, 2, likelihood="Low", impact="Low")
                  .schedule_risk_review(catalogue, 2, date(2026, 9, 1))
                  .add_action(catalogue, 2, "Train", who="NGO", due=date(2026, 7, 1)))
    store.save(snap, changed)
    entry = store.load(snap.summary.id).assessment.entry(2)
    assert entry == changed.entry(2) and all(getattr(entry, f) not in (None, "") for f in Entry.model_fields)


def test_an_up_to_date_database_is_only_read(store_url, catalogue):
    first = Store(store_url)
    made = first.create("Kept", catalogue.policies.default)
    first.engine.dispose()
    with statements() as sent:
        again = Store(store_url)
    assert sent and writes(sent) == []
    assert again.load(made).summary.title == "Kept"
    again.engine.dispose()


def test_a_database_from_a_newer_riskkit_is_refused_and_left_untouched(store_url, catalogue):
    first = Store(store_url)
    made = first.create("Made by a newer riskkit", catalogue.policies.default)
    with first.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0999'"))
    first.engine.dispose()
    with statements() as sent, pytest.raises(DatabaseTooNew, match="newer riskkit .schema 0999.*untouched"):
        Store(store_url)
    assert writes(sent) == []
    engine = create_engine(store_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0999"
        assert conn.execute(text("SELECT title FROM assessments WHERE id = :id"), {"id": made}).scalar() == \
            "Made by a newer riskkit"
    engine.dispose()


def test_a_release_database_newer_than_any_revision_is_refused(store_url):
    released_database(store_url, 3)
    engine = create_engine(store_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE riskkit_meta SET value = '99' WHERE key = 'schema_version'"))
    engine.dispose()
    with pytest.raises(DatabaseTooNew, match="newer riskkit"):
        Store(store_url)


def test_revisions_are_numbered_in_order_and_state_their_own_ddl():
    scripts = list(reversed(list(migrations.scripts().walk_revisions())))
    assert [s.revision for s in scripts] == [f"{n:04d}" for n in range(1, len(scripts) + 1)]
    assert [s.down_revision for s in scripts] == [None] + [s.revision for s in scripts[:-1]]
    for script in scripts:
        source = Path(script.path).read_text(encoding="utf-8")
        imported = set(re.findall(r"^\s*(?:from|import)\s+([\w.]+)", source, flags=re.MULTILINE))
        assert imported <= {"__future__", "alembic", "sqlalchemy"}, \
            f"{script.path} imports {imported}: a revision states its own DDL, never riskkit's tables"


ADD_A_COLUMN = '''"""A later revision: assessments get an owner; the table is rebuilt (batch mode).

Revision ID: {revision}
Revises: {down}
"""
import sqlalchemy as sa
from alembic import op

revision = "{revision}"
down_revision = "{down}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    rebuild = "always" if op.get_bind().dialect.name == "sqlite" else "auto"  # how SQLite changes most things
    with op.batch_alter_table("assessments", recreate=rebuild) as table:
        table.add_column(sa.Column("owner", sa.String(80), nullable=False, server_default="nobody"))


def downgrade() -> None:
    with op.batch_alter_table("assessments") as table:
        table.drop_column("owner")
'''


def test_a_later_revision_adds_a_column_and_a_rebuilt_table_keeps_every_row_that_points_to_it(store_url, tmp_path):
    """The next field's migration: a revision after today's newest rebuilds `assessments` (as
    SQLite's batch mode does for most changes). The entries, own risks, sessions and votes
    pointing at it are all still there, and releases before Alembic would now refuse it."""
    tables = released_database(store_url, 3)
    before = every_row(store_url, tables)
    newest = migrations.newest_revision()
    scripts = tmp_path / "migrations"
    shutil.copytree(migrations.SCRIPTS, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    later = f"{int(newest) + 1:04d}"
    (scripts / "versions" / f"{later}_owner.py").write_text(ADD_A_COLUMN.format(revision=later, down=newest))

    Store(store_url).engine.dispose()  # to today's newest revision first
    engine = Store(store_url).engine
    assert migrations.upgrade(engine, scripts) == later
    with engine.connect() as conn:
        assert migrations.current_revision(conn) == later
        assert conn.execute(text("SELECT owner FROM assessments WHERE id = 'a1'")).scalar() == "nobody"
        assert conn.execute(text("SELECT value FROM riskkit_meta WHERE key = 'schema_version'")).scalar() == \
            str(int(later))
    engine.dispose()
    assert every_row(store_url, tables) == before
