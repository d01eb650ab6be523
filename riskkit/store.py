"""Assessments kept in a database: SQLite by default, PostgreSQL when
RISKKIT_DATABASE_URL names one.

Every risk's entry and every own risk is a row with its own version. A save
carries the versions it was based on and changes only the rows that differ, so
two people rating different risks never collide, and two people rating the
same risk get a StaleEdit instead of a silent overwrite.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import (Boolean, Column, Connection, DateTime, Engine, ForeignKey, Integer, MetaData, String,
                        Table, Text, create_engine, delete, event, func, insert, select, text, update)
from sqlalchemy.exc import IntegrityError, OperationalError

from riskkit.errors import RiskkitError
from riskkit.models import Assessment, Entry, IndicatorSet, OwnRisk, Value

SCHEMA_VERSION = 2
DEFAULT_SQLITE = Path(__file__).resolve().parent.parent / "var" / "riskkit.sqlite3"


class StoreError(RiskkitError):
    """The database could not do what was asked (unreachable, newer schema)."""


class UnknownAssessment(RiskkitError):
    """No assessment has that id (a mistyped or deleted link)."""


class NotFacilitator(RiskkitError):
    """A facilitator's action without the facilitator's link."""


class StaleEdit(RiskkitError):
    """Someone else saved the same thing first; the page reloads their values."""


# --- schema ----------------------------------------------------------------------

metadata = MetaData()
meta_table = Table("riskkit_meta", metadata,
                   Column("key", String(50), primary_key=True),
                   Column("value", String(200), nullable=False))
assessments = Table("assessments", metadata,
                    Column("id", String(40), primary_key=True),
                    Column("title", String(200), nullable=False),
                    Column("context", String(200), nullable=False, default=""),
                    Column("held_on", String(10), nullable=True),
                    Column("policy", String(50), nullable=False),
                    Column("indicators", Text, nullable=True),
                    Column("version", Integer, nullable=False),
                    Column("revision", Integer, nullable=False, default=1),  # +1 on every save
                    Column("created_at", DateTime(timezone=True), nullable=False),
                    Column("updated_at", DateTime(timezone=True), nullable=False),
                    Column("deleted_at", DateTime(timezone=True), nullable=True))
entries = Table("risk_entries", metadata,
                Column("assessment_id", String(40), ForeignKey("assessments.id", ondelete="CASCADE"),
                       primary_key=True),
                Column("number", Integer, primary_key=True),
                Column("likelihood", String(50), nullable=True),
                Column("impact", String(50), nullable=True),
                Column("strategy", Text, nullable=False, default=""),
                Column("notes", Text, nullable=False, default=""),
                Column("version", Integer, nullable=False))
own_risks = Table("own_risks", metadata,
                  Column("assessment_id", String(40), ForeignKey("assessments.id", ondelete="CASCADE"),
                         primary_key=True),
                  Column("number", Integer, primary_key=True),
                  Column("statement", Text, nullable=False),
                  Column("refs", Text, nullable=False, default="[]"),
                  Column("indicator_ids", Text, nullable=False, default="[]"),
                  Column("internal", Boolean, nullable=False, default=False),
                  Column("version", Integer, nullable=False))

rating_sessions = Table("rating_sessions", metadata,
                        Column("id", String(40), primary_key=True),
                        Column("assessment_id", String(40), ForeignKey("assessments.id", ondelete="CASCADE"),
                               nullable=False),
                        Column("facilitator_token", String(80), nullable=False, unique=True),
                        Column("join_code", String(12), nullable=False, unique=True),
                        Column("current_risk", Integer, nullable=False),
                        Column("revealed", Boolean, nullable=False, default=False),
                        Column("created_at", DateTime(timezone=True), nullable=False),
                        Column("closed_at", DateTime(timezone=True), nullable=True))
votes = Table("votes", metadata,
              Column("session_id", String(40), ForeignKey("rating_sessions.id", ondelete="CASCADE"),
                     primary_key=True),
              Column("participant", String(40), primary_key=True),
              Column("risk_number", Integer, primary_key=True),
              Column("likelihood", String(50), nullable=False),
              Column("impact", String(50), nullable=False),
              Column("cast_at", DateTime(timezone=True), nullable=False))

V1_TABLES = [assessments, entries, own_risks]
V2_TABLES = [rating_sessions, votes]


def _migrate_to_1(conn: Connection) -> None:
    metadata.create_all(conn, tables=V1_TABLES)


def _migrate_to_2(conn: Connection) -> None:
    metadata.create_all(conn, tables=V2_TABLES)


# version -> step; a step runs once, in order, inside the migration transaction
MIGRATIONS: dict[int, Callable[[Connection], None]] = {1: _migrate_to_1, 2: _migrate_to_2}


# --- values handed to pages ----------------------------------------------------------


class Summary(Value):
    id: str
    title: str
    context: str = ""
    held_on: date | None = None
    policy: str
    revision: int = 1
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None = None


class RatingSession(Value):
    """A group rating of one assessment. The facilitator token never leaves the facilitator's link."""

    id: str
    assessment_id: str
    join_code: str
    current_risk: int
    revealed: bool
    closed: bool


class Vote(Value):
    likelihood: str
    impact: str


class Snapshot(Value):
    """An assessment as saved, with the version of every row it was read at."""

    summary: Summary
    assessment: Assessment
    versions: dict[str, int]


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _entry_key(number: int) -> str:
    return f"entry:{number}"


def _own_key(number: int) -> str:
    return f"own:{number}"


def database_url() -> str:
    url = os.environ.get("RISKKIT_DATABASE_URL", "").strip()
    if url:
        return url
    DEFAULT_SQLITE.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DEFAULT_SQLITE}"


class Store:
    """The one way assessments reach the database. Thread-safe: share one per process."""

    def __init__(self, url: str | None = None) -> None:
        self.url = url or database_url()
        self.engine = _engine(self.url)
        self.migrate()

    # -- schema

    def migrate(self) -> int:
        try:
            with self._write() as conn:
                metadata.create_all(conn, tables=[meta_table])
                current = self._schema_version(conn)
                if current > SCHEMA_VERSION:
                    raise StoreError(f"The database was made by a newer riskkit (schema {current}); "
                                     f"this one understands up to {SCHEMA_VERSION}.")
                for version in sorted(MIGRATIONS):
                    if version > current:
                        MIGRATIONS[version](conn)
                        self._set_schema_version(conn, version)
                return max(current, SCHEMA_VERSION)
        except OperationalError as exc:
            raise StoreError(f"The database cannot be reached ({exc.orig}).") from None

    def schema_version(self) -> int:
        with self.engine.connect() as conn:
            return self._schema_version(conn)

    @staticmethod
    def _schema_version(conn: Connection) -> int:
        found = conn.execute(select(meta_table.c.value).where(meta_table.c.key == "schema_version")).scalar()
        return int(found) if found is not None else 0

    @staticmethod
    def _set_schema_version(conn: Connection, version: int) -> None:
        changed = conn.execute(update(meta_table).where(meta_table.c.key == "schema_version")
                               .values(value=str(version))).rowcount
        if not changed:
            conn.execute(insert(meta_table).values(key="schema_version", value=str(version)))

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """A write transaction; serialised on SQLite, advisory-locked migrations on PostgreSQL."""
        with self.engine.begin() as conn:
            if self.engine.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(36036)"))
            yield conn

    # -- assessments

    def create(self, title: str, policy: str, context: str = "", held_on: date | None = None,
               assessment: Assessment | None = None) -> str:
        title = _required(title, "An assessment needs a title.")
        new_id = secrets.token_hex(8)
        now = _now()
        body = assessment or Assessment(policy=policy)
        with self._write() as conn:
            conn.execute(insert(assessments).values(
                id=new_id, title=title, context=context.strip(), held_on=held_on.isoformat() if held_on else None,
                policy=body.policy, indicators=_dump_indicators(body.indicators), version=1, revision=1,
                created_at=now, updated_at=now))
            for own in body.own_risks:
                conn.execute(insert(own_risks).values(assessment_id=new_id, version=1, **_own_row(own)))
            for number, entry in body.entries.items():
                conn.execute(insert(entries).values(assessment_id=new_id, number=number, version=1,
                                                    **entry.model_dump()))
        return new_id

    def list(self, deleted: bool = False) -> list[Summary]:
        where = assessments.c.deleted_at.is_not(None) if deleted else assessments.c.deleted_at.is_(None)
        with self.engine.connect() as conn:
            rows = conn.execute(select(assessments).where(where).order_by(assessments.c.updated_at.desc()))
            return [_summary(row) for row in rows]

    def most_recent(self) -> str | None:
        found = self.list()
        return found[0].id if found else None

    def load(self, assessment_id: str) -> Snapshot:
        with self.engine.connect() as conn:
            return self._load(conn, assessment_id)

    def _load(self, conn: Connection, assessment_id: str) -> Snapshot:
        head = conn.execute(select(assessments).where(assessments.c.id == assessment_id,
                                                      assessments.c.deleted_at.is_(None))).first()
        if head is None:
            raise UnknownAssessment(f"No assessment has the id '{assessment_id}'. It may have been deleted; "
                                    "open one from the Assessments page.")
        versions = {"meta": head.version}
        found_entries = {}
        for row in conn.execute(select(entries).where(entries.c.assessment_id == assessment_id)):
            # rows were validated on the way in: construct without validating again
            found_entries[row.number] = Entry.model_construct(likelihood=row.likelihood, impact=row.impact,
                                                              strategy=row.strategy, notes=row.notes)
            versions[_entry_key(row.number)] = row.version
        found_own = []
        for row in conn.execute(select(own_risks).where(own_risks.c.assessment_id == assessment_id)
                                .order_by(own_risks.c.number)):
            found_own.append(OwnRisk.model_construct(number=row.number, statement=row.statement,
                                     references=tuple(json.loads(row.refs)),
                                     indicator_ids=tuple(json.loads(row.indicator_ids)), internal=row.internal))
            versions[_own_key(row.number)] = row.version
        assessment = Assessment.model_construct(policy=head.policy, entries=found_entries,
                                                own_risks=tuple(found_own),
                                                indicators=_load_indicators(head.indicators))
        return Snapshot(summary=_summary(head), assessment=assessment, versions=versions)

    def revision(self, assessment_id: str) -> int | None:
        """A number that changes with every save: whether a held snapshot is still current."""
        with self.engine.connect() as conn:
            return conn.execute(select(assessments.c.revision).where(
                assessments.c.id == assessment_id, assessments.c.deleted_at.is_(None))).scalar()

    def save(self, before: Snapshot, after: Assessment) -> Snapshot:
        """Write what changed from `before` to `after`, each row only if nobody changed it since."""
        assessment_id = before.summary.id
        versions = dict(before.versions)
        old = before.assessment
        with self._write() as conn:
            if (old.policy, old.indicators) != (after.policy, after.indicators):
                self._guarded(conn, update(assessments).where(
                    assessments.c.id == assessment_id, assessments.c.version == versions["meta"]).values(
                    policy=after.policy, indicators=_dump_indicators(after.indicators),
                    version=versions["meta"] + 1), "The policy or indicator list")
                versions["meta"] += 1
            old_own = {r.number: r for r in old.own_risks}
            new_own = {r.number: r for r in after.own_risks}
            for number in sorted(old_own.keys() | new_own.keys()):
                self._save_own(conn, assessment_id, number, old_own.get(number), new_own.get(number), versions)
            for number in sorted(old.entries.keys() | after.entries.keys()):
                was, now = old.entries.get(number), after.entries.get(number)
                if was != now:
                    self._save_entry(conn, assessment_id, number, now, versions)
            touched = conn.execute(update(assessments).where(assessments.c.id == assessment_id,
                                                             assessments.c.deleted_at.is_(None))
                                   .values(updated_at=_now(), revision=assessments.c.revision + 1)).rowcount
            if not touched:
                raise UnknownAssessment("This assessment was deleted by someone else; nothing was saved.")
            head = conn.execute(select(assessments).where(assessments.c.id == assessment_id)).one()
            if head.revision != before.summary.revision + 1:
                # others saved since `before` was read: hand back everything, theirs included
                return self._load(conn, assessment_id)
        return Snapshot(summary=_summary(head), assessment=after, versions=versions)

    def _save_entry(self, conn: Connection, assessment_id: str, number: int, entry: Entry | None,
                    versions: dict[str, int]) -> None:
        key = _entry_key(number)
        what = f"Risk {number}"
        if entry is None:
            self._guarded(conn, delete(entries).where(entries.c.assessment_id == assessment_id,
                                                      entries.c.number == number,
                                                      entries.c.version == versions.get(key, 0)), what)
            versions.pop(key, None)
        elif key in versions:
            self._guarded(conn, update(entries).where(
                entries.c.assessment_id == assessment_id, entries.c.number == number,
                entries.c.version == versions[key]).values(version=versions[key] + 1, **entry.model_dump()), what)
            versions[key] += 1
        else:
            try:
                with conn.begin_nested():
                    conn.execute(insert(entries).values(assessment_id=assessment_id, number=number, version=1,
                                                        **entry.model_dump()))
            except IntegrityError:
                raise _stale(what) from None
            versions[key] = 1

    def _save_own(self, conn: Connection, assessment_id: str, number: int, was: OwnRisk | None,
                  now: OwnRisk | None, versions: dict[str, int]) -> None:
        if was == now:
            return
        key = _own_key(number)
        what = f"Risk {number}"
        where = (own_risks.c.assessment_id == assessment_id, own_risks.c.number == number)
        if now is None:
            self._guarded(conn, delete(own_risks).where(*where, own_risks.c.version == versions[key]), what)
            versions.pop(key)
        elif was is None:
            try:
                with conn.begin_nested():
                    conn.execute(insert(own_risks).values(assessment_id=assessment_id, version=1, **_own_row(now)))
            except IntegrityError:
                raise StaleEdit(f"Someone else added risk {number} at the same moment. Their version is shown "
                                "now; add yours again.") from None
            versions[key] = 1
        else:
            self._guarded(conn, update(own_risks).where(*where, own_risks.c.version == versions[key])
                          .values(version=versions[key] + 1, **_own_row(now)), what)
            versions[key] += 1

    @staticmethod
    def _guarded(conn: Connection, statement: Any, what: str) -> None:
        if conn.execute(statement).rowcount != 1:
            raise _stale(what)

    def rename(self, assessment_id: str, title: str, context: str | None = None,
               held_on: date | None = None) -> None:
        values: dict[str, Any] = {"title": _required(title, "An assessment needs a title."), "updated_at": _now()}
        if context is not None:
            values["context"] = context.strip()
        if held_on is not None:
            values["held_on"] = held_on.isoformat()
        with self._write() as conn:
            if not conn.execute(update(assessments).where(assessments.c.id == assessment_id)
                                .values(**values)).rowcount:
                raise UnknownAssessment(f"No assessment has the id '{assessment_id}'.")

    def duplicate(self, assessment_id: str, title: str) -> str:
        """A snapshot to compare with later: a new assessment with everything copied."""
        original = self.load(assessment_id)
        return self.create(title, original.assessment.policy, original.summary.context, original.summary.held_on,
                           assessment=original.assessment)

    def delete(self, assessment_id: str) -> None:
        """Deleted assessments are kept, hidden, so that a delete can be undone."""
        self._set_deleted(assessment_id, _now())

    def restore(self, assessment_id: str) -> None:
        self._set_deleted(assessment_id, None)

    def _set_deleted(self, assessment_id: str, when: datetime | None) -> None:
        with self._write() as conn:
            if not conn.execute(update(assessments).where(assessments.c.id == assessment_id)
                                .values(deleted_at=when)).rowcount:
                raise UnknownAssessment(f"No assessment has the id '{assessment_id}'.")

    # -- group rating

    def open_rating(self, assessment_id: str, first_risk: int) -> tuple[RatingSession, str]:
        """A new rating session and its facilitator token (returned once, to the facilitator)."""
        self.load(assessment_id)  # raises for an unknown or deleted assessment
        token = secrets.token_urlsafe(24)
        for _attempt in range(20):
            code = join_code()
            try:
                with self._write() as conn:
                    session_id = secrets.token_hex(8)
                    conn.execute(insert(rating_sessions).values(
                        id=session_id, assessment_id=assessment_id, facilitator_token=token, join_code=code,
                        current_risk=first_risk, revealed=False, created_at=_now()))
                return self._rating(rating_sessions.c.id == session_id), token
            except IntegrityError:
                continue  # that join code is taken: draw another
        raise StoreError("Could not find a free join code; close some old rating sessions.")

    def rating_for_facilitator(self, token: str) -> RatingSession:
        if not token:
            raise NotFacilitator("This page needs the facilitator's link.")
        found = self._rating_or_none(rating_sessions.c.facilitator_token == token)
        if found is None or not secrets.compare_digest(self._token_of(found.id), token):
            raise NotFacilitator("This is not a valid facilitator link.")
        return found

    def rating_for_participant(self, code: str) -> RatingSession:
        found = self._rating_or_none(rating_sessions.c.join_code == code.strip().upper())
        if found is None or found.closed:
            raise UnknownAssessment(f"No open rating session has the code '{code.strip().upper()}'. "
                                    "Check the code on the projector.")
        return found

    def show_risk(self, token: str, number: int) -> RatingSession:
        """Facilitator: move the room to another risk (votes on it stay hidden until revealed)."""
        rating = self.rating_for_facilitator(token)
        with self._write() as conn:
            conn.execute(update(rating_sessions).where(rating_sessions.c.id == rating.id)
                         .values(current_risk=number, revealed=False))
        return self.rating_for_facilitator(token)

    def reveal(self, token: str) -> RatingSession:
        rating = self.rating_for_facilitator(token)
        with self._write() as conn:
            conn.execute(update(rating_sessions).where(rating_sessions.c.id == rating.id).values(revealed=True))
        return self.rating_for_facilitator(token)

    def close_rating(self, token: str) -> None:
        rating = self.rating_for_facilitator(token)
        with self._write() as conn:
            conn.execute(update(rating_sessions).where(rating_sessions.c.id == rating.id).values(closed_at=_now()))

    def cast_vote(self, code: str, participant: str, risk_number: int, vote: Vote) -> None:
        """A participant's vote on the risk being shown; voting again replaces their own vote."""
        rating = self.rating_for_participant(code)
        if risk_number != rating.current_risk:
            raise StaleEdit("The facilitator has moved to another risk; your screen now shows it.")
        if rating.revealed:
            raise StaleEdit("Votes on this risk have been revealed: voting on it is closed.")
        row = dict(session_id=rating.id, participant=participant, risk_number=risk_number,
                   likelihood=vote.likelihood, impact=vote.impact, cast_at=_now())
        with self._write() as conn:
            upsert = _upsert(self.engine.dialect.name)
            conn.execute(upsert(votes).values(**row).on_conflict_do_update(
                index_elements=["session_id", "participant", "risk_number"],
                set_=dict(likelihood=vote.likelihood, impact=vote.impact, cast_at=row["cast_at"])))

    def my_vote(self, code: str, participant: str, risk_number: int) -> Vote | None:
        rating = self.rating_for_participant(code)
        with self.engine.connect() as conn:
            row = conn.execute(select(votes.c.likelihood, votes.c.impact).where(
                votes.c.session_id == rating.id, votes.c.participant == participant,
                votes.c.risk_number == risk_number)).first()
        return Vote(likelihood=row.likelihood, impact=row.impact) if row else None

    def vote_count(self, session_id: str, risk_number: int) -> int:
        """How many have voted: anyone may know this, never what they voted."""
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(votes).where(
                votes.c.session_id == session_id, votes.c.risk_number == risk_number)).scalar_one()

    def votes_for_facilitator(self, token: str, risk_number: int) -> list[Vote]:
        return self._votes(self.rating_for_facilitator(token).id, risk_number)

    def votes_revealed(self, code: str, risk_number: int) -> list[Vote]:
        """Participants see the distribution only once the facilitator has revealed it."""
        rating = self.rating_for_participant(code)
        if not (rating.revealed and rating.current_risk == risk_number):
            raise NotFacilitator("Votes are shown once the facilitator reveals them.")
        return self._votes(rating.id, risk_number)

    def _votes(self, session_id: str, risk_number: int) -> list[Vote]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(votes.c.likelihood, votes.c.impact).where(
                votes.c.session_id == session_id, votes.c.risk_number == risk_number))
            return [Vote(likelihood=r.likelihood, impact=r.impact) for r in rows]

    def _rating_or_none(self, where: Any) -> RatingSession | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(rating_sessions).where(where)).first()
        if row is None:
            return None
        return RatingSession(id=row.id, assessment_id=row.assessment_id, join_code=row.join_code,
                             current_risk=row.current_risk, revealed=row.revealed, closed=row.closed_at is not None)

    def _rating(self, where: Any) -> RatingSession:
        found = self._rating_or_none(where)
        assert found is not None
        return found

    def _token_of(self, session_id: str) -> str:
        with self.engine.connect() as conn:
            return conn.execute(select(rating_sessions.c.facilitator_token)
                                .where(rating_sessions.c.id == session_id)).scalar_one()

    def count(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(assessments)).scalar_one()


JOIN_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read off a projector


def join_code(length: int = 6) -> str:
    return "".join(secrets.choice(JOIN_ALPHABET) for _ in range(length))


def _upsert(dialect: str) -> Any:
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert
        return pg_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert
    return sqlite_insert


def _stale(what: str) -> StaleEdit:
    return StaleEdit(f"{what} was changed by someone else a moment ago, so your change was not saved. "
                     "The page now shows their version: check it and make your change again.")


def _required(value: str, message: str) -> str:
    cleaned = value.strip()
    if not cleaned:
        raise RiskkitError(message)
    return cleaned


def _summary(row: Any) -> Summary:
    return Summary(id=row.id, title=row.title, context=row.context, policy=row.policy, revision=row.revision,
                   held_on=date.fromisoformat(row.held_on) if row.held_on else None,
                   created_at=_aware(row.created_at), updated_at=_aware(row.updated_at),
                   deleted_at=_aware(row.deleted_at) if row.deleted_at else None)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _own_row(own: OwnRisk) -> dict[str, Any]:
    return {"number": own.number, "statement": own.statement, "refs": json.dumps(list(own.references)),
            "indicator_ids": json.dumps(list(own.indicator_ids)), "internal": own.internal}


def _dump_indicators(indicators: IndicatorSet | None) -> str | None:
    return indicators.model_dump_json() if indicators is not None else None


def _load_indicators(raw: str | None) -> IndicatorSet | None:
    return IndicatorSet.model_validate_json(raw) if raw else None


def _engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _immediate(conn: Any) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        # let SQLAlchemy's begin() above own the transaction boundaries
        @event.listens_for(engine, "connect")
        def _no_autobegin(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None

        return engine
    return create_engine(url, pool_pre_ping=True)
