"""A semantic change between two plans: what a reader of the change log or a reviewer needs to see."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Layer = Literal["strategy", "execution"]


@dataclass(frozen=True, order=True)
class Change:
    """One semantic change, already worded for people.

    `layer` says whether it touched direction (strategy.yml) or motion (everything else).
    `check_in` marks progress updates, which the change log can fold away from decisions; in the
    strategy, the owner's review date: the direction looked at again and kept (reaffirmed).
    """

    layer: Layer
    text: str
    """E.g. "Team `sales`, 2026-q3: key result `mid-market-logos` target 40 → 50"."""
    check_in: bool = False


def classify(changes: list[Change]) -> Literal["strategy", "execution", "both", "reaffirmed", "none"]:
    """What a set of changes touched. Re-dating the strategy's review alone changes no direction:
    on its own it is a reaffirmation, and beside execution changes it leaves them execution."""
    direction = changes_direction(changes)
    motion = any(c.layer == "execution" for c in changes)
    if direction and motion:
        return "both"
    if direction or motion:
        return "strategy" if direction else "execution"
    return "reaffirmed" if changes else "none"


def changes_direction(changes: list[Change]) -> bool:
    """Whether any change is to the strategy itself, not only to the date it was last reviewed."""
    return any(c.layer == "strategy" and not c.check_in for c in changes)
