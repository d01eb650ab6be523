"""The Briefing page offers the heat map at every size riskkit draws, the print size
included, and each button builds its image from what was bound when it was drawn."""

from __future__ import annotations

import functools
import struct
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import ui.widgets
from riskkit import images
from tests.pages.conftest import open_page


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, tuple[Callable[[], bytes], str]]]:
    """Every download the page draws, by key: the file as the button would build it, and its name."""
    seen: dict[str, tuple[Callable[[], bytes], str]] = {}
    real = ui.widgets.download

    def recording(where: Any, label: str, build: Callable[..., bytes], *args: Any, file_name: str, mime: str,
                  key: str, **options: Any) -> None:
        seen[key] = (functools.partial(build, *args), file_name)
        real(where, label, build, *args, file_name=file_name, mime=mime, key=key, **options)

    monkeypatch.setattr(ui.widgets, "download", recording)
    yield seen
    images.stop()


def test_the_print_image_is_offered_and_is_300_dpi(app, drawn):
    open_page(app, "briefing")
    labels = [b.proto.label.replace("\\", "") for b in app.get("download_button")]
    assert "Heat map image for print, 1920x1200 at 300 dpi" in labels
    make, name = drawn["briefing.png.print"]
    png = make()
    assert struct.unpack(">II", png[16:24]) == (1920, 1200)
    assert images.dpi_of(png) == 300
    assert name.endswith("-print.png")


def test_every_image_size_riskkit_draws_has_a_button(app, drawn):
    open_page(app, "briefing")
    assert {key.removeprefix("briefing.png.") for key in drawn if key.startswith("briefing.png.")} == set(images.SIZES)
