"""Where riskkit keeps its database and finds its data files."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
import yaml

from riskkit import locations


@pytest.fixture
def no_database_url(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No RISKKIT_DATABASE_URL, a user data directory of the test's own, no legacy file."""
    monkeypatch.delenv("RISKKIT_DATABASE_URL", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    monkeypatch.setattr(locations, "LEGACY_DATABASE", tmp_path / "checkout" / "var" / "riskkit.sqlite3")
    locations._tell_legacy_in_use.cache_clear()
    return tmp_path


def test_the_database_url_in_the_environment_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RISKKIT_DATABASE_URL", " postgresql+psycopg://db.example/riskkit ")
    assert locations.default_database_url() == "postgresql+psycopg://db.example/riskkit"


def test_by_default_the_database_is_a_file_in_the_users_data_directory(no_database_url: Path) -> None:
    url = locations.default_database_url()
    expected = no_database_url / "share" / "riskkit" / "riskkit.sqlite3"
    assert url == f"sqlite:///{expected}"
    assert expected.parent.is_dir(), "the directory is made so SQLite can create the file"
    assert not expected.is_relative_to(Path(locations.__file__).resolve().parent.parent)


def test_a_database_saved_by_the_released_app_stays_in_use(no_database_url: Path,
                                                          caplog: pytest.LogCaptureFixture) -> None:
    locations.LEGACY_DATABASE.parent.mkdir(parents=True)
    locations.LEGACY_DATABASE.write_bytes(b"saved work")
    with caplog.at_level(logging.WARNING, logger="riskkit.locations"):
        first = locations.default_database_url()
        second = locations.default_database_url()
    assert first == second == f"sqlite:///{locations.LEGACY_DATABASE}"
    said = [r.getMessage() for r in caplog.records]
    assert len(said) == 1, "said once, not on every connection"
    assert str(locations.LEGACY_DATABASE) in said[0]


def test_once_the_new_place_has_a_database_the_legacy_file_is_left_alone(no_database_url: Path) -> None:
    locations.LEGACY_DATABASE.parent.mkdir(parents=True)
    locations.LEGACY_DATABASE.write_bytes(b"old work")
    current = no_database_url / "share" / "riskkit" / "riskkit.sqlite3"
    current.parent.mkdir(parents=True)
    current.write_bytes(b"moved work")
    assert locations.default_database_path() == current


def test_the_shipped_data_files_are_found_as_package_resources() -> None:
    catalogue = yaml.safe_load(locations.data_file("catalogue.yaml").read_text(encoding="utf-8"))
    indicators = yaml.safe_load(locations.data_file("indicators.yaml").read_text(encoding="utf-8"))
    assert len(catalogue["risks"]) == 12
    assert indicators["indicators"]
