"""Looking at a document as a reader would: render it to PDF with LibreOffice, read the
pages back with poppler, and check what a person would notice on paper.

    rendered = render(path)                   # .docx, .pptx, .xlsx; PNGs of every page kept
    assert text_outside(rendered, 28, 28, 20, 20) == []
    assert overlapping_lines(rendered) == []
    assert pages_without_number(rendered) == []
    assert fonts_other_than(rendered, {"LiberationSans", "LiberationSans-Bold"}) == []
    assert split_rows(rendered, "Identified risk", re.compile(r"\\d+\\. ")) == []
    assert half_empty_pages(rendered, top=50, bottom=50, section_starts=("Heat map",)) == []

Every check returns what is wrong (empty when nothing is), so an assertion shows it.
Each render uses its own LibreOffice profile (copied from one made per process), so runs
in parallel or a stray soffice never clash. A Word file is converted by a small Basic
macro that first updates its indexes, as Word does on open: the table of contents then
shows real page numbers in the PDF. PNGs of every page go to artifacts/briefing/<label>/
(git-ignored) for a person to look at.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import pytest
from PIL import Image

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "briefing"
PNG_DPI = 60
TIMEOUT_S = 600  # 300 risks in Writer take a while on a busy machine


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def overlap(self, other: Box) -> float:
        """The area both boxes cover, in square points."""
        width = min(self.x1, other.x1) - max(self.x0, other.x0)
        height = min(self.y1, other.y1) - max(self.y0, other.y0)
        return width * height if width > 0 and height > 0 else 0.0

    @property
    def area(self) -> float:
        return max(self.x1 - self.x0, 0.0) * max(self.y1 - self.y0, 0.0)


@dataclass(frozen=True)
class Line:
    text: str
    box: Box
    words: tuple[tuple[str, Box], ...]


@dataclass(frozen=True)
class Page:
    number: int
    width: float
    height: float
    lines: tuple[Line, ...]
    png: Path

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in sorted(self.lines, key=lambda each: (round(each.box.y0), each.box.x0)))


@dataclass(frozen=True)
class Font:
    name: str  # without the subset prefix ("ABCDEF+")
    embedded: bool


@dataclass(frozen=True)
class Rendered:
    source: Path
    pdf: Path
    pages: tuple[Page, ...]
    fonts: tuple[Font, ...]

    @property
    def text(self) -> str:
        return "\n".join(page.text for page in self.pages)


def tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        pytest.fail(f"{name} is missing: `make test` installs it (scripts/system-deps.sh)")
    return found


_MACRO = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
Sub ToPdf(source As String, target As String)
  Dim opening(0) As New com.sun.star.beans.PropertyValue
  opening(0).Name = &quot;Hidden&quot;
  opening(0).Value = True
  doc = StarDesktop.loadComponentFromURL(ConvertToURL(source), &quot;_blank&quot;, 0, opening())
  indexes = doc.getDocumentIndexes()
  For i = 0 To indexes.getCount() - 1
    indexes.getByIndex(i).update()
  Next i
  Dim saving(0) As New com.sun.star.beans.PropertyValue
  saving(0).Name = &quot;FilterName&quot;
  saving(0).Value = &quot;writer_pdf_Export&quot;
  doc.storeToURL(ConvertToURL(target), saving())
  doc.close(True)
End Sub
</script:module>
"""


@functools.cache
def _seed_profile() -> Path:
    """A LibreOffice profile made once per process, with the macro in its own library
    (written after the first start, which lays out the profile's Basic folder)."""
    seed = Path(tempfile.mkdtemp(prefix="riskkit-lo-seed-"))
    subprocess.run([tool("soffice"), f"-env:UserInstallation={seed.as_uri()}", "--headless",
                    "--terminate_after_init"], check=True, capture_output=True, timeout=180)
    module = seed / "user" / "basic" / "Standard" / "Module1.xba"
    if not module.parent.is_dir():
        pytest.fail("LibreOffice made no Basic library in its profile: cannot update a table of contents")
    module.write_text(_MACRO, encoding="utf-8")
    return seed


def to_pdf(source: Path) -> Path:
    """The PDF LibreOffice makes of a file, next to it. Word files get their indexes updated."""
    pdf = source.with_suffix(".pdf")
    pdf.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="riskkit-lo-") as scratch:
        profile = Path(scratch) / "profile"
        shutil.copytree(_seed_profile(), profile)
        office = [tool("soffice"), f"-env:UserInstallation={profile.as_uri()}", "--headless"]
        if source.suffix == ".docx":
            command = office + [f'macro:///Standard.Module1.ToPdf("{source.resolve()}","{pdf.resolve()}")']
        else:
            command = office + ["--convert-to", "pdf", "--outdir", str(source.parent), str(source)]
        subprocess.run(command, check=True, capture_output=True, timeout=TIMEOUT_S)
    if not pdf.exists():
        pytest.fail(f"LibreOffice made no PDF of {source.name}")
    return pdf


def render(source: Path, label: str | None = None) -> Rendered:
    """The file as PDF pages, each with its lines and a PNG kept in artifacts/briefing/<label>/."""
    pdf = to_pdf(source)
    folder = ARTIFACTS / (label or source.stem)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    subprocess.run([tool("pdftoppm"), "-r", str(PNG_DPI), "-png", str(pdf), str(folder / "page")], check=True,
                   capture_output=True, timeout=TIMEOUT_S)
    shutil.copy(pdf, folder / pdf.name)
    pngs = sorted(folder.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    xml = subprocess.run([tool("pdftotext"), "-bbox-layout", str(pdf), "-"], check=True, capture_output=True,
                         text=True, timeout=TIMEOUT_S).stdout
    pages = tuple(_pages(xml, pngs))
    return Rendered(source=source, pdf=pdf, pages=pages, fonts=tuple(_fonts(pdf)))


_NUMBER = r'"([-\d.]+)"'
_PAGE = re.compile(rf"<page width={_NUMBER} height={_NUMBER}>(.*?)</page>", re.S)
_LINE = re.compile(rf"<line xMin={_NUMBER} yMin={_NUMBER} xMax={_NUMBER} yMax={_NUMBER}>(.*?)</line>", re.S)
_WORD = re.compile(rf"<word xMin={_NUMBER} yMin={_NUMBER} xMax={_NUMBER} yMax={_NUMBER}>(.*?)</word>", re.S)


def _pages(xml: str, pngs: list[Path]) -> list[Page]:
    found = []
    for index, page in enumerate(_PAGE.finditer(xml)):
        lines = []
        for line in _LINE.finditer(page.group(3)):
            words = tuple((unescape(w.group(5)), Box(*map(float, w.groups()[:4])))
                          for w in _WORD.finditer(line.group(5)))
            lines.append(Line(text=" ".join(w for w, _ in words), box=Box(*map(float, line.groups()[:4])),
                              words=words))
        found.append(Page(number=index + 1, width=float(page.group(1)), height=float(page.group(2)),
                          lines=tuple(lines), png=pngs[index]))
    if len(found) != len(pngs):
        pytest.fail(f"poppler read {len(found)} pages but drew {len(pngs)}")
    return found


def _fonts(pdf: Path) -> list[Font]:
    listing = subprocess.run([tool("pdffonts"), str(pdf)], check=True, capture_output=True, text=True).stdout
    fonts = []
    for row in listing.splitlines()[2:]:
        parts = row.split()
        if len(parts) < 7:
            continue
        # name type... encoding emb sub uni object-id generation: read from the right
        embedded = parts[-5] == "yes"
        fonts.append(Font(name=parts[0].split("+", 1)[-1], embedded=embedded))
    return fonts


# --- the checks ------------------------------------------------------------------------


def text_outside(rendered: Rendered, left: float, right: float, top: float, bottom: float) -> list[str]:
    """Words closer to an edge of their page than the given distances (points): text that ran
    into the margin or off the page."""
    outside = []
    for page in rendered.pages:
        for line in page.lines:
            for word, box in line.words:
                if (box.x0 < left - 0.5 or box.x1 > page.width - right + 0.5 or box.y0 < top - 0.5
                        or box.y1 > page.height - bottom + 0.5):
                    outside.append(f"page {page.number}: {word!r} at {box}")
    return outside


def overlapping_lines(rendered: Rendered, tolerance: float = 0.15) -> list[str]:
    """Pairs of lines drawn over each other: their boxes share more than `tolerance` of the
    smaller one's area (a little sharing is normal: ascenders and descenders)."""
    found = []
    for page in rendered.pages:
        lines = sorted(page.lines, key=lambda each: each.box.y0)
        for index, line in enumerate(lines):
            for other in lines[index + 1:]:
                if other.box.y0 >= line.box.y1:
                    break
                smaller = min(line.box.area, other.box.area)
                if smaller and line.box.overlap(other.box) > tolerance * smaller:
                    found.append(f"page {page.number}: {line.text[:40]!r} over {other.text[:40]!r}")
    return found


def pages_without_number(rendered: Rendered, wording: str = "Page {page} of {pages}") -> list[int]:
    """Pages whose text does not say their number (`wording` with {page} and {pages})."""
    total = len(rendered.pages)
    missing = []
    for page in rendered.pages:
        said = " ".join(page.text.split())
        if wording.format(page=page.number, pages=total) not in said:
            missing.append(page.number)
    return missing


def fonts_other_than(rendered: Rendered, intended: set[str]) -> list[str]:
    """Fonts in the PDF that are not the intended ones, or not embedded."""
    return sorted({f"{font.name}{'' if font.embedded else ' (not embedded)'}" for font in rendered.fonts
                   if font.name not in intended or not font.embedded})


def split_rows(rendered: Rendered, header: str, row_start: re.Pattern[str]) -> list[str]:
    """Table rows that continue onto a new page. On every page where the table's header row
    stands (repeated or first), the first thing under it must be the start of a row
    (`row_start`, at the left): anything else is the rest of a row the page before began."""
    split = []
    for page in rendered.pages:
        headers = [line for line in page.lines if line.text.startswith(header)]
        for found in headers:
            band = [line for line in page.lines if abs(line.box.y0 - found.box.y0) < 3]
            below_header = max(line.box.y1 for line in band)
            under = [line for line in page.lines if line.box.y0 > below_header - 0.5]
            if not under:
                continue
            first_y = min(line.box.y0 for line in under)
            first = sorted((line for line in under if line.box.y0 - first_y < 3), key=lambda each: each.box.x0)
            if not row_start.match(first[0].text):
                split.append(f"page {page.number}: under the header comes {first[0].text[:60]!r}")
    return split


def content_bottom(page: Page, top: float, bottom: float) -> float:
    """Where the ink of a page's body ends (points from the top), between `top` and the
    page's height less `bottom`; images count as well as text. `top` when the body is blank."""
    with Image.open(page.png) as image:
        grey = image.convert("L")
        scale = grey.height / page.height
        first, last = int(top * scale), int((page.height - bottom) * scale)
        width = grey.width
        pixels = grey.load()
        assert pixels is not None
        for row in range(last - 1, first - 1, -1):
            if any(pixels[x, row] < 235 for x in range(0, width, 2)):  # type: ignore[operator]
                return row / scale
    return top


def half_empty_pages(rendered: Rendered, top: float, bottom: float, section_starts: tuple[str, ...]) -> list[str]:
    """Pages whose body is less than half used, except a section's last page: the last page,
    or one followed by a page that opens with one of `section_starts`."""
    empty = []
    for index, page in enumerate(rendered.pages):
        if index == len(rendered.pages) - 1:
            continue
        following = rendered.pages[index + 1]
        opening = _first_body_line(following, top)
        if opening is not None and any(opening.startswith(start) for start in section_starts):
            continue
        used = content_bottom(page, top, bottom)
        if used < top + (page.height - top - bottom) / 2:
            empty.append(f"page {page.number}: body ends {used:.0f} pt from the top of {page.height:.0f}")
    return empty


def _first_body_line(page: Page, top: float) -> str | None:
    body = [line for line in page.lines if line.box.y0 >= top - 0.5]
    if not body:
        return None
    return min(body, key=lambda each: (round(each.box.y0), each.box.x0)).text
