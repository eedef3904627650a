"""What every rule sees: the loaded plan, its index, the date it is judged at and the current period."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
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

    def written_ids(self, kinds: Iterable[Kind]) -> frozenset[str] | None:
        """The ids that plan files left out as invalid may hold for items of `kinds`.

        One bad entry makes a whole file invalid, and then no reference to anything in it could be
        checked anywhere; with these, references elsewhere are still checked against the ids the
        file holds, so one mistake does not hide the others. People are only in people.yml, teams
        in teams.yml, years and quarters in company.yml; the rest in any file. None when a file
        that could hold them is missing or unreadable, or holds an id that is not safe: then any
        reference might be to it, and none can be called unknown."""
        files = {self.loaded.paths[FILE_OF[k]] for k in kinds if k in FILE_OF}
        if len(files) < len(set(kinds)):  # a kind that any file may hold
            files = set(self.loaded.invalid)
        unread = {p.path for p in self.loaded.problems if p.code in UNREAD}
        found: set[str] = set()
        for path in files & set(self.loaded.invalid):
            doc = self.loaded.docs.get(path)
            if doc is None or path in unread or not isinstance(doc.data, dict):
                return None
            ids = list(_ids(doc.data))
            if not ids or not all(isinstance(i, str) and SLUG.fullmatch(i) for i in ids):
                return None
            found.update(str(i) for i in ids)
        return frozenset(found)

    def current_work(self) -> list[tuple[Path, TeamPeriod]]:
        """Execution files of the current quarter."""
        if self.quarter is None:
            return []
        return [(p, w) for p, w in self.plan.execution if w.period == self.quarter.id]


FILE_OF: dict[Kind, str] = {"person": "people", "team": "teams", "year": "company", "quarter": "company"}
"""The one file that holds items of a kind; other kinds may be in several files."""


UNREAD = frozenset({"NS100", "NS101", "NS102", "NS103", "NS104", "NS105"})
"""Problems after which a file's data is not what its author wrote (a refused tag, NS106, leaves
the rest as written)."""


def _ids(data: object) -> Iterator[object]:
    """Every `id` value written in a document's data, at any depth; None for an item without one
    (an entry in a list whose other entries have ids), whose references cannot be checked."""
    if isinstance(data, dict):
        if "id" in data:
            yield data["id"]
        for value in data.values():
            yield from _ids(value)
    elif isinstance(data, list):
        items = any(isinstance(value, dict) and "id" in value for value in data)
        for value in data:
            if items and not (isinstance(value, dict) and "id" in value):
                yield None
            yield from _ids(value)


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
