"""Every store test runs against SQLite and against a real PostgreSQL server.

RISKKIT_TEST_DATABASE_URL names the server (`make test` starts one on loopback);
in CI its absence is a failure, not a skip.
"""

from __future__ import annotations

import pytest

from riskkit.store import Store
from tests.conftest import postgres_schema


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'riskkit.sqlite3'}"
        return
    with postgres_schema() as url:
        yield url


@pytest.fixture
def store(store_url) -> Store:
    made = Store(store_url)
    yield made
    made.engine.dispose()
