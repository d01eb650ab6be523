"""Shared factories: the real catalogue and indicators, and small assessments."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

from riskkit.catalogue import load_catalogue, load_indicators
from riskkit.models import Assessment, Catalogue, IndicatorSet


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture(scope="session")
def indicators(catalogue: Catalogue) -> IndicatorSet:
    return load_indicators(catalogue=catalogue)


@pytest.fixture
def blank(catalogue: Catalogue) -> Assessment:
    return Assessment(policy=catalogue.policies.default)


def rated(catalogue: Catalogue, assessment: Assessment, number: int, likelihood: str | None,
          impact: str | None, strategy: str | None = None, notes: str | None = None) -> Assessment:
    changed = assessment.rate(catalogue, number, likelihood=likelihood, impact=impact)
    if strategy is not None:
        changed = changed.write_strategy(catalogue, number, strategy)
    return changed if notes is None else changed.write_notes(catalogue, number, notes)


@pytest.fixture(autouse=True)
def _own_database(tmp_path, monkeypatch):
    """No test ever touches the developer's var/riskkit.sqlite3: each gets its own file."""
    monkeypatch.setenv("RISKKIT_DATABASE_URL", f"sqlite:///{tmp_path / 'app.sqlite3'}")


@contextlib.contextmanager
def postgres_schema() -> Iterator[str]:
    """A URL of the test PostgreSQL (RISKKIT_TEST_DATABASE_URL, which `make test` starts) on a
    schema of its own, dropped afterwards. In CI its absence fails; elsewhere the test skips."""
    base = os.environ.get("RISKKIT_TEST_DATABASE_URL")
    if not base:
        if os.environ.get("CI"):
            pytest.fail("RISKKIT_TEST_DATABASE_URL is not set: CI must run the PostgreSQL tests (see Makefile)")
        pytest.skip("no PostgreSQL server: set RISKKIT_TEST_DATABASE_URL (make test does)")
    schema = f"t_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield f"{base}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()
