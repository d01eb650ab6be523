"""Synthetic assessments for the benchmarks: the catalogue plus own risks, rated at random.

Built through riskkit's own edits (`add_own_risk`, `rate`, `write_strategy`), the way a
team's register grows, so a benchmark never holds data the app could not have made.
"""

from __future__ import annotations

import random

from riskkit.models import Assessment, Catalogue

STRATEGIES = ("", "Train front-line staff")


def synthetic_assessment(catalogue: Catalogue, total_risks: int, seed: int = 36) -> Assessment:
    """`total_risks` risks: the catalogue's, then own risks up to the total, every one rated."""
    rng = random.Random(seed)
    levels = catalogue.scale.levels
    assessment = Assessment(policy=catalogue.policies.default)
    numbers = [risk.number for risk in catalogue.risks]
    for _ in range(total_risks - len(numbers)):
        statement = f"Synthetic risk {len(numbers) + 1}: " + "context " * rng.randint(3, 20)
        assessment, number = assessment.add_own_risk(catalogue, statement.strip())
        numbers.append(number)
    for number in numbers:
        assessment = assessment.rate(catalogue, number, likelihood=rng.choice(levels), impact=rng.choice(levels))
        assessment = assessment.write_strategy(catalogue, number, rng.choice(STRATEGIES))
    return assessment
