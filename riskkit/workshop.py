"""Group rating: a session, its votes, and what the room's votes say. Pure functions of the
scale and the votes."""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Sequence

from riskkit.models import Catalogue, Value

NO_RISK = 0  # a rating session's current risk while the projector shows no risk (the closing heat map)
JOIN_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read off a projector
JOIN_CODE_LENGTH = 6


class RatingSession(Value):
    """A group rating of one assessment. The facilitator token never leaves the facilitator's link."""

    id: str
    assessment_id: str
    join_code: str
    current_risk: int
    revealed: bool
    closed: bool


class Vote(Value):
    likelihood: str
    impact: str


def join_code(length: int = JOIN_CODE_LENGTH) -> str:
    return "".join(secrets.choice(JOIN_ALPHABET) for _ in range(length))


def could_be_join_code(code: str) -> bool:
    """Whether a typed code is worth looking up: letters and digits a projector shows, not too long."""
    return 0 < len(code) <= 12 and all(ch in JOIN_ALPHABET for ch in code)


class Tally(Value):
    """The room's votes on one risk, as the facilitator reveals them."""

    count: int
    cells: dict[tuple[str, str], int]  # (likelihood, impact) -> votes
    likelihood: dict[str, int]
    impact: dict[str, int]
    suggested: tuple[str, str] | None
    disagreement: bool


def median_level(levels: Sequence[str], chosen: Sequence[str]) -> str:
    """The median of ordinal votes; with an even count, the higher of the two middle
    levels, erring toward caution as a protection register should."""
    ranks = sorted(levels.index(level) for level in chosen)
    return levels[ranks[len(ranks) // 2]]


def room_disagrees(levels: Sequence[str], chosen: Sequence[str]) -> bool:
    """Votes spanning the whole scale (someone Low, someone High) are worth talking through."""
    ranks = [levels.index(level) for level in chosen]
    return bool(ranks) and max(ranks) - min(ranks) >= len(levels) - 1


def tally(catalogue: Catalogue, votes: Sequence[Vote]) -> Tally:
    levels = catalogue.scale.levels
    likelihoods = [v.likelihood for v in votes]
    impacts = [v.impact for v in votes]
    cells = Counter((v.likelihood, v.impact) for v in votes)
    return Tally(
        count=len(votes),
        cells={(lk, im): cells.get((lk, im), 0) for lk in levels for im in levels},
        likelihood={level: likelihoods.count(level) for level in levels},
        impact={level: impacts.count(level) for level in levels},
        suggested=(median_level(levels, likelihoods), median_level(levels, impacts)) if votes else None,
        disagreement=room_disagrees(levels, likelihoods) or room_disagrees(levels, impacts),
    )
