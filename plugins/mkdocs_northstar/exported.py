"""The shape of the export (`plan.json`): each plan model with what is derived from it.

A view model inherits every field of the plan model it shows, so a field added to the plan is
exported, documented and in the export's schema without a line here. What a view adds is what
the plan does not say but implies: progress, scores, bands, lineage, roll-ups. Its docstrings
are the schema's descriptions (`mkdocs_northstar.schema.export_schema`).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Final, Literal

from pydantic import Field

from mkdocs_northstar.model import (
    Decision,
    Goal,
    Input,
    Issue,
    KeyResult,
    Kpi,
    Model,
    Number,
    Objective,
    Person,
    Rock,
    Score,
    Strategy,
    Team,
    TeamPeriod,
    Year,
)

FORMAT: Final = "northstar-plan"
FORMAT_VERSION: Final = 1

Progress = Annotated[Number, Field(ge=0, le=1)] | None
BandId = str | None
Ids = list[str]


class GoalExport(Goal):
    """An annual goal: what the company must achieve this year to move along its strategy."""

    strategic_roots: Ids
    """Ids of every strategic item the goal ultimately serves, sorted."""


class YearExport(Year):
    """A planning year with its theme, annual goals and quarters (sorted by start date, then id)."""

    goals: list[GoalExport]  # type: ignore[assignment]  # frozen: a list of views reads as a list of items
    """Annual goals, in the author's order."""


class KeyResultExport(KeyResult):
    """A measurable outcome with exactly one owner. Progress is derived, never typed in."""

    current: Number | None
    """The latest known value: the newest check-in's, else the value typed as current; null if none is known yet."""
    confidence: Score | None
    """0 to 1: the newest check-in's confidence, else the key result's own; null if neither is given."""
    progress: Progress
    """Progress from baseline to target, clamped to 0..1 and rounded to 4 places, as roll-ups count it;
    null with no value yet (no data is not 0). Without a value of its own, rolled up from `rolled_up_from`."""
    achieved: Number | None
    """The same measure not clamped: above 1 when the target is beaten (1.05 is 105%), below 0 when
    the value went the wrong way past the baseline; null with no value yet."""
    score: Progress
    """What the band is judged on, 0..1: progress against the share of the target expected by the
    as-of date (`expected` of its work), with the owner's latest confidence; null without progress
    or before the quarter starts."""
    band: BandId
    """The id of the score band the score falls in ('not-started' before the quarter starts); null with no value yet."""
    rolled_up_from: Ids
    """Without a value of its own: the ids of the work (this period) whose progress it shows, which
    name it in `supports`; empty when the progress is its own."""
    last_check_in: date | None
    """The date of the newest check-in; null without check-ins."""


class ObjectiveExport(Objective):
    """A qualitative goal for the period, traced up to the strategy through `supports`."""

    owner: str
    """The id of the one person accountable: the one named, else the team's lead."""
    key_results: list[KeyResultExport]  # type: ignore[assignment]  # frozen: a list of views reads as a list of items
    """The objective's key results, in the author's order."""
    progress: Progress
    """The weighted mean of the progress of its key results that have a value, rounded to 4 places
    (or, with none, rolled up from `rolled_up_from`); null when there is nothing to measure."""
    score: Progress
    """The weighted mean of its key results' scores, 0..1; null without progress or before the quarter starts."""
    band: BandId
    """The id of the score band the score falls in ('not-started' before the quarter starts);
    null when progress is null."""
    reported: int
    """How many of its key results have a value: the progress is made of these alone."""
    key_results_total: int
    """How many key results it has; more than `reported` means the progress is partial."""
    rolled_up_from: Ids
    """Without a value of its own: the ids of the objectives (this period) whose progress it shows,
    which name it in `supports`; empty when the progress is its own."""
    lineage: Ids
    """The line of support from the strategy down to this objective (ids, top first): the first
    listed `supports` that reaches the strategy wins; empty when none does."""
    strategic_roots: Ids
    """Ids of every strategic item this objective ultimately serves, sorted."""


class RockExport(Rock):
    """A quarterly priority: a must-do with one owner and a due date."""

    lineage: Ids
    """The line of support from the strategy down to this rock (ids, top first)."""
    strategic_roots: Ids
    """Ids of every strategic item this rock ultimately serves, sorted."""


class KpiExport(Kpi):
    """A health metric the team watches every week."""

    current: Number | None
    """The latest known value: the newest check-in's, else the value typed as current; null if none is known."""
    on_target: bool | None
    """Whether the current value meets the target in the KPI's direction; null when no value is known."""
    last_check_in: date | None
    """The date of the newest check-in; null without check-ins."""


class TeamPeriodExport(TeamPeriod):
    """One team's work for one period: the contents of one execution file, measured."""

    objectives: list[ObjectiveExport]  # type: ignore[assignment]  # frozen: a list of views reads as a list of items
    """The team's objectives, in the author's order."""
    rocks: list[RockExport]  # type: ignore[assignment]  # frozen: a list of views reads as a list of items
    """The team's rocks, in the author's order."""
    kpis: list[KpiExport]  # type: ignore[assignment]  # frozen: a list of views reads as a list of items
    """The team's KPIs, in the author's order."""
    file: str
    """The execution file, relative to the plan folder, with forward slashes."""
    progress: Progress
    """The mean of its objectives' progress weighted by objective weight, over the objectives with
    any key result reported, rounded to 4 places; null when no key result has a value."""
    expected: Progress
    """The share of the targets expected by the as-of date (northstar.yml's `pace`): 1 from the
    quarter's end on, null before it starts."""
    score: Progress
    """The weighted mean of its objectives' scores, 0..1; null without progress or before the quarter starts."""
    band: BandId
    """The id of the score band the team's score falls in ('not-started' before the quarter starts);
    null when progress is null."""
    reported: int
    """How many of its key results have a value: the progress is made of these alone."""
    key_results_total: int
    """How many key results it has; more than `reported` means the progress is partial."""


class PlanExport(Model):
    """The whole resolved plan of one company as plain data, with progress derived from baselines,
    targets and check-ins. Dates are ISO 8601 strings (YYYY-MM-DD). Whole numbers are written as
    integers. Lists the plan's authors order (goals, objectives, key results, strategic
    choices...) keep that order; years, quarters, people, teams and work are sorted. The same plan
    always exports to the same text."""

    format: Literal["northstar-plan"]
    """Names the kind of document: always 'northstar-plan'."""
    format_version: Literal[1]
    """The version of this format: 1. Readers should refuse versions they do not know."""
    company: str
    """The company's name."""
    as_of: date
    """The date the plan was judged at: progress, staleness and the current period are as of this day."""
    period: str | None
    """The id of the current quarter (the one containing as_of, unless another was asked for);
    null if the as-of date is in no quarter."""
    version: str | None
    """A label for the plan's revision, such as a commit id; null if none was given."""
    strategy: Strategy
    """The leader's direction: purpose, values, north star, targets, strategic choices and trade-offs."""
    years: list[YearExport]
    """Planning years, sorted by start date, then id."""
    people: list[Person]
    """Everyone who owns something in the plan, sorted by id."""
    teams: list[Team]
    """Every team, sorted by id. Teams form a tree through 'parent'."""
    work: list[TeamPeriodExport]
    """One entry per team and period (one execution file), sorted by period, then team."""
    issues: list[Issue]
    """The issues list (issues.yml), open and solved, sorted by the day raised, then id."""
    decisions: list[Decision]
    """The strategy's decision records (decisions/), sorted by date, then id."""
    inputs: list[Input]
    """Advisors' inputs on the strategy (inputs/), sorted by date, then id."""
