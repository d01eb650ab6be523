"""Briefings: what a report or a slide deck says (the Word file: riskkit.report; the slides:
riskkit.slides).

`briefing()` decides the content once (which risks, which bands, which gaps, the action plan
as of the day it is made, the indicator values, what changed since an earlier assessment,
what a shareable version leaves out); the writers only lay it out. The few sentences both
writers say the same way (a move on the heat map, an action's status) are worded here too.
"""

from __future__ import annotations

from datetime import date

from riskkit import words
from riskkit.compare import ActionChange, Comparison, Move, compare
from riskkit.exchange import Exported
from riskkit.i18n import format_number, long_date
from riskkit.i18n import gettext as _
from riskkit.models import Action, AssessedRisk, Assessment, Catalogue, IndicatorSet, Reading, Value
from riskkit.plan import PlannedAction, ReviewDue, action_plan, reviews_due
from riskkit.rules import (
    Cell,
    Gap,
    band_of,
    indicators_for,
    mitigation_gaps,
    policy_in_force,
    register,
    requires_mitigation,
    shareable_copy,
)


class BriefingRisk(Value):
    risk: AssessedRisk
    band: str | None
    required: bool
    indicators: tuple[tuple[str, str], ...]  # (id, wording)
    levels: tuple[str, ...] = ()  # the scale, lowest first, for the room's votes
    residual_band: str | None = None  # the band of the residual rating, when both levels are given


class BriefingTrack(Value):
    """A monitoring indicator in use that has values: where it started, where it should get to,
    every value measured (oldest first)."""

    indicator_id: str
    wording: str
    baseline: float | None
    target: float | None
    readings: tuple[Reading, ...]

    @property
    def latest(self) -> Reading | None:
        return self.readings[-1] if self.readings else None


class Earlier(Value):
    """An earlier state of the register to compare with: a snapshot, or the last workshop's."""

    about: Exported
    assessment: Assessment
    indicators: IndicatorSet


class Changes(Value):
    """What changed since an earlier assessment, and which one it was."""

    title: str
    held_on: date | None
    comparison: Comparison


class Briefing(Value):
    title: str
    context: str
    held_on: date | None
    organisation: str = ""  # who the briefing is from: the Word cover, the title slide
    shareable: bool
    section: str
    goals: tuple[tuple[str, str], ...]
    scale: tuple[str, ...]
    bands: tuple[tuple[str, tuple[str, ...]], ...]  # likelihood (highest first) -> band per impact
    band_names: tuple[str, ...]
    policy: str
    toolkit_risks: tuple[BriefingRisk, ...]
    own_risks: tuple[BriefingRisk, ...]
    gaps: tuple[Gap, ...]
    indicators_draft: bool
    indicator_title: str
    made_on: date  # the day "overdue" and "due for review" are worked out for
    review_on: date | None = None  # the whole register's next review
    reviews: tuple[ReviewDue, ...] = ()  # reviews passed or coming up, soonest first
    plan: tuple[PlannedAction, ...] = ()  # every action, overdue first (riskkit.plan.action_plan)
    tracks: tuple[BriefingTrack, ...] = ()  # indicators in use with a baseline, a target or values
    changes: Changes | None = None
    translation_note: str = ""  # whose words the catalogue's are (translation_words); empty for the English

    @property
    def all_risks(self) -> tuple[BriefingRisk, ...]:
        return self.toolkit_risks + self.own_risks

    @property
    def high_band(self) -> tuple[BriefingRisk, ...]:
        top = self.band_names[-1]
        return tuple(r for r in self.all_risks if r.band == top)

    @property
    def overdue(self) -> tuple[PlannedAction, ...]:
        return tuple(row for row in self.plan if row.overdue)


def briefing(about: Exported, assessment: Assessment, catalogue: Catalogue, indicators: IndicatorSet,
             shareable: bool = False, today: date | None = None, earlier: Earlier | None = None) -> Briefing:
    """The content of a briefing as of `today` (default: the day it is made). A shareable one
    leaves out notes (the actions' too) and own risks marked internal, on both sides of a comparison."""
    today = today or date.today()
    internal_now = {r.number for r in assessment.own_risks if r.internal}
    if shareable:
        assessment = shareable_copy(assessment)
    policy = policy_in_force(catalogue, assessment)
    wording = {i.id: i.wording for i in indicators.indicators}

    def band(likelihood: str | None, impact: str | None) -> str | None:
        return band_of(catalogue, likelihood, impact) if likelihood is not None and impact is not None else None

    def shown(risk: AssessedRisk) -> BriefingRisk:
        return BriefingRisk(risk=risk, band=band(risk.likelihood, risk.impact), levels=catalogue.scale.levels,
                            required=risk.rated and requires_mitigation(catalogue, policy, risk.likelihood,
                                                                        risk.impact),
                            indicators=tuple((i, wording[i]) for i in indicators_for(risk, indicators)),
                            residual_band=band(risk.residual_likelihood, risk.residual_impact))

    rows = [shown(r) for r in register(catalogue, assessment)]
    levels = catalogue.scale.levels
    plan = action_plan(catalogue, assessment, today)  # a shareable copy's actions carry no notes
    tracks = tuple(BriefingTrack(indicator_id=i.id, wording=i.wording, baseline=t.baseline, target=t.target,
                                 readings=t.readings)
                   for i in indicators.indicators for t in (assessment.track(i.id),) if not t.empty)
    changes = None
    if earlier is not None:
        before = earlier.assessment
        if shareable:
            before = shareable_copy(before)
            for number in internal_now & {r.number for r in before.own_risks}:
                before = before.remove_own_risk(number)
        changes = Changes(title=earlier.about.title, held_on=earlier.about.held_on,
                          comparison=compare(catalogue, before, assessment, earlier.indicators, indicators))
    return Briefing(
        title=about.title, context=about.context, held_on=about.held_on, organisation=about.organisation,
        shareable=shareable,
        section=f"{catalogue.section.number} {catalogue.section.title}",
        goals=tuple((g.name, g.text) for g in catalogue.goals), scale=levels,
        bands=tuple((lk, tuple(band_of(catalogue, lk, im) for im in levels)) for lk in reversed(levels)),
        band_names=catalogue.bands.names, policy=words.policy(assessment.policy),
        toolkit_risks=tuple(r for r in rows if not r.risk.own), own_risks=tuple(r for r in rows if r.risk.own),
        gaps=mitigation_gaps(catalogue, assessment, indicators),
        indicators_draft=indicators.draft, indicator_title=indicators.title,
        made_on=today, review_on=assessment.review_on, reviews=reviews_due(catalogue, assessment, today),
        plan=plan, tracks=tracks, changes=changes, translation_note=translation_words(catalogue))


# --- what both writers say the same way -------------------------------------------------------


def translation_words(catalogue: Catalogue) -> str:
    """What a file says about the catalogue's words when they are not the toolkit's own English:
    riskkit's unofficial translation, or the official wording a user provided (by its file's
    name). Empty for the toolkit's English. The Word report, the slides and the Excel file all
    say it with this sentence."""
    translation, section = catalogue.translation, catalogue.section.number
    if translation is None:
        return ""
    if translation.official:
        return _("Section {section}'s text (goals, instructions, risks and example strategies) is in the official "
                 "wording provided by {file}.").format(section=section, file=translation.by)
    return _("Section {section}'s text (goals, instructions, risks and example strategies) is riskkit's "
             "unofficial translation; the toolkit's English wording is authoritative.").format(section=section)


def cell_words(cell: Cell | None) -> str:
    """'High / Medium' (likelihood / impact), or 'not rated'."""
    if cell is None:
        return _("not rated")
    return _("{likelihood} / {impact}").format(likelihood=words.level(cell[0]), impact=words.level(cell[1]))


def move_words(move: Move) -> str:
    """'High / High → Medium / High'."""
    return _("{before} → {after}").format(before=cell_words(move.before), after=cell_words(move.after))


def rating_words(likelihood: str | None, impact: str | None) -> str:
    return cell_words((likelihood, impact) if likelihood is not None and impact is not None else None)


def number_words(value: float | None) -> str:
    """A value as the reader's language writes numbers ('1,234.5'); '–' when there is none."""
    return format_number(value) if value is not None else "–"


def reading_words(reading: Reading | None, pattern: str = "d MMM y") -> str:
    """'35 on 1 Mar 2026 (Police database)'; '–' when there is none."""
    if reading is None:
        return "–"
    said = _("{value} on {day}").format(value=number_words(reading.value), day=long_date(reading.on, pattern))
    return _("{said} ({source})").format(said=said, source=reading.source) if reading.source else said


def status_words(action: Action, overdue: bool) -> str:
    """The status in words, and 'overdue' in words too (never colour alone)."""
    status = words.action_status(action.status)
    return _("Overdue: {status}").format(status=status) if overdue else status[:1].upper() + status[1:]


def action_change_words(change: ActionChange) -> str:
    """What happened to an action between two assessments, in a sentence."""
    was, now = change.before, change.after
    if now is None:
        return _("Removed")
    if was is None:
        return _("Added ({status})").format(status=words.action_status(now.status))
    said = []
    if was.status != now.status:
        said.append(_("status {before} → {after}").format(before=words.action_status(was.status),
                                                           after=words.action_status(now.status)))
    if was.due != now.due:
        said.append(_("due {before} → {after}").format(before=long_date(was.due, "d MMM y") or "–",
                                                        after=long_date(now.due, "d MMM y") or "–"))
    if was.who != now.who:
        said.append(_("owner {before} → {after}").format(before=was.who or "–", after=now.who or "–"))
    if was.what != now.what:
        said.append(_("reworded"))
    if was.note != now.note:
        said.append(_("note changed"))
    return "; ".join(said) if said else _("changed")
