"""The connection to the database and its guards, shared by every repository.

SQLite by default, PostgreSQL when RISKKIT_DATABASE_URL names one. A page waits for
PostgreSQL at most DB_TIMEOUT_S; driver errors become StoreErrors with words (the details
go to the server log); a SQLite file deleted under a running server is said, not silently
recreated.
"""

from __future__ import annotations

import contextvars
import functools
import logging
import os
import queue
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

from sqlalchemy import Connection, Engine, Select, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError

from riskkit.errors import RiskkitError
from riskkit.i18n import current_locale, format_number, ngettext
from riskkit.i18n import gettext as _

log = logging.getLogger("riskkit.store")
T = TypeVar("T")
P = ParamSpec("P")

# How long a page waits for PostgreSQL before saying it is not answering.
DB_TIMEOUT_S = float(os.environ.get("RISKKIT_DB_TIMEOUT_S", "10"))


class StoreError(RiskkitError):
    """The database could not do what was asked (unreachable, read-only, refused)."""


class DatabaseNotAnswering(StoreError):
    """The database did not answer in time; what the user typed is kept on screen."""


class DatabaseGone(StoreError):
    """The SQLite file was deleted or replaced while riskkit was running."""


class DatabaseTooNew(StoreError):
    """The database was brought to a schema this riskkit does not know, by a newer riskkit."""


def database_url() -> str:
    """RISKKIT_DATABASE_URL, or the per-user SQLite file (riskkit.locations decides where)."""
    from riskkit.locations import default_database_url  # the store works without it when the URL is set

    return default_database_url()


class Database:
    """One engine (one connection pool) for one database, with the guards every write needs.
    Thread-safe: share one per process and database."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.sqlite_file = sqlite_path(url)
        self._identity: tuple[int, int] | None = None

    @property
    def is_postgresql(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    def remember_file(self) -> None:
        """Note which SQLite file this is, so that a replaced or deleted one is noticed."""
        if self.sqlite_file is not None:
            found = self.sqlite_file.stat()
            self._identity = (found.st_dev, found.st_ino)

    def check_file(self) -> None:
        """A SQLite file deleted or replaced under a running server would take every later
        save with it (the open connection writes to the deleted file): say so instead."""
        if self._identity is None or self.sqlite_file is None:
            return
        try:
            found = self.sqlite_file.stat()
        except FileNotFoundError:
            found = None
        if found is None or (found.st_dev, found.st_ino) != self._identity:
            log.error("the SQLite database %s was deleted or replaced while running", self.sqlite_file)
            raise DatabaseGone(_("The database file {file} was deleted or replaced while riskkit was running, so "
                                 "nothing can be saved. What you typed is still on screen. Put the file back (or "
                                 "restore it from a backup) and restart riskkit.").format(file=self.sqlite_file.name))

    @contextmanager
    def read(self) -> Iterator[Connection]:
        self.check_file()
        with self.engine.connect() as conn:
            yield conn

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A write transaction. SQLite has one writer at a time (BEGIN IMMEDIATE); on PostgreSQL
        a write locks only the rows it reads with `locked` or changes."""
        self.check_file()
        with self.engine.begin() as conn:
            yield conn

    def locked(self, query: Select[Any], *, shared: bool = False) -> Select[Any]:
        """The query's rows locked until the transaction ends (PostgreSQL; SQLite's writer
        already holds the whole database). `shared`: others may hold the same lock at once,
        but no one may change the rows meanwhile."""
        if not self.is_postgresql:
            return query
        return query.with_for_update(read=True) if shared else query.with_for_update(key_share=True)


class Repository:
    """One aggregate's way to the database (assessments; rating sessions)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    @property
    def engine(self) -> Engine:
        return self.db.engine


class _OnADatabase(Protocol):
    @property
    def engine(self) -> Engine: ...


S = TypeVar("S", bound=_OnADatabase)
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


def answering(method: Callable[Concatenate[S, P], T]) -> Callable[Concatenate[S, P], T]:
    """Run a repository's method with a deadline on PostgreSQL: a server that accepts
    connections and never answers gives a message after DB_TIMEOUT_S, not a page that hangs.
    Database errors become StoreErrors with words; the details go to the server log."""

    @functools.wraps(method)
    def run(self: S, /, *args: P.args, **kwargs: P.kwargs) -> T:
        if getattr(_inside, "active", False) or self.engine.dialect.name != "postgresql":
            return _translated(method, self, *args, **kwargs)

        def inside() -> T:
            _inside.active = True
            try:
                return _translated(method, self, *args, **kwargs)
            finally:
                _inside.active = False

        timeout = DB_TIMEOUT_S
        # The worker runs in this call's context, so a refusal is worded in the caller's language
        # (read now: a session's callback finds it through its script context, which the worker lacks).
        current_locale()
        future = _deadline_pool.submit(functools.partial(contextvars.copy_context().run, inside))
        try:
            return future.result(timeout=timeout)
        except FutureTimeout:
            future.cancel()  # not started yet: it must not run later, after the user was told it failed
            log.error("database did not answer %s within %.0f s", method.__name__, timeout)
            seconds = round(timeout)
            raise DatabaseNotAnswering(ngettext(
                "The database is not answering (waited {seconds} second), so this may not have been saved. What "
                "you typed is still on screen: try again in a moment, or ask whoever runs riskkit to check the "
                "database.",
                "The database is not answering (waited {seconds} seconds), so this may not have been saved. What "
                "you typed is still on screen: try again in a moment, or ask whoever runs riskkit to check the "
                "database.", seconds).format(seconds=format_number(seconds))) from None

    return run


def _translated(method: Callable[Concatenate[S, P], T], self: S, *args: P.args, **kwargs: P.kwargs) -> T:
    try:
        return method(self, *args, **kwargs)
    except OperationalError as exc:
        log.exception("database operation %s failed", method.__name__)
        reason = str(exc.orig).lower()
        if "readonly" in reason or "read-only" in reason or "read only" in reason:
            raise StoreError(_("The database is read-only, so nothing can be saved. Ask whoever runs riskkit "
                               "to make the database writable; what you typed is still on screen.")) from None
        raise StoreError(_("The database cannot be reached or refused the change, so nothing was saved. "
                           "What you typed is still on screen: try again in a moment.")) from None
    except (DBAPIError, SQLAlchemyError):
        log.exception("database operation %s failed", method.__name__)
        raise StoreError(_("The database refused this change, so nothing was saved.")) from None


def make_engine(url: str) -> Engine:
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
    given = parsed.query.get("options", "")
    options = " ".join(part for part in (given if isinstance(given, str) else " ".join(given),
                                          "-c statement_timeout=15000 -c lock_timeout=5000 "
                                          "-c idle_in_transaction_session_timeout=60000") if part)
    return create_engine(parsed.update_query_dict({"options": options}), pool_pre_ping=True, pool_timeout=10,
                         connect_args={"connect_timeout": 5, "keepalives": 1, "keepalives_idle": 10,
                                       "keepalives_interval": 5, "keepalives_count": 2,
                                       "tcp_user_timeout": 10_000})


def sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    database = parsed.database
    if database.startswith("file:"):  # a SQLite URI filename (?mode=ro&uri=true)
        database = database[len("file:"):].split("?", 1)[0]
    return Path(database).resolve()
