"""An assessment's templates: the organisation's Word and PowerPoint files its briefings
are laid out in, kept with the assessment (one per kind).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table("assessment_templates",
                    sa.Column("assessment_id", sa.String(40), sa.ForeignKey("assessments.id", ondelete="CASCADE"),
                              primary_key=True),
                    sa.Column("kind", sa.String(10), primary_key=True),  # 'docx' or 'pptx'
                    sa.Column("file_name", sa.String(200), nullable=False),
                    sa.Column("content", sa.LargeBinary(), nullable=False),
                    sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False))


def downgrade() -> None:
    op.drop_table("assessment_templates")
