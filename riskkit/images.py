"""Heat-map images (PNG, SVG) drawn by plotly through kaleido in a system Chromium.

Starting Chromium costs seconds, so one kaleido server is started on first use
and kept for the life of the process; each further image costs a fraction of a
second.
"""

from __future__ import annotations

import os
import shutil
import threading
import warnings
from typing import Literal

import plotly.graph_objects as go
import plotly.io as pio

from riskkit.errors import RiskkitError

SIZES = {"projector": (1920, 1080), "email": (960, 540)}
_lock = threading.Lock()
_started = False


class ImageError(RiskkitError):
    """No browser to draw images with."""


def _browser() -> str:
    for candidate in (os.environ.get("BROWSER_PATH"), shutil.which("chromium"), shutil.which("chromium-browser"),
                      shutil.which("google-chrome")):
        if candidate and os.path.exists(candidate):
            return candidate
    raise ImageError("Images need Chromium (Debian: apt-get install chromium); none was found.")


def _ensure_server() -> None:
    global _started
    if _started:
        return
    import kaleido

    os.environ.setdefault("BROWSER_PATH", _browser())
    kaleido.start_sync_server(n=1, timeout=90, mathjax=False, silence_warnings=True)
    _started = True


def render(fig: go.Figure, fmt: Literal["png", "svg"] = "png", size: str = "projector") -> bytes:
    """The figure as an image at a named size; the first call starts the browser."""
    width, height = SIZES[size]
    sized = go.Figure(fig)
    sized.update_layout(width=width, height=height)
    if size == "projector":
        sized.update_layout(margin=dict(l=200, r=40, t=40, b=140))
    with _lock, warnings.catch_warnings():  # one browser tab draws; calls queue here
        warnings.simplefilter("ignore", UserWarning)  # plotly's note that a running server ignores kopts
        _ensure_server()
        image: bytes = pio.to_image(sized, format=fmt, width=width, height=height)
        return image


def stop() -> None:
    global _started
    with _lock:
        if _started:
            import kaleido

            kaleido.stop_sync_server(silence_warnings=True)
            _started = False
