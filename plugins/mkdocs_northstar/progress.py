"""Derived progress: never typed in, always computed from baseline, target and check-ins."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
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


ACHIEVED_LIMIT = 1e6
"""`kr_achieved` stays within ± this (a million times the target): a span of almost nothing
cannot make it infinite."""


def kr_achieved(kr: KeyResult) -> float | None:
    """How far the latest value is from baseline (0) to target (1), as measured: above 1 when the
    target is beaten, below 0 when the value went the wrong way; works for decreasing targets.

    None when the key result has no value yet: no data is not 0%.
    """
    value = current_value(kr)
    span = kr.target - kr.baseline
    if value is None or span == 0:
        return None
    return max(-ACHIEVED_LIMIT, min(ACHIEVED_LIMIT, (value - kr.baseline) / span))


def kr_progress(kr: KeyResult) -> float | None:
    """`kr_achieved` held to 0..1, as roll-ups count it; None without a value."""
    achieved = kr_achieved(kr)
    return None if achieved is None else min(1.0, max(0.0, achieved))


@dataclass(frozen=True)
class Rollup:
    """Progress rolled up from key results: only those with a value count, and it says how many do."""

    progress: float | None
    """The weighted mean over the key results that have a value; None when none has."""
    reported: int
    """How many key results have a value."""
    total: int
    """How many key results there are."""


def objective_rollup(objective: Objective) -> Rollup:
    """The weighted mean of the progress of its key results that have a value."""
    measured = [(kr.weight, p) for kr in objective.key_results if (p := kr_progress(kr)) is not None]
    return Rollup(_mean(measured), len(measured), len(objective.key_results))


def team_rollup(objectives: Sequence[Objective]) -> Rollup:
    """A team's period progress: its objectives' progress weighted by their `weight`, over the
    objectives with any key result reported."""
    rollups = [(o.weight, objective_rollup(o)) for o in objectives]
    measured = [(w, r.progress) for w, r in rollups if r.progress is not None]
    return Rollup(_mean(measured), sum(r.reported for _, r in rollups), sum(r.total for _, r in rollups))


def _mean(weighted: Sequence[tuple[float, float]]) -> float | None:
    total = sum(w for w, _ in weighted)
    return sum(w * p for w, p in weighted) / total if weighted and total > 0 else None


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
