"""Load and check a plan in one call: what the CLI and the MkDocs adapter both use."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from mkdocs_northstar import git
from mkdocs_northstar.dates import pinned_day, today
from mkdocs_northstar.index import Index, build_index
from mkdocs_northstar.load import Loaded, load_plan
from mkdocs_northstar.load.plan import SCHEMA_DIR, FileCache
from mkdocs_northstar.model import Plan
from mkdocs_northstar.problems import Problem, did_you_mean
from mkdocs_northstar.rules import configure, run_rules


@dataclass(frozen=True)
class Report:
    """A checked plan: the loaded files, every problem (sorted), the date it was judged at, and
    the plan's index, which the rules, the pages and the export all read."""

    loaded: Loaded
    problems: list[Problem]
    as_of: date
    index: Index

    @property
    def plan(self) -> Plan:
        return self.loaded.plan

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def notices(self) -> list[Problem]:
        """Findings that depend on the date: said, never failing anything."""
        return [p for p in self.problems if p.severity == "notice"]


class UsageError(Exception):
    """The caller asked for something the plan does not have (e.g. an unknown period)."""


def plan_version(root: Path) -> git.PlanState:
    """Which commit the plan under `root` comes from. The editor schemas in `schema/` are generated
    files, not the plan: regenerating them changes neither the plan's version nor its as-of date."""
    return git.plan_state(root, exclude=(SCHEMA_DIR,))


def judged_as_of(state: git.PlanState) -> date:
    """The date of the last commit that touched the plan, so results do not drift with the clock.

    The day `NORTHSTAR_AS_OF` names comes first, when it is set (a scheduled weekly build).
    `dates.today()` (`SOURCE_DATE_EPOCH`, else the wall clock) when the plan has uncommitted
    changes, is not in a git repository, or git is missing.

    Raises:
        UsageError: `NORTHSTAR_AS_OF` is not a day, or `SOURCE_DATE_EPOCH` is needed and is not a time.
    """
    try:
        if (pinned := pinned_day()) is not None:
            return pinned
        if state.date is not None and not state.dirty:
            return state.date
        return today()
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def check_plan(
    root: Path,
    *,
    as_of: date | None = None,
    period: str | None = None,
    cache: FileCache | None = None,
    edits: Mapping[Path, bytes] | None = None,
) -> Report:
    """Load and check the plan under `root` (with `edits`, some files as they would be after an edit).

    Raises:
        UsageError: `period` names no quarter of the plan.
    """
    loaded = load_plan(root, cache, edits=edits)
    if period is not None and loaded.plan.company is not None:
        quarters = [q.id for _, q in loaded.plan.quarters()]
        if period not in quarters:
            raise UsageError(f"unknown period {period!r}{did_you_mean(period, quarters)}")
    when = as_of or judged_as_of(plan_version(root))
    index = build_index(loaded.plan, loaded.paths)
    problems = configure(loaded, [*loaded.problems, *run_rules(loaded, index, when, period)])
    problems.sort(key=lambda p: (p.path.as_posix(), p.line, p.col, p.code, p.message))
    for doc in loaded.docs.values():  # every problem is placed: the trees that placed them can go
        doc.forget_tree()
    return Report(loaded, problems, when, index)
