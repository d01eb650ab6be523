"""Briefings: what a report or a slide deck says, then the Word file (slides: riskkit.slides).

`briefing()` decides the content once (which risks, which bands, which gaps,
what a shareable version leaves out); the writers only lay it out.
"""

from __future__ import annotations

from datetime import date

from riskkit import words
from riskkit.exchange import Exported
from riskkit.models import AssessedRisk, Assessment, Catalogue, IndicatorSet, Value
from riskkit.rules import (
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

    @property
    def all_risks(self) -> tuple[BriefingRisk, ...]:
        return self.toolkit_risks + self.own_risks

    @property
    def high_band(self) -> tuple[BriefingRisk, ...]:
        top = self.band_names[-1]
        return tuple(r for r in self.all_risks if r.band == top)


def briefing(about: Exported, assessment: Assessment, catalogue: Catalogue, indicators: IndicatorSet,
             shareable: bool = False) -> Briefing:
    """The content of a briefing. A shareable one leaves out notes and own risks marked internal."""
    if shareable:
        assessment = shareable_copy(assessment)
    policy = policy_in_force(catalogue, assessment)
    wording = {i.id: i.wording for i in indicators.indicators}

    def shown(risk: AssessedRisk) -> BriefingRisk:
        band = band_of(catalogue, risk.likelihood, risk.impact) if risk.rated else None  # type: ignore[arg-type]
        return BriefingRisk(risk=risk, band=band, levels=catalogue.scale.levels,
                            required=risk.rated and requires_mitigation(catalogue, policy, risk.likelihood,
                                                                        risk.impact),
                            indicators=tuple((i, wording[i]) for i in indicators_for(risk, indicators)))

    rows = [shown(r) for r in register(catalogue, assessment)]
    levels = catalogue.scale.levels
    return Briefing(
        title=about.title, context=about.context, held_on=about.held_on, organisation=about.organisation,
        shareable=shareable,
        section=f"{catalogue.section.number} {catalogue.section.title}",
        goals=tuple((g.name, g.text) for g in catalogue.goals), scale=levels,
        bands=tuple((lk, tuple(band_of(catalogue, lk, im) for im in levels)) for lk in reversed(levels)),
        band_names=catalogue.bands.names, policy=words.policy(assessment.policy),
        toolkit_risks=tuple(r for r in rows if not r.risk.own), own_risks=tuple(r for r in rows if r.risk.own),
        gaps=mitigation_gaps(catalogue, assessment, indicators),
        indicators_draft=indicators.draft, indicator_title=indicators.title)
