"""The room's votes kept with a rating: risk_entries.room, JSON of a RoomRating (schema 3).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("risk_entries") as table:
        table.add_column(sa.Column("room", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("risk_entries") as table:
        table.drop_column("room")
