"""The typed plan: one frozen model per plan file, and the assembled `Plan`.

Strategy (direction, leader-owned) and execution (motion, team-owned) live in separate files and
separate models, so nothing can blur them by accident. Descriptions become the JSON Schema that
editors use for completion and hover help.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
"""Ids become URL path segments: lower-case letters and digits joined by single hyphens."""


def slugify(text: str) -> str:
    """The nearest safe slug to `text` (used to suggest a fix for a bad id)."""
    plain = unicodedata.normalize("NFKD", text).lower()  # full-width forms, accents apart from letters
    return "-".join(re.findall(r"[a-z0-9]+", plain)) or "item"


RESERVED_IDS = frozenset(
    {"index", "con", "prn", "aux", "nul"} | {f"{d}{n}" for d in ("com", "lpt") for n in range(1, 10)}
)
"""Ids that cannot name a page: `index` is each folder's own page, the rest are devices on Windows."""


def _check_slug(value: str) -> str:
    if not SLUG.fullmatch(value) or len(value) > 64:
        suggestion = slugify(value)[:64].strip("-")
        if suggestion in RESERVED_IDS:
            suggestion += "-1"
        raise PydanticCustomError(
            "NS207",
            f"id {value!r} is not a safe slug: ids become URLs, so use lower-case letters, digits and "
            f"single hyphens, at most 64 characters (try {suggestion!r})",
        )
    if value in RESERVED_IDS:
        why = "each folder's index page" if value == "index" else "a device name on Windows"
        raise PydanticCustomError(
            "NS207", f"id {value!r} is reserved: its page would be {why}; pick another (try '{value}-1')"
        )
    return value


def _one_owner(value: Any) -> Any:
    if isinstance(value, list):
        raise PydanticCustomError(
            "one_owner",
            "names {count} owners; exactly one person owns it",
            {"count": len(value)},
        )
    return value


def _one_decider(value: Any) -> Any:
    if isinstance(value, list):
        raise PydanticCustomError(
            "NS205",
            "decided_by names {count} people; a strategy decision has one decider, the strategy's owner: "
            "direction decided by a group is crowdsourced, not led (record the others' views as inputs, in inputs/)",
            {"count": len(value)},
        )
    return value


def _off(value: Any) -> Any:
    return "off" if value is False else value  # YAML 1.1 reads an unquoted `off` as false


def _as_written(value: Any) -> Any:
    """A number in a text field is kept exactly as the author wrote it."""
    return getattr(value, "written", value)


Str = Annotated[str, BeforeValidator(_as_written)]
"""Plain text."""

Id = Annotated[
    str,
    BeforeValidator(_as_written),
    AfterValidator(_check_slug),
    Field(
        description="A stable id: lower-case letters, digits and hyphens (it becomes a URL).",
        json_schema_extra={"pattern": f"^{SLUG.pattern}$", "maxLength": 64},
    ),
]
Ref = Annotated[str, BeforeValidator(_as_written)]
"""The id of something declared elsewhere in the plan."""
Owner = Annotated[str, BeforeValidator(_as_written), BeforeValidator(_one_owner)]
"""The id of the one person accountable."""
Text = Annotated[str, BeforeValidator(_as_written)]
"""Markdown text."""


def _whole(value: float) -> int | float:
    return int(value) if isinstance(value, float) and value.is_integer() else value


Number = Annotated[float, PlainSerializer(_whole, return_type=int | float, when_used="json")]
"""A number; in JSON (plan.json) a whole one is written as an integer (40.0 -> 40)."""
Score = Annotated[Number, Field(ge=0, le=1)]


DiffShow = Literal["value", "ref", "prose", "members", "key", "items"]


@dataclass(frozen=True)
class Diff:
    """How the change log words a change to a field (`history.diff` reads it from the model).

    `show` is "value" (quoted before and after), "ref" (bare ids), "prose" (just "changed"),
    "members" (who was added or removed), "key" (what items are matched by, never a change of
    its own) or "items" (a list of items compared one by one, or a part compared on its own).
    `label` replaces the field's name in the text ("" for none); a `check_in` change is a
    progress update rather than a change of the plan.
    """

    show: DiffShow = "value"
    label: str | None = None
    check_in: bool = False


SHOWN, REF, PROSE, KEY, ITEMS = Diff(), Diff("ref"), Diff("prose"), Diff("key"), Diff("items")


class Model(BaseModel):
    """Base for every plan model: frozen, strict about keys, no NaN or infinity.

    Every field carries a `Diff` saying how the change log shows it (a test keeps it so).
    """

    diff_title: ClassVar[str | None] = "title"
    """The field the change log shows after the dash when an item is added or removed."""
    diff_gone: ClassVar[str] = "dropped"
    """The change log's word for a removed item."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        allow_inf_nan=False,
        coerce_numbers_to_str=True,
        use_attribute_docstrings=True,
    )


# --- strategy: direction -------------------------------------------------------------------------


class Value(Model):
    """A core value: how we behave, whatever the plan."""

    id: Annotated[Id, KEY]
    title: Annotated[Str, SHOWN]
    """The value's short name."""
    short: Annotated[Str, SHOWN] = ""
    """A shorter title for the one-page plan, where space is tight (the title is used without it)."""
    description: Annotated[Text, PROSE] = ""
    """What the value means in practice (Markdown)."""


class NorthStar(Model):
    """The long-horizon aim (BHAG): 10-25 years, bold, measurable."""

    id: Annotated[Id, REF] = "north-star"
    statement: Annotated[Text, Diff("prose", label="")]
    """The aim itself (Markdown)."""
    short: Annotated[Str, SHOWN] = ""
    """A shorter statement for the one-page plan (plain text)."""
    by: Annotated[int | None, Diff(label="year")] = Field(default=None, ge=1900, le=2200)
    """The year by which it is reached."""


class Target(Model):
    """A 3-5-year target: where the company will be, in numbers."""

    id: Annotated[Id, KEY]
    title: Annotated[Str, SHOWN]
    """The target, in one line."""
    short: Annotated[Str, SHOWN] = ""
    """A shorter title for the one-page plan, where space is tight (the title is used without it)."""
    by: Annotated[int, SHOWN] = Field(ge=1900, le=2200)
    """The year by which it is reached."""
    description: Annotated[Text, PROSE] = ""
    """Context for the target (Markdown)."""


class Choice(Model):
    """A strategic choice: where we play or how we win."""

    id: Annotated[Id, KEY]
    title: Annotated[Str, SHOWN]
    """The choice, in one line."""
    short: Annotated[Str, SHOWN] = ""
    """A shorter title for the one-page plan, where space is tight (the title is used without it)."""
    description: Annotated[Text, PROSE] = ""
    """What the choice commits the company to (Markdown)."""


class TradeOff(Model):
    """Something we have decided NOT to do, and why."""

    id: Annotated[Id, KEY]
    title: Annotated[Str, SHOWN]
    """What the company will not do, in one line."""
    short: Annotated[Str, SHOWN] = ""
    """A shorter title for the one-page plan, where space is tight (the title is used without it)."""
    why: Annotated[Text, PROSE]
    """The reason: what we gain by saying no."""


class TalentNeed(Model):
    """A capability or role the strategy needs from people."""

    id: Annotated[Id, KEY]
    title: Annotated[Str, SHOWN]
    """The capability or role, in one line."""
    short: Annotated[Str, SHOWN] = ""
    """A shorter title for the one-page plan, where space is tight (the title is used without it)."""
    why: Annotated[Text, PROSE] = ""
    """Why the strategy needs it (Markdown)."""


class Strategy(Model):
    """`strategy.yml`: the leader's direction. Long horizon, explicit trade-offs, no dated tasks."""

    owner: Annotated[Owner, REF]
    """The one leader who owns the strategy (a person id)."""
    reviewed: Annotated[date, Diff(check_in=True)]
    """When the owner last reviewed the whole strategy. Moving it alone reaffirms the strategy: the
    change log and `northstar diff` say so, and it is not a change of direction."""
    purpose: Annotated[Text, PROSE]
    """Why we exist, beyond making money."""
    values: Annotated[list[Value], ITEMS] = []
    """Core values: how the company behaves, whatever the plan."""
    north_star: Annotated[NorthStar | None, ITEMS] = None
    """The long-horizon aim (BHAG), if the strategy has one."""
    targets: Annotated[list[Target], ITEMS] = []
    """3-5-year targets."""
    where_to_play: Annotated[list[Choice], ITEMS] = []
    """Segments, geographies and offers we choose to compete in."""
    how_to_win: Annotated[list[Choice], ITEMS] = []
    """Why customers choose us there, over everyone else."""
    not_doing: Annotated[list[TradeOff], ITEMS] = []
    """The trade-offs: what we will not do, each with its why."""
    talent: Annotated[list[TalentNeed], ITEMS] = []
    """Capabilities or roles the strategy needs from people."""
    strengths: Annotated[list[Text], ITEMS] = []
    """The company's strengths (Markdown)."""
    weaknesses: Annotated[list[Text], ITEMS] = []
    """The company's weaknesses (Markdown)."""
    trends: Annotated[list[Text], ITEMS] = []
    """Market and technology trends we must respond to."""


# --- the company calendar and annual plan --------------------------------------------------------


class Goal(Model):
    """An annual goal: what the company must achieve this year to move along its strategy."""

    id: Annotated[Id, KEY]
    title: Annotated[Str, SHOWN]
    """The goal, in one line."""
    short: Annotated[Str, SHOWN] = ""
    """A shorter title for the one-page plan, where space is tight (the title is used without it)."""
    description: Annotated[Text, PROSE] = ""
    """Context for the goal (Markdown)."""
    owner: Annotated[Owner | None, REF] = None
    """The one person accountable for the goal."""
    measure: Annotated[Str, SHOWN] = ""
    """How we will know, e.g. '$48M revenue'."""
    supports: Annotated[list[Ref], REF] = []
    """Ids of the strategic choices or targets this goal moves forward."""


class Quarter(Model):
    """A planning period inside a year."""

    diff_title = None
    diff_gone = "removed"

    id: Annotated[Id, KEY]
    name: Annotated[Str, SHOWN] = ""
    """The quarter's display name, e.g. 'Q1 2027'."""
    start: Annotated[date, SHOWN]
    """The first day of the quarter."""
    end: Annotated[date, SHOWN]
    """The last day of the quarter."""
    theme: Annotated[Str, SHOWN] = ""
    """The quarter's main thing: one line, shown on the one-page plan and the reviews."""


class Year(Model):
    """A planning year with its theme, annual goals and quarters."""

    diff_title = None
    diff_gone = "removed"

    id: Annotated[Id, KEY]
    name: Annotated[Str, SHOWN] = ""
    """The year's display name, e.g. 'FY2027'."""
    start: Annotated[date, SHOWN]
    """The first day of the year."""
    end: Annotated[date, SHOWN]
    """The last day of the year."""
    theme: Annotated[Str, SHOWN] = ""
    """The rallying theme of the year."""
    goals: Annotated[list[Goal], ITEMS] = []
    """Annual goals."""
    quarters: Annotated[list[Quarter], ITEMS] = []
    """The year's quarters; execution files name one as their period."""


class Company(Model):
    """`company.yml`: the company's name and its planning calendar with annual goals."""

    name: Annotated[Str, SHOWN]
    """The company's name."""
    years: Annotated[list[Year], ITEMS]
    """Planning years."""


# --- people and teams ----------------------------------------------------------------------------


class Person(Model):
    """Someone who owns something in the plan. Declared once, referenced by id."""

    diff_title = "name"
    diff_gone = "removed"

    id: Annotated[Id, KEY]
    name: Annotated[Str, SHOWN]
    """The person's full name."""
    title: Annotated[Str, SHOWN] = ""
    """The person's job title."""
    email: Annotated[Str, SHOWN] = ""
    """The person's email address."""
    handle: Annotated[Str, SHOWN] = ""
    """The name to mention the person by in the weekly review issue (`northstar review --mention`),
    such as their user name on the code host, without the @."""


class People(Model):
    """`people.yml`."""

    people: Annotated[list[Person], ITEMS]
    """Everyone who owns something in the plan."""


class Team(Model):
    """A team. Teams form a tree through `parent`; the root is the leadership team."""

    diff_title = "name"
    diff_gone = "removed"

    id: Annotated[Id, KEY]
    name: Annotated[Str, SHOWN]
    """The team's display name."""
    lead: Annotated[Owner, REF]
    """The id of the person who leads the team."""
    parent: Annotated[Ref | None, REF] = None
    """The id of the parent team; none for the root team."""
    mission: Annotated[Text, PROSE] = ""
    """Why the team exists (Markdown)."""
    members: Annotated[list[Ref], Diff("members")] = []
    """Ids of the team's members besides its lead."""


class Teams(Model):
    """`teams.yml`."""

    teams: Annotated[list[Team], ITEMS]
    """Every team; they form a tree through `parent`."""


# --- execution: motion ---------------------------------------------------------------------------


class CheckIn(Model):
    """A dated progress update."""

    date: Annotated[date, KEY]
    """The day of the update (at most one a day)."""
    value: Annotated[Number | None, Diff(label="changed:", check_in=True)] = None
    """The value on that day; left out for a note on where things stand without a new number."""
    confidence: Annotated[Score | None, Diff(check_in=True)] = None
    """0 to 1: how likely the target is to be hit."""
    note: Annotated[Text, Diff("prose", check_in=True)] = ""
    """A comment on the update (Markdown)."""

    @model_validator(mode="after")
    def _says_something(self) -> CheckIn:
        if self.value is None and not self.note.strip() and self.confidence is None:
            raise PydanticCustomError(
                "NS111", "missing required key 'value' (a check-in gives a value, or a note or confidence without one)"
            )
        return self


def _one_per_day(check_ins: list[CheckIn]) -> list[CheckIn]:
    first: dict[date, int] = {}
    for n, check_in in enumerate(check_ins, 1):
        if check_in.date in first:
            raise PydanticCustomError(
                "NS112",
                f"check-ins #{first[check_in.date]} and #{n} are both dated {check_in.date}; keep one reading a day",
            )
        first[check_in.date] = n
    return check_ins


CheckIns = Annotated[list[CheckIn], AfterValidator(_one_per_day)]
"""Dated readings, at most one a day: two on one day would leave 'the latest' to the file's order."""


def _percent(value: Any) -> Any:
    """A grade written `70%` is 0.7."""
    if isinstance(value, str) and value.strip().endswith("%"):
        try:
            return float(value.strip()[:-1]) / 100
        except ValueError:
            return value
    return value


class KeyResult(Model):
    """A measurable outcome with exactly one owner. Progress is derived, never typed in.

    Three kinds: `number` (from `baseline` to `target`), `milestone` (done or not, by `due`) and
    `hold` (stay at or above `target`, or at or below it with `direction: down`, at every check-in).
    A `grade` at the quarter's end closes any of them.
    """

    id: Annotated[Id, KEY]
    title: Annotated[Str, SHOWN]
    """The key result, in one line."""
    short: Annotated[Str, SHOWN] = ""
    """A shorter title for the one-page plan, where space is tight (the title is used without it)."""
    owner: Annotated[Owner, REF]
    """The id of the one person accountable."""
    kind: Annotated[Literal["number", "milestone", "hold"], REF] = "number"
    """`number` (from baseline to target), `milestone` (done or not, by `due`) or `hold` (stay at
    or beyond `target` at every reading)."""
    metric: Annotated[Str, SHOWN] = ""
    """What is measured."""
    unit: Annotated[Str, SHOWN] = ""
    """The unit of the values, e.g. '%' or 'accounts'."""
    baseline: Annotated[Number | None, SHOWN] = None
    """The value at the start (progress 0); a `number` key result needs it."""
    target: Annotated[Number | None, SHOWN] = None
    """The value to reach (`number`), or the level to hold (`hold`)."""
    direction: Annotated[Literal["up", "down"], REF] = "up"
    """For `hold`: `up` stays at or above `target`, `down` at or below it."""
    due: Annotated[date | None, SHOWN] = None
    """For `milestone`: when it is due."""
    done: Annotated[date | None, Diff(check_in=True)] = None
    """For `milestone`: the day it was done (a day after `due` is done late)."""
    grade: Annotated[Score | None, BeforeValidator(_percent), Diff(check_in=True)] = None
    """The grade given at the quarter's end, 0 to 1 (or `70%`): it closes the key result, whatever its kind."""
    current: Annotated[Number | None, Diff(check_in=True)] = None
    """The current value, for teams that do not keep dated check-ins."""
    confidence: Annotated[Score | None, SHOWN] = None
    """0 to 1: how likely the target is to be hit, for teams that do not keep dated check-ins."""
    weight: Annotated[Number, SHOWN] = Field(default=1, gt=0, le=1000)
    """The key result's weight in its objective's progress."""
    supports: Annotated[list[Ref], REF] = []
    """Ids of key results (or objectives) of a parent team this key result delivers part of: with
    no check-ins of its own, such a parent key result shows the progress of what supports it."""
    check_ins: Annotated[CheckIns, ITEMS] = []
    """Dated progress updates, at most one a day."""

    @model_validator(mode="after")
    def _measurable(self) -> KeyResult:
        """A number needs a baseline and a target a number can hold the span of; a level to hold, a target."""
        wanted = {"number": ("baseline", "target"), "hold": ("target",), "milestone": ()}[self.kind]
        missing = [name for name in wanted if getattr(self, name) is None]
        if missing:
            raise PydanticCustomError(
                "NS111",
                "missing required key {key} (a {kind} key result needs it; other kinds: number, milestone, hold)",
                {"key": repr(missing[0]), "kind": self.kind},
            )
        if self.kind == "number" and not math.isfinite((self.target or 0) - (self.baseline or 0)):
            raise PydanticCustomError(
                "NS112",
                "baseline and target are too far apart to measure progress between them; "
                "use a unit that keeps the numbers smaller",
            )
        return self


class Objective(Model):
    """A qualitative goal for the period, traced up to the strategy through `supports`."""

    id: Annotated[Id, KEY]
    title: Annotated[Str, SHOWN]
    """The objective, in one line."""
    short: Annotated[Str, SHOWN] = ""
    """A shorter title for the one-page plan, where space is tight (the title is used without it)."""
    description: Annotated[Text, PROSE] = ""
    """Context for the objective (Markdown)."""
    type: Annotated[Literal["committed", "aspirational"], REF] = "committed"
    """`committed` (expected to be met in full) or `aspirational` (a stretch: partial progress is success)."""
    owner: Annotated[Owner | None, REF] = None
    """Defaults to the team lead."""
    supports: Annotated[list[Ref], REF] = []
    """Ids of strategic choices, annual goals or another team's objective this period."""
    weight: Annotated[Number, SHOWN] = Field(default=1, gt=0, le=1000)
    """The objective's weight in its team's progress."""
    key_results: Annotated[list[KeyResult], ITEMS] = []
    """How the objective's success is measured."""


RockStatus = Literal["not-started", "on-track", "off-track", "done", "missed", "dropped"]
ROCK_STATUSES: tuple[str, ...] = get_args(RockStatus)
FINISHED: tuple[str, ...] = ("done", "missed", "dropped")
"""The statuses that close a rock: nothing is expected of it any more."""


class Rock(Model):
    """A quarterly priority: a must-do with one owner and a due date."""

    id: Annotated[Id, KEY]
    title: Annotated[Str, SHOWN]
    """The rock, in one line."""
    short: Annotated[Str, SHOWN] = ""
    """A shorter title for the one-page plan, where space is tight (the title is used without it)."""
    owner: Annotated[Owner, REF]
    """The id of the one person accountable."""
    due: Annotated[date, SHOWN]
    """The day it is due."""
    status: Annotated[RockStatus, REF] = "not-started"
    """Where the rock stands, as its owner reports it."""
    done: Annotated[date | None, Diff(check_in=True)] = None
    """The day it was done: after `due`, it shows as done late."""
    supports: Annotated[list[Ref], REF] = []
    """Ids of the strategic items, goals or objectives the rock serves."""
    description: Annotated[Text, PROSE] = ""
    """Context or status detail (Markdown)."""


class Kpi(Model):
    """A health metric the team watches every week."""

    id: Annotated[Id, KEY]
    title: Annotated[Str, SHOWN]
    """The KPI, in one line."""
    short: Annotated[Str, SHOWN] = ""
    """A shorter title for the one-page plan, where space is tight (the title is used without it)."""
    owner: Annotated[Owner, REF]
    """The id of the one person accountable."""
    unit: Annotated[Str, SHOWN] = ""
    """The unit of the values."""
    target: Annotated[Number, SHOWN]
    """The level to hold."""
    direction: Annotated[Literal["up", "down"], REF] = "up"
    """'up' if higher is better."""
    current: Annotated[Number | None, Diff(check_in=True)] = None
    """The current value, for teams that do not keep dated check-ins."""
    check_ins: Annotated[CheckIns, ITEMS] = []
    """Dated values, at most one a day."""


class Close(Model):
    """A team's close of its quarter: what it learned, and the work that carries into the next one.
    Grades go on the key results (`grade`) and outcomes on the rocks (`status`, `done`)."""

    diff_title = None
    diff_gone = "removed"

    learned: Annotated[list[Text], Diff("prose", label="what we learned")] = []
    """What the quarter taught the team: one lesson per item, Markdown."""
    carry_forward: Annotated[list[Ref], REF] = []
    """Ids of this file's objectives and rocks that `northstar new-quarter` brings into the next quarter."""


class TeamPeriod(Model):
    """`execution/<period>/<team>.yml`: one team's work for one quarter."""

    team: Annotated[Ref, KEY]
    """The id of the team."""
    period: Annotated[Ref, KEY]
    """The id of the quarter."""
    objectives: Annotated[list[Objective], ITEMS] = []
    """The team's objectives for the quarter."""
    rocks: Annotated[list[Rock], ITEMS] = []
    """The team's rocks: must-dos with one owner and a due date."""
    kpis: Annotated[list[Kpi], ITEMS] = []
    """Health metrics the team watches every week."""
    close: Annotated[Close | None, ITEMS] = None
    """The quarter's close: what was learned and what carries forward (see the rhythm guide)."""


# --- the issues list ------------------------------------------------------------------------------


class Issue(Model):
    """A problem raised between meetings (the parking lot): open until it is solved."""

    id: Annotated[Id, KEY]
    """A stable id, unique in issues.yml."""
    title: Annotated[Str, SHOWN]
    """The problem, in one line."""
    raised_by: Annotated[Owner, REF]
    """The id of the person who raised it."""
    raised: Annotated[date, SHOWN]
    """The day it was raised."""
    team: Annotated[Ref | None, REF] = None
    """The id of the team whose meeting takes it up; none: the leadership team's."""
    priority: Annotated[Literal["high", "medium", "low"], SHOWN] = "medium"
    """How soon it needs a meeting's time: `high`, `medium` or `low`."""
    description: Annotated[Text, PROSE] = ""
    """More about it, Markdown."""
    solved: Annotated[date | None, SHOWN] = None
    """The day it was solved; none while it is open."""
    resolution: Annotated[Text, PROSE] = ""
    """How it was solved, Markdown."""

    @property
    def open(self) -> bool:
        return self.solved is None


class Issues(Model):
    """`issues.yml` (optional): the issues list of every team, open and solved."""

    issues: Annotated[list[Issue], ITEMS] = []
    """Every issue raised; solved ones stay, with their resolution."""


# --- decisions and inputs: why the direction is what it is ------------------------------------


class Decision(Model):
    """`decisions/<id>.yml`: one decision about the strategy, by its owner: a change of direction,
    or a reaffirmation. One file each, so that two decisions in two pull requests never conflict."""

    id: Annotated[Id, KEY]
    """A stable id, unique among the decisions (name the file after it); its page's address."""
    title: Annotated[Str, SHOWN]
    """The decision, in one line."""
    date: Annotated[date, SHOWN]
    """The day it was decided."""
    decided_by: Annotated[str, BeforeValidator(_as_written), BeforeValidator(_one_decider), REF]
    """The one person who decided: the strategy's owner."""
    kind: Annotated[Literal["change", "reaffirm"], SHOWN]
    """`change` (the direction moved) or `reaffirm` (looked at again, and kept)."""
    context: Annotated[Text, PROSE] = ""
    """What changed in the environment that called for it (Markdown)."""
    options: Annotated[list[Str], SHOWN] = []
    """The options considered, the one chosen among them."""
    inputs: Annotated[list[Ref], REF] = []
    """The ids of the inputs (inputs/) weighed."""
    decision: Annotated[Text, PROSE] = ""
    """What was decided, and why (Markdown)."""
    adds: Annotated[list[Ref], REF] = []
    """The ids of the strategy items it adds."""
    changes: Annotated[list[Ref], REF] = []
    """The ids of the strategy items it changes."""
    removes: Annotated[list[Id], SHOWN] = []
    """The ids of the strategy items it removes (they are no longer in the strategy)."""
    keeps: Annotated[list[Ref], REF] = []
    """The ids of the strategy items it looked at again and kept (a reaffirmation's subject)."""
    revisit_when: Annotated[list[Str], SHOWN] = []
    """The signals that would make the owner look at it again."""

    @property
    def items(self) -> list[str]:
        """Every strategy item it names: added, changed, removed or kept."""
        return [*self.adds, *self.changes, *self.removes, *self.keeps]


class Advisor(Model):
    """Someone outside the company whose view was asked for."""

    name: Annotated[Str, SHOWN]
    """Their name."""
    role: Annotated[Str, SHOWN] = ""
    """What they are, e.g. 'Board member', 'Former VP Sales, a national carrier'."""


class Input(Model):
    """`inputs/<id>.yml`: an advisor's input on the strategy: a pressure test, a risk or an
    alternative. Never a decision."""

    id: Annotated[Id, KEY]
    """A stable id, unique among the inputs (name the file after it)."""
    date: Annotated[date, SHOWN]
    """The day it was given."""
    by: Annotated[Ref | None, REF] = None
    """The person (people.yml) who gave it; or `advisor` for someone outside."""
    advisor: Annotated[Advisor | None, SHOWN] = None
    """Someone outside the company, by name and role."""
    about: Annotated[list[Ref], REF] = []
    """The ids of the strategy items it is about."""
    kind: Annotated[Literal["pressure-test", "risk", "alternative", "support"], SHOWN] = "pressure-test"
    """`pressure-test`, `risk`, `alternative` or `support`."""
    said: Annotated[Text, PROSE]
    """What they said (Markdown)."""

    @model_validator(mode="after")
    def _one_source(self) -> Input:
        if (self.by is None) == (self.advisor is None):
            raise PydanticCustomError("NS111", "name who gave it: `by` (a person id) or `advisor` (name and role)")
        return self


# --- settings ------------------------------------------------------------------------------------


class Band(Model):
    """A score band: progress at or above `min` (and below the next band) gets this label."""

    id: Id
    label: Str
    """What the band is called on the pages."""
    min: Score
    """The lowest score in the band, 0 to 1."""


DEFAULT_BANDS = (
    Band(id="off-track", label="Off track", min=0),
    Band(id="at-risk", label="At risk", min=0.4),
    Band(id="on-track", label="On track", min=0.7),
)


class Settings(Model):
    """`northstar.yml` (optional): lint thresholds, rule severities and score bands."""

    rules: dict[str, Annotated[Literal["error", "warning", "notice", "off"], BeforeValidator(_off)]] = {}
    """Severity per lint code, e.g. `NS306: off`."""
    max_objectives: int = Field(default=5, ge=1)
    """How many objectives a team may have in a quarter before NS306 warns."""
    min_key_results: int = Field(default=2, ge=1)
    """How few key results an objective may have before NS307 warns."""
    max_owned_key_results: int = Field(default=6, ge=1)
    """How many active key results one person may own before NS308 warns."""
    review_months: int = Field(default=13, ge=1)
    """How many months after `reviewed` the strategy is due for review (NS309)."""
    stale_days: int = Field(default=21, ge=1)
    """How many days without a check-in make a key result stale."""
    max_pages: int = Field(default=20_000, ge=1)
    """How many pages a site may have before the build refuses it (a plan of 100,000 people
    would write gigabytes): raise it for a plan that is really that large."""
    score_bands: list[Band] = Field(default=list(DEFAULT_BANDS), min_length=1)
    """The bands a score falls in, lowest first: each an id, a label and the lowest score."""
    pace: Literal["linear", "end"] = "linear"
    """What is expected of a key result by the as-of date: `linear` (evenly through the quarter,
    after `grace_days`) or `end` (the whole target, as at the quarter's end)."""
    grace_days: int = Field(default=7, ge=0, le=92)
    """With `linear` pace: the first days of a quarter, in which no progress is expected yet."""
    aspirational_bar: float = Field(default=0.7, gt=0, le=1)
    """The share of its target that counts as success for a key result of an aspirational objective."""
    rock_target: float = Field(default=0.8, gt=0, le=1)
    """The share of a quarter's rocks (those not dropped) a team aims to finish; the quarter in review
    compares each team's completion with it."""

    @field_validator("score_bands")
    @classmethod
    def _bands_make_sense(cls, bands: list[Band]) -> list[Band]:
        if min(b.min for b in bands) != 0:
            raise ValueError("the lowest band must start at 0 so that every score falls in a band")
        for attribute in ("id", "min"):
            values = [getattr(b, attribute) for b in bands]
            if len(set(values)) != len(values):
                raise ValueError(f"two bands share the same {attribute}")
        return bands


def score_bands(value: object) -> tuple[Band, ...]:
    """Score bands given as `score_bands:` in northstar.yml holds them.

    Raises:
        ValueError: they are not a list of {id, label, min}, or do not make sense together.
    """
    return tuple(Settings.model_validate({"score_bands": value}).score_bands)


FILE_MODELS: dict[str, type[Model]] = {
    "strategy": Strategy,
    "company": Company,
    "people": People,
    "teams": Teams,
    "execution": TeamPeriod,
    "northstar": Settings,
    "issues": Issues,
    "decision": Decision,
    "input": Input,
}
"""Each kind of plan file and the model that validates it."""


class Plan(BaseModel):
    """The whole plan, as loaded. A part is None when its file is missing or invalid."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    root: Path
    strategy: Strategy | None = None
    company: Company | None = None
    people: People | None = None
    teams: Teams | None = None
    issues: Issues | None = None
    decision_files: tuple[tuple[Path, Decision], ...] = ()
    """Each valid decision record (decisions/<id>.yml), in path order."""
    input_files: tuple[tuple[Path, Input], ...] = ()
    """Each valid input (inputs/<id>.yml), in path order."""
    execution: tuple[tuple[Path, TeamPeriod], ...] = ()
    settings: Settings = Settings()
    complete: bool = True
    """False when any plan file failed to load: cross-file checks then stay quiet."""

    @property
    def decisions(self) -> list[Decision]:
        return [d for _, d in self.decision_files]

    @property
    def inputs(self) -> list[Input]:
        return [i for _, i in self.input_files]

    def quarters(self) -> list[tuple[Year, Quarter]]:
        """Every quarter with its year, in calendar order."""
        if self.company is None:
            return []
        pairs = [(y, q) for y in self.company.years for q in y.quarters]
        return sorted(pairs, key=lambda p: (p[1].start, p[1].id))
