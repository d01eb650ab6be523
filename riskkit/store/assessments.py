"""The assessments aggregate: an assessment's head row, its entries and its own risks.

Every risk's entry and every own risk is a row with its own version. A save carries the
versions it was based on and changes only the rows that differ, so two people rating
different risks never collide, and two people changing the same field of the same risk get
a StaleEdit instead of a silent overwrite (different fields of one risk are merged, and so
are two people's changes to different actions of one risk). An indicator's values are a row
of their own too, so two people entering values for different indicators never collide.

Every save also writes what it changed, field by field, with the time and the person's
name, into `changes`: the history a risk's card shows and restores from.

A save locks its assessment's row for its transaction (PostgreSQL; SQLite has one writer at
a time anyway): saves of one assessment take turns, saves of different ones do not wait.
"""

from __future__ import annotations

import functools
import json
import secrets
import types
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, TypeAdapter
from sqlalchemy import Connection, Delete, Table, Update, delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from riskkit.errors import InvalidEdit, StaleEdit, UnknownAssessment
from riskkit.i18n import available_locales
from riskkit.i18n import gettext as _
from riskkit.limits import MAX_ACTIONS, MAX_READINGS, checked_text
from riskkit.models import Action, Assessment, Entry, IndicatorSet, OwnRisk, Reading, Track
from riskkit.snapshot import Change, Snapshot, Summary
from riskkit.store.engine import Repository, answering
from riskkit.store.schema import ENTRY_FIELDS, assessments, changes, entries, own_risks, tracks

ENTRY_COLUMNS = ENTRY_FIELDS
ENGLISH = "en"


def _plain_text(annotation: Any) -> bool:
    """Whether a field's values are text (or None) as they are, kept in their column unchanged."""
    if annotation is str:
        return True
    return get_origin(annotation) in (Union, types.UnionType) and set(get_args(annotation)) <= {str, type(None)}


# every field whose values are not plain text (a model, a date, a tuple of actions), kept as
# JSON text in its column; None is kept as NULL
_AS_JSON: dict[str, TypeAdapter[Any]] = {name: TypeAdapter(field.annotation)
                                         for name, field in Entry.model_fields.items()
                                         if field.annotation is not None and not _plain_text(field.annotation)}
_READINGS: TypeAdapter[tuple[Reading, ...]] = TypeAdapter(tuple[Reading, ...])
TRACK_COLUMNS = ("baseline", "target", "readings")

# Lists two people may change at once: changes to different items are merged, by each item's
# identity; the same item changed differently by both is refused.
_ITEM_KEY: dict[str, Callable[[dict[str, Any]], Hashable]] = {
    "actions": lambda action: action["id"],
    "readings": lambda reading: (reading["on"], reading["source"]),
}
_ITEM_LIMIT: dict[str, int] = {"actions": MAX_ACTIONS, "readings": MAX_READINGS}
_LIST_ADAPTER: dict[str, TypeAdapter[Any]] = {"actions": _AS_JSON["actions"], "readings": _READINGS}

M = TypeVar("M", bound=BaseModel)


def _trusted_list(model: type[M], remembered: int) -> Callable[[str], tuple[M, ...]]:
    """A reader of a stored JSON list of `model`s that builds them without validating again:
    they were validated on the way in, and checking every action's text on every load costs
    more than the rest of the load (300 risks: 900 actions, 7,200 indicator values). The
    `remembered` most recent lists are parsed once per process, as indicator lists are: the
    models are frozen, so sharing them is safe, and opening an assessment again is quick."""
    dates = tuple(name for name, field in model.model_fields.items()
                  if date in (field.annotation, *get_args(field.annotation)))

    @functools.lru_cache(maxsize=remembered)
    def read(raw: str) -> tuple[M, ...]:
        items = json.loads(raw)
        for item in items:
            for name in dates:
                if item.get(name) is not None:
                    item[name] = date.fromisoformat(item[name])
        return tuple(model.model_construct(**item) for item in items)
    return read


# how a JSON column becomes its field's value again
_FROM_JSON: dict[str, Callable[[str], Any]] = {name: adapter.validate_json for name, adapter in _AS_JSON.items()}
_FROM_JSON["actions"] = _trusted_list(Action, remembered=4096)  # a few registers' plans
_read_readings = _trusted_list(Reading, remembered=256)  # up to 500 values each


class Assessments(Repository):
    """Create, list, load, save (with a three-way merge), rename, duplicate, delete and restore."""

    @answering
    def create(self, title: str, policy: str, context: str = "", held_on: date | None = None,
               assessment: Assessment | None = None, organisation: str = "", language: str | None = None) -> str:
        title = _required(checked_text("title", title), _("An assessment needs a title."))
        context = checked_text("context", context)
        organisation = checked_text("organisation", organisation)
        language = _language(language or ENGLISH)
        new_id = secrets.token_hex(8)
        now = _now()
        body = assessment or Assessment(policy=policy)
        with self.db.write() as conn:
            conn.execute(insert(assessments).values(
                id=new_id, title=title, context=context.strip(), organisation=organisation,
                held_on=held_on.isoformat() if held_on else None, language=language,
                policy=body.policy, indicators=_dump_indicators(body.indicators), version=1, revision=1,
                review_on=_iso(body.review_on), created_at=now, updated_at=now))
            for own in body.own_risks:
                conn.execute(insert(own_risks).values(assessment_id=new_id, version=1, **_own_row(own)))
            if body.entries:
                conn.execute(insert(entries), [dict(assessment_id=new_id, number=number, version=1, **_entry_row(entry))
                                               for number, entry in body.entries.items()])
            if body.tracks:
                conn.execute(insert(tracks), [dict(assessment_id=new_id, indicator_id=indicator_id, version=1,
                                                   **_track_row(track))
                                              for indicator_id, track in body.tracks.items()])
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
    def save(self, before: Snapshot, after: Assessment, by: str = "") -> Snapshot:
        """Write what changed from `before` to `after`, each row only if nobody changed it since,
        and keep each changed field in the history with the time and `by` (the person's name)."""
        by = checked_text("person", by)
        assessment_id = before.summary.id
        versions = dict(before.versions)
        old = before.assessment
        with self.db.write() as conn:
            head = conn.execute(self.db.locked(select(assessments.c.revision).where(
                assessments.c.id == assessment_id, assessments.c.deleted_at.is_(None)))).first()
            if head is None:
                raise UnknownAssessment(_("This assessment was deleted by someone else; nothing was saved."))
            history = _assessment_changes(old, after)
            if (old.policy, old.indicators, old.review_on) != (after.policy, after.indicators, after.review_on):
                _guarded(conn, update(assessments).where(
                    assessments.c.id == assessment_id, assessments.c.version == versions["meta"]).values(
                    policy=after.policy, indicators=_dump_indicators(after.indicators),
                    review_on=_iso(after.review_on), version=versions["meta"] + 1),
                    _Row("register"))
                versions["meta"] += 1
            old_own = {r.number: r for r in old.own_risks}
            new_own = {r.number: r for r in after.own_risks}
            for number in sorted(old_own.keys() | new_own.keys()):
                was_own, now_own = old_own.get(number), new_own.get(number)
                if was_own != now_own:
                    _save_own(conn, assessment_id, number, was_own, now_own, versions)
                    history += _fields_changed(_own_values(was_own), _own_values(now_own), number=number)
            for number in sorted(old.entries.keys() | after.entries.keys()):
                was, now = old.entries.get(number), after.entries.get(number)
                if was != now:
                    _save_row(conn, _ENTRY_ROWS, assessment_id, {"number": number}, _entry_key(number),
                              _entry_row(was) if was else None, _entry_row(now) if now else None, versions,
                              _Row("risk", number))
                    history += _fields_changed((was or Entry()).model_dump(mode="json"),
                                               (now or Entry()).model_dump(mode="json"), number=number)
            for indicator_id in sorted(old.tracks.keys() | after.tracks.keys()):
                was_track, now_track = old.tracks.get(indicator_id), after.tracks.get(indicator_id)
                if was_track != now_track:
                    _save_row(conn, _TRACK_ROWS, assessment_id, {"indicator_id": indicator_id},
                              _track_key(indicator_id), _track_row(was_track) if was_track else None,
                              _track_row(now_track) if now_track else None, versions,
                              _Row("values", indicator_id))
                    history += _fields_changed((was_track or Track()).model_dump(mode="json"),
                                               (now_track or Track()).model_dump(mode="json"),
                                               indicator_id=indicator_id)
            now_at = _now()
            if history:
                conn.execute(insert(changes), [dict(assessment_id=assessment_id, at=now_at, by=by, **change)
                                               for change in history])
            conn.execute(update(assessments).where(assessments.c.id == assessment_id)
                         .values(updated_at=now_at, revision=assessments.c.revision + 1))
            if head.revision != before.summary.revision:
                # others saved since `before` was read: hand back everything, theirs included
                return _load(conn, assessment_id)
            saved = conn.execute(select(assessments).where(assessments.c.id == assessment_id)).one()
        return Snapshot(summary=_summary(saved), assessment=after, versions=versions)

    @answering
    def history(self, assessment_id: str, number: int | None = None, indicator_id: str | None = None,
                limit: int = 200) -> tuple[Change, ...]:
        """The changes saved to an assessment, newest first: all of them, or one risk's (`number`)
        or one indicator's (`indicator_id`)."""
        query = select(changes).where(changes.c.assessment_id == assessment_id)
        if number is not None:
            # own risks' numbers are given again after a removal: a risk's history starts after
            # the save that last removed its number (where its statement became null), so a new
            # risk never shows, nor restores, the text of the one removed before it
            removed = select(func.max(changes.c.at)).where(
                changes.c.assessment_id == assessment_id, changes.c.number == number,
                changes.c.field == "statement", changes.c.after == "null").scalar_subquery()
            query = query.where(changes.c.number == number, or_(removed.is_(None), changes.c.at > removed))
        if indicator_id is not None:
            query = query.where(changes.c.indicator_id == indicator_id)
        query = query.order_by(changes.c.at.desc(), changes.c.id.desc()).limit(max(limit, 0))
        with self.db.read() as conn:
            return tuple(Change(at=_aware(row.at), by=row.by, number=row.number, indicator_id=row.indicator_id,
                                field=row.field, before=_json_or_none(row.before), after=_json_or_none(row.after))
                         for row in conn.execute(query))

    @answering
    def rename(self, assessment_id: str, title: str, context: str | None = None,
               held_on: date | None = None, seen: Summary | None = None,
               organisation: str | None = None, language: str | None = None) -> Summary:
        """Rename (and change what is given: context, date, organisation, the exports' language);
        with `seen` (the summary the user was looking at), only if nobody renamed it since, like
        every other save. Returns the summary as saved."""
        values: dict[str, Any] = {"title": _required(checked_text("title", title), _("An assessment needs a title.")),
                                  "updated_at": _now()}
        if context is not None:
            values["context"] = checked_text("context", context)
        if organisation is not None:
            values["organisation"] = checked_text("organisation", organisation)
        if held_on is not None:
            values["held_on"] = held_on.isoformat()
        if language is not None:
            values["language"] = _language(language)
        guard = [assessments.c.id == assessment_id, assessments.c.deleted_at.is_(None)]
        if seen is not None:
            guard += [assessments.c.title == seen.title, assessments.c.context == seen.context]
        with self.db.write() as conn:
            if not conn.execute(update(assessments).where(*guard).values(**values)).rowcount:
                head = conn.execute(select(assessments).where(assessments.c.id == assessment_id,
                                                              assessments.c.deleted_at.is_(None))).first()
                if head is None:
                    raise UnknownAssessment(_("This assessment was deleted by someone else; nothing was saved."))
                raise StaleEdit(_("Someone else renamed this assessment to “{title}” a moment ago, so your title was "
                                  "not saved. What you typed is still in the box: save again to replace their "
                                  "title.").format(title=head.title))
            return _summary(conn.execute(select(assessments).where(assessments.c.id == assessment_id)).one())

    def duplicate(self, assessment_id: str, title: str) -> str:
        """A snapshot to compare with later: a new assessment with everything copied but the
        history (the copy starts its own)."""
        original = self.load(assessment_id)
        return self.create(title, original.assessment.policy, original.summary.context, original.summary.held_on,
                           assessment=original.assessment, organisation=original.summary.organisation,
                           language=original.summary.language)

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
                raise UnknownAssessment(_("No assessment has the id '{id}'.").format(id=_quoted(assessment_id)))


def _load(conn: Connection, assessment_id: str) -> Snapshot:
    head = conn.execute(select(assessments).where(assessments.c.id == assessment_id,
                                                  assessments.c.deleted_at.is_(None))).first()
    if head is None:
        raise UnknownAssessment(_("No assessment has the id '{id}'. It may have been deleted; open one from the "
                                  "Assessments page.").format(id=_quoted(assessment_id)))
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
    found_tracks = {}
    for row in conn.execute(select(tracks).where(tracks.c.assessment_id == assessment_id)
                            .order_by(tracks.c.indicator_id)):
        found_tracks[row.indicator_id] = _track(row)
        versions[_track_key(row.indicator_id)] = row.version
    assessment = Assessment.model_construct(policy=head.policy, entries=found_entries, own_risks=tuple(found_own),
                                            indicators=_load_indicators(head.indicators),
                                            review_on=date.fromisoformat(head.review_on) if head.review_on else None,
                                            tracks=found_tracks)
    return Snapshot(summary=_summary(head), assessment=assessment, versions=versions)


@dataclass(frozen=True)
class _Rows:
    """Rows of an assessment saved one by one, each with its own version: risks' entries,
    indicators' values."""

    table: Table
    blank: dict[str, Any]  # the values of an empty one (no row)
    read: Callable[[Any], dict[str, Any]]  # a stored row's values, written the way a save writes them


def _save_row(conn: Connection, rows: _Rows, assessment_id: str, ident: dict[str, Any], key: str,
              was: dict[str, Any] | None, now: dict[str, Any] | None, versions: dict[str, int], what: _Row) -> None:
    """Write one row of an assessment (a risk's entry, an indicator's values) if nobody changed
    it since it was read. If a colleague changed other fields of it meanwhile (their notes, my
    strategy; their action, mine), both changes are kept; only a change to the same field (the
    same action) is refused. `was` and `now` are the row's values (None: no row); `ident` names
    the row within its assessment ({"number": 3})."""
    table, blank = rows.table, rows.blank
    where = (table.c.assessment_id == assessment_id, *(table.c[name] == value for name, value in ident.items()))
    identity = {"assessment_id": assessment_id, **ident}
    if key in versions:
        change: Delete | Update = (delete(table) if now is None else
                                   update(table).values(version=versions[key] + 1, **now))
        if conn.execute(change.where(*where, table.c.version == versions[key])).rowcount == 1:
            if now is None:
                versions.pop(key)
            else:
                versions[key] += 1
            return
    elif now is not None:
        try:
            with conn.begin_nested():
                conn.execute(insert(table).values(version=1, **identity, **now))
            versions[key] = 1
            return
        except IntegrityError:
            pass  # a colleague saved this row first: merge below
    else:
        return
    current = conn.execute(select(table).where(*where)).first()
    if now is None and current is None:  # both of us cleared it
        versions.pop(key, None)
        return
    theirs = rows.read(current) if current is not None else blank
    merged = _three_way(was or blank, now or blank, theirs)
    if merged is None:
        raise _stale(what)
    if current is None:
        try:
            with conn.begin_nested():
                conn.execute(insert(table).values(version=1, **identity, **merged))
        except IntegrityError:
            raise _stale(what) from None
        versions[key] = 1
    else:  # only if it is still the row the merge was made with
        _guarded(conn, update(table).where(*where, table.c.version == current.version)
                 .values(version=current.version + 1, **merged), what)
        versions[key] = current.version + 1


def _save_own(conn: Connection, assessment_id: str, number: int, was: OwnRisk | None, now: OwnRisk | None,
              versions: dict[str, int]) -> None:
    if was == now:
        return
    key = _own_key(number)
    what = _Row("risk", number)
    where = (own_risks.c.assessment_id == assessment_id, own_risks.c.number == number)
    if now is None:
        _guarded(conn, delete(own_risks).where(*where, own_risks.c.version == versions[key]), what)
        versions.pop(key)
    elif was is None:
        try:
            with conn.begin_nested():
                conn.execute(insert(own_risks).values(assessment_id=assessment_id, version=1, **_own_row(now)))
        except IntegrityError:
            raise StaleEdit(_("Someone else added risk {number} at the same moment. Their version is shown now; "
                              "add yours again.").format(number=number)) from None
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


def _guarded(conn: Connection, statement: Update | Delete, what: _Row) -> None:
    if conn.execute(statement).rowcount != 1:
        raise _stale(what)


@dataclass(frozen=True)
class _Row:
    """Which row of an assessment a write was to, for the message that names it if refused:
    the register's own fields, a risk (its number) or an indicator's values (its id)."""

    kind: str
    name: int | str | None = None


def _stale(what: _Row) -> StaleEdit:
    """A whole sentence per kind of row: a translation agrees with its subject."""
    if what.kind == "risk":
        message = _("Risk {number} was changed by someone else a moment ago, so your change was not saved. The page "
                    "now shows their version: check it and make your change again.").format(number=what.name)
    elif what.kind == "values":
        message = _("The values of indicator {indicator} were changed by someone else a moment ago, so your change "
                    "was not saved. The page now shows their version: check it and make your change "
                    "again.").format(indicator=what.name)
    else:
        message = _("The policy, the review date or the indicator list was changed by someone else a moment ago, so "
                    "your change was not saved. The page now shows their version: check it and make your change "
                    "again.")
    return StaleEdit(message)


def _three_way(base: dict[str, Any], mine: dict[str, Any], theirs: dict[str, Any]) -> dict[str, Any] | None:
    """Their row with my changes on top, or None when we both changed the same field differently
    (for a list such as the actions: the same item)."""
    merged = dict(theirs)
    for field, value in mine.items():
        if value == base.get(field):
            continue  # I did not change it
        if theirs.get(field) in (base.get(field), value):
            merged[field] = value
            continue
        both = _merged_items(field, base.get(field), value, theirs.get(field))
        if both is None:
            return None
        merged[field] = both
    return merged


def _merged_items(field: str, base: str | None, mine: str | None, theirs: str | None) -> str | None:
    """A list both of us changed (JSON text), merged item by item: their list with my added,
    changed and removed items; None if we changed or removed the same item differently, or the
    field is not such a list."""
    identity = _ITEM_KEY.get(field)
    if identity is None:
        return None
    was, ours, yours = ({identity(item): item for item in json.loads(raw or "[]")} for raw in (base, mine, theirs))
    merged: dict[Hashable, Any] = {}
    for key in [*yours, *(key for key in ours if key not in yours)]:
        before, mine_now, theirs_now = was.get(key), ours.get(key), yours.get(key)
        if mine_now == before:
            kept = theirs_now
        elif theirs_now in (before, mine_now):
            kept = mine_now
        else:
            return None
        if kept is not None:
            merged[key] = kept
    items = list(merged.values())
    if len(items) > _ITEM_LIMIT[field]:
        return None  # both lists fit, together they do not: refused like a clash, nothing saved
    if field == "readings":
        items.sort(key=lambda reading: str(reading["on"]))  # oldest first, as a Track keeps them
    adapter = _LIST_ADAPTER[field]
    return adapter.dump_json(adapter.validate_python(items)).decode()


def _now() -> datetime:
    return datetime.now(UTC)


def _entry_key(number: int) -> str:
    return f"entry:{number}"


def _own_key(number: int) -> str:
    return f"own:{number}"


def _track_key(indicator_id: str) -> str:
    return f"track:{indicator_id}"


def _entry_row(entry: Entry) -> dict[str, Any]:
    """An entry as its columns: text as it is, any other value as JSON text (None as NULL)."""
    row = {name: getattr(entry, name) for name in ENTRY_COLUMNS}
    return {name: (_AS_JSON[name].dump_json(value).decode() if name in _AS_JSON and value is not None else value)
            for name, value in row.items()}


def _entry(row: Any) -> Entry:
    """An entry from its row; rows were validated on the way in, so it is built without
    validating again (JSON values are parsed). A NULL JSON column is the field's default: a
    row saved before the field existed has no actions."""
    values = {name: getattr(row, name) for name in ENTRY_COLUMNS}
    for name, parse in _FROM_JSON.items():
        if values[name] is None:
            del values[name]
        else:
            values[name] = parse(values[name])
    return Entry.model_construct(**values)


def _track_row(track: Track) -> dict[str, Any]:
    return {"baseline": track.baseline, "target": track.target,
            "readings": _READINGS.dump_json(track.readings).decode()}


def _track(row: Any) -> Track:
    return Track.model_construct(baseline=row.baseline, target=row.target,
                                 readings=_read_readings(row.readings))


_ENTRY_ROWS = _Rows(entries, _entry_row(Entry()), lambda row: _entry_row(_entry(row)))
_TRACK_ROWS = _Rows(tracks, _track_row(Track()), lambda row: _track_row(_track(row)))


def _fields_changed(before: dict[str, Any], after: dict[str, Any], number: int | None = None,
                    indicator_id: str | None = None) -> list[dict[str, Any]]:
    """History rows, one per field whose value differs (values as the models dump them to JSON)."""
    return [dict(number=number, indicator_id=indicator_id, field=field, before=json.dumps(before.get(field)),
                 after=json.dumps(after.get(field)))
            for field in [*before, *(name for name in after if name not in before)]
            if before.get(field) != after.get(field)]


def _assessment_changes(old: Assessment, new: Assessment) -> list[dict[str, Any]]:
    """The register's own fields that a history keeps (the policy, the review date). A new
    indicator list is not kept: it can hold thousands of indicators."""
    fields = ("policy", "review_on")
    return _fields_changed(old.model_dump(mode="json", include=set(fields)),
                           new.model_dump(mode="json", include=set(fields)))


def _own_values(own: OwnRisk | None) -> dict[str, Any]:
    return {} if own is None else own.model_dump(mode="json", exclude={"number"})


def _json_or_none(raw: str | None) -> Any:
    return json.loads(raw) if raw is not None else None


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _language(language: str) -> str:
    known = (ENGLISH, *(name for name in available_locales() if name != ENGLISH))
    if language not in known:
        raise InvalidEdit(_("'{language}' is not a language riskkit writes in ({known}).").format(
            language=_quoted(language, 20), known=", ".join(known)))
    return language


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
                   policy=row.policy, revision=row.revision, language=row.language,
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
