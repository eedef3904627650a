"""What every rule sees: the loaded plan, its index, the date it is judged at and the current period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from mkdocs_northstar.index import Index
from mkdocs_northstar.load import Loaded
from mkdocs_northstar.load.yamlfile import Loc
from mkdocs_northstar.model import Plan, Quarter, TeamPeriod, Year
from mkdocs_northstar.problems import Problem, problem


@dataclass(frozen=True)
class Context:
    loaded: Loaded
    index: Index
    as_of: date
    year: Year | None
    quarter: Quarter | None

    @property
    def plan(self) -> Plan:
        return self.loaded.plan

    def path(self, kind: str) -> Path:
        return self.loaded.paths[kind]

    def at(self, path: Path, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        doc = self.loaded.docs.get(path)
        return doc.position(loc, key=key) if doc is not None else (1, 1)

    def problem(self, code: str, path: Path, loc: Loc, message: str, *, key: bool = False) -> Problem:
        return problem(code, path, self.at(path, loc, key=key), message)

    def current_work(self) -> list[tuple[Path, TeamPeriod]]:
        """Execution files of the current quarter."""
        if self.quarter is None:
            return []
        return [(p, w) for p, w in self.plan.execution if w.period == self.quarter.id]


def current_period(plan: Plan, as_of: date, wanted: str | None = None) -> tuple[Year | None, Quarter | None]:
    """The quarter `wanted`, else the one containing `as_of`, else the last one begun before it."""
    quarters = plan.quarters()
    if not quarters:
        return None, None
    if wanted is not None:
        return next(((y, q) for y, q in quarters if q.id == wanted), (None, None))
    containing = [(y, q) for y, q in quarters if q.start <= as_of <= q.end]
    begun = [(y, q) for y, q in quarters if q.start <= as_of]
    return (containing or begun or quarters[:1])[-1]
