"""Where riskkit keeps things, so it runs the same from a checkout and from an installed wheel.

The database lives in the user's data directory (platformdirs: ~/.local/share/riskkit on
Linux, honouring XDG_DATA_HOME), never inside the source tree or site-packages. The
catalogue and the indicators are package resources of `riskkit.data`, which pyproject.toml
maps onto the top-level data/ folder, where people read and edit them.
"""

from __future__ import annotations

import functools
import logging
import os
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import platformdirs

log = logging.getLogger("riskkit.locations")

APP_NAME = "riskkit"
DATABASE_URL_VARIABLE = "RISKKIT_DATABASE_URL"
DATABASE_FILE = "riskkit.sqlite3"
DATA_PACKAGE = "riskkit.data"
_CHECKOUT = Path(__file__).resolve().parent.parent
# Where the released app (run from a checkout) kept its database. Only a checkout has it:
# in an installed wheel this path points into site-packages and never exists.
LEGACY_DATABASE = _CHECKOUT / "var" / DATABASE_FILE
# data/ of a checkout that was run without being installed (say, a hosting service that
# only installs the dependencies and runs `streamlit run app.py`).
_CHECKOUT_DATA = _CHECKOUT / "data"


def user_data_dir() -> Path:
    """The per-user folder for riskkit's database (not created here)."""
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def default_database_path() -> Path:
    """The SQLite file riskkit uses when RISKKIT_DATABASE_URL is not set.

    Saved work is never left behind: while the new place holds no database and the
    checkout's var/riskkit.sqlite3 (from before riskkit was installable) exists, that
    file stays in use, and the log says so once."""
    current = user_data_dir() / DATABASE_FILE
    if not current.exists() and LEGACY_DATABASE.is_file():
        _tell_legacy_in_use(LEGACY_DATABASE, current)
        return LEGACY_DATABASE
    current.parent.mkdir(parents=True, exist_ok=True)
    return current


def default_database_url() -> str:
    """RISKKIT_DATABASE_URL if set, else the SQLite file of `default_database_path()`."""
    url = os.environ.get(DATABASE_URL_VARIABLE, "").strip()
    if url:
        return url
    return f"sqlite:///{default_database_path()}"


@functools.cache
def _tell_legacy_in_use(legacy: Path, current: Path) -> None:
    log.warning("using the database kept in the checkout, %s; riskkit now keeps its database in %s. "
                "Move the file there (with riskkit stopped) or set %s to keep this one.",
                legacy, current, DATABASE_URL_VARIABLE)


def data_file(name: str) -> Traversable:
    """One of the data files riskkit ships (catalogue.yaml, indicators.yaml)."""
    try:
        root: Traversable = resources.files(DATA_PACKAGE)
    except ModuleNotFoundError:  # a checkout run without installing riskkit
        root = _CHECKOUT_DATA
    return root / name
