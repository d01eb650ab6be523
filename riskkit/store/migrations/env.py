"""Alembic's environment for riskkit: the revisions run on the connection riskkit hands over,
inside its transaction (riskkit.store.migrations.upgrade, called when a Store opens)."""

from __future__ import annotations

from alembic import context

connection = context.config.attributes.get("connection")
if connection is None:
    raise SystemExit("riskkit brings its database up to date itself when it starts: run riskkit (or open a "
                     "riskkit.store.Store) instead of `alembic upgrade`. `alembic revision` needs no database.")

context.configure(connection=connection, target_metadata=None, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
