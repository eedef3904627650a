"""Every id in the plan, where it is declared, and the `supports` graph that links work to strategy.

Ids are unique across the plan, except execution items (objectives, key results, rocks, KPIs),
which are unique within their period: the same objective may continue from one quarter to the
next. An item is addressed by a `Key`: (period id or None, item id).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from mkdocs_northstar.load.yamlfile import Loc
from mkdocs_northstar.model import Objective, Plan, TeamPeriod

Kind = Literal[
    "value",
    "north-star",
    "target",
    "choice",
    "trade-off",
    "talent",
    "goal",
    "year",
    "quarter",
    "person",
    "team",
    "objective",
    "key-result",
    "rock",
    "kpi",
]
Key = tuple[str | None, str]

STRATEGIC: frozenset[Kind] = frozenset({"north-star", "target", "choice", "talent"})
"""What work may ultimately serve."""
SUPPORTABLE: frozenset[Kind] = STRATEGIC | {"goal", "objective", "key-result"}


@dataclass(frozen=True)
class Entry:
    """One declared item."""

    kind: Kind
    id: str
    title: str
    path: Path
    loc: Loc
    item: Any
    period: str | None = None
    team: str | None = None

    @property
    def key(self) -> Key:
        return (self.period, self.id)


@dataclass
class Index:
    """Lookup of declared items plus the supports graph."""

    entries: dict[Key, Entry] = field(default_factory=dict)
    duplicates: list[tuple[Entry, Entry]] = field(default_factory=list)
    supports: dict[Key, list[tuple[int, str]]] = field(default_factory=dict)
    """Item key -> (position in its `supports` list, referenced id) for objectives, key results,
    rocks and goals."""
    parent_of: dict[Key, Key] = field(default_factory=dict)
    """Key result -> its objective."""
    work: dict[tuple[str, str], tuple[Path, TeamPeriod]] = field(default_factory=dict)
    """(team, period) -> its execution file."""

    def add(self, entry: Entry) -> bool:
        """Declare `entry`; False (and a recorded duplicate) if its id is taken."""
        existing = self.entries.get(entry.key) or (self.entries.get((None, entry.id)) if entry.period else None)
        if existing is not None:
            self.duplicates.append((existing, entry))
            return False
        self.entries[entry.key] = entry
        return True

    def get(self, period: str | None, ident: str) -> Entry | None:
        """Resolve `ident` as seen from `period`: period items first, then plan-wide ones."""
        if period is not None and (found := self.entries.get((period, ident))):
            return found
        return self.entries.get((None, ident))

    def of_kind(self, *kinds: Kind) -> Iterator[Entry]:
        return (e for e in self.entries.values() if e.kind in kinds)

    def resolve_supports(self, key: Key) -> list[Entry]:
        """The entries `key` supports directly (unknown ids skipped); a key result leads to its objective."""
        out = []
        for _, ident in self.supports.get(key, []):
            target = self.get(key[0], ident)
            if target is not None and target.kind in SUPPORTABLE:
                out.append(self.entries[self.parent_of[target.key]] if target.kind == "key-result" else target)
        return out

    def chain(self, key: Key) -> list[Entry]:
        """One line of support from `key` up to the strategy, top first (empty if none reaches it).

        The first listed `supports` that reaches the strategy wins, so lineage follows the author's order.
        """

        return self._walk(key, frozenset({key})) or []

    def _walk(self, current: Key, seen: frozenset[Key]) -> list[Entry] | None:
        for target in self.resolve_supports(current):
            if target.kind in STRATEGIC:
                return [target]
            if target.key in seen:
                continue
            rest = self._walk(target.key, seen | {target.key})
            if rest is not None:
                return [*rest, target]
        return None

    def strategic_roots(self, key: Key) -> set[str]:
        """Ids of every strategic item `key` ultimately serves."""
        return self.upstream(key)[0]

    def upstream(self, key: Key) -> tuple[set[str], set[Key]]:
        """(ids of strategic items reached, keys of the goals and objectives passed on the way)."""
        found: set[str] = set()
        passed: set[Key] = set()
        stack = [key]
        while stack:
            for target in self.resolve_supports(stack.pop()):
                if target.kind in STRATEGIC:
                    found.add(target.id)
                elif target.key not in passed:
                    passed.add(target.key)
                    stack.append(target.key)
        return found, passed


def build_index(plan: Plan, paths: dict[str, Path]) -> Index:
    """Index `plan`; `paths` maps 'strategy', 'company', 'people', 'teams' to their files."""
    index = Index()
    if (strategy := plan.strategy) is not None:
        path = paths["strategy"]
        if strategy.north_star is not None:
            ns = strategy.north_star
            index.add(Entry("north-star", ns.id, ns.statement, path, ("north_star",), ns))
        sections: list[tuple[str, Kind, list[Any]]] = [
            ("values", "value", list(strategy.values)),
            ("targets", "target", list(strategy.targets)),
            ("where_to_play", "choice", list(strategy.where_to_play)),
            ("how_to_win", "choice", list(strategy.how_to_win)),
            ("not_doing", "trade-off", list(strategy.not_doing)),
            ("talent", "talent", list(strategy.talent)),
        ]
        for section, kind, items in sections:
            for i, item in enumerate(items):
                index.add(Entry(kind, item.id, item.title, path, (section, i), item))
    if (company := plan.company) is not None:
        path = paths["company"]
        for y, year in enumerate(company.years):
            index.add(Entry("year", year.id, year.name or year.id, path, ("years", y), year))
            for g, goal in enumerate(year.goals):
                entry = Entry("goal", goal.id, goal.title, path, ("years", y, "goals", g), goal)
                if index.add(entry):
                    index.supports[entry.key] = list(enumerate(goal.supports))
            for q, quarter in enumerate(year.quarters):
                loc = ("years", y, "quarters", q)
                index.add(Entry("quarter", quarter.id, quarter.name or quarter.id, path, loc, quarter))
    if plan.people is not None:
        for i, person in enumerate(plan.people.people):
            index.add(Entry("person", person.id, person.name, paths["people"], ("people", i), person))
    if plan.teams is not None:
        for i, team in enumerate(plan.teams.teams):
            index.add(Entry("team", team.id, team.name, paths["teams"], ("teams", i), team))
    for path, work in plan.execution:
        index.work.setdefault((work.team, work.period), (path, work))
        _index_work(index, path, work)
    return index


def _index_work(index: Index, path: Path, work: TeamPeriod) -> None:
    period, team = work.period, work.team
    for o, objective in enumerate(work.objectives):
        _index_objective(index, path, work, o, objective)
    for r, rock in enumerate(work.rocks):
        entry = Entry("rock", rock.id, rock.title, path, ("rocks", r), rock, period, team)
        if index.add(entry):
            index.supports[entry.key] = list(enumerate(rock.supports))
    for k, kpi in enumerate(work.kpis):
        index.add(Entry("kpi", kpi.id, kpi.title, path, ("kpis", k), kpi, period, team))


def _index_objective(index: Index, path: Path, work: TeamPeriod, o: int, objective: Objective) -> None:
    period, team = work.period, work.team
    loc = ("objectives", o)
    entry = Entry("objective", objective.id, objective.title, path, loc, objective, period, team)
    if not index.add(entry):
        return
    index.supports[entry.key] = list(enumerate(objective.supports))
    for k, kr in enumerate(objective.key_results):
        kr_entry = Entry("key-result", kr.id, kr.title, path, (*loc, "key_results", k), kr, period, team)
        if index.add(kr_entry):
            index.parent_of[kr_entry.key] = entry.key
            if kr.supports:
                index.supports[kr_entry.key] = list(enumerate(kr.supports))
