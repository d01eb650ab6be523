"""Heat-map images to send: a title, the assessment and its date, a legend of the bands in
words, in Liberation Sans, at email, slide and print sizes. Kept under artifacts/briefing/images/."""

import base64
import re
import struct

import pytest

from riskkit import images
from riskkit.charts import IMAGE_FONT, heatmap_figure, heatmap_image_figure
from riskkit.outputs import build
from riskkit.rules import register
from tests.briefing.conftest import ABOUT
from tests.briefing.layout import ARTIFACTS

TINY_PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQ"
                            "AAAABJRU5ErkJggg==")


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.fixture(scope="module")
def workshop(catalogue):
    from benchmarks.synthetic import synthetic_assessment
    return synthetic_assessment(catalogue, 12)


@pytest.mark.parametrize("size, pixels, dpi", [("email", (960, 540), None), ("projector", (1920, 1080), None),
                                               ("print", (1920, 1200), 300)])
def test_the_heat_map_image_comes_in_email_slide_and_print_sizes(catalogue, indicators, workshop, size, pixels,
                                                                  dpi):
    data = build("png", ABOUT, workshop, catalogue, indicators, size=size)
    assert png_size(data) == pixels
    assert images.dpi_of(data) == dpi
    ARTIFACTS.joinpath("images").mkdir(parents=True, exist_ok=True)
    ARTIFACTS.joinpath("images", f"heatmap-{size}.png").write_bytes(data)


def test_the_image_has_a_title_the_assessment_and_date_and_a_legend_of_bands_in_words(catalogue, indicators,
                                                                                     workshop):
    svg = build("svg", ABOUT, workshop, catalogue, indicators).decode()
    text = re.sub(r"<[^>]+>", " ", svg)
    assert "Protection and assistance risks: likelihood by impact" in text
    assert "Kenya national workshop · Kenya · November 29, 2026" in text
    legend = re.findall(r'class="legendtext"[^>]*>([^<]+)<', svg)
    assert legend == ["Low", "Medium", "High"]


def test_every_word_of_the_image_is_in_liberation_sans(catalogue, workshop):
    svg = images.render(heatmap_image_figure(catalogue, register(catalogue, workshop), assessment="A"), "svg")
    families = set(re.findall(r"font-family: ([^;\"]+(?:&quot;[^;]*)?);", svg.decode()))
    texts = len(re.findall(r"<text ", svg.decode()))
    with_family = len(re.findall(r"<text [^>]*font-family: 'Liberation Sans'", svg.decode()))
    assert texts > 10 and with_family == texts, families


def _drawn_in(family: str, catalogue, workshop) -> bytes:
    fig = heatmap_image_figure(catalogue, register(catalogue, workshop), assessment="Font check")
    fig.update_layout(font_family=family)
    for annotation in fig.layout.annotations:
        annotation.font.family = family
    return images.render(fig, "png", "email")


def test_the_drawing_browser_has_the_font_it_is_asked_for(catalogue, workshop):
    """Drawn with the whole family list, the image is the one drawn with Liberation Sans alone,
    not the one drawn with a serif: the font is installed and used, not a fallback."""
    chosen = _drawn_in(IMAGE_FONT, catalogue, workshop)
    assert chosen == _drawn_in("'Liberation Sans'", catalogue, workshop)
    assert chosen != _drawn_in("'Liberation Serif'", catalogue, workshop)


def test_the_heat_map_on_screen_keeps_its_sans_serif_fonts(catalogue, workshop):
    """An unquoted 'Source Sans 3' made plotly drop the whole list, and the browser drew serif."""
    svg = images.render(heatmap_figure(catalogue, register(catalogue, workshop)), "svg", "email").decode()
    assert "Source Sans 3" in svg and "Liberation Sans" in svg


def test_a_resolution_is_written_into_a_png_once():
    stamped = images.with_dpi(images.with_dpi(TINY_PNG, 150), 300)
    assert images.dpi_of(stamped) == 300 and stamped.count(b"pHYs") == 1
    assert images.dpi_of(TINY_PNG) is None


def test_the_command_line_writes_the_print_image_at_300_dpi(catalogue, tmp_path, capsys):
    from riskkit.cli import main
    from riskkit.store import Store

    store = Store()
    made = store.create("Kenya national workshop", catalogue.policies.default, context="Kenya")
    out = tmp_path / "heatmap.png"
    assert main(["export", made, "--format", "png", "--size", "print", "--out", str(out)]) == 0
    data = out.read_bytes()
    assert png_size(data) == (1920, 1200) and images.dpi_of(data) == 300
    with pytest.raises(SystemExit):  # a size riskkit does not draw is refused by the parser, in words
        main(["export", made, "--format", "png", "--size", "poster", "--out", str(out)])
    assert "invalid choice: 'poster'" in capsys.readouterr().err
    store.engine.dispose()
