"""Two states of a register side by side: a snapshot and now, or two workshops.

`compare` says what a follow-up workshop asks: which risks moved on the heat map, which
gaps opened or closed, which strategies and actions changed, and what the monitoring
indicators said then and say now. Risks are matched by number (the catalogue's are the
same in every assessment; own risks by the number they were given).
"""

from __future__ import annotations

from riskkit.models import Action, AssessedRisk, Assessment, Catalogue, IndicatorSet, Reading, Value
from riskkit.rules import Cell, Gap, mitigation_gaps, register


class Move(Value):
    """A risk whose rating differs: None where it was (or is) not rated, or not in the register."""

    number: int
    statement: str
    before: Cell | None
    after: Cell | None


class StrategyChange(Value):
    number: int
    statement: str
    before: str
    after: str


class ActionChange(Value):
    """An action added (before None), removed (after None) or changed."""

    number: int
    statement: str
    before: Action | None
    after: Action | None


class IndicatorThenNow(Value):
    indicator_id: str
    wording: str
    before: Reading | None
    after: Reading | None
    target: float | None


class Comparison(Value):
    moved: tuple[Move, ...]
    added_risks: tuple[AssessedRisk, ...]
    removed_risks: tuple[AssessedRisk, ...]
    gaps_opened: tuple[Gap, ...]
    gaps_closed: tuple[Gap, ...]
    strategies: tuple[StrategyChange, ...]
    actions: tuple[ActionChange, ...]
    indicators: tuple[IndicatorThenNow, ...]

    @property
    def nothing_changed(self) -> bool:
        return not (self.moved or self.added_risks or self.removed_risks or self.gaps_opened or self.gaps_closed
                    or self.strategies or self.actions or any(i.before != i.after for i in self.indicators))


def _cell(risk: AssessedRisk | None) -> Cell | None:
    if risk is None or risk.likelihood is None or risk.impact is None:
        return None
    return (risk.likelihood, risk.impact)


def compare(catalogue: Catalogue, before: Assessment, after: Assessment, indicators_before: IndicatorSet,
            indicators_after: IndicatorSet) -> Comparison:
    then = {r.number: r for r in register(catalogue, before)}
    now = {r.number: r for r in register(catalogue, after)}
    numbers = sorted(then.keys() | now.keys())
    moved = []
    strategies = []
    actions = []
    for number in numbers:
        old, new = then.get(number), now.get(number)
        statement = (new or old).statement  # type: ignore[union-attr]  # one of them is there
        if old is not None and new is not None and _cell(old) != _cell(new):
            moved.append(Move(number=number, statement=statement, before=_cell(old), after=_cell(new)))
        if old is not None and new is not None and old.strategy.strip() != new.strategy.strip():
            strategies.append(StrategyChange(number=number, statement=statement, before=old.strategy,
                                             after=new.strategy))
        old_actions = {a.id: a for a in (old.actions if old else ())}
        new_actions = {a.id: a for a in (new.actions if new else ())}
        for action_id in [*old_actions, *(i for i in new_actions if i not in old_actions)]:
            was, became = old_actions.get(action_id), new_actions.get(action_id)
            if was != became:
                actions.append(ActionChange(number=number, statement=statement, before=was, after=became))
    gaps_then = {(g.number, g.kind): g for g in mitigation_gaps(catalogue, before, indicators_before)}
    gaps_now = {(g.number, g.kind): g for g in mitigation_gaps(catalogue, after, indicators_after)}
    return Comparison(
        moved=tuple(moved),
        added_risks=tuple(now[n] for n in numbers if n not in then),
        removed_risks=tuple(then[n] for n in numbers if n not in now),
        gaps_opened=tuple(g for key, g in gaps_now.items() if key not in gaps_then),
        gaps_closed=tuple(g for key, g in gaps_then.items() if key not in gaps_now),
        strategies=tuple(strategies), actions=tuple(actions),
        indicators=_indicators(before, after, indicators_before, indicators_after))


def _indicators(before: Assessment, after: Assessment, indicators_before: IndicatorSet,
                indicators_after: IndicatorSet) -> tuple[IndicatorThenNow, ...]:
    """Every indicator with a value on either side: its latest value then and now."""
    wording = {i.id: i.wording for i in indicators_before.indicators} | \
              {i.id: i.wording for i in indicators_after.indicators}
    ids = [i for i in wording if before.track(i).latest is not None or after.track(i).latest is not None]
    return tuple(IndicatorThenNow(indicator_id=i, wording=wording[i], before=before.track(i).latest,
                                  after=after.track(i).latest,
                                  target=after.track(i).target if after.track(i).target is not None
                                  else before.track(i).target)
                 for i in ids)
