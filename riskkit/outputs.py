"""Every downloadable output, built the same way for the Briefing page and the command line."""

from __future__ import annotations

from datetime import date
from typing import Literal

from riskkit import images
from riskkit.briefing import Earlier, briefing
from riskkit.catalogue import Wording, indicators_in, with_official_wording
from riskkit.charts import heatmap_figure, heatmap_image_figure
from riskkit.exchange import Exported, to_csv, to_json, to_plan_csv, to_xlsx
from riskkit.i18n import current_locale, using
from riskkit.models import Assessment, Catalogue, IndicatorSet
from riskkit.report import to_docx
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
          shareable: bool = False, size: str = "projector", slide_template: bytes | None = None,
          report_template: bytes | None = None, earlier: Earlier | None = None, language: str | None = None) -> bytes:
    """The file's bytes, its words in `language` (the assessment's export language; the run's
    own when None). The catalogue and indicators given should be in that language too:
    riskkit.catalogue.catalogue_in / indicators_in, or an assessment's official wording (words_for).
    `shareable` leaves out notes and own risks marked internal, in every format;
    `slide_template` is a .pptx or .potx whose layouts the slides use, `report_template` a .docx or
    .dotx whose styles and page the Word report takes; `earlier` (an assessment to compare with)
    adds what changed since to the Word report and the slides."""
    with using(language or current_locale()):
        return _build(fmt, about, assessment, catalogue, indicators, shareable, size, slide_template,
                      report_template, earlier)


def _build(fmt: Format, about: Exported, assessment: Assessment, catalogue: Catalogue, indicators: IndicatorSet,
           shareable: bool, size: str, slide_template: bytes | None, report_template: bytes | None,
           earlier: Earlier | None) -> bytes:
    if shareable:
        assessment = shareable_copy(assessment)
    if fmt in ("png", "svg"):
        figure = heatmap_image_figure(catalogue, register(catalogue, assessment), assessment=about.title,
                                      context=about.context, held_on=about.held_on)
        return images.render(figure, fmt, size)
    content = briefing(about, assessment, catalogue, indicators, shareable=shareable, earlier=earlier) \
        if fmt in ("docx", "pptx") else None
    if fmt == "pptx" and content is not None:
        return to_pptx(content, template=slide_template)
    if fmt == "docx" and content is not None:
        png = images.render(heatmap_figure(catalogue, register(catalogue, assessment)), "png", "projector")
        return to_docx(content, png, template=report_template)
    if fmt == "xlsx":
        return to_xlsx(about, assessment, catalogue, indicators)
    if fmt == "json":
        return to_json(about, assessment)
    if fmt == "csv":
        return to_csv(assessment, catalogue, indicators)
    raise ValueError(f"unknown format {fmt}")


def words_for(language: str, official: Wording | None, assessment: Assessment) -> tuple[Catalogue, IndicatorSet]:
    """The catalogue and indicators a file in `language` is written with: the assessment's official
    wording in that language if it has one, else riskkit's; its own indicators, else the draft's."""
    return with_official_wording(language, official), assessment.indicators or indicators_in(language)


def plan_csv(language: str, catalogue: Catalogue, assessment: Assessment, today: date) -> bytes:
    """The Action plan as CSV, its headers and statuses in `language`."""
    with using(language):
        return to_plan_csv(catalogue, assessment, today)


def file_name(title: str, fmt: Format, shareable: bool = False, size: str = "projector") -> str:
    stem = "".join(ch if ch.isalnum() else "-" for ch in title).strip("-")[:60] or "assessment"
    suffix = ("-shareable" if shareable else "") + (f"-{size}" if fmt == "png" and size != "projector" else "")
    return f"{stem}{suffix}.{fmt}"
