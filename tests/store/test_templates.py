"""An assessment's Word and PowerPoint templates are kept with it: put, replaced, read back,
removed; hidden and restored with it, copied with a duplicate, gone with its row. A file
that cannot be a template is refused with words and changes nothing."""

from __future__ import annotations

import io
import zipfile

import pytest
from docx import Document
from pptx import Presentation
from sqlalchemy import text

from riskkit.errors import UnknownAssessment
from riskkit.store import Store
from riskkit.templates import MAX_TEMPLATE_BYTES, TemplateRejected, openable


def word_file(marker: str = "ours") -> bytes:
    doc = Document()
    doc.core_properties.title = marker
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def slides_file() -> bytes:
    out = io.BytesIO()
    Presentation().save(out)
    return out.getvalue()


def as_template(document: bytes, kind: str) -> bytes:
    """A .docx or .pptx turned into the .dotx or .potx Word or PowerPoint would save."""
    part = {"docx": b"wordprocessingml", "pptx": b"presentationml"}[kind]
    main = {"docx": b".document.main+xml", "pptx": b".presentation.main+xml"}[kind]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(document)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(part + main, part + b".template.main+xml")
            target.writestr(info, data)
    return out.getvalue()


@pytest.fixture
def made(store: Store, catalogue) -> str:
    return store.create("Kenya national workshop", catalogue.policies.default)


def test_a_template_is_kept_per_kind_and_replaced_by_the_next_one(store, made):
    store.put_template(made, "docx", "house style.docx", word_file("first"))
    store.put_template(made, "pptx", r"C:\Users\ana\Deck.potx", as_template(slides_file(), "pptx"))
    store.put_template(made, "docx", "house style v2.dotx", as_template(word_file("second"), "docx"))
    word = store.template(made, "docx")
    assert word is not None and word.file_name == "house style v2.dotx"
    assert Document(io.BytesIO(openable("docx", word.content))).core_properties.title == "second"
    slides = store.template(made, "pptx")
    assert slides is not None and slides.file_name == "Deck.potx" and slides.uploaded_at.tzinfo is not None
    assert store.remove_template(made, "docx") is True
    assert store.template(made, "docx") is None and store.remove_template(made, "docx") is False
    assert store.template(made, "pptx") is not None


@pytest.mark.parametrize(("kind", "name", "content", "says"), [
    ("docx", "notes.txt", b"plain text", "a Word template is a .docx or .dotx file"),
    ("docx", "broken.docx", b"PK\x03\x04 not really a zip", "cannot be opened as a Word template"),
    ("pptx", "slides.pptx", "word", "cannot be opened as a PowerPoint template"),
    ("docx", "huge.docx", b"x" * (MAX_TEMPLATE_BYTES + 1), "may be at most 10 MB"),
    ("docx", "bomb.docx", "bomb", "unpacks to .* far more than a template"),
    ("xlsx", "book.xlsx", b"", "Word or PowerPoint only"),
])
def test_a_file_that_cannot_be_a_template_is_refused_and_the_kept_one_stays(store, made, kind, name, content, says):
    store.put_template(made, "docx", "kept.docx", word_file("kept"))
    store.put_template(made, "pptx", "kept.pptx", slides_file())
    if content == "word":
        content = word_file()
    elif content == "bomb":
        squeezed = io.BytesIO()
        with zipfile.ZipFile(squeezed, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("word/padding.xml", b"\0" * (110 * 1024 * 1024))
        content = squeezed.getvalue()
    with pytest.raises(TemplateRejected, match=says):
        store.put_template(made, kind, name, content)
    assert store.template(made, "docx").file_name == "kept.docx"
    assert store.template(made, "pptx").file_name == "kept.pptx"


def test_templates_follow_their_assessment_when_it_is_deleted_restored_duplicated_or_removed(store, made):
    store.put_template(made, "docx", "house.docx", word_file())
    store.delete(made)
    assert store.template(made, "docx") is None
    with pytest.raises(UnknownAssessment):
        store.put_template(made, "docx", "house.docx", word_file())
    store.restore(made)
    assert store.template(made, "docx").file_name == "house.docx"

    copy = store.duplicate(made, "Kenya, before changes")
    assert store.template(copy, "docx").content == store.template(made, "docx").content
    store.remove_template(copy, "docx")
    assert store.template(made, "docx") is not None  # the copy's own, not shared

    with store.engine.begin() as conn:  # a row removed for good takes its templates with it
        conn.execute(text("DELETE FROM assessments WHERE id = :id"), {"id": made})
        left = conn.execute(text("SELECT count(*) FROM assessment_templates WHERE assessment_id = :id"),
                            {"id": made}).scalar()
    assert left == 0


def test_an_unknown_assessment_takes_no_template(store):
    with pytest.raises(UnknownAssessment):
        store.put_template("nope", "docx", "house.docx", word_file())
    assert store.template("nope", "docx") is None
