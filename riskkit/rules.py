"""The section's rules, each a pure function of catalogue data and an assessment.

Pages ask these; no page decides a band or whether a strategy is required.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

from riskkit import words
from riskkit.errors import UnknownRisk
from riskkit.i18n import gettext as _
from riskkit.models import (
    Action,
    AssessedRisk,
    Assessment,
    Catalogue,
    CatalogueRisk,
    Entry,
    IndicatorSet,
    OwnRisk,
    Policy,
    Value,
    validated,
)

Cell = tuple[str, str]  # (likelihood, impact)


def band_of(catalogue: Catalogue, likelihood: str, impact: str) -> str:
    """The severity band of a heat-map cell, from the catalogue's grid."""
    catalogue.scale.rank(likelihood)
    catalogue.scale.rank(impact)
    return catalogue.bands.grid[likelihood][impact]


def policy_in_force(catalogue: Catalogue, assessment: Assessment) -> Policy:
    return catalogue.policies.options[assessment.policy]


def requires_mitigation(catalogue: Catalogue, policy: Policy, likelihood: str | None,
                        impact: str | None) -> bool:
    """'Risk mitigation strategy is to be developed where risk likelihood and impact
    are medium and/or high': all (or, cautiously, any) rating at or above the threshold.
    An unrated side counts as below the threshold."""
    threshold = catalogue.scale.rank(policy.threshold)
    at_or_above = [level is not None and catalogue.scale.rank(level) >= threshold
                   for level in (likelihood, impact)]
    return all(at_or_above) if policy.combine == "all" else any(at_or_above)


def register(catalogue: Catalogue, assessment: Assessment) -> tuple[AssessedRisk, ...]:
    """The catalogue's risks then the user's own, each with what the user recorded."""
    return tuple(_assessed(risk, assessment) for risk in _risks(catalogue, assessment))


def _risks(catalogue: Catalogue, assessment: Assessment) -> tuple[CatalogueRisk | OwnRisk, ...]:
    return (*catalogue.risks, *assessment.own_risks)


def assessed_risk(catalogue: Catalogue, assessment: Assessment, number: int) -> AssessedRisk:
    for risk in _risks(catalogue, assessment):
        if risk.number == number:
            return _assessed(risk, assessment)
    raise UnknownRisk(_("Risk {number} is neither in the catalogue nor one of your own risks.").format(number=number))


def _assessed(risk: CatalogueRisk | OwnRisk, assessment: Assessment) -> AssessedRisk:
    e = assessment.entry(risk.number)
    if isinstance(risk, OwnRisk):
        example, indicator_ids, internal = "", risk.indicator_ids, risk.internal
    else:
        example, indicator_ids, internal = risk.example_strategy, (), False
    return AssessedRisk(number=risk.number, statement=risk.statement, references=risk.references,
                        example_strategy=example, own=isinstance(risk, OwnRisk),
                        likelihood=e.likelihood, impact=e.impact, strategy=e.strategy, notes=e.notes,
                        indicator_ids=indicator_ids, internal=internal, room=e.room,
                        residual_likelihood=e.residual_likelihood, residual_impact=e.residual_impact,
                        review_on=e.review_on, actions=e.actions)


def indicators_for(risk: AssessedRisk, indicators: IndicatorSet) -> tuple[str, ...]:
    """Ids of the indicators monitoring a risk: from the set for catalogue risks, the
    user's links for own risks (only those still in the set)."""
    if risk.own:
        return tuple(i for i in risk.indicator_ids if i in indicators.id_set)
    return tuple(i.id for i in indicators.monitoring(risk.number))


GapKind = Literal["no_strategy", "not_rated", "example_as_is", "no_indicator"]
GAP_ORDER: tuple[GapKind, ...] = ("no_strategy", "not_rated", "example_as_is", "no_indicator")


class Gap(Value):
    number: int
    kind: GapKind
    soft: bool  # a flag to look at, not a missing piece
    statement: str
    explanation: str


def mitigation_gaps(catalogue: Catalogue, assessment: Assessment,
                    indicators: IndicatorSet) -> tuple[Gap, ...]:
    """What the register still lacks, worst first, under the policy in force."""
    policy = policy_in_force(catalogue, assessment)
    gaps: list[Gap] = []
    for risk in register(catalogue, assessment):
        found: list[tuple[GapKind, str, bool]] = []
        strategy = risk.strategy.strip()
        if not risk.rated:
            found.append(("not_rated", _("Likelihood and impact are not both rated yet."), False))
        elif requires_mitigation(catalogue, policy, risk.likelihood, risk.impact) and not strategy:
            assert risk.likelihood is not None and risk.impact is not None
            found.append(("no_strategy", _("Rated {likelihood} likelihood / {impact} impact: a mitigation strategy "
                                           "is required and none is written.").format(
                likelihood=words.level(risk.likelihood), impact=words.level(risk.impact)), False))
        if strategy and risk.example_strategy and _same_text(strategy, risk.example_strategy):
            found.append(("example_as_is", _("The strategy is the toolkit's example, not yet tailored to this "
                                             "context."), True))
        if risk.own and not indicators_for(risk, indicators):
            found.append(("no_indicator", _("No monitoring indicator is linked to this risk."), False))
        gaps.extend(Gap(number=risk.number, kind=kind, soft=soft, statement=risk.statement, explanation=why)
                    for kind, why, soft in found)
    return tuple(sorted(gaps, key=lambda g: (GAP_ORDER.index(g.kind), g.number)))


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


class Progress(Value):
    rated: int
    total: int
    requiring_mitigation: int
    missing_strategies: int
    policy_label: str


def progress(catalogue: Catalogue, assessment: Assessment) -> Progress:
    policy = policy_in_force(catalogue, assessment)
    rows = register(catalogue, assessment)
    requiring = [r for r in rows if r.rated and requires_mitigation(catalogue, policy, r.likelihood, r.impact)]
    return Progress(rated=sum(r.rated for r in rows), total=len(rows),
                    requiring_mitigation=len(requiring),
                    missing_strategies=sum(not r.strategy.strip() for r in requiring),
                    policy_label=words.policy(assessment.policy))


def cells(catalogue: Catalogue, risks: Iterable[AssessedRisk]) -> dict[Cell, tuple[AssessedRisk, ...]]:
    """Every likelihood x impact cell with the rated risks that fall in it (empty cells too)."""
    grid: dict[Cell, list[AssessedRisk]] = {(lk, im): [] for lk in catalogue.scale.levels
                                            for im in catalogue.scale.levels}
    for risk in risks:
        if risk.likelihood is not None and risk.impact is not None:
            grid[(risk.likelihood, risk.impact)].append(risk)
    return {cell: tuple(rs) for cell, rs in grid.items()}


def risks_in_cells(catalogue: Catalogue, risks: Sequence[AssessedRisk],
                   chosen: Iterable[Cell]) -> tuple[AssessedRisk, ...]:
    wanted = set(chosen)
    return tuple(r for r in risks if (r.likelihood, r.impact) in wanted)


def rating_summary(catalogue: Catalogue, assessment: Assessment, risk: AssessedRisk) -> str:
    """One sentence on a risk's band and whether the policy in force requires a strategy."""
    if not risk.rated:
        return _("Not rated yet: choose a likelihood and an impact.")
    assert risk.likelihood is not None and risk.impact is not None
    band = band_of(catalogue, risk.likelihood, risk.impact)
    policy = policy_in_force(catalogue, assessment)
    if requires_mitigation(catalogue, policy, risk.likelihood, risk.impact):
        need = _("a mitigation strategy is required") if not risk.strategy.strip() \
            else _("a mitigation strategy is required and written")
    else:
        need = _("no mitigation strategy is required")
    return _("{band} band: {need} (policy: {policy}).").format(band=words.band(band).upper(), need=need,
                                                               policy=words.policy(assessment.policy))


def shareable_copy(assessment: Assessment) -> Assessment:
    """What may leave the team: no notes (a risk's, nor its actions'), and none of the own risks
    marked internal."""
    kept = tuple(r for r in assessment.own_risks if not r.internal)
    dropped = {r.number for r in assessment.own_risks} - {r.number for r in kept}
    entries = {n: validated(Entry, {**dict(e), "notes": "",
                                    "actions": tuple(validated(Action, {**dict(a), "note": ""}) for a in e.actions)})
               for n, e in assessment.entries.items() if n not in dropped}
    return validated(Assessment, {**dict(assessment), "own_risks": kept,
                                  "entries": {n: e for n, e in entries.items() if e != Entry()}})
