"""Bringing a database to the newest schema when riskkit starts, with Alembic.

The revisions live in versions/ beside this file, so they ship inside the wheel; no
alembic.ini is read at run time. The revision a database is at is kept in its
alembic_version table.

Releases before Alembic kept a schema number (1, 2, 3) in riskkit_meta. Revision 000N
reproduces the released step N, so such a database is stamped at revision 000N and then
upgraded: nothing is built again and no row is lost. riskkit_meta keeps the number of the
newest revision, so those releases refuse a database newer than they know instead of
writing to it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect, text

from riskkit.i18n import gettext as _
from riskkit.store.engine import DatabaseTooNew, StoreError

log = logging.getLogger("riskkit.store")

SCRIPTS = Path(__file__).resolve().parent
LEGACY_TABLE = "riskkit_meta"
VERSION_TABLE = "alembic_version"
_MIGRATION_LOCK = 36036  # PostgreSQL advisory lock: one process at a time migrates a database


def scripts(location: Path = SCRIPTS) -> ScriptDirectory:
    return ScriptDirectory.from_config(_config(location))


def newest_revision(location: Path = SCRIPTS) -> str:
    head = scripts(location).get_current_head()  # raises when the revisions have two heads
    assert head is not None, "riskkit has no migrations"
    return head


def current_revision(conn: Connection) -> str | None:
    """The revision this database is at; a database from before Alembic by its schema number."""
    tables = set(inspect(conn).get_table_names())
    if VERSION_TABLE in tables:
        return MigrationContext.configure(conn).get_current_revision()
    if LEGACY_TABLE in tables:
        found = conn.execute(text(f"SELECT value FROM {LEGACY_TABLE} WHERE key = 'schema_version'")).scalar()
        if found is None or int(found) == 0:
            return None
        return legacy_revision(int(found))
    return None


def legacy_revision(number: int) -> str:
    """The revision reproducing released schema `number` (1 -> '0001')."""
    return f"{number:04d}"


def upgrade(engine: Engine, location: Path = SCRIPTS) -> str:
    """Bring the database to the newest revision and return it. An up-to-date database is
    only read; one from a newer riskkit is refused untouched."""
    known = scripts(location)
    newest = newest_revision(location)
    with engine.connect() as conn:
        found = current_revision(conn)
    _refuse_unknown(known, found, newest)
    if found == newest:
        return newest
    with engine.connect() as conn, _foreign_keys_kept_by_check(conn), conn.begin():
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
        found = current_revision(conn)  # another process may have migrated while we waited
        _refuse_unknown(known, found, newest)
        if found != newest:
            log.info("migrating the database from schema %s to %s", found or "(empty)", newest)
            config = _config(location, conn)
            if found is not None and VERSION_TABLE not in inspect(conn).get_table_names():
                command.stamp(config, found)  # a database from before Alembic
            command.upgrade(config, "head")
            _tell_older_releases(conn, newest)
            _check_foreign_keys(conn)
    return newest


def _config(location: Path, connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(location))
    config.attributes["connection"] = connection
    return config


def _refuse_unknown(known: ScriptDirectory, found: str | None, newest: str) -> None:
    if found is not None and found not in {script.revision for script in known.walk_revisions()}:
        log.error("the database is at schema %s, which this riskkit does not know (newest: %s)", found, newest)
        raise DatabaseTooNew(_("The database was made by a newer riskkit (schema {found}); this riskkit understands "
                               "schemas up to {newest}, so it left the database untouched. Install the newer riskkit, "
                               "or set RISKKIT_DATABASE_URL to another database.").format(found=found, newest=newest))


def _tell_older_releases(conn: Connection, newest: str) -> None:
    number = str(int(newest))
    changed = conn.execute(text(f"UPDATE {LEGACY_TABLE} SET value = :number WHERE key = 'schema_version'"),
                           {"number": number}).rowcount
    if not changed:
        conn.execute(text(f"INSERT INTO {LEGACY_TABLE} (key, value) VALUES ('schema_version', :number)"),
                     {"number": number})


@contextmanager
def _foreign_keys_kept_by_check(conn: Connection) -> Iterator[None]:
    """SQLite: batch mode rebuilds a table by copying it and dropping the old one, and with
    foreign keys on, dropping a parent table deletes its children's rows (ON DELETE CASCADE).
    So the migration runs with them off (a pragma that only works outside a transaction) and
    _check_foreign_keys verifies them before the commit."""
    if conn.dialect.name != "sqlite":
        yield
        return
    raw = conn.connection.driver_connection
    assert raw is not None
    raw.execute("PRAGMA foreign_keys=OFF")
    try:
        yield
    finally:
        raw.execute("PRAGMA foreign_keys=ON")


def _check_foreign_keys(conn: Connection) -> None:
    if conn.dialect.name == "sqlite" and conn.exec_driver_sql("PRAGMA foreign_key_check").first() is not None:
        raise StoreError(_("Bringing the database up to date would leave rows that point nowhere, so nothing was "
                           "changed. Ask whoever runs riskkit to check the database."))
