"""An assessment's templates, kept with it: put, get and remove one per kind.

A template belongs to its assessment: it is hidden with it when the assessment is deleted,
back when it is restored, copied when it is duplicated, and gone with its row (the foreign
key cascades). Only a template `riskkit.templates.checked_template` accepts is kept; a
refused one changes nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection, delete, insert, select

from riskkit.catalogue import Wording
from riskkit.errors import UnknownAssessment
from riskkit.i18n import gettext as _
from riskkit.store.engine import Repository, answering
from riskkit.store.schema import assessments, templates
from riskkit.templates import Template, TemplateKind, checked_template


class Templates(Repository):
    """The Word and PowerPoint templates of each assessment."""

    @answering
    def put(self, assessment_id: str, kind: str, file_name: str, content: bytes) -> Template:
        """Keep a template for the assessment, replacing the one of its kind."""
        checked_kind, name, data = checked_template(kind, file_name, content)
        kept = Template(kind=checked_kind, file_name=name, content=data, uploaded_at=datetime.now(UTC))
        with self.db.write() as conn:
            _known(conn, assessment_id)
            conn.execute(delete(templates).where(templates.c.assessment_id == assessment_id,
                                                 templates.c.kind == checked_kind))
            conn.execute(insert(templates).values(assessment_id=assessment_id, kind=checked_kind, file_name=name,
                                                  content=data, uploaded_at=kept.uploaded_at))
        return kept

    @answering
    def get(self, assessment_id: str, kind: TemplateKind) -> Template | None:
        """The assessment's template of this kind; None when it has none (or is deleted)."""
        with self.db.read() as conn:
            row = conn.execute(select(templates).join(assessments, assessments.c.id == templates.c.assessment_id)
                               .where(templates.c.assessment_id == assessment_id, templates.c.kind == kind,
                                      assessments.c.deleted_at.is_(None))).first()
        if row is None:
            return None
        return Template(kind=row.kind, file_name=row.file_name, content=bytes(row.content),
                        uploaded_at=_aware(row.uploaded_at))

    @answering
    def remove(self, assessment_id: str, kind: TemplateKind) -> bool:
        """Forget the assessment's template of this kind; whether there was one."""
        with self.db.write() as conn:
            _known(conn, assessment_id)
            return bool(conn.execute(delete(templates).where(templates.c.assessment_id == assessment_id,
                                                             templates.c.kind == kind)).rowcount)

    # An official wording of the catalogue (riskkit.catalogue.Wording), one per language, kept
    # in the same table under the kind "words-<language>": it belongs to its assessment exactly
    # as a template does (hidden, restored, copied and deleted with it).

    @answering
    def put_wording(self, assessment_id: str, wording: Wording) -> None:
        """Keep an official wording (already checked by riskkit.catalogue) for its language."""
        kind = f"words-{wording.language}"
        file_name = wording.translation.by if wording.translation else ""
        with self.db.write() as conn:
            _known(conn, assessment_id)
            conn.execute(delete(templates).where(templates.c.assessment_id == assessment_id,
                                                 templates.c.kind == kind))
            conn.execute(insert(templates).values(assessment_id=assessment_id, kind=kind, file_name=file_name[:200],
                                                  content=wording.model_dump_json().encode(),
                                                  uploaded_at=datetime.now(UTC)))

    @answering
    def wording(self, assessment_id: str, language: str) -> Wording | None:
        """The assessment's official wording in this language; None when it has none."""
        with self.db.read() as conn:
            row = conn.execute(select(templates.c.content)
                               .join(assessments, assessments.c.id == templates.c.assessment_id)
                               .where(templates.c.assessment_id == assessment_id,
                                      templates.c.kind == f"words-{language}",
                                      assessments.c.deleted_at.is_(None))).first()
        return None if row is None else Wording.model_validate_json(bytes(row.content))

    @answering
    def remove_wording(self, assessment_id: str, language: str) -> bool:
        with self.db.write() as conn:
            _known(conn, assessment_id)
            return bool(conn.execute(delete(templates).where(templates.c.assessment_id == assessment_id,
                                                             templates.c.kind == f"words-{language}")).rowcount)

    @answering
    def copy(self, from_id: str, to_id: str) -> None:
        """Every template of one assessment onto another (a duplicate keeps its templates)."""
        with self.db.write() as conn:
            rows = conn.execute(select(templates).where(templates.c.assessment_id == from_id)).all()
            for row in rows:
                conn.execute(insert(templates).values(assessment_id=to_id, kind=row.kind, file_name=row.file_name,
                                                      content=row.content, uploaded_at=row.uploaded_at))


def _known(conn: Connection, assessment_id: str) -> None:
    found = conn.execute(select(assessments.c.id).where(assessments.c.id == assessment_id,
                                                        assessments.c.deleted_at.is_(None))).first()
    if found is None:
        raise UnknownAssessment(_("This assessment was deleted by someone else; its templates were not changed."))


def _aware(when: datetime) -> datetime:
    """SQLite gives datetimes back without their zone; they were stored in UTC."""
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)
