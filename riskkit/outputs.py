"""Every downloadable output, built the same way for the Briefing page and the command line."""

from __future__ import annotations

from typing import Literal

from riskkit import images
from riskkit.briefing import briefing, to_docx
from riskkit.charts import heatmap_figure
from riskkit.exchange import Exported, to_csv, to_json, to_xlsx
from riskkit.models import Assessment, Catalogue, IndicatorSet
from riskkit.rules import register, shareable_copy
from riskkit.slides import to_pptx

Format = Literal["docx", "pptx", "png", "svg", "xlsx", "json", "csv"]
MIME = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "png": "image/png", "svg": "image/svg+xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json", "csv": "text/csv",
}


def build(fmt: Format, about: Exported, assessment: Assessment, catalogue: Catalogue, indicators: IndicatorSet,
          shareable: bool = False, size: str = "projector") -> bytes:
    """The file's bytes. `shareable` leaves out notes and own risks marked internal, in every format."""
    if shareable:
        assessment = shareable_copy(assessment)
    if fmt in ("png", "svg"):
        return images.render(heatmap_figure(catalogue, register(catalogue, assessment)), fmt, size)
    if fmt in ("docx", "pptx"):
        png = images.render(heatmap_figure(catalogue, register(catalogue, assessment)), "png", "projector")
        content = briefing(about, assessment, catalogue, indicators, shareable=shareable)
        return to_docx(content, png) if fmt == "docx" else to_pptx(content, png)
    if fmt == "xlsx":
        return to_xlsx(about, assessment, catalogue, indicators)
    if fmt == "json":
        return to_json(about, assessment)
    if fmt == "csv":
        return to_csv(assessment, catalogue, indicators)
    raise ValueError(f"unknown format {fmt}")


def file_name(title: str, fmt: Format, shareable: bool = False, size: str = "projector") -> str:
    stem = "".join(ch if ch.isalnum() else "-" for ch in title).strip("-")[:60] or "assessment"
    suffix = ("-shareable" if shareable else "") + ("-email" if fmt == "png" and size == "email" else "")
    return f"{stem}{suffix}.{fmt}"
