"""Derived progress: never typed in, always computed from baseline, target and check-ins."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from mkdocs_northstar.dates import add_days, share_elapsed
from mkdocs_northstar.model import Band, CheckIn, KeyResult, Kpi, Objective, Quarter, Settings


def latest(check_ins: Sequence[CheckIn]) -> CheckIn | None:
    """The most recent check-in (the later one in the file wins a tie)."""
    best: CheckIn | None = None
    for check_in in check_ins:
        if best is None or check_in.date >= best.date:
            best = check_in
    return best


def measured(check_ins: Sequence[CheckIn]) -> list[CheckIn]:
    """The check-ins that give a value (a note alone gives none)."""
    return [c for c in check_ins if c.value is not None]


def current_value(kr: KeyResult) -> float | None:
    """The latest known value: the newest check-in that gives one, else `current`, else None."""
    last = latest(measured(kr.check_ins))
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


def kr_achieved(kr: KeyResult, as_of: date | None = None) -> float | None:
    """How much of the key result is achieved, as measured; None when it has no value yet (no data
    is not 0%).

    A `grade` closes any kind. A number runs from baseline (0) to target (1), above 1 when the
    target is beaten, below 0 when the value went the wrong way (decreasing targets too). A
    milestone is 1 once done, 0 once past due (as of `as_of`), and has no data before. A level to
    hold is the share of its readings that held it.
    """
    if kr.grade is not None:
        return kr.grade
    if kr.kind == "milestone":
        if kr.done is not None:
            return 1.0
        return 0.0 if as_of is not None and kr.due is not None and as_of > kr.due else None
    if kr.kind == "hold":
        held = holds(kr)
        return sum(held) / len(held) if held else None
    value = current_value(kr)
    if value is None or kr.baseline is None or kr.target is None or kr.target == kr.baseline:
        return None
    return max(-ACHIEVED_LIMIT, min(ACHIEVED_LIMIT, (value - kr.baseline) / (kr.target - kr.baseline)))


def is_stale(kr: KeyResult, *, as_of: date, start: date, stale_days: int) -> bool:
    """Whether a key result of a period begun on `start` has gone `stale_days` without a check-in
    by `as_of` (NS311). A graded key result or a milestone is never stale; nor is one tracked with
    `current` only (it carries no date), nor any in the period's first `stale_days`."""
    cutoff = add_days(as_of, -stale_days)
    if kr.grade is not None or kr.kind == "milestone" or start > cutoff:
        return False
    last = last_check_in(kr)
    return kr.current is None if last is None else last < cutoff


def meets(value: float, target: float, direction: str) -> bool:
    """Whether `value` is at or beyond `target` in `direction` (`up`: at or above; `down`: at or below)."""
    return value >= target if direction == "up" else value <= target


def holds(kr: KeyResult) -> list[bool]:
    """For a level to hold: whether each reading (the check-ins, else `current`) held it."""
    values = [c.value for c in history(kr.check_ins) if c.value is not None]
    values = values or ([kr.current] if kr.current is not None else [])
    level = kr.target if kr.target is not None else 0.0
    return [meets(v, level, kr.direction) for v in values]


def kr_progress(kr: KeyResult, as_of: date | None = None) -> float | None:
    """`kr_achieved` held to 0..1, as roll-ups count it; None without a value."""
    achieved = kr_achieved(kr, as_of)
    return None if achieved is None else min(1.0, max(0.0, achieved))


@dataclass(frozen=True)
class Pace:
    """What is expected of work by the as-of date, and how its status is judged (see the
    "How progress and status are worked out" guide)."""

    expected: float | None = 1.0
    """The share of the target expected by now, 0..1; None before the period starts."""
    aspirational_bar: float = 0.7
    """The share of its target an aspirational objective's key results need to succeed."""
    as_of: date | None = None
    """The day work is judged at (a milestone is expected once it is due); None: the period's end."""

    def score(self, progress: float, *, aspirational: bool = False, confidence: float | None = None) -> float | None:
        """0..1, what the status band is judged on; None before the period starts.

        Progress is compared with what is expected by now (at most 1). Early in the period the
        owner's latest confidence, when given, counts most; by its end, the numbers alone.
        """
        if self.expected is None:
            return None
        wanted = self.expected * (self.aspirational_bar if aspirational else 1.0)
        on_pace = 1.0 if wanted <= 0 else min(1.0, progress / wanted)
        if confidence is None:
            return on_pace
        return self.expected * on_pace + (1 - self.expected) * confidence


def expected_share(start: date, end: date, as_of: date, *, pace: str = "linear", grace_days: int = 7) -> float | None:
    """How much of a period's targets is expected by `as_of`: None before the period starts.

    `linear`: nothing in the first `grace_days`, then evenly to all of it on the last day.
    `end`: all of it from the start (work is judged against the whole target, as at the end).
    """
    if as_of < start:
        return None
    return 1.0 if pace == "end" else share_elapsed(start, end, as_of, after_days=grace_days)


def quarter_pace(quarter: Quarter, settings: Settings, as_of: date) -> Pace:
    """What is expected by `as_of` of work of `quarter`, under the plan's `settings` (pace, grace
    days and the aspirational bar)."""
    expected = expected_share(quarter.start, quarter.end, as_of, pace=settings.pace, grace_days=settings.grace_days)
    return Pace(expected, settings.aspirational_bar, as_of)


@dataclass(frozen=True)
class Rollup:
    """Progress rolled up from key results: only those with a value count, and it says how many do."""

    progress: float | None
    """The weighted mean over the key results that have a value; None when none has."""
    reported: int
    """How many key results have a value."""
    total: int
    """How many key results there are."""
    score: float | None = None
    """What the status is judged on: the weighted mean of the parts' scores (see `Pace.score`);
    None without progress, or before the period starts."""


def kr_score(kr: KeyResult, pace: Pace, *, aspirational: bool = False) -> float | None:
    """A key result's status score: its progress against the pace, with its owner's confidence.

    A grade is final. A milestone is on track until it is due (as its owner's confidence says, if
    given), then done or not. A level to hold scores the share of readings that held it.
    """
    progress = kr_progress(kr, pace.as_of)
    if progress is None or pace.expected is None:
        return None
    if kr.grade is not None or kr.kind == "hold":
        return progress
    if kr.kind == "milestone":
        if kr.done is not None:
            return 1.0
        due = kr.due is not None and pace.as_of is not None and pace.as_of >= kr.due
        if due or (kr.due is None and pace.expected >= 1):
            return 0.0
        said = confidence(kr)
        return 1.0 if said is None else said
    return pace.score(progress, aspirational=aspirational, confidence=confidence(kr))


def objective_rollup(objective: Objective, pace: Pace = Pace()) -> Rollup:
    """The weighted mean of the progress (and of the scores) of its key results that have a value."""
    aspirational = objective.type == "aspirational"
    measured = [
        (kr.weight, p, kr_score(kr, pace, aspirational=aspirational))
        for kr in objective.key_results
        if (p := kr_progress(kr, pace.as_of)) is not None
    ]
    progress = weighted_mean([(w, p) for w, p, _ in measured])
    scores = [(w, s) for w, _, s in measured if s is not None]
    return Rollup(progress, len(measured), len(objective.key_results), weighted_mean(scores))


def weighted_mean(weighted: Sequence[tuple[float, float]]) -> float | None:
    """The mean of (weight, value) pairs; None without any, or without weight."""
    total = sum(w for w, _ in weighted)
    return sum(w * p for w, p in weighted) / total if weighted and total > 0 else None


def history(check_ins: Sequence[CheckIn]) -> list[CheckIn]:
    """Check-ins oldest first (the file's order on a tie)."""
    return sorted(check_ins, key=lambda c: c.date)


def latest_note(check_ins: Sequence[CheckIn]) -> CheckIn | None:
    """The newest check-in that has a note."""
    noted = [c for c in history(check_ins) if c.note.strip()]
    return noted[-1] if noted else None


TREND_WIDTH, TREND_HEIGHT = 80, 20
"""The size of a trend line, in SVG units."""


def trend(kr: KeyResult) -> str | None:
    """SVG polyline points of a key result's check-ins: time across, progress up (baseline at the
    bottom, target at the top, a little room beyond both); None with fewer than two check-ins."""
    points = history(measured(kr.check_ins))
    if kr.kind != "number" or kr.baseline is None or kr.target is None or kr.target == kr.baseline:
        return None
    baseline, span = kr.baseline, kr.target - kr.baseline
    if len(points) < 2:
        return None
    first, last = points[0].date, points[-1].date
    days = max(1, (last - first).days)

    def y(value: float | None) -> float:
        value = baseline if value is None else value
        share = min(1.2, max(-0.2, (value - baseline) / span))
        return round(TREND_HEIGHT - 2 - (share + 0.2) / 1.4 * (TREND_HEIGHT - 4), 1)

    return " ".join(f"{round((c.date - first).days / days * (TREND_WIDTH - 4) + 2, 1)},{y(c.value)}" for c in points)


@dataclass(frozen=True)
class Scorecard:
    """A KPI's recent weeks: each check-in against the target, the hit rate and the current streak."""

    cells: list[tuple[CheckIn, bool]]
    """The last `SCORECARD_WEEKS` check-ins, oldest first, each with whether it met the target."""
    hits: int
    streak: int
    """How many of the newest check-ins in a row share the newest one's result."""

    @property
    def hit_rate(self) -> float:
        return self.hits / len(self.cells) if self.cells else 0.0

    @property
    def streak_hit(self) -> bool:
        return bool(self.cells) and self.cells[-1][1]


SCORECARD_WEEKS = 13
"""A quarter of weekly check-ins."""


def scorecard(kpi: Kpi) -> Scorecard | None:
    """The KPI's last `SCORECARD_WEEKS` check-ins judged against its target; None without any."""
    recent = history(measured(kpi.check_ins))[-SCORECARD_WEEKS:]
    if not recent:
        return None
    cells = [(c, meets(c.value or 0.0, kpi.target, kpi.direction)) for c in recent]
    streak = 0
    for _, hit in reversed(cells):
        if hit != cells[-1][1]:
            break
        streak += 1
    return Scorecard(cells, sum(hit for _, hit in cells), streak)


def kpi_value(kpi: Kpi) -> float | None:
    """A KPI's latest value: the newest check-in that gives one, else `current`."""
    newest = latest(measured(kpi.check_ins))
    return newest.value if newest is not None else kpi.current


def kpi_on_target(kpi: Kpi) -> bool | None:
    """Whether the latest value meets the target in the KPI's direction; None without a value."""
    value = kpi_value(kpi)
    if value is None:
        return None
    return meets(value, kpi.target, kpi.direction)


def band(progress: float, bands: Sequence[Band]) -> Band:
    """The highest band whose `min` the progress reaches (the lowest band if none)."""
    ordered = sorted(bands, key=lambda b: b.min)
    chosen = ordered[0]
    for candidate in ordered:
        if progress >= candidate.min:
            chosen = candidate
    return chosen
