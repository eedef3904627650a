"""View models: the plan, resolved and measured, in the shape templates want.

Everything a template shows is computed here (progress, bands, lineage, links), so templates stay
markup only, and users who override a template get the same data.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from mkdocs_northstar.cascade import Cascade
from mkdocs_northstar.dates import add_months
from mkdocs_northstar.index import Entry, Index, Key
from mkdocs_northstar.model import (
    FINISHED,
    Band,
    CheckIn,
    Choice,
    Goal,
    KeyResult,
    Kpi,
    NorthStar,
    Objective,
    Person,
    Plan,
    Quarter,
    Rock,
    TalentNeed,
    Target,
    Team,
    Year,
)
from mkdocs_northstar.pages.urls import Urls
from mkdocs_northstar.progress import (
    Pace,
    Rollup,
    Scorecard,
    band,
    confidence,
    current_value,
    history,
    is_stale,
    kpi_on_target,
    kpi_value,
    kr_achieved,
    last_check_in,
    latest_note,
    quarter_pace,
    scorecard,
    trend,
)


@dataclass(frozen=True)
class Link:
    """Something to show as a link: its title, kind and target (page source path and anchor)."""

    title: str
    kind: str
    page: str
    anchor: str = ""
    id: str = ""


@dataclass(frozen=True)
class Measure:
    """Progress as the pages show it. A missing measure (None) means no data yet, never 0%."""

    progress: float
    """0..1, the share of the target reached (what roll-ups count)."""
    band: Band
    """The status, judged on `score`: progress against the pace, with the owner's confidence."""
    achieved: float | None = None
    """A key result's progress as measured, beyond 0..1 when the value is past the target or
    behind the baseline; None for roll-ups, which count at most 100%."""
    reported: int = 1
    """How many key results the figure is made of."""
    total: int = 1
    """How many key results there are: when more than `reported`, the figure is partial."""

    @property
    def percent(self) -> int:
        """What the page prints: the measured value for a key result (105% when beaten)."""
        return round((self.progress if self.achieved is None else self.achieved) * 100)

    @property
    def width(self) -> int:
        """The bar's filled share, 0..100."""
        return round(self.progress * 100)

    expected: float | None = None
    """The share of the target expected by the as-of date (a mark on the bar); None when the
    whole target is expected, or before the period starts."""
    rolled_from: tuple[Link, ...] = ()
    """The work this figure was rolled up from (see `mkdocs_northstar.cascade`); empty when it is its own."""

    @property
    def partial(self) -> bool:
        return self.reported < self.total

    @property
    def expected_percent(self) -> int | None:
        return None if self.expected is None or not 0 < self.expected < 1 else round(self.expected * 100)


@dataclass(frozen=True)
class KeyResultView:
    kr: KeyResult
    owner: Link | None
    current: float | None
    measure: Measure | None
    """None when the key result has no value yet."""
    confidence: float | None
    last_check_in: date | None
    history: list[CheckIn] = field(default_factory=list)
    """Every check-in, oldest first."""
    note: CheckIn | None = None
    """The newest check-in with a note."""
    trend: str | None = None
    """SVG polyline points of the check-ins (see `progress.trend`); None with fewer than two."""
    stale: bool = False
    link: Link | None = None
    """Its row on its team's page."""
    """No check-in for `stale_days` by the as-of date (NS311, a notice)."""


@dataclass(frozen=True)
class ObjectiveView:
    objective: Objective
    team: Link
    owner: Link | None
    measure: Measure | None
    lineage: list[Link]
    """From the strategy down to the item this objective supports directly (top first)."""
    key_results: list[KeyResultView]
    link: Link
    contributions: list[ObjectiveView] = field(default_factory=list)
    """Objectives of sub-teams that support this one (the cascade, downwards)."""


@dataclass(frozen=True)
class RockView:
    rock: Rock
    owner: Link | None
    lineage: list[Link]
    link: Link
    overdue: bool = False
    """Past its due date by the as-of date, and not done, missed or dropped."""

    @property
    def late(self) -> bool:
        """Done, after its due date."""
        return self.rock.done is not None and self.rock.done > self.rock.due


@dataclass(frozen=True)
class KpiView:
    kpi: Kpi
    owner: Link | None
    value: float | None
    on_target: bool | None
    scorecard: Scorecard | None = None
    """The last 13 check-ins against the target; None without check-ins."""
    note: CheckIn | None = None
    """The newest check-in with a note."""


@dataclass(frozen=True)
class TeamView:
    team: Team
    link: Link
    lead: Link | None
    parent: Link | None
    children: list[TeamView]
    objectives: list[ObjectiveView]
    rocks: list[RockView]
    kpis: list[KpiView]
    measure: Measure | None
    has_work: bool


@dataclass(frozen=True)
class Accountability:
    person: Person
    link: Link
    leads: list[Link]
    objectives: list[ObjectiveView]
    key_results: list[tuple[KeyResultView, ObjectiveView]]
    rocks: list[RockView]
    kpis: list[tuple[KpiView, Link]]

    review_due: bool = False
    """The person owns the strategy, and its yearly review is due (NS309)."""

    @property
    def count(self) -> int:
        return len(self.objectives) + len(self.key_results) + len(self.rocks) + len(self.kpis)

    @property
    def stale(self) -> list[tuple[KeyResultView, ObjectiveView]]:
        """Their key results nobody has checked in on for too long."""
        return [(k, o) for k, o in self.key_results if k.stale]

    @property
    def overdue(self) -> list[RockView]:
        return [r for r in self.rocks if r.overdue]


@dataclass(frozen=True)
class ChoiceView:
    """A strategic item and the work that serves it this period."""

    link: Link
    section: str
    goals: list[Link]
    objectives: list[ObjectiveView]
    rocks: list[RockView]

    @property
    def orphan(self) -> bool:
        return not self.objectives and not self.rocks


_STRATEGY_KINDS = frozenset({"north-star", "value", "target", "choice", "trade-off", "talent"})
"""What the strategy page shows."""


@dataclass
class Views:
    """Every view of the plan for one period, built once and shared by all pages."""

    plan: Plan
    index: Index
    urls: Urls
    year: Year | None
    quarter: Quarter | None
    bands: list[Band]
    pages: frozenset[str] = frozenset({"strategy", "teams", "people"})
    """The kinds of page that exist: links to any other are shown as plain text."""
    pace: Pace = field(default_factory=Pace)
    """What is expected of this period's work by the as-of date."""
    not_started: Band = field(default_factory=lambda: Band(id="not-started", label="Not started", min=0))
    """The status of work whose period has not begun."""
    cascade: Cascade = field(init=False)
    """Progress rolled up through the cascade, for this period's objectives and key results."""
    teams: dict[str, TeamView] = field(default_factory=dict)
    roots: list[TeamView] = field(default_factory=list)
    people: dict[str, Accountability] = field(default_factory=dict)
    choices: list[ChoiceView] = field(default_factory=list)
    goals: list[tuple[Goal, Link, Link | None]] = field(default_factory=list)
    untraced: list[ObjectiveView | RockView] = field(default_factory=list)

    home: tuple[Urls, frozenset[str]] | None = None
    """A draft of next quarter: the current site's URLs and pages, for the strategy and people it
    shows too (and does not copy)."""

    def link_of(self, entry: Entry) -> Link:
        """Where an indexed item is shown; a link with no page when that kind of page is not generated."""
        urls, pages, ident, title, kind = self.urls, self.pages, entry.id, entry.title, entry.kind
        shared = kind in _STRATEGY_KINDS or kind == "person" or (kind == "goal" and not self._this_years(ident))
        if shared and self.home is not None:
            urls, pages = self.home
        if kind in _STRATEGY_KINDS:
            page_kind, link = "strategy", Link(title, kind, urls.path("strategy"), ident, ident)
        elif kind == "goal":
            page_kind, link = "teams", Link(title, kind, urls.path("teams", "index"), ident, ident)
        elif kind == "person":
            page_kind, link = "people", Link(title, kind, urls.path("people", ident), "", ident)
        elif kind == "team":
            page_kind, link = "teams", Link(title, kind, urls.path("teams", ident), "", ident)
        else:  # execution items are shown on their team's page
            page_kind, link = "teams", Link(title, kind, urls.path("teams", entry.team or ""), ident, ident)
        return link if page_kind in pages else Link(title, kind, "", "", ident)

    def _this_years(self, goal: str) -> bool:
        return self.year is not None and any(g.id == goal for g in self.year.goals)

    def person(self, ident: str | None) -> Link | None:
        entry = self.index.get(None, ident) if ident else None
        return self.link_of(entry) if entry is not None and entry.kind == "person" else None

    def lineage(self, key: Key) -> list[Link]:
        return [self.link_of(e) for e in self.index.chain(key)]


def build_views(
    plan: Plan,
    index: Index,
    urls: Urls,
    year: Year | None,
    quarter: Quarter | None,
    *,
    bands: Sequence[Band] | None = None,
    pages: Iterable[str] = ("strategy", "teams", "people"),
    as_of: date | None = None,
    not_started: str = "Not started",
    home: tuple[Urls, frozenset[str]] | None = None,
) -> Views:
    """Resolve the plan for `quarter` into views (with `bands` instead of the plan's own, if given).

    Links point only to the kinds of page in `pages`. Work is judged against the pace expected
    by `as_of` (without it, against the whole target); `not_started` names the status of work
    whose quarter has not begun.
    """
    settings = plan.settings
    pace = (
        quarter_pace(quarter, settings, as_of)
        if quarter is not None and as_of is not None
        else Pace(1.0, settings.aspirational_bar, as_of)
    )
    views = Views(
        plan,
        index,
        urls,
        year,
        quarter,
        list(bands or settings.score_bands),
        frozenset(pages),
        pace,
        Band(id="not-started", label=not_started, min=0),
        home=home,
    )
    views.cascade = Cascade(index, {quarter.id if quarter else None: views.pace})
    period = quarter.id if quarter else None
    objective_views: dict[Key, ObjectiveView] = {}
    team_work: dict[str, tuple[list[ObjectiveView], list[RockView], list[KpiView]]] = {}
    for _, work in plan.execution:
        if work.period != period:
            continue
        objectives = [_objective(views, work.team, o) for o in work.objectives]
        for view in objectives:
            objective_views[(period, view.objective.id)] = view
        rocks = [_rock(views, work.team, r) for r in work.rocks]
        kpis = [_kpi(views, k) for k in work.kpis]
        team_work[work.team] = (objectives, rocks, kpis)
    _cascade(views, objective_views)
    if plan.teams is not None:
        _teams(views, plan.teams.teams, team_work)
    _people(views)
    _alignment(views, objective_views, team_work)
    return views


def _status(views: Views, score: float | None) -> Band:
    return views.not_started if score is None else band(score, views.bands)


def _measure(views: Views, rollup: Rollup, rolled_from: tuple[Key, ...] = ()) -> Measure | None:
    """A roll-up's measure; None when none of its key results has a value."""
    if rollup.progress is None:
        return None
    status = _status(views, rollup.score)
    sources = tuple(views.link_of(views.index.entries[key]) for key in rolled_from)
    return Measure(rollup.progress, status, None, rollup.reported, rollup.total, views.pace.expected, sources)


def _kr_measure(views: Views, kr: KeyResult, objective: Objective) -> Measure | None:
    period = views.quarter.id if views.quarter else None
    cascaded = views.cascade.key_result((period, kr.id), kr, aspirational=objective.type == "aspirational")
    if cascaded.rolled_from:
        return _measure(views, replace(cascaded.rollup, reported=1, total=1), cascaded.rolled_from)
    progress, score = cascaded.rollup.progress, cascaded.rollup.score
    if progress is None:
        return None
    paced = kr.kind == "number" and kr.grade is None  # the others are not judged against the calendar
    achieved = kr_achieved(kr, views.pace.as_of)
    return Measure(progress, _status(views, score), achieved, expected=views.pace.expected if paced else None)


def _objective(views: Views, team: str, objective: Objective) -> ObjectiveView:
    period = views.quarter.id if views.quarter else None
    entry = views.index.entries.get((period, objective.id))
    team_entry = views.index.get(None, team)
    team_link = views.link_of(team_entry) if team_entry else Link(team, "team", "")
    link = views.link_of(entry) if entry else Link(objective.title, "objective", team_link.page, objective.id)
    krs = [
        KeyResultView(
            kr,
            views.person(kr.owner),
            current_value(kr),
            _kr_measure(views, kr, objective),
            confidence(kr),
            last_check_in(kr),
            history(kr.check_ins),
            latest_note(kr.check_ins),
            trend(kr),
            _stale(views, kr),
            Link(kr.title, "key-result", link.page, kr.id, kr.id),
        )
        for kr in objective.key_results
    ]
    owner = views.person(objective.owner) or (
        views.person(team_entry.item.lead) if team_entry is not None and team_entry.kind == "team" else None
    )
    return ObjectiveView(
        objective,
        team_link,
        owner,
        _objective_measure(views, period, objective),
        views.lineage((period, objective.id)),
        krs,
        link,
    )


def _stale(views: Views, kr: KeyResult) -> bool:
    as_of, quarter = views.pace.as_of, views.quarter
    if as_of is None or quarter is None:
        return False
    return is_stale(kr, as_of=as_of, start=quarter.start, stale_days=views.plan.settings.stale_days)


def _objective_measure(views: Views, period: str | None, objective: Objective) -> Measure | None:
    cascaded = views.cascade.objective((period, objective.id), objective)
    return _measure(views, cascaded.rollup, cascaded.rolled_from)


def _rock(views: Views, team: str, rock: Rock) -> RockView:
    period = views.quarter.id if views.quarter else None
    entry = views.index.entries.get((period, rock.id))
    link = views.link_of(entry) if entry else Link(rock.title, "rock", views.urls.path("teams", team), rock.id)
    as_of = views.pace.as_of
    finished = rock.done is not None or rock.status in FINISHED
    overdue = as_of is not None and rock.due < as_of and not finished
    return RockView(rock, views.person(rock.owner), views.lineage((period, rock.id)), link, overdue)


def _kpi(views: Views, kpi: Kpi) -> KpiView:
    note = latest_note(kpi.check_ins)
    return KpiView(kpi, views.person(kpi.owner), kpi_value(kpi), kpi_on_target(kpi), scorecard(kpi), note)


def _cascade(views: Views, objective_views: dict[Key, ObjectiveView]) -> None:
    """Attach each objective to the objectives it supports directly."""
    for key, view in objective_views.items():
        for target in views.index.resolve_supports(key):
            parent = objective_views.get(target.key)
            if target.kind == "objective" and parent is not None and parent is not view:
                parent.contributions.append(view)


def _teams(
    views: Views,
    teams: list[Team],
    team_work: dict[str, tuple[list[ObjectiveView], list[RockView], list[KpiView]]],
) -> None:
    children: dict[str | None, list[Team]] = defaultdict(list)
    known = {t.id for t in teams}
    for team in teams:
        children[team.parent if team.parent in known else None].append(team)

    views.roots = [_team_view(views, team, frozenset({team.id}), children, team_work) for team in children[None]]


def _team_view(
    views: Views,
    team: Team,
    seen: frozenset[str],
    children: dict[str | None, list[Team]],
    team_work: dict[str, tuple[list[ObjectiveView], list[RockView], list[KpiView]]],
) -> TeamView:
    """The view of `team` and its subteams."""
    objectives, rocks, kpis = team_work.get(team.id, ([], [], []))
    period = views.quarter.id if views.quarter else None
    mine = [o.objective for o in objectives]
    mean = views.cascade.team(period, mine)
    parent_entry = views.index.get(None, team.parent) if team.parent else None
    link = Link(team.name, "team", views.urls.path("teams", team.id) if "teams" in views.pages else "", "", team.id)
    lead = views.person(team.lead)
    parent = views.link_of(parent_entry) if parent_entry is not None else None
    view = TeamView(
        team,
        link,
        lead,
        parent,
        [
            _team_view(views, child, seen | {child.id}, children, team_work)
            for child in children[team.id]
            if child.id not in seen
        ],
        objectives,
        rocks,
        kpis,
        _measure(views, mean),
        team.id in team_work,
    )
    views.teams[team.id] = view
    return view


def _people(views: Views) -> None:
    if views.plan.people is None:
        return
    for person in views.plan.people.people:
        views.people[person.id] = Accountability(
            person,
            Link(
                person.name,
                "person",
                views.urls.path("people", person.id) if "people" in views.pages else "",
                "",
                person.id,
            ),
            [],
            [],
            [],
            [],
            [],
        )
    strategy, as_of = views.plan.strategy, views.pace.as_of
    if strategy is not None and as_of is not None and (owner := views.people.get(strategy.owner)) is not None:
        due = as_of > add_months(strategy.reviewed, views.plan.settings.review_months)
        views.people[strategy.owner] = replace(owner, review_due=due)
    for team in views.teams.values():
        if (owner := views.people.get(team.team.lead)) is not None:
            owner.leads.append(team.link)
        for objective in team.objectives:
            if objective.owner and (who := views.people.get(objective.owner.id)):
                who.objectives.append(objective)
            for kr in objective.key_results:
                if (who := views.people.get(kr.kr.owner)) is not None:
                    who.key_results.append((kr, objective))
        for rock in team.rocks:
            if (who := views.people.get(rock.rock.owner)) is not None:
                who.rocks.append(rock)
        for kpi in team.kpis:
            if (who := views.people.get(kpi.kpi.owner)) is not None:
                who.kpis.append((kpi, team.link))


def _alignment(
    views: Views,
    objective_views: dict[Key, ObjectiveView],
    team_work: dict[str, tuple[list[ObjectiveView], list[RockView], list[KpiView]]],
) -> None:
    strategy, index = views.plan.strategy, views.index
    if views.year is not None:
        for goal in views.year.goals:
            entry = index.get(None, goal.id)
            if entry is not None:
                views.goals.append((goal, views.link_of(entry), views.person(goal.owner)))
    if strategy is None:
        return
    period = views.quarter.id if views.quarter else None
    rocks = [r for _, rs, _ in team_work.values() for r in rs]
    roots = {key: index.strategic_roots(key) for key in index.supports if key[0] == period}
    goal_roots = {g.id: index.strategic_roots((None, g.id)) for g, _, _ in views.goals}
    sections: list[tuple[str, Sequence[NorthStar | Choice | Target | TalentNeed]]] = [
        ("north_star", [strategy.north_star] if strategy.north_star is not None else []),
        ("where_to_play", strategy.where_to_play),
        ("how_to_win", strategy.how_to_win),
        ("targets", strategy.targets),
        ("talent", strategy.talent),
    ]
    for section, items in sections:
        for item in items:
            entry = index.get(None, item.id)
            if entry is None:
                continue
            choice = ChoiceView(
                views.link_of(entry),
                section,
                [link for g, link, _ in views.goals if item.id in goal_roots[g.id]],
                [o for k, o in objective_views.items() if item.id in roots.get(k, set())],
                [r for r in rocks if item.id in roots.get((period, r.rock.id), set())],
            )
            if section != "north_star" or not choice.orphan:  # work rarely names the north star itself
                views.choices.append(choice)
    views.untraced = [o for k, o in objective_views.items() if not roots.get(k)]
    views.untraced += [r for r in rocks if not roots.get((period, r.rock.id))]
