"""A register six months on, for the briefing tests: 3 actions per risk (some overdue, some
done), residual ratings, review dates, 24 monthly values for each indicator, and the same
register as it was at the last workshop, to compare with.

Entries are built whole and validated once (adding 900 actions one edit at a time revalidates
the register 900 times); every value is one the app's own edits could have made.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from benchmarks.synthetic import synthetic_assessment
from riskkit.briefing import Earlier
from riskkit.exchange import Exported
from riskkit.models import Action, Assessment, Catalogue, Entry, IndicatorSet, Reading, Track, validated

TODAY = date(2026, 11, 29)
BEFORE = date(2026, 5, 28)
EARLIER_ABOUT = Exported(title="Kenya workshop, May", context="Kenya", held_on=BEFORE)
OWNERS = ("Ministry of Justice", "National Police Service", "Shelter network (NGO)", "UNODC programme officer",
          "Labour inspectorate")
STATUSES = ("planned", "in_progress", "done", "dropped")
# what the follow-up tests look for
MOVED = 7  # High / High at the last workshop, Medium / High now
CLOSED = 4  # High / High with no strategy then, a strategy now: its gap closed
FINISHED = (1, 0)  # risk 1's first action: planned then, done now


def earlier_register(catalogue: Catalogue, indicators: IndicatorSet, base: Assessment) -> Assessment:
    """The register as the last workshop left it: `base` with a plan, reviews and values."""
    rng = random.Random(11)
    base = base.rate(catalogue, MOVED, likelihood="High", impact="High").write_strategy(catalogue, CLOSED, "")
    base = base.rate(catalogue, CLOSED, likelihood="High", impact="High")
    entries: dict[int, Entry] = {}
    for number in [r.number for r in catalogue.risks] + [r.number for r in base.own_risks]:
        entry = base.entry(number)
        actions = tuple(Action(id=f"{number:04x}{index:04x}", what=f"Step {index + 1} of the plan for risk {number}"
                               + ": agree, fund and deliver" * rng.randint(0, 3),
                               who=rng.choice(OWNERS), due=BEFORE + timedelta(days=rng.randint(-30, 400)),
                               status="planned" if (number, index) == FINISHED else rng.choice(STATUSES),
                               note="Reported at the steering group." if index == 2 else "")
                        for index in range(3))
        levels = catalogue.scale.levels
        entries[number] = entry.model_copy(update={
            "actions": actions, "residual_likelihood": levels[0], "residual_impact": rng.choice(levels),
            "review_on": TODAY + timedelta(days=rng.randint(-40, 120)) if number % 4 == 0 else None})
    tracks = {i.id: Track(baseline=float(10 + n), target=float(60 + n),
                          readings=tuple(Reading(on=_month(date(2024, 12, 1), m), value=float(10 + n + m),
                                                 source="Police database") for m in range(18)))
              for n, i in enumerate(indicators.indicators)}
    return validated(Assessment, {**dict(base), "entries": entries, "tracks": tracks,
                                  "review_on": TODAY - timedelta(days=3)})


def _month(first: date, months: int) -> date:
    return date(first.year + (first.month - 1 + months) // 12, (first.month - 1 + months) % 12 + 1, 1)


def followed_up(catalogue: Catalogue, indicators: IndicatorSet,
                base: Assessment | int) -> tuple[Assessment, Earlier]:
    """The register now, and the earlier one to compare it with; `base` is a register or a
    number of synthetic risks."""
    if isinstance(base, int):
        base = synthetic_assessment(catalogue, base)
    before = earlier_register(catalogue, indicators, base)
    now = before.rate(catalogue, MOVED, likelihood="Medium").write_strategy(
        catalogue, CLOSED, "Joint screening teams at the two main border posts")
    number, index = FINISHED
    now = now.change_action(catalogue, number, before.entry(number).actions[index].id, status="done")
    now, _added = now.add_action(catalogue, 3, "Brief the new shelter director", who="Shelter network (NGO)",
                                 due=TODAY + timedelta(days=20))
    tracks = {}
    for indicator_id, track in before.tracks.items():  # six more monthly values since, from a second source too
        more = tuple(Reading(on=date(2026, 6 + m, 1), value=track.readings[-1].value + m + 1.5,
                             source="Police database" if m % 2 else "Shelter records") for m in range(6))
        tracks[indicator_id] = track.model_copy(update={"readings": (*track.readings, *more)})
    now = validated(Assessment, {**dict(now), "tracks": tracks})
    return now, Earlier(about=EARLIER_ABOUT, assessment=before, indicators=indicators)
