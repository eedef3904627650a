"""A semantic change between two plans: what a reader of the change log or a reviewer needs to see."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Layer = Literal["strategy", "execution"]


@dataclass(frozen=True, order=True)
class Change:
    """One semantic change, already worded for people.

    `layer` says whether it touched direction (strategy.yml) or motion (everything else).
    `check_in` marks progress updates, which the change log can fold away from decisions.
    """

    layer: Layer
    text: str
    """E.g. "Team `sales`, 2026-q3: key result `mid-market-logos` target 40 → 50"."""
    check_in: bool = False


def classify(changes: list[Change]) -> Literal["strategy", "execution", "both", "none"]:
    """What a set of changes touched."""
    layers = {c.layer for c in changes}
    if layers == {"strategy", "execution"}:
        return "both"
    if layers:
        return "strategy" if "strategy" in layers else "execution"
    return "none"
