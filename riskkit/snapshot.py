"""An assessment as it was saved: the line the list shows, the snapshot a save is based on,
and the changes its history keeps."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from riskkit.models import Assessment, Value


class Summary(Value):
    id: str
    title: str
    context: str = ""
    organisation: str = ""
    held_on: date | None = None
    policy: str
    revision: int = 1  # +1 on every save: whether a held snapshot is still current
    language: str = "en"  # the locale its exports are written in
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None = None


class Snapshot(Value):
    """An assessment as saved, with the version of every row it was read at. A save hands it
    back so the next save knows what this person saw."""

    summary: Summary
    assessment: Assessment
    versions: dict[str, int]


class Change(Value):
    """One field changed by one save, as the history keeps it. `before` and `after` are the
    values as the models dump them to JSON (a date as ISO text, actions as a list of dicts):
    handing `before` to Assessment.restore_entry_value restores it."""

    at: datetime
    by: str = ""  # the name the person gave, if any
    number: int | None = None  # the risk, for a change to a risk
    indicator_id: str | None = None  # the indicator, for a change to its values
    field: str
    before: Any = None
    after: Any = None
