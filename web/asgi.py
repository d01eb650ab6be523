"""riskkit's server: the Streamlit app (app.py) with riskkit's routes and middleware, as
one ASGI application: the participants' phones (/join, web/room.py), the editor key's
lock (/unlock), security headers. `python -m ui.serve` runs it (what `make run` does); any ASGI
server can too: `uvicorn web.asgi:app --host 127.0.0.1 --port 8501`."""

from __future__ import annotations

import logging
from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware
from starlette.routing import Route
from streamlit.runtime.pages_manager import PagesManager

from web.middleware import EditorLock, ParticipantCookie, SecurityHeaders
from web.room import ROUTES as PHONE_ROUTES
from web.unlock import unlock

APP = Path(__file__).resolve().parent.parent / "app.py"
log = logging.getLogger("riskkit")

# Streamlit treats a pages/ folder beside the entry file as a legacy multipage folder
# until a session has called st.navigation, so the first deep link after a start would
# run the page outside app.py's frame. tests/browser/test_screens.py checks deep links
# on a fresh server, so the day this stops working a test says so.
PagesManager.uses_pages_directory = False


def script_error(exc: Exception) -> bool:
    """The last line of the one error boundary: anything a page did not handle is logged
    with its traceback on the server, and the user reads a sentence, never a traceback."""
    log.error("unhandled error in a page", exc_info=exc)
    st.error("Something went wrong on this page, and it was not saved. Your saved work is safe. "
             "Reload the page; if it happens again, tell whoever runs riskkit (the details are in "
             "the server's log).", icon=":material/error:")
    return True


app = st.App(
    str(APP),
    routes=[Route("/unlock", unlock, methods=["GET", "POST"]), *PHONE_ROUTES],
    middleware=[Middleware(SecurityHeaders), Middleware(EditorLock), Middleware(ParticipantCookie)],
    on_script_error=script_error,
)
