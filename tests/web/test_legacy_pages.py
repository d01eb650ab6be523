"""Streamlit's legacy pages/ folder, watched: riskkit keeps its pages in pages/ (the design
card), and Streamlit 1.67 takes a pages/ folder beside the entry file for a legacy multipage
folder until some session has called st.navigation. web/asgi.py (and tests/pages/conftest.py)
set the flag Streamlit keeps for it before any session. These tests fail the day Streamlit
changes that, so the workaround goes instead of silently doing nothing."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.runtime.pages_manager import PagesManager

from web.asgi import APP

REPO = Path(__file__).resolve().parents[2]

DROP_THE_WORKAROUND = ("Streamlit no longer takes pages/ beside app.py for a legacy multipage folder on a fresh "
                       "server: remove `PagesManager.uses_pages_directory = False` from web/asgi.py and "
                       "tests/pages/conftest.py, and check that `streamlit run app.py` opens deep links inside "
                       "the frame (tests/browser/test_hosting.py).")


@pytest.fixture
def fresh_server() -> Iterator[None]:
    """The flag as a new server process has it, put back afterwards."""
    kept = PagesManager.uses_pages_directory
    PagesManager.uses_pages_directory = None
    yield
    PagesManager.uses_pages_directory = kept


def test_a_fresh_server_takes_pages_beside_the_entry_file_for_a_legacy_folder(fresh_server: None) -> None:
    PagesManager(str(APP))  # what the first session of a server makes
    assert PagesManager.uses_pages_directory is True, DROP_THE_WORKAROUND


def test_the_server_module_turns_the_legacy_folder_off_before_any_session() -> None:
    """In a process of its own, as a server starts: import the app, then a first session."""
    first_session = ("from streamlit.runtime.pages_manager import PagesManager; from web.asgi import APP; "
                     "PagesManager(str(APP)); "
                     "print(PagesManager.uses_pages_directory, (APP.parent / 'pages').is_dir())")
    done = subprocess.run([sys.executable, "-c", first_session], cwd=REPO, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "True"], "a first session took pages/ for a legacy folder"
