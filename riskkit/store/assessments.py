"""The assessments aggregate: an assessment's head row, its entries and its own risks.

Every risk's entry and every own risk is a row with its own version. A save carries the
versions it was based on and changes only the rows that differ, so two people rating
different risks never collide, and two people changing the same field of the same risk get
a StaleEdit instead of a silent overwrite (different fields of one risk are merged).

A save locks its assessment's row for its transaction (PostgreSQL; SQLite has one writer at
a time anyway): saves of one assessment take turns, saves of different ones do not wait.
"""

from __future__ import annotations

import functools
import json
import secrets
from datetime import UTC, date, datetime
from typing import Any, get_args

from pydantic import BaseModel, TypeAdapter
from sqlalchemy import Connection, Delete, Update, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from riskkit.errors import InvalidEdit, StaleEdit, UnknownAssessment
from riskkit.limits import checked_text
from riskkit.models import Assessment, Entry, IndicatorSet, OwnRisk
from riskkit.snapshot import Snapshot, Summary
from riskkit.store.engine import Repository, answering
from riskkit.store.schema import ENTRY_FIELDS, assessments, entries, own_risks

ENTRY_COLUMNS = ENTRY_FIELDS
# fields holding a value (a model), kept as JSON text in their column
_AS_JSON: dict[str, TypeAdapter[Any]] = {
    name: TypeAdapter(field.annotation) for name, field in Entry.model_fields.items()
    if field.annotation is not None
    and any(isinstance(part, type) and issubclass(part, BaseModel) for part in (field.annotation,
                                                                             *get_args(field.annotation)))}


class Assessments(Repository):
    """Create, list, load, save (with a three-way merge), rename, duplicate, delete and restore."""

    @answering
    def create(self, title: str, policy: str, context: str = "", held_on: date | None = None,
               assessment: Assessment | None = None, organisation: str = "") -> str:
        title = _required(checked_text("title", title), "An assessment needs a title.")
        context = checked_text("context", context)
        organisation = checked_text("organisation", organisation)
        new_id = secrets.token_hex(8)
        now = _now()
        body = assessment or Assessment(policy=policy)
        with self.db.write() as conn:
            conn.execute(insert(assessments).values(
                id=new_id, title=title, context=context.strip(), organisation=organisation,
                held_on=held_on.isoformat() if held_on else None,
                policy=body.policy, indicators=_dump_indicators(body.indicators), version=1, revision=1,
                created_at=now, updated_at=now))
            for own in body.own_risks:
                conn.execute(insert(own_risks).values(assessment_id=new_id, version=1, **_own_row(own)))
            for number, entry in body.entries.items():
                conn.execute(insert(entries).values(assessment_id=new_id, number=number, version=1,
                                                    **_entry_row(entry)))
        return new_id

    @answering
    def list(self, deleted: bool = False) -> list[Summary]:
        where = assessments.c.deleted_at.is_not(None) if deleted else assessments.c.deleted_at.is_(None)
        with self.db.read() as conn:
            rows = conn.execute(select(assessments).where(where).order_by(assessments.c.updated_at.desc()))
            return [_summary(row) for row in rows]

    def most_recent(self) -> str | None:
        found = self.list()
        return found[0].id if found else None

    @answering
    def count(self) -> int:
        with self.db.read() as conn:
            return int(conn.execute(select(func.count()).select_from(assessments)).scalar_one())

    @answering
    def load(self, assessment_id: str) -> Snapshot:
        with self.db.read() as conn:
            return _load(conn, assessment_id)

    @answering
    def revision(self, assessment_id: str) -> int | None:
        """A number that changes with every save: whether a held snapshot is still current."""
        with self.db.read() as conn:
            found = conn.execute(select(assessments.c.revision).where(
                assessments.c.id == assessment_id, assessments.c.deleted_at.is_(None))).scalar()
            return int(found) if found is not None else None

    @answering
    def save(self, before: Snapshot, after: Assessment) -> Snapshot:
        """Write what changed from `before` to `after`, each row only if nobody changed it since."""
        assessment_id = before.summary.id
        versions = dict(before.versions)
        old = before.assessment
        with self.db.write() as conn:
            head = conn.execute(self.db.locked(select(assessments.c.revision).where(
                assessments.c.id == assessment_id, assessments.c.deleted_at.is_(None)))).first()
            if head is None:
                raise UnknownAssessment("This assessment was deleted by someone else; nothing was saved.")
            if (old.policy, old.indicators) != (after.policy, after.indicators):
                _guarded(conn, update(assessments).where(
                    assessments.c.id == assessment_id, assessments.c.version == versions["meta"]).values(
                    policy=after.policy, indicators=_dump_indicators(after.indicators),
                    version=versions["meta"] + 1), "The policy or indicator list")
                versions["meta"] += 1
            old_own = {r.number: r for r in old.own_risks}
            new_own = {r.number: r for r in after.own_risks}
            for number in sorted(old_own.keys() | new_own.keys()):
                _save_own(conn, assessment_id, number, old_own.get(number), new_own.get(number), versions)
            for number in sorted(old.entries.keys() | after.entries.keys()):
                was, now = old.entries.get(number), after.entries.get(number)
                if was != now:
                    _save_entry(conn, assessment_id, number, was, now, versions)
            conn.execute(update(assessments).where(assessments.c.id == assessment_id)
                         .values(updated_at=_now(), revision=assessments.c.revision + 1))
            if head.revision != before.summary.revision:
                # others saved since `before` was read: hand back everything, theirs included
                return _load(conn, assessment_id)
            saved = conn.execute(select(assessments).where(assessments.c.id == assessment_id)).one()
        return Snapshot(summary=_summary(saved), assessment=after, versions=versions)

    @answering
    def rename(self, assessment_id: str, title: str, context: str | None = None,
               held_on: date | None = None, seen: Summary | None = None,
               organisation: str | None = None) -> Summary:
        """Rename; with `seen` (the summary the user was looking at), only if nobody renamed it
        since, like every other save. Returns the summary as saved."""
        values: dict[str, Any] = {"title": _required(checked_text("title", title), "An assessment needs a title."),
                                  "updated_at": _now()}
        if context is not None:
            values["context"] = checked_text("context", context)
        if organisation is not None:
            values["organisation"] = checked_text("organisation", organisation)
        if held_on is not None:
            values["held_on"] = held_on.isoformat()
        guard = [assessments.c.id == assessment_id, assessments.c.deleted_at.is_(None)]
        if seen is not None:
            guard += [assessments.c.title == seen.title, assessments.c.context == seen.context]
        with self.db.write() as conn:
            if not conn.execute(update(assessments).where(*guard).values(**values)).rowcount:
                head = conn.execute(select(assessments).where(assessments.c.id == assessment_id,
                                                              assessments.c.deleted_at.is_(None))).first()
                if head is None:
                    raise UnknownAssessment("This assessment was deleted by someone else; nothing was saved.")
                raise StaleEdit(f"Someone else renamed this assessment to “{head.title}” a moment ago, so your "
                                "title was not saved. What you typed is still in the box: save again to "
                                "replace their title.")
            return _summary(conn.execute(select(assessments).where(assessments.c.id == assessment_id)).one())

    def duplicate(self, assessment_id: str, title: str) -> str:
        """A snapshot to compare with later: a new assessment with everything copied."""
        original = self.load(assessment_id)
        return self.create(title, original.assessment.policy, original.summary.context, original.summary.held_on,
                           assessment=original.assessment, organisation=original.summary.organisation)

    def delete(self, assessment_id: str) -> None:
        """Deleted assessments are kept, hidden, so that a delete can be undone."""
        self._set_deleted(assessment_id, _now())

    def restore(self, assessment_id: str) -> None:
        self._set_deleted(assessment_id, None)

    @answering
    def _set_deleted(self, assessment_id: str, when: datetime | None) -> None:
        with self.db.write() as conn:
            if not conn.execute(update(assessments).where(assessments.c.id == assessment_id)
                                .values(deleted_at=when)).rowcount:
                raise UnknownAssessment(f"No assessment has the id '{_quoted(assessment_id)}'.")


def _load(conn: Connection, assessment_id: str) -> Snapshot:
    head = conn.execute(select(assessments).where(assessments.c.id == assessment_id,
                                                  assessments.c.deleted_at.is_(None))).first()
    if head is None:
        raise UnknownAssessment(f"No assessment has the id '{_quoted(assessment_id)}'. It may have been "
                                "deleted; open one from the Assessments page.")
    versions = {"meta": head.version}
    found_entries = {}
    for row in conn.execute(select(entries).where(entries.c.assessment_id == assessment_id)):
        # rows were validated on the way in: construct without validating again
        found_entries[row.number] = _entry(row)
        versions[_entry_key(row.number)] = row.version
    found_own = []
    for row in conn.execute(select(own_risks).where(own_risks.c.assessment_id == assessment_id)
                            .order_by(own_risks.c.number)):
        found_own.append(OwnRisk.model_construct(number=row.number, statement=row.statement,
                                                 references=tuple(json.loads(row.refs)),
                                                 indicator_ids=tuple(json.loads(row.indicator_ids)),
                                                 internal=row.internal))
        versions[_own_key(row.number)] = row.version
    assessment = Assessment.model_construct(policy=head.policy, entries=found_entries, own_risks=tuple(found_own),
                                            indicators=_load_indicators(head.indicators))
    return Snapshot(summary=_summary(head), assessment=assessment, versions=versions)


def _save_entry(conn: Connection, assessment_id: str, number: int, was: Entry | None, now: Entry | None,
                versions: dict[str, int]) -> None:
    """Write one risk's entry if nobody changed it since it was read. If a colleague changed
    other fields of it meanwhile (their notes, my strategy), both changes are kept; only a
    change to the same field is refused."""
    key = _entry_key(number)
    where = (entries.c.assessment_id == assessment_id, entries.c.number == number)
    if key in versions:
        change: Delete | Update = (delete(entries) if now is None else
                                   update(entries).values(version=versions[key] + 1, **_entry_row(now)))
        if conn.execute(change.where(*where, entries.c.version == versions[key])).rowcount == 1:
            if now is None:
                versions.pop(key)
            else:
                versions[key] += 1
            return
    elif now is not None:
        try:
            with conn.begin_nested():
                conn.execute(insert(entries).values(assessment_id=assessment_id, number=number, version=1,
                                                    **_entry_row(now)))
            versions[key] = 1
            return
        except IntegrityError:
            pass  # a colleague saved this risk first: merge below
    else:
        return
    current = conn.execute(select(entries).where(*where)).first()
    if now is None and current is None:  # both of us cleared it
        versions.pop(key, None)
        return
    theirs = _fields(current, ENTRY_COLUMNS) if current is not None else _entry_row(Entry())
    merged = _three_way(_entry_row(was or Entry()), _entry_row(now or Entry()), theirs)
    if merged is None:
        raise _stale(f"Risk {number}")
    if current is None:
        try:
            with conn.begin_nested():
                conn.execute(insert(entries).values(assessment_id=assessment_id, number=number, version=1, **merged))
        except IntegrityError:
            raise _stale(f"Risk {number}") from None
        versions[key] = 1
    else:  # only if it is still the row the merge was made with
        _guarded(conn, update(entries).where(*where, entries.c.version == current.version)
                 .values(version=current.version + 1, **merged), f"Risk {number}")
        versions[key] = current.version + 1


def _save_own(conn: Connection, assessment_id: str, number: int, was: OwnRisk | None, now: OwnRisk | None,
              versions: dict[str, int]) -> None:
    if was == now:
        return
    key = _own_key(number)
    what = f"Risk {number}"
    where = (own_risks.c.assessment_id == assessment_id, own_risks.c.number == number)
    if now is None:
        _guarded(conn, delete(own_risks).where(*where, own_risks.c.version == versions[key]), what)
        versions.pop(key)
    elif was is None:
        try:
            with conn.begin_nested():
                conn.execute(insert(own_risks).values(assessment_id=assessment_id, version=1, **_own_row(now)))
        except IntegrityError:
            raise StaleEdit(f"Someone else added risk {number} at the same moment. Their version is shown "
                            "now; add yours again.") from None
        versions[key] = 1
    elif conn.execute(update(own_risks).where(*where, own_risks.c.version == versions[key])
                      .values(version=versions[key] + 1, **_own_row(now))).rowcount == 1:
        versions[key] += 1
    else:  # changed meanwhile: keep both people's changes unless they touched the same field
        current = conn.execute(select(own_risks).where(*where)).first()
        merged = None if current is None else _three_way(_own_row(was), _own_row(now), _own_fields(current))
        if merged is None or current is None:
            raise _stale(what)
        _guarded(conn, update(own_risks).where(*where, own_risks.c.version == current.version)
                 .values(version=current.version + 1, **merged), what)
        versions[key] = current.version + 1


def _guarded(conn: Connection, statement: Update | Delete, what: str) -> None:
    if conn.execute(statement).rowcount != 1:
        raise _stale(what)


def _stale(what: str) -> StaleEdit:
    return StaleEdit(f"{what} was changed by someone else a moment ago, so your change was not saved. "
                     "The page now shows their version: check it and make your change again.")


def _three_way(base: dict[str, Any], mine: dict[str, Any], theirs: dict[str, Any]) -> dict[str, Any] | None:
    """Their row with my changes on top, or None when we both changed the same field differently."""
    merged = dict(theirs)
    for field, value in mine.items():
        if value == base.get(field):
            continue  # I did not change it
        if theirs.get(field) not in (base.get(field), value):
            return None
        merged[field] = value
    return merged


def _now() -> datetime:
    return datetime.now(UTC)


def _entry_key(number: int) -> str:
    return f"entry:{number}"


def _own_key(number: int) -> str:
    return f"own:{number}"


def _entry_row(entry: Entry) -> dict[str, Any]:
    """An entry as its columns: each field as it is, a value (a model) as JSON text."""
    row = {name: getattr(entry, name) for name in ENTRY_COLUMNS}
    return {name: (value.model_dump_json() if isinstance(value, BaseModel) else value) for name, value in row.items()}


def _entry(row: Any) -> Entry:
    """An entry from its row; rows were validated on the way in, so it is built without
    validating again (JSON values are parsed)."""
    values = {name: getattr(row, name) for name in ENTRY_COLUMNS}
    for name, adapter in _AS_JSON.items():
        if values[name] is not None:
            values[name] = adapter.validate_json(values[name])
    return Entry.model_construct(**values)


def _fields(row: Any, columns: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(row, name) for name in columns}


def _own_row(own: OwnRisk) -> dict[str, Any]:
    return {"number": own.number, "statement": own.statement, "refs": json.dumps(list(own.references)),
            "indicator_ids": json.dumps(list(own.indicator_ids)), "internal": own.internal}


def _own_fields(row: Any) -> dict[str, Any]:
    return {"number": row.number, "statement": row.statement, "refs": row.refs,
            "indicator_ids": row.indicator_ids, "internal": bool(row.internal)}


def _quoted(text: str, limit: int = 40) -> str:
    """Part of something a person typed (an address), short enough to quote in a message."""
    shown = "".join(ch for ch in text[:limit] if ch.isprintable())
    return shown + ("…" if len(text) > limit else "")


def _required(value: str, message: str) -> str:
    cleaned = value.strip()
    if not cleaned:
        raise InvalidEdit(message)
    return cleaned


def _summary(row: Any) -> Summary:
    return Summary(id=row.id, title=row.title, context=row.context, organisation=row.organisation,
                   policy=row.policy, revision=row.revision,
                   held_on=date.fromisoformat(row.held_on) if row.held_on else None,
                   created_at=_aware(row.created_at), updated_at=_aware(row.updated_at),
                   deleted_at=_aware(row.deleted_at) if row.deleted_at else None)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _dump_indicators(indicators: IndicatorSet | None) -> str | None:
    return indicators.model_dump_json() if indicators is not None else None


@functools.lru_cache(maxsize=16)
def _load_indicators(raw: str | None) -> IndicatorSet | None:
    """Parsed once per distinct list and process: a list of thousands of indicators is read on
    every load of its assessment, and IndicatorSet is frozen, so sharing it is safe."""
    return IndicatorSet.model_validate_json(raw) if raw else None
