"""Assessments kept in a database: SQLite by default, PostgreSQL when
RISKKIT_DATABASE_URL names one.

Every risk's entry and every own risk is a row with its own version. A save
carries the versions it was based on and changes only the rows that differ, so
two people rating different risks never collide, and two people rating the
same risk get a StaleEdit instead of a silent overwrite.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import secrets
import threading
from collections.abc import Callable, Iterator
import queue
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import (Boolean, Column, Connection, DateTime, Engine, ForeignKey, Integer, MetaData, String,
                        Table, Text, create_engine, delete, event, func, insert, inspect, select, text, update)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError, SQLAlchemyError

from riskkit.errors import RiskkitError
from riskkit.limits import checked_text
from riskkit.models import Assessment, Entry, IndicatorSet, OwnRisk, RoomRating, Value

log = logging.getLogger("riskkit.store")
T = TypeVar("T")

SCHEMA_VERSION = 3
DEFAULT_SQLITE = Path(__file__).resolve().parent.parent / "var" / "riskkit.sqlite3"


class StoreError(RiskkitError):
    """The database could not do what was asked (unreachable, newer schema)."""


class DatabaseNotAnswering(StoreError):
    """The database did not answer in time; what the user typed is kept on screen."""


class DatabaseGone(StoreError):
    """The SQLite file was deleted or replaced while riskkit was running."""


# How long a page waits for PostgreSQL before saying it is not answering.
DB_TIMEOUT_S = float(os.environ.get("RISKKIT_DB_TIMEOUT_S", "10"))
_inside = threading.local()


class _DaemonPool:
    """Worker threads for database calls with a deadline. Daemon threads: a call stuck on a
    database that never answers must not keep the server (or a test run) from exiting, which
    a ThreadPoolExecutor's workers would."""

    def __init__(self, workers: int) -> None:
        self.jobs: queue.SimpleQueue[tuple[Callable[[], Any], Future[Any]]] = queue.SimpleQueue()
        self.workers, self.started, self.lock = workers, 0, threading.Lock()
        self.idle = 0

    def submit(self, job: Callable[[], T]) -> Future[T]:
        future: Future[T] = Future()
        with self.lock:
            if self.idle == 0 and self.started < self.workers:
                self.started += 1
                threading.Thread(target=self._work, name=f"riskkit-db-{self.started}", daemon=True).start()
            else:
                self.idle -= 1 if self.idle else 0
        self.jobs.put((job, future))
        return future

    def _work(self) -> None:
        while True:
            job, future = self.jobs.get()
            if future.set_running_or_notify_cancel():
                try:
                    future.set_result(job())
                except BaseException as exc:  # handed to the caller, who raises it
                    future.set_exception(exc)
            with self.lock:
                self.idle += 1


_deadline_pool = _DaemonPool(workers=32)


def answering(method: Callable[..., T]) -> Callable[..., T]:
    """Run a Store method with a deadline on PostgreSQL: a server that accepts connections
    and never answers gives a message after DB_TIMEOUT_S, not a page that hangs. Database
    errors become StoreErrors with words; the details go to the server log."""

    @functools.wraps(method)
    def run(self: Store, *args: Any, **kwargs: Any) -> T:
        if getattr(_inside, "active", False) or self.engine.dialect.name != "postgresql":
            return _translated(method, self, *args, **kwargs)

        def inside() -> T:
            _inside.active = True
            try:
                return _translated(method, self, *args, **kwargs)
            finally:
                _inside.active = False

        future = _deadline_pool.submit(inside)
        try:
            return future.result(timeout=DB_TIMEOUT_S)
        except FutureTimeout:
            future.cancel()  # not started yet: it must not run later, after the user was told it failed
            log.error("database did not answer %s within %.0f s", method.__name__, DB_TIMEOUT_S)
            raise DatabaseNotAnswering(f"The database is not answering (waited {DB_TIMEOUT_S:.0f} seconds), so "
                                       "this may not have been saved. What you typed is still on screen: try "
                                       "again in a moment, or ask whoever runs riskkit to check the "
                                       "database.") from None

    return run


def _translated(method: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    try:
        return method(*args, **kwargs)
    except OperationalError as exc:
        log.exception("database operation %s failed", method.__name__)
        reason = str(exc.orig).lower()
        if "readonly" in reason or "read-only" in reason or "read only" in reason:
            raise StoreError("The database is read-only, so nothing can be saved. Ask whoever runs riskkit "
                             "to make the database writable; what you typed is still on screen.") from None
        raise StoreError("The database cannot be reached or refused the change, so nothing was saved. "
                         "What you typed is still on screen: try again in a moment.") from None
    except (DBAPIError, SQLAlchemyError):
        log.exception("database operation %s failed", method.__name__)
        raise StoreError("The database refused this change, so nothing was saved.") from None


class UnknownAssessment(RiskkitError):
    """No assessment has that id (a mistyped or deleted link)."""


class NotFacilitator(RiskkitError):
    """A facilitator's action without the facilitator's link."""


class StaleEdit(RiskkitError):
    """Someone else saved the same thing first; the page reloads their values."""


class UnknownRatingSession(RiskkitError):
    """No group rating has that join code (mistyped, or from another workshop)."""


class RatingClosed(RiskkitError):
    """The facilitator ended the group rating."""


class VotesHidden(RiskkitError):
    """A participant asked for votes the facilitator has not revealed."""


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
                Column("room", Text, nullable=True),  # v3: the room's votes, as JSON (RoomRating)
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


def _migrate_to_3(conn: Connection) -> None:
    """The room's votes kept with a rating. (Step 1 builds today's tables on a new database,
    so the column may be there already: add it only where it is missing.)"""
    if "room" not in {column["name"] for column in inspect(conn).get_columns("risk_entries")}:
        conn.execute(text("ALTER TABLE risk_entries ADD COLUMN room TEXT"))


# version -> step; a step runs once, in order, inside the migration transaction
MIGRATIONS: dict[int, Callable[[Connection], None]] = {1: _migrate_to_1, 2: _migrate_to_2, 3: _migrate_to_3}


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


@functools.lru_cache(maxsize=8)
def shared_store(url: str) -> Store:
    """One Store (one connection pool) per process and database, for the app's sessions and
    the phones' routes alike."""
    return Store(url)


class Store:
    """The one way assessments reach the database. Thread-safe: share one per process."""

    def __init__(self, url: str | None = None) -> None:
        self.url = url or database_url()
        self.engine = _engine(self.url)
        self._sqlite_file = _sqlite_path(self.url)
        self._identity: tuple[int, int] | None = None
        self.migrate()
        if self._sqlite_file is not None:
            found = self._sqlite_file.stat()
            self._identity = (found.st_dev, found.st_ino)

    def _check_file(self) -> None:
        """A SQLite file deleted or replaced under a running server would take every later
        save with it (the open connection writes to the deleted file): say so instead."""
        if self._identity is None or self._sqlite_file is None:
            return
        try:
            found = self._sqlite_file.stat()
        except FileNotFoundError:
            found = None
        if found is None or (found.st_dev, found.st_ino) != self._identity:
            log.error("the SQLite database %s was deleted or replaced while running", self._sqlite_file)
            raise DatabaseGone(f"The database file {self._sqlite_file.name} was deleted or replaced while riskkit "
                               "was running, so nothing can be saved. What you typed is still on screen. Put the "
                               "file back (or restore it from a backup) and restart riskkit.")

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        self._check_file()
        with self.engine.connect() as conn:
            yield conn

    # -- schema

    @answering
    def migrate(self) -> int:
        try:
            with self._begin() as conn:
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
        except OperationalError:
            log.exception("the database cannot be reached")
            raise StoreError("The database cannot be reached. Ask whoever runs riskkit to check it.") from None

    @answering
    def schema_version(self) -> int:
        with self._read() as conn:
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
    def _begin(self) -> Iterator[Connection]:
        """The migration's transaction: one riskkit process at a time migrates a PostgreSQL database."""
        with self.engine.begin() as conn:
            if self.engine.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(36036)"))
            yield conn

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """A write transaction (serialised on SQLite by BEGIN IMMEDIATE; row-guarded on PostgreSQL)."""
        self._check_file()
        with self.engine.begin() as conn:
            yield conn

    # -- assessments

    @answering
    def create(self, title: str, policy: str, context: str = "", held_on: date | None = None,
               assessment: Assessment | None = None) -> str:
        title = _required(checked_text("title", title), "An assessment needs a title.")
        context = checked_text("context", context)
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
                                                    **_entry_row(entry)))
        return new_id

    @answering
    def list(self, deleted: bool = False) -> list[Summary]:
        where = assessments.c.deleted_at.is_not(None) if deleted else assessments.c.deleted_at.is_(None)
        with self._read() as conn:
            rows = conn.execute(select(assessments).where(where).order_by(assessments.c.updated_at.desc()))
            return [_summary(row) for row in rows]

    def most_recent(self) -> str | None:
        found = self.list()
        return found[0].id if found else None

    @answering
    def load(self, assessment_id: str) -> Snapshot:
        with self._read() as conn:
            return self._load(conn, assessment_id)

    def _load(self, conn: Connection, assessment_id: str) -> Snapshot:
        head = conn.execute(select(assessments).where(assessments.c.id == assessment_id,
                                                      assessments.c.deleted_at.is_(None))).first()
        if head is None:
            raise UnknownAssessment(f"No assessment has the id '{_quoted(assessment_id)}'. It may have been "
                                    "deleted; open one from the Assessments page.")
        versions = {"meta": head.version}
        found_entries = {}
        for row in conn.execute(select(entries).where(entries.c.assessment_id == assessment_id)):
            # rows were validated on the way in: construct without validating again
            found_entries[row.number] = Entry.model_construct(
                likelihood=row.likelihood, impact=row.impact, strategy=row.strategy, notes=row.notes,
                room=RoomRating.model_validate_json(row.room) if row.room else None)
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

    @answering
    def revision(self, assessment_id: str) -> int | None:
        """A number that changes with every save: whether a held snapshot is still current."""
        with self._read() as conn:
            return conn.execute(select(assessments.c.revision).where(
                assessments.c.id == assessment_id, assessments.c.deleted_at.is_(None))).scalar()

    @answering
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
                    self._save_entry(conn, assessment_id, number, was, now, versions)
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

    def _save_entry(self, conn: Connection, assessment_id: str, number: int, was: Entry | None,
                    now: Entry | None, versions: dict[str, int]) -> None:
        """Write one risk's entry if nobody changed it since it was read. If a colleague changed
        other fields of it meanwhile (their notes, my strategy), both changes are kept; only a
        change to the same field is refused."""
        key = _entry_key(number)
        where = (entries.c.assessment_id == assessment_id, entries.c.number == number)
        if key in versions:
            done = conn.execute((delete(entries) if now is None else
                                 update(entries).values(version=versions[key] + 1, **_entry_row(now)))
                                .where(*where, entries.c.version == versions[key])).rowcount
            if done == 1:
                if now is None:
                    versions.pop(key)
                else:
                    versions[key] += 1
                return
        elif now is not None:
            try:
                with conn.begin_nested():
                    conn.execute(insert(entries).values(assessment_id=assessment_id, number=number, version=1,
                                                        **_entry_row(now)))
                versions[key] = 1
                return
            except IntegrityError:
                pass  # a colleague saved this risk first: merge below
        else:
            return
        current = conn.execute(select(entries).where(*where)).first()
        if now is None and current is None:  # both of us cleared it
            versions.pop(key, None)
            return
        theirs = _fields(current, ENTRY_COLUMNS) if current is not None else _entry_row(Entry())
        merged = _three_way(_entry_row(was or Entry()), _entry_row(now or Entry()), theirs)
        if merged is None:
            raise _stale(f"Risk {number}")
        if current is None:
            try:
                with conn.begin_nested():
                    conn.execute(insert(entries).values(assessment_id=assessment_id, number=number, version=1,
                                                        **merged))
            except IntegrityError:
                raise _stale(f"Risk {number}") from None
            versions[key] = 1
        else:  # only if it is still the row the merge was made with
            self._guarded(conn, update(entries).where(*where, entries.c.version == current.version)
                          .values(version=current.version + 1, **merged), f"Risk {number}")
            versions[key] = current.version + 1

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
        elif conn.execute(update(own_risks).where(*where, own_risks.c.version == versions[key])
                          .values(version=versions[key] + 1, **_own_row(now))).rowcount == 1:
            versions[key] += 1
        else:  # changed meanwhile: keep both people's changes unless they touched the same field
            current = conn.execute(select(own_risks).where(*where)).first()
            merged = None if current is None else _three_way(_own_row(was), _own_row(now), _own_fields(current))
            if merged is None or current is None:
                raise _stale(what)
            self._guarded(conn, update(own_risks).where(*where, own_risks.c.version == current.version)
                          .values(version=current.version + 1, **merged), what)
            versions[key] = current.version + 1

    @staticmethod
    def _guarded(conn: Connection, statement: Any, what: str) -> None:
        if conn.execute(statement).rowcount != 1:
            raise _stale(what)

    @answering
    def rename(self, assessment_id: str, title: str, context: str | None = None,
               held_on: date | None = None, seen: Summary | None = None) -> Summary:
        """Rename; with `seen` (the summary the user was looking at), only if nobody renamed it
        since, like every other save. Returns the summary as saved."""
        values: dict[str, Any] = {"title": _required(checked_text("title", title), "An assessment needs a title."),
                                  "updated_at": _now()}
        if context is not None:
            values["context"] = checked_text("context", context)
        if held_on is not None:
            values["held_on"] = held_on.isoformat()
        guard = [assessments.c.id == assessment_id, assessments.c.deleted_at.is_(None)]
        if seen is not None:
            guard += [assessments.c.title == seen.title, assessments.c.context == seen.context]
        with self._write() as conn:
            if not conn.execute(update(assessments).where(*guard).values(**values)).rowcount:
                head = conn.execute(select(assessments).where(assessments.c.id == assessment_id,
                                                              assessments.c.deleted_at.is_(None))).first()
                if head is None:
                    raise UnknownAssessment("This assessment was deleted by someone else; nothing was saved.")
                raise StaleEdit(f"Someone else renamed this assessment to “{head.title}” a moment ago, so your "
                                "title was not saved. What you typed is still in the box: save again to "
                                "replace their title.")
            return _summary(conn.execute(select(assessments).where(assessments.c.id == assessment_id)).one())

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

    @answering
    def _set_deleted(self, assessment_id: str, when: datetime | None) -> None:
        with self._write() as conn:
            if not conn.execute(update(assessments).where(assessments.c.id == assessment_id)
                                .values(deleted_at=when)).rowcount:
                raise UnknownAssessment(f"No assessment has the id '{assessment_id}'.")

    # -- group rating

    @answering
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

    @answering
    def rating_for_facilitator(self, token: str) -> RatingSession:
        """The session this facilitator key opens, closed or not (a closed one says so on the page)."""
        if not token or len(token) > 100:
            raise NotFacilitator("This page needs the facilitator's link.")
        found = self._rating_or_none(rating_sessions.c.facilitator_token == token)
        if found is None or not secrets.compare_digest(self._token_of(found.id), token):
            raise NotFacilitator("This is not a valid facilitator link.")
        return found

    @answering
    def rating_for_participant(self, code: str) -> RatingSession:
        wanted = code.strip().upper()
        if not wanted or len(wanted) > 12 or any(ch not in JOIN_ALPHABET for ch in wanted):
            raise UnknownRatingSession("That is not a join code: a code is six letters and digits, as shown on "
                                       "the projector.")
        found = self._rating_or_none(rating_sessions.c.join_code == wanted)
        if found is None:
            raise UnknownRatingSession(f"No rating session has the code {wanted}. Check the code on the projector.")
        if found.closed:
            raise RatingClosed("This group rating has ended. Thank you for taking part.")
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
            raise RatingClosed("This group rating has ended; start a new one to rate with the room again.")
        with self._write() as conn:
            conn.execute(update(rating_sessions).where(rating_sessions.c.id == rating.id,
                                                       rating_sessions.c.closed_at.is_(None)).values(**values))
        return self.rating_for_facilitator(token)

    @answering
    def cast_vote(self, code: str, participant: str, risk_number: int, vote: Vote) -> None:
        """A participant's vote on the risk being shown; voting again replaces their own vote.

        The checks (this risk is shown, votes are not revealed, the session is open) are made
        inside the vote's own write transaction, with the session's row locked on PostgreSQL
        (SQLite takes the whole database), so a reveal or a move can never let a vote in after it.
        """
        rating = self.rating_for_participant(code)
        row = dict(session_id=rating.id, participant=participant, risk_number=risk_number,
                   likelihood=vote.likelihood, impact=vote.impact, cast_at=_now())
        with self._write() as conn:
            query = select(rating_sessions.c.current_risk, rating_sessions.c.revealed,
                           rating_sessions.c.closed_at).where(rating_sessions.c.id == rating.id)
            if self.engine.dialect.name == "postgresql":
                query = query.with_for_update()
            live = conn.execute(query).one()
            if live.closed_at is not None:
                raise RatingClosed("This group rating has ended; your vote was not counted.")
            if risk_number != live.current_risk:
                raise StaleEdit("The facilitator had moved to another risk, so this vote was not counted. "
                                "Your screen now shows the risk being rated.")
            if live.revealed:
                raise StaleEdit("The votes on this risk had been revealed, so this vote was not counted.")
            upsert = _upsert(self.engine.dialect.name)
            conn.execute(upsert(votes).values(**row).on_conflict_do_update(
                index_elements=["session_id", "participant", "risk_number"],
                set_=dict(likelihood=vote.likelihood, impact=vote.impact, cast_at=row["cast_at"])))

    @answering
    def my_vote(self, code: str, participant: str, risk_number: int) -> Vote | None:
        rating = self.rating_for_participant(code)
        with self._read() as conn:
            row = conn.execute(select(votes.c.likelihood, votes.c.impact).where(
                votes.c.session_id == rating.id, votes.c.participant == participant,
                votes.c.risk_number == risk_number)).first()
        return Vote(likelihood=row.likelihood, impact=row.impact) if row else None

    @answering
    def vote_count(self, session_id: str, risk_number: int) -> int:
        """How many have voted: anyone may know this, never what they voted."""
        with self._read() as conn:
            return conn.execute(select(func.count()).select_from(votes).where(
                votes.c.session_id == session_id, votes.c.risk_number == risk_number)).scalar_one()

    @answering
    def votes_for_facilitator(self, token: str, risk_number: int) -> list[Vote]:
        return self._votes(self.rating_for_facilitator(token).id, risk_number)

    @answering
    def votes_revealed(self, code: str, risk_number: int) -> list[Vote]:
        """Participants see the distribution only once the facilitator has revealed it."""
        rating = self.rating_for_participant(code)
        if not (rating.revealed and rating.current_risk == risk_number):
            raise VotesHidden("Votes are shown once the facilitator reveals them.")
        return self._votes(rating.id, risk_number)

    def _votes(self, session_id: str, risk_number: int) -> list[Vote]:
        with self._read() as conn:
            rows = conn.execute(select(votes.c.likelihood, votes.c.impact).where(
                votes.c.session_id == session_id, votes.c.risk_number == risk_number))
            return [Vote(likelihood=r.likelihood, impact=r.impact) for r in rows]

    def _rating_or_none(self, where: Any) -> RatingSession | None:
        with self._read() as conn:
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
        with self._read() as conn:
            return conn.execute(select(rating_sessions.c.facilitator_token)
                                .where(rating_sessions.c.id == session_id)).scalar_one()

    @answering
    def count(self) -> int:
        with self._read() as conn:
            return conn.execute(select(func.count()).select_from(assessments)).scalar_one()


NO_RISK = 0  # a rating session's current risk while the projector shows no risk (the closing heat map)
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


def _three_way(base: dict[str, Any], mine: dict[str, Any], theirs: dict[str, Any]) -> dict[str, Any] | None:
    """Their row with my changes on top, or None when we both changed the same field differently."""
    merged = dict(theirs)
    for field, value in mine.items():
        if value == base.get(field):
            continue  # I did not change it
        if theirs.get(field) not in (base.get(field), value):
            return None
        merged[field] = value
    return merged


ENTRY_COLUMNS = ("likelihood", "impact", "strategy", "notes", "room")


def _entry_row(entry: Entry) -> dict[str, Any]:
    return {"likelihood": entry.likelihood, "impact": entry.impact, "strategy": entry.strategy,
            "notes": entry.notes, "room": entry.room.model_dump_json() if entry.room else None}


def _fields(row: Any, columns: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(row, name) for name in columns}


def _own_fields(row: Any) -> dict[str, Any]:
    return {"number": row.number, "statement": row.statement, "refs": row.refs,
            "indicator_ids": row.indicator_ids, "internal": bool(row.internal)}


def _quoted(text: str, limit: int = 40) -> str:
    """Part of something a person typed (an address), short enough to quote in a message."""
    shown = "".join(ch for ch in text[:limit] if ch.isprintable())
    return shown + ("…" if len(text) > limit else "")


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


@functools.lru_cache(maxsize=16)
def _load_indicators(raw: str | None) -> IndicatorSet | None:
    """Parsed once per distinct list and process: a list of thousands of indicators is read on
    every load of its assessment, and IndicatorSet is frozen, so sharing it is safe."""
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
    # PostgreSQL: give up on a server that does not answer instead of hanging a page.
    parsed = make_url(url)
    options = " ".join(part for part in (parsed.query.get("options", ""),
                                          "-c statement_timeout=15000 -c lock_timeout=5000 "
                                          "-c idle_in_transaction_session_timeout=60000") if part)
    return create_engine(parsed.update_query_dict({"options": options}), pool_pre_ping=True, pool_timeout=10,
                         connect_args={"connect_timeout": 5, "keepalives": 1, "keepalives_idle": 10,
                                       "keepalives_interval": 5, "keepalives_count": 2,
                                       "tcp_user_timeout": 10_000})


def _sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    database = parsed.database
    if database.startswith("file:"):  # a SQLite URI filename (?mode=ro&uri=true)
        database = database[len("file:"):].split("?", 1)[0]
    return Path(database).resolve()
