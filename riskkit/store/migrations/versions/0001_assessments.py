"""Assessments, their entries and own risks: schema 1 as riskkit released it.

Revision ID: 0001
Revises:
Create Date: 2026-11-30

A database made by a release before Alembic that says schema 1 in riskkit_meta is stamped
at this revision, not built again.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    # Releases before Alembic read their schema number here and refuse a newer one.
    op.create_table("riskkit_meta",
                    sa.Column("key", sa.String(50), primary_key=True),
                    sa.Column("value", sa.String(200), nullable=False))
    op.create_table("assessments",
                    sa.Column("id", sa.String(40), primary_key=True),
                    sa.Column("title", sa.String(200), nullable=False),
                    sa.Column("context", sa.String(200), nullable=False),
                    sa.Column("held_on", sa.String(10), nullable=True),
                    sa.Column("policy", sa.String(50), nullable=False),
                    sa.Column("indicators", sa.Text(), nullable=True),
                    sa.Column("version", sa.Integer(), nullable=False),
                    sa.Column("revision", sa.Integer(), nullable=False),
                    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
                    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
                    sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table("risk_entries",
                    sa.Column("assessment_id", sa.String(40), sa.ForeignKey("assessments.id", ondelete="CASCADE"),
                              primary_key=True),
                    sa.Column("number", sa.Integer(), primary_key=True),
                    sa.Column("likelihood", sa.String(50), nullable=True),
                    sa.Column("impact", sa.String(50), nullable=True),
                    sa.Column("strategy", sa.Text(), nullable=False),
                    sa.Column("notes", sa.Text(), nullable=False),
                    sa.Column("version", sa.Integer(), nullable=False))
    op.create_table("own_risks",
                    sa.Column("assessment_id", sa.String(40), sa.ForeignKey("assessments.id", ondelete="CASCADE"),
                              primary_key=True),
                    sa.Column("number", sa.Integer(), primary_key=True),
                    sa.Column("statement", sa.Text(), nullable=False),
                    sa.Column("refs", sa.Text(), nullable=False),
                    sa.Column("indicator_ids", sa.Text(), nullable=False),
                    sa.Column("internal", sa.Boolean(), nullable=False),
                    sa.Column("version", sa.Integer(), nullable=False))


def downgrade() -> None:
    for table in ("own_risks", "risk_entries", "assessments", "riskkit_meta"):
        op.drop_table(table)
