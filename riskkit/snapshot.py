"""An assessment as it was saved: the line the list shows and the snapshot a save is based on."""

from __future__ import annotations

from datetime import date, datetime

from riskkit.models import Assessment, Value


class Summary(Value):
    id: str
    title: str
    context: str = ""
    organisation: str = ""
    held_on: date | None = None
    policy: str
    revision: int = 1  # +1 on every save: whether a held snapshot is still current
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None = None


class Snapshot(Value):
    """An assessment as saved, with the version of every row it was read at. A save hands it
    back so the next save knows what this person saw."""

    summary: Summary
    assessment: Assessment
    versions: dict[str, int]
