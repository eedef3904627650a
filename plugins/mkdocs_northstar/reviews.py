"""The rhythm's reviews: what a weekly meeting, a monthly review and a quarter's close look at.

Pure functions from a checked plan (and its history, for the month's changes) to review models.
Each is judged as of a day: work is measured on the check-ins dated up to that day, so the page
of a past week shows that week as it stood then, and the same week gives the same review on
every build. The pages and `northstar review` both show these models, so they always agree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, computed_field

from mkdocs_northstar.dates import Span, add_days, month_of, week_of
from mkdocs_northstar.history.timeline import History
from mkdocs_northstar.index import Index
from mkdocs_northstar.model import Band, CheckIn, Issue, KeyResult, Kpi, Objective, Plan, Quarter, Rock, Year
from mkdocs_northstar.progress import (
    Pace,
    band,
    confidence,
    is_stale,
    kr_progress,
    kr_score,
    latest_note,
    measured,
    meets,
    objective_rollup,
    quarter_pace,
)
from mkdocs_northstar.progress import (
    history as in_order,
)

DUE_SOON_DAYS = 14
"""A rock due within this many days of the review's last day is listed as due soon."""
_PRIORITY = {"high": 0, "medium": 1, "low": 2}
MONTH_CHANGES = 20
"""The month's review lists this many of its newest execution commits; the change log has them all."""


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class Item(_Out):
    """A piece of work a review names: enough to link it and to say whose it is."""

    kind: Literal["key-result", "kpi", "rock", "objective"]
    id: str
    title: str
    team: str
    owner: str | None = None
    """The owner's person id."""


class Moved(_Out):
    """One check-in dated in the review's span."""

    item: Item
    unit: str = ""
    date: date
    value: float | None
    previous: float | None
    """The value of the check-in before it, if any gave one."""
    change: float | None
    """`value` minus `previous`; None when either is missing."""
    confidence: float | None
    previous_confidence: float | None
    note: str


class Attention(_Out):
    """A key result below the top status band on the review's last day."""

    item: Item
    status: Band
    progress: float
    """Its progress, 0..1 (as roll-ups count it)."""
    note: CheckIn | None
    """Its newest check-in with a note, up to that day; None: nobody has said why."""


class KpiOff(_Out):
    """A KPI whose latest value by the review's last day misses its target."""

    item: Item
    unit: str = ""
    value: float
    target: float
    direction: Literal["up", "down"]
    missed: int
    """How many check-ins in a row, up to the latest, missed the target."""
    since: date
    """The date of the first of them."""


class RockDue(_Out):
    """A rock not finished by the review's last day, due within `DUE_SOON_DAYS` or overdue."""

    item: Item
    due: date
    status: str
    overdue: bool


class Silent(_Out):
    """An owner with key results that had no check-in for `stale_days` by the review's last day."""

    owner: str
    key_results: list[Item]


class TeamWeek(_Out):
    """One team's share of a week's review: how many lines of each list are its own."""

    team: str
    moved: int = 0
    attention: int = 0
    kpis_off: int = 0
    rocks_due: int = 0
    silent: int = 0
    """Key results of the team with no check-in for `stale_days`."""


class _Reviewed(_Out):
    """What every review says first: the span it covers, the day it is judged at, its quarter."""

    span: Span
    as_of: date
    """The day the review is judged at: the span's last day, or the build's as-of day within it."""
    quarter: str | None
    theme: str = ""
    """The quarter's theme, else the year's."""


class WeekReview(_Reviewed):
    """What a weekly meeting looks at."""

    kind: Literal["week"] = "week"
    moved: list[Moved]
    attention: list[Attention]
    kpis_off: list[KpiOff]
    rocks_due: list[RockDue]
    silent: list[Silent]
    stale_days: int
    issues: list[Issue] = []
    """The issues list's open issues on that day, highest priority first, oldest first within it."""
    solved: list[Issue] = []
    """The issues solved during the week."""
    teams: list[TeamWeek] = []
    """Each team with something in the lists above, most needing attention first: what a page that
    cannot list everything (a company of a thousand teams) shows instead, with each team's link."""


class Trend(_Out):
    """An objective's progress and its key results' mean confidence at a month's start and end."""

    item: Item
    progress_before: float | None
    progress_after: float | None
    confidence_before: float | None
    confidence_after: float | None


class Changed(_Out):
    """A commit of the month that changed execution (not only check-ins)."""

    sha: str
    date: date
    author: str
    subject: str
    changes: list[str]


class Overloaded(_Out):
    owner: str
    key_results: int


class MonthReview(_Reviewed):
    """What a monthly review looks at."""

    kind: Literal["month"] = "month"
    trends: list[Trend]
    changes: list[Changed] | None
    """The newest of the month's commits that changed execution; None when there is no history."""
    more_changes: int = 0
    """How many more there were than `changes` lists."""
    unserved: list[Item]
    """This quarter's objectives and rocks that serve nothing in the strategy."""
    overloaded: list[Overloaded]
    limit: int
    """More key results than this makes an owner overloaded (`max_owned_key_results`)."""


class Graded(_Out):
    item: Item
    score: float | None
    """The grade, else the progress as measured (0..1); None without data."""
    graded: bool


class TeamClose(_Out):
    team: str
    key_results: list[Graded]
    rocks: dict[str, int]
    """How many rocks ended each way: done, late, dropped, missed, open."""
    learned: list[str] = []
    """What the team wrote it learned, in its file's `close`."""
    carry_forward: list[Item] = []
    """The objectives and rocks its `close` carries into the next quarter."""

    @computed_field  # type: ignore[prop-decorator]
    @property
    def average(self) -> float | None:
        scores = [g.score for g in self.key_results if g.score is not None]
        return sum(scores) / len(scores) if scores else None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def completion(self) -> float | None:
        """Rocks done (on time or late) over those not dropped; None without any."""
        counted = sum(n for status, n in self.rocks.items() if status != "dropped")
        return (self.rocks["done"] + self.rocks["late"]) / counted if counted else None


class QuarterReview(_Reviewed):
    """A quarter in review: grades and rock completion per team and for the company."""

    kind: Literal["quarter"] = "quarter"
    name: str
    teams: list[TeamClose]
    company: TeamClose
    rock_target: float


Review = WeekReview | MonthReview | QuarterReview


def at(kr: KeyResult, day: date) -> KeyResult:
    """The key result as it stood at the end of `day`: later check-ins, completion and grade unknown."""
    later = any(c.date > day for c in kr.check_ins)
    done_later = kr.done is not None and kr.done > day
    if not later and not done_later:
        return kr
    return kr.model_copy(
        update={
            "check_ins": [c for c in kr.check_ins if c.date <= day],
            "done": None if done_later else kr.done,
            "grade": None if later or done_later else kr.grade,
        }
    )


class _Period:
    """One quarter's work, with what judging it on a given day needs."""

    def __init__(self, plan: Plan, index: Index, quarter: Quarter | None, bands: tuple[Band, ...] | None) -> None:
        self.plan, self.index, self.quarter = plan, index, quarter
        self.bands = list(bands or plan.settings.score_bands)
        period = quarter.id if quarter else None
        self.work = [w for _, w in plan.execution if w.period == period]

    def pace(self, day: date) -> Pace:
        settings, quarter = self.plan.settings, self.quarter
        return (
            quarter_pace(quarter, settings, day) if quarter is not None else Pace(1.0, settings.aspirational_bar, day)
        )

    def key_results(self) -> Iterator[tuple[str, Objective, KeyResult]]:
        for work in self.work:
            for objective in work.objectives:
                for kr in objective.key_results:
                    yield work.team, objective, kr

    def kpis(self) -> Iterator[tuple[str, Kpi]]:
        for work in self.work:
            for kpi in work.kpis:
                yield work.team, kpi

    def rocks(self) -> Iterator[tuple[str, Rock]]:
        for work in self.work:
            for rock in work.rocks:
                yield work.team, rock

    def top(self) -> Band:
        return max(self.bands, key=lambda b: b.min)


def week_review(
    plan: Plan,
    index: Index,
    quarter: Quarter | None,
    week: Span,
    as_of: date,
    *,
    year: Year | None = None,
    bands: tuple[Band, ...] | None = None,
) -> WeekReview:
    """The weekly review of `week`, judged at its last day or at `as_of`, whichever comes first."""
    work = _Period(plan, index, quarter, bands)
    day = min(week.end, as_of)
    pace, top, stale_days = work.pace(day), work.top(), plan.settings.stale_days
    moved: list[Moved] = []
    attention: list[Attention] = []
    silent: dict[str, list[Item]] = defaultdict(list)
    for team, objective, kr in work.key_results():
        item = Item(kind="key-result", id=kr.id, title=kr.title, team=team, owner=kr.owner)
        moved += _moved(item, kr.unit, kr.check_ins, week, day)
        then = at(kr, day)
        progress = kr_progress(then, day)
        score = kr_score(then, pace, aspirational=objective.type == "aspirational")
        if progress is not None and score is not None and (status := band(score, work.bands)) != top:
            attention.append(Attention(item=item, status=status, progress=progress, note=latest_note(then.check_ins)))
        if quarter is not None and is_stale(then, as_of=day, start=quarter.start, stale_days=stale_days):
            silent[kr.owner].append(item)
    kpis_off = []
    for team, kpi in work.kpis():
        item = Item(kind="kpi", id=kpi.id, title=kpi.title, team=team, owner=kpi.owner)
        moved += _moved(item, kpi.unit, kpi.check_ins, week, day)
        if (off := _kpi_off(item, kpi, day)) is not None:
            kpis_off.append(off)
    rocks_due = []
    for team, rock in work.rocks():
        if _ending(rock, day) == "open" and rock.due <= add_days(day, DUE_SOON_DAYS):
            item = Item(kind="rock", id=rock.id, title=rock.title, team=team, owner=rock.owner)
            rocks_due.append(RockDue(item=item, due=rock.due, status=rock.status, overdue=rock.due < day))
    listed = plan.issues.issues if plan.issues is not None else []
    raised = [i for i in listed if i.raised <= day]
    still_open = [i for i in raised if i.solved is None or i.solved > day]
    still_open.sort(key=lambda i: (_PRIORITY[i.priority], i.raised))
    moved.sort(key=lambda m: (m.item.team, m.date))  # grouped by team on the page, each oldest first
    rocks_due.sort(key=lambda r: r.due)
    silent_items = [i for items in silent.values() for i in items]
    teams = _teams_of(moved, attention, kpis_off, rocks_due, silent_items)
    return WeekReview(
        span=week,
        as_of=day,
        quarter=quarter.id if quarter else None,
        theme=_theme(quarter, year),
        moved=moved,
        attention=sorted(attention, key=lambda a: a.status.min),
        kpis_off=kpis_off,
        rocks_due=rocks_due,
        silent=[Silent(owner=o, key_results=items) for o, items in sorted(silent.items())],
        stale_days=plan.settings.stale_days,
        issues=still_open,
        solved=[i for i in raised if i.solved is not None and i.solved in week and i.solved <= day],
        teams=teams,
    )


def _teams_of(
    moved: list[Moved], attention: list[Attention], kpis: list[KpiOff], rocks: list[RockDue], silent: list[Item]
) -> list[TeamWeek]:
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for field, items in (
        ("moved", [m.item for m in moved]),
        ("attention", [a.item for a in attention]),
        ("kpis_off", [k.item for k in kpis]),
        ("rocks_due", [r.item for r in rocks]),
        ("silent", silent),
    ):
        for item in items:
            counts[item.team][field] += 1
    ranked = sorted(counts.items(), key=lambda tc: (-tc[1]["attention"], -tc[1]["kpis_off"], tc[0]))
    return [TeamWeek(team=team, **dict(c)) for team, c in ranked]


def _moved(item: Item, unit: str, check_ins: list[CheckIn], span: Span, day: date) -> list[Moved]:
    out: list[Moved] = []
    before: CheckIn | None = None
    for check_in in in_order(check_ins):
        if check_in.date > day:
            break
        if check_in.date in span:
            previous = before.value if before is not None else None
            change = _difference(check_in.value, previous)
            out.append(
                Moved(
                    item=item,
                    unit=unit,
                    date=check_in.date,
                    value=check_in.value,
                    previous=previous,
                    change=change,
                    confidence=check_in.confidence,
                    previous_confidence=before.confidence if before is not None else None,
                    note=check_in.note,
                )
            )
        if check_in.value is not None:
            before = check_in
    return out


def _difference(value: float | None, previous: float | None) -> float | None:
    """`value - previous` to twelve significant digits: 10.9 - 10.8 is 0.1, not 0.09999999999999964."""
    return None if value is None or previous is None else float(f"{value - previous:.12g}")


def _kpi_off(item: Item, kpi: Kpi, day: date) -> KpiOff | None:
    readings = [c for c in in_order(measured(kpi.check_ins)) if c.date <= day]
    if not readings or readings[-1].value is None or meets(readings[-1].value, kpi.target, kpi.direction):
        return None
    missed = 0
    for reading in reversed(readings):
        if reading.value is None or meets(reading.value, kpi.target, kpi.direction):
            break
        missed += 1
    since = readings[-missed].date
    return KpiOff(
        item=item,
        unit=kpi.unit,
        value=readings[-1].value,
        target=kpi.target,
        direction=kpi.direction,
        missed=missed,
        since=since,
    )


def month_review(
    plan: Plan,
    index: Index,
    quarter: Quarter | None,
    month: Span,
    as_of: date,
    *,
    year: Year | None = None,
    history: History | None = None,
    unserved: list[Item] | None = None,
) -> MonthReview:
    """The monthly review of `month`, judged at its last day or at `as_of`, whichever comes first.

    Trends compare the day before the month began with that day. `unserved` is the quarter's work
    that traces to nothing in the strategy (the alignment's finding, passed in).
    """
    work = _Period(plan, index, quarter, None)
    day, before = min(month.end, as_of), add_days(month.start, -1)
    trends = []
    owned: dict[str, int] = defaultdict(int)
    for w in work.work:
        for objective in w.objectives:
            item = Item(kind="objective", id=objective.id, title=objective.title, team=w.team, owner=objective.owner)
            trends.append(
                Trend(
                    item=item,
                    progress_before=_progress(objective, before, work.pace(before)),
                    progress_after=_progress(objective, day, work.pace(day)),
                    confidence_before=_confidence(objective, before),
                    confidence_after=_confidence(objective, day),
                )
            )
            for kr in objective.key_results:
                owned[kr.owner] += 1
    limit = plan.settings.max_owned_key_results
    changes, more = _changes(history, month, day) if history is not None else (None, 0)
    return MonthReview(
        span=month,
        as_of=day,
        quarter=quarter.id if quarter else None,
        theme=_theme(quarter, year),
        trends=trends,
        changes=changes,
        more_changes=more,
        unserved=unserved or [],
        overloaded=[Overloaded(owner=o, key_results=n) for o, n in sorted(owned.items()) if n > limit],
        limit=limit,
    )


def _progress(objective: Objective, day: date, pace: Pace) -> float | None:
    then = objective.model_copy(update={"key_results": [at(kr, day) for kr in objective.key_results]})
    return objective_rollup(then, pace).progress


def _confidence(objective: Objective, day: date) -> float | None:
    said = [c for kr in objective.key_results if (c := confidence(at(kr, day))) is not None]
    return sum(said) / len(said) if said else None


def _changes(history: History, month: Span, day: date) -> tuple[list[Changed], int]:
    """The month's commits that changed execution, newest first, at most `MONTH_CHANGES`; and how
    many more there were. The plan's first commit created it: it is not a change."""
    first = next((r for r in history.revisions if r.valid), None)
    out = []
    for revision in reversed(history.revisions):  # newest first
        when = revision.commit.when.date()
        if revision is first or when not in month or when > day:
            continue
        texts = [c.text for c in revision.changes if c.layer == "execution" and not c.check_in]
        if texts:
            commit = revision.commit
            out.append(
                Changed(sha=commit.short, date=when, author=commit.author, subject=commit.subject, changes=texts)
            )
    return out[:MONTH_CHANGES], max(0, len(out) - MONTH_CHANGES)


def quarter_review(
    plan: Plan, index: Index, quarter: Quarter, as_of: date, *, year: Year | None = None
) -> QuarterReview:
    """The quarter in review: each key result's grade (else its progress as measured) and how the
    rocks ended, per team and for the company, judged at the quarter's end or at `as_of`."""
    work = _Period(plan, index, quarter, None)
    day = min(quarter.end, as_of)
    teams: dict[str, TeamClose] = {}
    for w in work.work:
        graded = []
        for objective in w.objectives:
            for kr in objective.key_results:
                then = at(kr, day)
                item = Item(kind="key-result", id=kr.id, title=kr.title, team=w.team, owner=kr.owner)
                graded.append(Graded(item=item, score=kr_progress(then, day), graded=then.grade is not None))
        rocks = dict.fromkeys(("done", "late", "dropped", "missed", "open"), 0)
        for rock in w.rocks:
            rocks[_ending(rock, day)] += 1
        close = w.close
        carried = {o.id: ("objective", o.title, o.owner) for o in w.objectives}
        carried |= {r.id: ("rock", r.title, r.owner) for r in w.rocks}
        forward = [
            Item(kind=carried[i][0], id=i, title=carried[i][1], team=w.team, owner=carried[i][2])
            for i in (close.carry_forward if close else [])
            if i in carried
        ]
        learned = list(close.learned) if close else []
        teams[w.team] = TeamClose(team=w.team, key_results=graded, rocks=rocks, learned=learned, carry_forward=forward)
    company = TeamClose(
        team="",
        key_results=[g for t in teams.values() for g in t.key_results],
        rocks={s: sum(t.rocks[s] for t in teams.values()) for s in ("done", "late", "dropped", "missed", "open")},
    )
    return QuarterReview(
        span=Span(quarter.id, quarter.start, quarter.end),
        as_of=day,
        quarter=quarter.id,
        name=quarter.name or quarter.id,
        theme=_theme(quarter, year),
        teams=list(teams.values()),
        company=company,
        rock_target=plan.settings.rock_target,
    )


def _ending(rock: Rock, day: date) -> str:
    """How the rock stood at the end of `day`: done, late, dropped, missed, or still open."""
    if rock.done is not None and rock.done <= day:
        return "late" if rock.done > rock.due else "done"
    if rock.done is None and rock.status in ("done", "dropped", "missed"):
        return rock.status
    return "open"


def _theme(quarter: Quarter | None, year: Year | None) -> str:
    """The quarter's main thing, else the year's theme."""
    return (quarter.theme if quarter is not None else "") or (year.theme if year is not None else "")


def weeks_of(quarter: Quarter, as_of: date) -> list[Span]:
    """The weeks of `quarter` up to the one holding `as_of`, newest first."""
    weeks, day = [], min(as_of, quarter.end)
    while day >= quarter.start or week_of(day).end >= quarter.start:
        week = week_of(day)
        weeks.append(week)
        day = add_days(week.start, -1)
        if week.start <= quarter.start:
            break
    return weeks


def months_of(quarter: Quarter, as_of: date) -> list[Span]:
    """The months of `quarter` up to the one holding `as_of`, newest first."""
    months, day = [], min(as_of, quarter.end)
    while day >= quarter.start:
        month = month_of(day)
        months.append(month)
        day = add_days(month.start, -1)
    return months
