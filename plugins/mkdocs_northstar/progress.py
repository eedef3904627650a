"""Derived progress: never typed in, always computed from baseline, target and check-ins."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from mkdocs_northstar.model import Band, CheckIn, KeyResult, Kpi, Objective


def latest(check_ins: Sequence[CheckIn]) -> CheckIn | None:
    """The most recent check-in (the later one in the file wins a tie)."""
    best: CheckIn | None = None
    for check_in in check_ins:
        if best is None or check_in.date >= best.date:
            best = check_in
    return best


def current_value(kr: KeyResult) -> float | None:
    """The latest known value: the newest check-in, else `current`, else None."""
    last = latest(kr.check_ins)
    return last.value if last is not None else kr.current


def last_check_in(kr: KeyResult) -> date | None:
    last = latest(kr.check_ins)
    return last.date if last is not None else None


def confidence(kr: KeyResult) -> float | None:
    """The newest check-in's confidence if it gives one, else the key result's own."""
    last = latest(kr.check_ins)
    if last is not None and last.confidence is not None:
        return last.confidence
    return kr.confidence


def kr_progress(kr: KeyResult) -> float:
    """Linear progress from baseline (0) to target (1), clamped; works for decreasing targets.

    With no value yet the key result stands at its baseline.
    """
    value = current_value(kr)
    span = kr.target - kr.baseline
    if value is None or span == 0:
        return 0.0
    return min(1.0, max(0.0, (value - kr.baseline) / span))


def objective_progress(objective: Objective) -> float | None:
    """The weighted mean of its key results' progress; None without key results."""
    total = sum(kr.weight for kr in objective.key_results)
    if not objective.key_results or total <= 0:
        return None
    return sum(kr_progress(kr) * kr.weight for kr in objective.key_results) / total


def team_progress(objectives: Sequence[Objective]) -> float | None:
    """A team's period progress: its objectives' progress weighted by their `weight`; None if none is measured."""
    measured = [(o.weight, p) for o in objectives if (p := objective_progress(o)) is not None]
    total = sum(w for w, _ in measured)
    return sum(w * p for w, p in measured) / total if measured and total > 0 else None


def kpi_value(kpi: Kpi) -> float | None:
    """A KPI's latest value: the newest check-in, else `current`."""
    newest = latest(kpi.check_ins)
    return newest.value if newest is not None else kpi.current


def kpi_on_target(kpi: Kpi) -> bool | None:
    """Whether the latest value meets the target in the KPI's direction; None without a value."""
    value = kpi_value(kpi)
    if value is None:
        return None
    return value >= kpi.target if kpi.direction == "up" else value <= kpi.target


def band(progress: float, bands: Sequence[Band]) -> Band:
    """The highest band whose `min` the progress reaches (the lowest band if none)."""
    ordered = sorted(bands, key=lambda b: b.min)
    chosen = ordered[0]
    for candidate in ordered:
        if progress >= candidate.min:
            chosen = candidate
    return chosen
