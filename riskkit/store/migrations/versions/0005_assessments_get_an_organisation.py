"""Assessments get an organisation: who the briefings are from, shown on the Word cover,
the title slide and the Excel Legend.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("assessments") as table:
        table.add_column(sa.Column("organisation", sa.String(200), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("assessments") as table:
        table.drop_column("organisation")
