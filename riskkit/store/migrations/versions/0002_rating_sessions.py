"""Group rating: rating sessions and the phones' votes (schema 2 as riskkit released it).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table("rating_sessions",
                    sa.Column("id", sa.String(40), primary_key=True),
                    sa.Column("assessment_id", sa.String(40), sa.ForeignKey("assessments.id", ondelete="CASCADE"),
                              nullable=False),
                    sa.Column("facilitator_token", sa.String(80), nullable=False, unique=True),
                    sa.Column("join_code", sa.String(12), nullable=False, unique=True),
                    sa.Column("current_risk", sa.Integer(), nullable=False),
                    sa.Column("revealed", sa.Boolean(), nullable=False),
                    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
                    sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table("votes",
                    sa.Column("session_id", sa.String(40), sa.ForeignKey("rating_sessions.id", ondelete="CASCADE"),
                              primary_key=True),
                    sa.Column("participant", sa.String(40), primary_key=True),
                    sa.Column("risk_number", sa.Integer(), primary_key=True),
                    sa.Column("likelihood", sa.String(50), nullable=False),
                    sa.Column("impact", sa.String(50), nullable=False),
                    sa.Column("cast_at", sa.DateTime(timezone=True), nullable=False))


def downgrade() -> None:
    op.drop_table("votes")
    op.drop_table("rating_sessions")
