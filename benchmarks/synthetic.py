"""Synthetic assessments for benchmarks: the catalogue plus own risks, rated at random."""

from __future__ import annotations

import random

from riskkit.models import Assessment, Catalogue, Entry, OwnRisk


def synthetic_assessment(catalogue: Catalogue, total_risks: int, seed: int = 36) -> Assessment:
    rng = random.Random(seed)
    levels = catalogue.scale.levels
    first = catalogue.first_own_number
    own = tuple(OwnRisk(number=n, statement=f"Synthetic risk {n}: " + "context " * rng.randint(3, 20))
                for n in range(first, first + total_risks - len(catalogue.risks)))
    entries = {}
    for number in [r.number for r in catalogue.risks] + [r.number for r in own]:
        entries[number] = Entry(likelihood=rng.choice(levels), impact=rng.choice(levels),
                                strategy=rng.choice(["", "Train front-line staff"]))
    return Assessment(policy=catalogue.policies.default, entries=entries, own_risks=own)
