"""Alembic revisions, numbered 0001, 0002, ... (see docs/adding-a-field.md)."""
