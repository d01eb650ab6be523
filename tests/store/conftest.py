"""Every store test runs against SQLite and against a real PostgreSQL server.

RISKKIT_TEST_DATABASE_URL names the server (`make test` starts one on loopback);
in CI its absence is a failure, not a skip.
"""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, text

from riskkit.store import Store


def _postgres_url() -> str | None:
    url = os.environ.get("RISKKIT_TEST_DATABASE_URL")
    if not url and os.environ.get("CI"):
        pytest.fail("RISKKIT_TEST_DATABASE_URL is not set: CI must run the PostgreSQL tests (see Makefile)")
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'riskkit.sqlite3'}"
        return
    base = _postgres_url()
    if not base:
        pytest.skip("no PostgreSQL server: set RISKKIT_TEST_DATABASE_URL (make test does)")
    schema = f"t_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    yield f"{base}?options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


@pytest.fixture
def store(store_url) -> Store:
    made = Store(store_url)
    yield made
    made.engine.dispose()
