"""The follow-up: residual ratings, review dates and action plans on each risk, indicator
values over time, every saved change kept with who made it, and the language an
assessment's exports are written in.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07

Entries' new values that are not plain text (a date, the list of actions) are JSON text,
as `room` already is. Existing rows get no actions, no review date, no residual rating,
no indicator values, no history, and English exports.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("risk_entries") as table:
        table.add_column(sa.Column("residual_likelihood", sa.String(50), nullable=True))
        table.add_column(sa.Column("residual_impact", sa.String(50), nullable=True))
        table.add_column(sa.Column("review_on", sa.Text(), nullable=True))  # JSON of an ISO date
        table.add_column(sa.Column("actions", sa.Text(), nullable=True))  # JSON list; NULL: none
    with op.batch_alter_table("assessments") as table:
        table.add_column(sa.Column("review_on", sa.String(10), nullable=True))  # ISO date
        table.add_column(sa.Column("language", sa.String(10), nullable=False, server_default="en"))
    op.create_table("indicator_tracks",
                    sa.Column("assessment_id", sa.String(40), sa.ForeignKey("assessments.id", ondelete="CASCADE"),
                              primary_key=True),
                    sa.Column("indicator_id", sa.String(40), primary_key=True),
                    sa.Column("baseline", sa.Float(), nullable=True),
                    sa.Column("target", sa.Float(), nullable=True),
                    sa.Column("readings", sa.Text(), nullable=False),  # JSON list, oldest first
                    sa.Column("version", sa.Integer(), nullable=False))
    op.create_table("changes",
                    sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
                    sa.Column("assessment_id", sa.String(40), sa.ForeignKey("assessments.id", ondelete="CASCADE"),
                              nullable=False, index=True),
                    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
                    sa.Column("by", sa.String(100), nullable=False),
                    sa.Column("number", sa.Integer(), nullable=True),
                    sa.Column("indicator_id", sa.String(40), nullable=True),
                    sa.Column("field", sa.String(50), nullable=False),
                    sa.Column("before", sa.Text(), nullable=True),
                    sa.Column("after", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_table("changes")
    op.drop_table("indicator_tracks")
    with op.batch_alter_table("assessments") as table:
        table.drop_column("language")
        table.drop_column("review_on")
    with op.batch_alter_table("risk_entries") as table:
        for name in ("actions", "review_on", "residual_impact", "residual_likelihood"):
            table.drop_column(name)
