"""What every rule sees: the loaded plan, its index, the date it is judged at and the current period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path

from mkdocs_northstar.index import Index, Kind
from mkdocs_northstar.load import Loaded
from mkdocs_northstar.load.yamlfile import Loc
from mkdocs_northstar.model import SLUG, Plan, Quarter, TeamPeriod, Year
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

    @cached_property
    def written_ids(self) -> dict[Kind, frozenset[str]]:
        """Person and team ids as written in people.yml and teams.yml when the file is invalid.

        One bad entry makes the whole file invalid, and then no reference to a person or team could
        be checked anywhere; with these, references elsewhere are still checked against the ids
        the file holds, so one mistake does not hide the others. Only when every entry has a safe
        id: an entry whose id cannot be read would make each reference to it look unknown."""
        found: dict[Kind, frozenset[str]] = {}
        wanted: tuple[tuple[Kind, str], ...] = (("person", "people"), ("team", "teams"))
        for kind, file in wanted:  # people.yml holds `people:`, teams.yml `teams:`
            doc = self.loaded.docs.get(self.loaded.paths.get(file, Path()))
            items = doc.data.get(file) if doc is not None and isinstance(doc.data, dict) else None
            ids = [i.get("id") if isinstance(i, dict) else None for i in items] if isinstance(items, list) else []
            if ids and all(isinstance(i, str) and SLUG.fullmatch(i) for i in ids):  # else the ids are in doubt
                found[kind] = frozenset(str(i) for i in ids)
        return found

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
