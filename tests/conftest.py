"""Shared factories: the real catalogue and indicators, and small assessments."""

from __future__ import annotations

import pytest

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
          impact: str | None, **more: str) -> Assessment:
    return assessment.with_entry(catalogue, number, likelihood=likelihood, impact=impact, **more)


@pytest.fixture(autouse=True)
def _own_database(tmp_path, monkeypatch):
    """No test ever touches the developer's var/riskkit.sqlite3: each gets its own file."""
    monkeypatch.setenv("RISKKIT_DATABASE_URL", f"sqlite:///{tmp_path / 'app.sqlite3'}")
