"""riskkit's server: the Streamlit app (app.py) with riskkit's routes and middleware, as
one ASGI application: the participants' phones (/join, web/room.py), the editor key's
lock (/unlock), security headers. `riskkit serve` and `python -m ui.serve` run it (what
`make run` does); so does `streamlit run web/asgi.py` (Streamlit finds the st.App below: the
way to run riskkit on a hosting service), and any ASGI server:
`uvicorn web.asgi:app --host 127.0.0.1 --port 8501`."""

from __future__ import annotations

import gc
import importlib.util
import logging
from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware
from starlette.routing import Route
from streamlit.runtime.pages_manager import PagesManager

from web.middleware import EditorLock, ParticipantCookie, SecurityHeaders
from web.room import ROUTES as PHONE_ROUTES
from web.unlock import unlock

log = logging.getLogger("riskkit")


def entry_file() -> Path:
    """app.py, Streamlit's entry file, with pages/ and .streamlit/ beside it. An installed
    riskkit carries it as the module riskkit_app.app (see pyproject.toml), an editable install
    maps that name onto the checkout; a checkout that was never installed has it beside web/."""
    try:
        spec = importlib.util.find_spec("riskkit_app.app")
    except ModuleNotFoundError:
        spec = None
    if spec is not None and spec.origin:
        return Path(spec.origin)
    return Path(__file__).resolve().parent.parent / "app.py"


APP = entry_file()

# Streamlit documents that a pages/ folder beside the entry file is a legacy multipage folder
# until some session has called st.navigation ("as soon as any session of your app executes
# the st.navigation command, your app will ignore the pages/ directory"), so the first deep
# link after a start would run the page alone, outside app.py's frame (no sidebar, no lock
# page). Streamlit 1.67 offers no supported switch for this; the class attribute it sets
# itself in st.navigation is set here, before any session. tests/web/test_legacy_pages.py
# fails the day Streamlit changes this behaviour (drop this line then), and the browser test
# of a deep link on a fresh server checks that it works.
PagesManager.uses_pages_directory = False


def script_error(exc: Exception) -> bool:
    """The last line of the one error boundary: anything a page did not handle is logged
    with its traceback on the server, and the user reads a sentence, never a traceback."""
    log.error("unhandled error in a page", exc_info=exc)
    st.error("Something went wrong on this page, and it was not saved. Your saved work is safe. "
             "Reload the page; if it happens again, tell whoever runs riskkit (the details are in "
             "the server's log).", icon=":material/error:")
    return True


# Streamlit collects garbage after every script run (runner.postScriptGC), holding the GIL while it
# walks every object in the process, so the run's last messages wait for it. Most of those objects
# are the libraries imported above, which live as long as the server: set them aside once, so each
# collection walks only what sessions made since (Python's documented use of gc.freeze).
gc.collect()
gc.freeze()

app = st.App(
    str(APP),
    routes=[Route("/unlock", unlock, methods=["GET", "POST"]), *PHONE_ROUTES],
    middleware=[Middleware(SecurityHeaders), Middleware(EditorLock), Middleware(ParticipantCookie)],
    on_script_error=script_error,
)
