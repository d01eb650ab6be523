"""The tables as the newest migration leaves them, for the repositories' queries.

Nothing here creates or changes a table: that is the migrations' work (riskkit/store/
migrations/versions), each of which states its own DDL. Adding a column means a new
revision there and the column here.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

from riskkit.models import Entry

metadata = MetaData()

assessments = Table("assessments", metadata,
                    Column("id", String(40), primary_key=True),
                    Column("title", String(200), nullable=False),
                    Column("context", String(200), nullable=False, default=""),
                    Column("organisation", String(200), nullable=False, default=""),
                    Column("held_on", String(10), nullable=True),
                    Column("policy", String(50), nullable=False),
                    Column("indicators", Text, nullable=True),
                    Column("review_on", String(10), nullable=True),  # ISO date: the register's next review
                    Column("language", String(10), nullable=False, default="en"),  # its exports' language
                    Column("version", Integer, nullable=False),
                    Column("revision", Integer, nullable=False, default=1),  # +1 on every save
                    Column("created_at", DateTime(timezone=True), nullable=False),
                    Column("updated_at", DateTime(timezone=True), nullable=False),
                    Column("deleted_at", DateTime(timezone=True), nullable=True))

# An entry's fields are its columns, one each, named as in the model (riskkit.models.Entry):
# adding a field to Entry takes a migration that adds its column, and nothing here. The
# values are text (levels, strategy, notes) or JSON text (anything else: the room's votes, a
# date, the actions);
# the columns' real types are the migrations' (tests/store/test_migrations.py checks the
# two agree).
ENTRY_FIELDS: tuple[str, ...] = tuple(Entry.model_fields)

entries = Table("risk_entries", metadata,
                Column("assessment_id", String(40), ForeignKey("assessments.id", ondelete="CASCADE"),
                       primary_key=True),
                Column("number", Integer, primary_key=True),
                *(Column(name, Text) for name in ENTRY_FIELDS),
                Column("version", Integer, nullable=False))

own_risks = Table("own_risks", metadata,
                  Column("assessment_id", String(40), ForeignKey("assessments.id", ondelete="CASCADE"),
                         primary_key=True),
                  Column("number", Integer, primary_key=True),
                  Column("statement", Text, nullable=False),
                  Column("refs", Text, nullable=False, default="[]"),
                  Column("indicator_ids", Text, nullable=False, default="[]"),
                  Column("internal", Boolean, nullable=False, default=False),
                  Column("version", Integer, nullable=False))

# An indicator followed over time (riskkit.models.Track), one row per indicator, with its
# own version: two people entering values for different indicators never collide.
tracks = Table("indicator_tracks", metadata,
               Column("assessment_id", String(40), ForeignKey("assessments.id", ondelete="CASCADE"),
                      primary_key=True),
               Column("indicator_id", String(40), primary_key=True),
               Column("baseline", Float, nullable=True),
               Column("target", Float, nullable=True),
               Column("readings", Text, nullable=False, default="[]"),  # JSON list, oldest first
               Column("version", Integer, nullable=False))

# Every saved change, one row per field: what it was, what it became (JSON of the values as
# the models dump them), when and by whom. A risk's change has its number, an indicator's its id.
changes = Table("changes", metadata,
                Column("id", Integer, primary_key=True, autoincrement=True),
                Column("assessment_id", String(40), ForeignKey("assessments.id", ondelete="CASCADE"),
                       nullable=False, index=True),
                Column("at", DateTime(timezone=True), nullable=False),
                Column("by", String(100), nullable=False, default=""),
                Column("number", Integer, nullable=True),
                Column("indicator_id", String(40), nullable=True),
                Column("field", String(50), nullable=False),
                Column("before", Text, nullable=True),
                Column("after", Text, nullable=True))

rating_sessions = Table("rating_sessions", metadata,
                        Column("id", String(40), primary_key=True),
                        Column("assessment_id", String(40), ForeignKey("assessments.id", ondelete="CASCADE"),
                               nullable=False),
                        Column("facilitator_token", String(80), nullable=False, unique=True),
                        Column("join_code", String(12), nullable=False, unique=True),
                        Column("current_risk", Integer, nullable=False),
                        Column("revealed", Boolean, nullable=False, default=False),
                        Column("created_at", DateTime(timezone=True), nullable=False),
                        Column("closed_at", DateTime(timezone=True), nullable=True))

votes = Table("votes", metadata,
              Column("session_id", String(40), ForeignKey("rating_sessions.id", ondelete="CASCADE"),
                     primary_key=True),
              Column("participant", String(40), primary_key=True),
              Column("risk_number", Integer, primary_key=True),
              Column("likelihood", String(50), nullable=False),
              Column("impact", String(50), nullable=False),
              Column("cast_at", DateTime(timezone=True), nullable=False))

# An assessment's Word and PowerPoint templates, one per kind (riskkit.templates).
templates = Table("assessment_templates", metadata,
                  Column("assessment_id", String(40), ForeignKey("assessments.id", ondelete="CASCADE"),
                         primary_key=True),
                  Column("kind", String(10), primary_key=True),
                  Column("file_name", String(200), nullable=False),
                  Column("content", LargeBinary, nullable=False),
                  Column("uploaded_at", DateTime(timezone=True), nullable=False))
