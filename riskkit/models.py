"""The domain's nouns: the toolkit's catalogue, the indicators, and a user's assessment.

Values are frozen: an edit produces a new Assessment, so a page can never change
the one another page (or the store) is holding by accident.
"""

from __future__ import annotations

import enum
import functools
import inspect
import math
import secrets
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime
from functools import cached_property
from typing import Annotated, Any, Literal, TypeVar, cast

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
    validate_call,
)

from riskkit import words
from riskkit.errors import InvalidEdit, UnknownLevel, UnknownRisk
from riskkit.i18n import gettext as _
from riskkit.i18n import ngettext
from riskkit.limits import (
    MAX_ACTIONS,
    MAX_INDICATOR_LINKS,
    MAX_READINGS,
    MAX_REFERENCES,
    ActionNote,
    ActionWhat,
    ActionWho,
    Disaggregation,
    IndicatorId,
    IndicatorNotice,
    IndicatorTitle,
    IndicatorWording,
    Notes,
    ReadingSource,
    Reference,
    RiskNumber,
    Statement,
    Strategy,
)


class Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# --- the catalogue --------------------------------------------------------------


class Section(Value):
    number: str
    title: str


class Goal(Value):
    name: str
    text: str


class MonitoringPointer(Value):
    section: str
    text: str


class Scale(Value):
    """Ordered levels, lowest first (the toolkit's Low / Medium / High)."""

    levels: tuple[str, ...] = Field(min_length=2)

    @field_validator("levels")
    @classmethod
    def _distinct(cls, levels: tuple[str, ...]) -> tuple[str, ...]:
        if len(set(levels)) != len(levels):
            raise ValueError("levels must be distinct")
        return levels

    def rank(self, level: str) -> int:
        try:
            return self.levels.index(level)
        except ValueError:
            known = ", ".join(self.levels)
            raise UnknownLevel(_("'{level}' is not a level of this scale ({known}).").format(
                level=level, known=known)) from None

    def check(self, level: str | None) -> str | None:
        if level is not None:
            self.rank(level)
        return level

    def from_text(self, text: str) -> str | None:
        """A level from what a person typed ('high', ' HIGH '); blank means not rated."""
        cleaned = text.strip()
        if not cleaned:
            return None
        for level in self.levels:
            if level.casefold() == cleaned.casefold():
                return level
        known = ", ".join(self.levels)
        raise UnknownLevel(_("'{level}' is not a level of this scale ({known}).").format(level=cleaned, known=known))


class Bands(Value):
    """Severity band of each likelihood x impact cell, as the catalogue's grid says."""

    names: tuple[str, ...] = Field(min_length=1)
    grid: dict[str, dict[str, str]]


class Policy(Value):
    """When a mitigation strategy is required: every (all) or any rating at or above threshold.
    Its words are in riskkit.words, under the policy's id."""

    threshold: str
    combine: Literal["all", "any"]


class Policies(Value):
    default: str
    options: dict[str, Policy]

    @model_validator(mode="after")
    def _default_is_an_option(self) -> Policies:
        if self.default not in self.options:
            raise ValueError(f"default policy '{self.default}' is not one of the options")
        return self


class CatalogueRisk(Value):
    number: int = Field(ge=1)
    statement: str = Field(min_length=1)
    references: tuple[str, ...] = ()
    example_strategy: str = ""


class Translation(Value):
    """Who put the catalogue's words into this language: riskkit (unofficial), or an
    official wording a user provided (by the file it came in)."""

    language: str
    by: str
    official: bool


class Catalogue(Value):
    section: Section
    goals: tuple[Goal, ...]
    instructions: str
    monitoring: MonitoringPointer
    scale: Scale
    bands: Bands
    policies: Policies
    additional_risks_heading: str
    risks: tuple[CatalogueRisk, ...] = Field(min_length=1)
    translation: Translation | None = None  # None: the toolkit's own English words

    @model_validator(mode="after")
    def _consistent(self) -> Catalogue:
        levels = set(self.scale.levels)
        if set(self.bands.grid) != levels:
            raise ValueError("bands.grid must have one row per scale level")
        for row in self.bands.grid.values():
            if set(row) != levels:
                raise ValueError("bands.grid rows must have one cell per scale level")
            for band in row.values():
                if band not in self.bands.names:
                    raise ValueError(f"band '{band}' is not one of bands.names")
        for name, policy in self.policies.options.items():
            if policy.threshold not in levels:
                raise ValueError(f"policy '{name}' threshold '{policy.threshold}' is not a level")
        numbers = [r.number for r in self.risks]
        if len(set(numbers)) != len(numbers):
            raise ValueError("risk numbers must be unique")
        return self

    def risk(self, number: int) -> CatalogueRisk:
        for r in self.risks:
            if r.number == number:
                return r
        raise UnknownRisk(_("Risk {number} is not in the catalogue.").format(number=number))

    @property
    def first_own_number(self) -> int:
        return max(r.number for r in self.risks) + 1


# --- indicators -------------------------------------------------------------------


class Indicator(Value):
    id: IndicatorId = Field(min_length=1)
    wording: IndicatorWording = Field(min_length=1)
    kind: Literal["output", "outcome"]
    disaggregation: tuple[Disaggregation, ...] = Field(default=(), max_length=20)
    risks: tuple[RiskNumber, ...] = Field(default=(), max_length=MAX_INDICATOR_LINKS)


class IndicatorSet(Value):
    title: IndicatorTitle
    draft: bool = False
    notice: IndicatorNotice = ""
    indicators: tuple[Indicator, ...]

    @model_validator(mode="after")
    def _unique_ids(self) -> IndicatorSet:
        counts = Counter(i.id for i in self.indicators)  # linear: lists of tens of thousands are checked quickly
        dupes = sorted(i for i, n in counts.items() if n > 1)
        if dupes:
            shown = ", ".join(dupes[:10]) + (f" and {len(dupes) - 10} more" if len(dupes) > 10 else "")
            raise ValueError(f"indicator ids must be unique; repeated: {shown}")
        return self

    def ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.indicators)

    @cached_property
    def id_set(self) -> frozenset[str]:
        return frozenset(i.id for i in self.indicators)

    @cached_property
    def by_id(self) -> dict[str, Indicator]:
        return {i.id: i for i in self.indicators}

    def get(self, indicator_id: str) -> Indicator:
        try:
            return self.by_id[indicator_id]
        except KeyError:
            raise UnknownRisk(_("Indicator '{id}' is not in the indicator set.").format(id=indicator_id)) from None

    def monitoring(self, number: int) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if number in i.risks)


# --- a user's assessment ----------------------------------------------------------


class Unchanged(enum.Enum):
    """A rating left as it is (None already means 'not rated')."""

    UNCHANGED = enum.auto()


UNCHANGED = Unchanged.UNCHANGED

F = TypeVar("F", bound=Callable[..., Any])


def edit(method: F) -> F:
    """An edit's arguments checked strictly against its annotations: a wrong type or a
    misspelt keyword raises InvalidEdit, naming the argument."""
    names = list(inspect.signature(method).parameters)

    @functools.cache  # built on first use: the annotations name classes defined further down
    def checked() -> Callable[..., Any]:
        return validate_call(config=ConfigDict(strict=True, arbitrary_types_allowed=True))(method)

    @functools.wraps(method)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return checked()(*args, **kwargs)
        except ValidationError as exc:
            problem = exc.errors()[0]
            where = problem["loc"][0] if problem["loc"] else "argument"
            if isinstance(where, int):  # a positional argument: name it
                where = names[where] if where < len(names) else "argument"
            raise InvalidEdit(f"{method.__name__}: {where}: {problem['msg']}.") from None
    return cast(F, run)


class RoomRating(Value):
    """What the room said when its rating was recorded: the votes per level, not only the median."""

    count: int = Field(ge=1, le=100_000)
    likelihood: dict[str, int]  # level -> votes
    impact: dict[str, int]
    disagreement: bool
    recorded_at: datetime

    def describe(self, levels: tuple[str, ...]) -> str:
        """'rated by the room: 23 votes; likelihood 2 Low / 9 Medium / 12 High; impact ...'."""
        def spread(votes: dict[str, int]) -> str:
            return " / ".join(f"{votes.get(level, 0)} {words.level(level)}" for level in levels)
        said = ngettext("rated by the room: {count} vote", "rated by the room: {count} votes", self.count)
        return (said.format(count=self.count) + "; " + _("likelihood {spread}").format(spread=spread(self.likelihood))
                + "; " + _("impact {spread}").format(spread=spread(self.impact))
                + ("; " + _("the room disagreed") if self.disagreement else ""))


ActionStatus = Literal["planned", "in_progress", "done", "dropped"]
OPEN_STATUSES: tuple[ActionStatus, ...] = ("planned", "in_progress")


class Action(Value):
    """One step of a risk's mitigation plan: what, who (an organisation or a role), by when.
    Whether it is overdue follows from the date; it is never stored."""

    id: str = Field(pattern=r"^[0-9a-f]{8}$")
    what: ActionWhat = Field(min_length=1)
    who: ActionWho = ""
    due: date | None = None
    status: ActionStatus = "planned"
    note: ActionNote = ""

    @property
    def open(self) -> bool:
        return self.status in OPEN_STATUSES

    def overdue(self, today: date) -> bool:
        return self.open and self.due is not None and self.due < today


class Entry(Value):
    """What a user records against one risk."""

    likelihood: str | None = Field(default=None, max_length=50)
    impact: str | None = Field(default=None, max_length=50)
    strategy: Strategy = ""
    notes: Notes = ""
    room: RoomRating | None = None  # the group rating the likelihood and impact came from, if any
    # expected once the strategy is in place, on the same scale
    residual_likelihood: str | None = Field(default=None, max_length=50)
    residual_impact: str | None = Field(default=None, max_length=50)
    review_on: date | None = None  # when this risk is next to be looked at again
    actions: tuple[Action, ...] = Field(default=(), max_length=MAX_ACTIONS)

    @field_validator("actions")
    @classmethod
    def _distinct_actions(cls, actions: tuple[Action, ...]) -> tuple[Action, ...]:
        if len({a.id for a in actions}) != len(actions):
            raise ValueError("action ids must be unique within a risk")
        return actions

    def action(self, action_id: str) -> Action:
        for each in self.actions:
            if each.id == action_id:
                return each
        raise UnknownRisk(_("That action is no longer in this risk's plan: someone may have removed it."))


def _finite(value: float) -> float:
    if not math.isfinite(value):
        raise ValueError("must be a finite number")
    return value


Number = Annotated[float, AfterValidator(_finite)]  # an indicator's value: no NaN, no infinity


class Reading(Value):
    """A monitoring indicator's value on a day, and where it came from."""

    on: date
    value: Number
    source: ReadingSource = ""


class Track(Value):
    """An indicator followed over time: where it started, where it should get to, what was measured."""

    baseline: Number | None = None
    target: Number | None = None
    readings: tuple[Reading, ...] = Field(default=(), max_length=MAX_READINGS)  # oldest first

    @field_validator("readings")
    @classmethod
    def _in_date_order(cls, readings: tuple[Reading, ...]) -> tuple[Reading, ...]:
        return tuple(sorted(readings, key=lambda r: r.on))

    @property
    def latest(self) -> Reading | None:
        return self.readings[-1] if self.readings else None

    @property
    def empty(self) -> bool:
        return self.baseline is None and self.target is None and not self.readings


class OwnRisk(Value):
    """A risk the user added ("Additional risks identified by user")."""

    number: RiskNumber
    statement: Statement = Field(min_length=1)
    references: tuple[Reference, ...] = Field(default=(), max_length=MAX_REFERENCES)
    indicator_ids: tuple[IndicatorId, ...] = Field(default=(), max_length=MAX_INDICATOR_LINKS)
    internal: bool = False  # left out of shareable briefings


class Assessment(Value):
    """A user's register: entries by risk number, own risks, the policy chosen.

    Edits return a new Assessment; validation against the scale happens here so
    that a bad level never gets in, whichever page or file it came from.
    """

    policy: str = Field(max_length=50)
    entries: dict[RiskNumber, Entry] = {}
    own_risks: tuple[OwnRisk, ...] = ()
    indicators: IndicatorSet | None = None  # the user's own list; None means the draft set
    review_on: date | None = None  # when the whole register is next to be reviewed
    tracks: dict[IndicatorId, Track] = {}  # monitoring values, by indicator id

    def entry(self, number: int) -> Entry:
        return self.entries.get(number, Entry())

    def track(self, indicator_id: str) -> Track:
        return self.tracks.get(indicator_id, Track())

    # --- edits: each a named, validated step returning a new Assessment -------------
    # Arguments are checked strictly against their annotations (`edit`), so a wrong type
    # or a misspelt keyword raises InvalidEdit instead of slipping into the register.

    @edit
    def rate(self, catalogue: Catalogue, number: int, *, likelihood: str | None | Unchanged = UNCHANGED,
             impact: str | None | Unchanged = UNCHANGED) -> Assessment:
        """Set the likelihood, the impact or both; None clears a rating."""
        return self._levels_changed(catalogue, number, {"likelihood": likelihood, "impact": impact})

    @edit
    def record_room_rating(self, catalogue: Catalogue, number: int, likelihood: str, impact: str,
                           room: RoomRating) -> Assessment:
        """The room's median rating, with the votes it came from."""
        catalogue.scale.check(likelihood)
        catalogue.scale.check(impact)
        return self._entry_changed(catalogue, number, {"likelihood": likelihood, "impact": impact, "room": room})

    @edit
    def write_strategy(self, catalogue: Catalogue, number: int, text: str) -> Assessment:
        return self._entry_changed(catalogue, number, {"strategy": text})

    @edit
    def write_notes(self, catalogue: Catalogue, number: int, text: str) -> Assessment:
        return self._entry_changed(catalogue, number, {"notes": text})

    @edit
    def rate_residual(self, catalogue: Catalogue, number: int, *, likelihood: str | None | Unchanged = UNCHANGED,
                      impact: str | None | Unchanged = UNCHANGED) -> Assessment:
        """The likelihood and impact expected once the strategy is in place; None clears one."""
        return self._levels_changed(catalogue, number, {"residual_likelihood": likelihood,
                                                        "residual_impact": impact})

    def _levels_changed(self, catalogue: Catalogue, number: int,
                        levels: dict[str, str | None | Unchanged]) -> Assessment:
        changes: dict[str, object] = {}
        for name, level in levels.items():
            if not isinstance(level, Unchanged):
                catalogue.scale.check(level)
                changes[name] = level
        return self._entry_changed(catalogue, number, changes)

    @edit
    def schedule_risk_review(self, catalogue: Catalogue, number: int, day: date | None) -> Assessment:
        return self._entry_changed(catalogue, number, {"review_on": day})

    @edit
    def add_action(self, catalogue: Catalogue, number: int, what: str, who: str = "", due: date | None = None,
                   status: ActionStatus = "planned", note: str = "") -> tuple[Assessment, str]:
        """A step of the risk's plan; returns the assessment and the new action's id."""
        taken = {a.id for a in self.entry(number).actions}
        action_id = secrets.token_hex(4)
        while action_id in taken:
            action_id = secrets.token_hex(4)
        action = validated(Action, {"id": action_id, "what": _required_action(what), "who": who, "due": due,
                                    "status": status, "note": note})
        return self._entry_changed(catalogue, number, {"actions": (*self.entry(number).actions, action)}), action_id

    @edit
    def change_action(self, catalogue: Catalogue, number: int, action_id: str, *,
                      what: str | Unchanged = UNCHANGED, who: str | Unchanged = UNCHANGED,
                      due: date | None | Unchanged = UNCHANGED, status: ActionStatus | Unchanged = UNCHANGED,
                      note: str | Unchanged = UNCHANGED) -> Assessment:
        current = self.entry(number).action(action_id)
        changes = {name: value for name, value in (("what", what), ("who", who), ("due", due), ("status", status),
                                                   ("note", note)) if not isinstance(value, Unchanged)}
        if "what" in changes:
            changes["what"] = _required_action(str(changes["what"]))
        changed = validated(Action, {**dict(current), **changes})
        actions = tuple(changed if a.id == action_id else a for a in self.entry(number).actions)
        return self._entry_changed(catalogue, number, {"actions": actions})

    @edit
    def remove_action(self, catalogue: Catalogue, number: int, action_id: str) -> Assessment:
        self.entry(number).action(action_id)
        actions = tuple(a for a in self.entry(number).actions if a.id != action_id)
        return self._entry_changed(catalogue, number, {"actions": actions})

    @edit
    def restore_entry_value(self, catalogue: Catalogue, number: int, field: str, value: object) -> Assessment:
        """An earlier value of one field of a risk's entry, as its history kept it."""
        if field not in Entry.model_fields:
            raise InvalidEdit(f"restore_entry_value: '{field}' is not a field of a risk's entry.")
        if field in ("likelihood", "impact", "residual_likelihood", "residual_impact") and value is not None:
            catalogue.scale.check(str(value))
        return self._entry_changed(catalogue, number, {field: value})

    def _entry_changed(self, catalogue: Catalogue, number: int, changes: dict[str, object]) -> Assessment:
        self._known(catalogue, number)
        entry = validated(Entry, {**dict(self.entry(number)), **changes})
        entries = {n: e for n, e in self.entries.items() if n != number}
        if entry != Entry():  # a blank entry is no entry: equal registers compare equal
            entries[number] = entry
        return self._with(entries=entries)

    @edit
    def choose_policy(self, catalogue: Catalogue, policy: str) -> Assessment:
        if policy not in catalogue.policies.options:
            raise InvalidEdit(_("'{policy}' is not a mitigation policy.").format(policy=policy))
        return self._with(policy=policy)

    @edit
    def schedule_review(self, day: date | None) -> Assessment:
        """When the whole register is next to be reviewed; None: not planned."""
        return self._with(review_on=day)

    @edit
    def set_baseline_and_target(self, indicator_id: str, baseline: float | None,
                                target: float | None) -> Assessment:
        return self._track_changed(indicator_id, {"baseline": baseline, "target": target})

    @edit
    def record_reading(self, indicator_id: str, on: date, value: float, source: str = "") -> Assessment:
        """A measured value; a second value for the same day and source replaces the first."""
        reading = validated(Reading, {"on": on, "value": value, "source": source})
        kept = tuple(r for r in self.track(indicator_id).readings if (r.on, r.source) != (reading.on, reading.source))
        return self._track_changed(indicator_id, {"readings": (*kept, reading)})

    @edit
    def remove_reading(self, indicator_id: str, on: date, source: str) -> Assessment:
        readings = self.track(indicator_id).readings
        kept = tuple(r for r in readings if (r.on, r.source) != (on, source))
        if len(kept) == len(readings):
            raise InvalidEdit(_("That value is no longer recorded: someone may have removed it."))
        return self._track_changed(indicator_id, {"readings": kept})

    @edit
    def record_tracks(self, tracks: dict[str, Track]) -> Assessment:
        """Values read from a file, all or nothing: each indicator's baseline and target are
        replaced where the file gives them, and its readings added (same day and source: replaced)."""
        changed = self
        for indicator_id, incoming in tracks.items():
            current = changed.track(indicator_id)
            changed = changed._track_changed(indicator_id, {
                "baseline": incoming.baseline if incoming.baseline is not None else current.baseline,
                "target": incoming.target if incoming.target is not None else current.target})
            for reading in incoming.readings:
                changed = changed.record_reading(indicator_id, reading.on, reading.value, reading.source)
        return changed

    def _track_changed(self, indicator_id: str, changes: dict[str, object]) -> Assessment:
        track = validated(Track, {**dict(self.track(indicator_id)), **changes})
        tracks = {i: t for i, t in self.tracks.items() if i != indicator_id}
        if not track.empty:
            tracks[indicator_id] = track
        return self._with(tracks=tracks)

    @edit
    def use_indicators(self, indicators: IndicatorSet | None) -> Assessment:
        """The team's own indicator list; None goes back to the draft set."""
        return self._with(indicators=indicators)

    def next_own_number(self, catalogue: Catalogue) -> int:
        taken = [catalogue.first_own_number - 1, *(r.number for r in self.own_risks)]
        return max(taken) + 1

    @edit
    def add_own_risk(self, catalogue: Catalogue, statement: str, references: tuple[str, ...] = (),
                     indicator_ids: tuple[str, ...] = ()) -> tuple[Assessment, int]:
        """A risk of the team's own, numbered after the catalogue's and theirs."""
        number = self.next_own_number(catalogue)
        risk = validated(OwnRisk, {"number": number, "statement": _required_text(statement),
                                   "references": references, "indicator_ids": indicator_ids})
        return self._with(own_risks=(*self.own_risks, risk)), number

    @edit
    def restate_own_risk(self, number: int, statement: str) -> Assessment:
        return self._own_changed(number, {"statement": _required_text(statement)})

    @edit
    def cite_references(self, number: int, references: tuple[str, ...]) -> Assessment:
        return self._own_changed(number, {"references": references})

    @edit
    def link_indicators(self, number: int, indicator_ids: tuple[str, ...]) -> Assessment:
        return self._own_changed(number, {"indicator_ids": indicator_ids})

    @edit
    def keep_internal(self, number: int, internal: bool) -> Assessment:
        """Internal own risks stay out of shareable briefings."""
        return self._own_changed(number, {"internal": internal})

    def _own_changed(self, number: int, changes: dict[str, object]) -> Assessment:
        self._own(number)
        own = tuple(validated(OwnRisk, {**dict(r), **changes}) if r.number == number else r
                    for r in self.own_risks)
        return self._with(own_risks=own)

    @edit
    def remove_own_risk(self, number: int) -> Assessment:
        self._own(number)
        return self._with(own_risks=tuple(r for r in self.own_risks if r.number != number),
                          entries={n: e for n, e in self.entries.items() if n != number})

    def _with(self, **fields: object) -> Assessment:
        """This assessment with some fields replaced, validated as a whole again."""
        return validated(Assessment, {**dict(self), **fields})

    def _own(self, number: int) -> OwnRisk:
        for risk in self.own_risks:
            if risk.number == number:
                return risk
        raise UnknownRisk(_("Risk {number} is not one of your own risks.").format(number=number))

    def check_against(self, catalogue: Catalogue) -> None:
        """Everything a file could get wrong, as one message a facilitator understands."""
        if self.policy not in catalogue.policies.options:
            raise InvalidEdit(_("'{policy}' is not a mitigation policy ({known}).").format(
                policy=self.policy, known=", ".join(catalogue.policies.options)))
        toolkit = {r.number for r in catalogue.risks}
        own = [r.number for r in self.own_risks]
        repeated = sorted({n for n in own if own.count(n) > 1} | (set(own) & toolkit))
        if repeated:
            raise InvalidEdit(_("Risk number(s) {numbers} appear more than once.").format(
                numbers=", ".join(map(str, repeated))))
        for number, entry in self.entries.items():
            self._known(catalogue, number)
            for level in (entry.likelihood, entry.impact, entry.residual_likelihood, entry.residual_impact):
                catalogue.scale.check(level)

    def _known(self, catalogue: Catalogue, number: int) -> None:
        if number not in {r.number for r in catalogue.risks} | {r.number for r in self.own_risks}:
            raise UnknownRisk(_("Risk {number} is neither in the catalogue nor one of your own risks.").format(
                number=number))


M = TypeVar("M", bound=BaseModel)


def validated(model: type[M], data: dict[str, Any]) -> M:
    """A model built from data and checked: an unknown field, a wrong type or text over a
    limit raises an InvalidEdit (a plain model_copy would take any of them silently)."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problem = exc.errors()[0]
        field = ".".join(str(part) for part in problem["loc"]) or model.__name__
        raise InvalidEdit(f"{field}: {problem['msg']}.") from None


def _required_action(text: str) -> str:
    cleaned = text.strip()
    if not cleaned:
        raise InvalidEdit(_("An action needs a description: say what is to be done."))
    return cleaned


def _required_text(text: str) -> str:
    cleaned = text.strip()
    if not cleaned:
        raise InvalidEdit(_("A risk needs a statement: describe the risk in a sentence."))
    return cleaned


class AssessedRisk(Value):
    """One row of the register as pages show it: the risk and what the user recorded."""

    number: int
    statement: str
    references: tuple[str, ...]
    example_strategy: str
    own: bool
    likelihood: str | None
    impact: str | None
    strategy: str
    notes: str
    indicator_ids: tuple[str, ...]
    internal: bool = False
    room: RoomRating | None = None
    residual_likelihood: str | None = None
    residual_impact: str | None = None
    review_on: date | None = None
    actions: tuple[Action, ...] = ()

    @property
    def rated(self) -> bool:
        return self.likelihood is not None and self.impact is not None

    @property
    def residual_rated(self) -> bool:
        return self.residual_likelihood is not None and self.residual_impact is not None
