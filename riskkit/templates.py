"""An organisation's templates: the Word (.dotx/.docx) and PowerPoint (.potx/.pptx) files
its briefings are laid out in, kept with an assessment, one per kind.

A template is checked where it comes in (`checked_template`): small enough to keep in the
database, not a zip that unpacks to far more than a template, and a file python-docx or
python-pptx opens. Anything else is refused with words, and nothing is kept. The Word report
and the slides open a template only through `document` and `presentation`, so the same checks
and words hold wherever a template comes from.
"""

from __future__ import annotations

import io
import logging
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import PurePath
from typing import TYPE_CHECKING, Literal, TypeVar

from riskkit.errors import RiskkitError
from riskkit.i18n import gettext as _
from riskkit.limits import file_label, unpacked_bytes
from riskkit.models import Value

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from pptx.presentation import Presentation as PptxPresentation

log = logging.getLogger("riskkit.templates")
Opened = TypeVar("Opened")

TemplateKind = Literal["docx", "pptx"]
KINDS: tuple[TemplateKind, ...] = ("docx", "pptx")
# A template carries styles, layouts and a logo or two: 10 MB is generous, and the
# database keeps it whole.
MAX_TEMPLATE_BYTES = 10 * 1024 * 1024
# Pictures barely compress, XML does about tenfold: far beyond this is a zip bomb.
MAX_TEMPLATE_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_FILE_NAME = 200
SUFFIXES: dict[TemplateKind, tuple[str, ...]] = {"docx": (".docx", ".dotx"), "pptx": (".pptx", ".potx")}
# A template's main part differs from a document's only in its content type.
AS_DOCUMENT: dict[TemplateKind, tuple[bytes, bytes]] = {
    "docx": (b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
             b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
    "pptx": (b"application/vnd.openxmlformats-officedocument.presentationml.template.main+xml",
             b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"),
}


class TemplateRejected(RiskkitError):
    """An uploaded template that cannot be kept; the message says why and what to do."""


class Template(Value):
    kind: TemplateKind
    file_name: str
    content: bytes
    uploaded_at: datetime


def kind_name(kind: TemplateKind) -> str:
    return _("Word template") if kind == "docx" else _("PowerPoint template")


def openable(kind: TemplateKind, content: bytes) -> bytes:
    """A template's bytes as python-docx or python-pptx opens them: a .dotx or .potx with its
    main part typed as a document; a .docx or .pptx unchanged."""
    template_type, document_type = AS_DOCUMENT[kind]
    with zipfile.ZipFile(io.BytesIO(content)) as source:
        types = source.read("[Content_Types].xml")
        if template_type not in types:
            return content
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                data = source.read(info.filename)
                if info.filename == "[Content_Types].xml":
                    data = data.replace(template_type, document_type)
                target.writestr(info, data)
    return out.getvalue()


def checked_template(kind: str, file_name: str, content: bytes) -> tuple[TemplateKind, str, bytes]:
    """The kind, a name fit to show and the bytes of a template that can be kept, or
    TemplateRejected with words a facilitator understands."""
    if kind not in KINDS:
        raise TemplateRejected(_("Templates are for Word or PowerPoint only."))
    checked_kind: TemplateKind = "docx" if kind == "docx" else "pptx"
    name = file_label(PurePath(file_name.replace("\\", "/")).name, MAX_FILE_NAME) if file_name else ""
    wanted = SUFFIXES[checked_kind]
    if not name.lower().endswith(wanted):
        raise TemplateRejected(_("{name}: a {kind} is a {suffixes} file. Nothing was changed.").format(
            name=name or _("the file"), kind=kind_name(checked_kind), suffixes=_(" or ").join(wanted)))
    if checked_kind == "docx":
        document(content, name)
    else:
        presentation(content, name)
    return checked_kind, name, content


def document(content: bytes, name: str = "") -> DocxDocument:
    """A Word template (.dotx or .docx) opened, or TemplateRejected in words."""
    from docx import Document

    return _opened("docx", content, name, lambda data: Document(io.BytesIO(data)))


def presentation(content: bytes, name: str = "") -> PptxPresentation:
    """A PowerPoint template (.potx or .pptx) opened, or TemplateRejected in words."""
    from pptx import Presentation

    return _opened("pptx", content, name, lambda data: Presentation(io.BytesIO(data)))


def _opened(kind: TemplateKind, content: bytes, name: str, library: Callable[[bytes], Opened]) -> Opened:
    """The checks every template passes before its library opens it: small enough to keep,
    not a zip that unpacks to far more than a template, then opened."""
    shown = name or _("The template")
    if len(content) > MAX_TEMPLATE_BYTES:
        raise TemplateRejected(_("{name} is {size:.1f} MB; a template may be at most {limit} MB. Make its pictures "
                                 "smaller and try again. Nothing was changed.").format(
            name=shown, size=len(content) / 1024 / 1024, limit=MAX_TEMPLATE_BYTES // 1024 // 1024))
    suffixes = _(" or ").join(SUFFIXES[kind])
    unreadable = TemplateRejected(_("{name} cannot be opened as a {kind}. Save it again from Word or PowerPoint "
                                    "(as {suffixes}) and try again. Nothing was changed.").format(
        name=shown, kind=kind_name(kind), suffixes=suffixes))
    try:
        unpacked = unpacked_bytes(content)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise unreadable from None
    if unpacked > MAX_TEMPLATE_UNPACKED_BYTES:
        raise TemplateRejected(_("{name} unpacks to {size:,.0f} MB, far more than a template (the limit is {limit} "
                                 "MB). Is it the right file? Nothing was changed.").format(
            name=shown, size=unpacked / 1024 / 1024, limit=MAX_TEMPLATE_UNPACKED_BYTES // 1024 // 1024))
    try:
        return library(openable(kind, content))
    except Exception:  # a damaged file can fail anywhere inside the library or its XML parser
        log.warning("template %r (%s) could not be opened", name, kind, exc_info=True)
        raise unreadable from None
