"""Heat-map images (PNG, SVG) drawn by plotly through kaleido in a system Chromium.

Starting Chromium costs seconds, so one kaleido server is started on first use
and kept for the life of the process; each further image costs a fraction of a
second.
"""

from __future__ import annotations

import os
import shutil
import struct
import threading
import warnings
import zlib
from typing import Literal, NamedTuple

import plotly.graph_objects as go
import plotly.io as pio

from riskkit.errors import RiskkitError
from riskkit.i18n import gettext as _


class Size(NamedTuple):
    """A canvas in CSS pixels (what the figure is laid out on) and how many image pixels each
    becomes: the same picture, sharper, not a smaller picture on a bigger page."""

    width: int
    height: int
    scale: float
    dpi: int | None = None  # written into the PNG, so Word and printers place it at its real size

    @property
    def pixels(self) -> tuple[int, int]:
        return round(self.width * self.scale), round(self.height * self.scale)


SIZES: dict[str, Size] = {
    "email": Size(960, 540, 1),  # 960 x 540: fits an email's column
    "projector": Size(1280, 720, 1.5),  # 1920 x 1080: a full 16:9 slide
    "print": Size(960, 600, 2, dpi=300),  # 1920 x 1200 at 300 dpi: 16.3 x 10.2 cm
}
_lock = threading.Lock()
_started = False


class ImageError(RiskkitError):
    """No browser to draw images with."""


def _browser() -> str:
    for candidate in (os.environ.get("BROWSER_PATH"), shutil.which("chromium"), shutil.which("chromium-browser"),
                      shutil.which("google-chrome")):
        if candidate and os.path.exists(candidate):
            return candidate
    raise ImageError(_("Images need Chromium (Debian: apt-get install chromium); none was found."))


def _ensure_server() -> None:
    global _started
    if _started:
        return
    import kaleido

    os.environ.setdefault("BROWSER_PATH", _browser())
    kaleido.start_sync_server(n=1, timeout=90, mathjax=False, silence_warnings=True)
    _started = True


def render(fig: go.Figure, fmt: Literal["png", "svg"] = "png", size: str = "projector") -> bytes:
    """The figure as an image at a named size (SIZES); the first call starts the browser."""
    chosen = SIZES[size]
    sized = go.Figure(fig)
    sized.update_layout(width=chosen.width, height=chosen.height)
    with _lock, warnings.catch_warnings():  # one browser tab draws; calls queue here
        warnings.simplefilter("ignore", UserWarning)  # plotly's note that a running server ignores kopts
        _ensure_server()
        image: bytes = pio.to_image(sized, format=fmt, width=chosen.width, height=chosen.height,
                                    scale=chosen.scale if fmt == "png" else 1)
    if fmt == "png" and chosen.dpi:
        image = with_dpi(image, chosen.dpi)
    return image


def with_dpi(png: bytes, dpi: int) -> bytes:
    """The PNG with a pHYs chunk saying its resolution (Chromium writes none)."""
    per_metre = round(dpi / 0.0254)
    body = b"pHYs" + struct.pack(">IIB", per_metre, per_metre, 1)
    chunk = struct.pack(">I", 9) + body + struct.pack(">I", zlib.crc32(body))
    header_end = 8 + 8 + 13 + 4  # signature, then IHDR: length, type, 13 bytes, CRC
    rest, kept = png[header_end:], b""
    while rest:  # drop any pHYs already there, keep every other chunk in order
        length = struct.unpack(">I", rest[:4])[0]
        whole = rest[:12 + length]
        if whole[4:8] != b"pHYs":
            kept += whole
        rest = rest[12 + length:]
    return png[:header_end] + chunk + kept


def dpi_of(png: bytes) -> int | None:
    """The resolution a PNG declares, in dots per inch; None when it says none."""
    at = png.find(b"pHYs")
    if at < 0:
        return None
    per_metre, _, unit = struct.unpack(">IIB", png[at + 4:at + 13])
    return round(per_metre * 0.0254) if unit == 1 else None


def stop() -> None:
    global _started
    with _lock:
        if _started:
            import kaleido

            kaleido.stop_sync_server(silence_warnings=True)
            _started = False
