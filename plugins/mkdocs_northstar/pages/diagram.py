"""The alignment diagram: under each strategic item, the work that serves it, as a tree.

Each strategic item (a choice, a target, a talent need; the north star when work names it) gets
its own tree: the annual goals that name it, the objectives and rocks that name it or one of
those goals, and under each objective the objectives of other teams that support it, and so on
down. Titles are shown in full and wrap; the trees are HTML lists, so they fit any column, read
on a phone, follow the theme's colours and link like any other link. Only the structure is
worked out here; `_diagram.html.jinja` draws it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from mkdocs_northstar.index import Key
from mkdocs_northstar.pages.views import Link, ObjectiveView, RockView, Views

OPEN_UP_TO = 40
"""A tree of at most this many items is shown open; a larger one starts closed, with its count."""


@dataclass(frozen=True)
class Branch:
    """One item under a strategic item, and the items that serve it in turn."""

    key: Key
    link: Link
    kind: str
    """"goal", "objective" or "rock"."""
    children: tuple[Branch, ...] = ()
    objective: ObjectiveView | None = None
    rock: RockView | None = None
    repeated: bool = False
    """Shown in full earlier in the same tree (it serves two items there): not expanded again."""

    @property
    def size(self) -> int:
        """This item and everything under it."""
        return 1 + sum(child.size for child in self.children)


@dataclass(frozen=True)
class Tree:
    """The work under one strategic item this period."""

    branches: tuple[Branch, ...]
    size: int
    teams: int
    """How many teams own an objective or rock in it."""

    @property
    def open(self) -> bool:
        return self.size <= OPEN_UP_TO


def trees(views: Views) -> dict[str, Tree]:
    """Strategic item id -> the tree of work under it (items with no work have none)."""
    index = views.index
    period = views.quarter.id if views.quarter else None
    objectives: dict[Key, ObjectiveView] = {
        (period, o.objective.id): o for team in views.teams.values() for o in team.objectives
    }
    rocks: dict[Key, RockView] = {(period, r.rock.id): r for team in views.teams.values() for r in team.rocks}
    goals: dict[Key, Link] = {(None, goal.id): link for goal, link, _ in views.goals}
    under: dict[Key, list[Key]] = defaultdict(list)
    for key in [*goals, *objectives, *rocks]:
        for target in index.resolve_supports(key):
            if target.key != key:
                under[target.key].append(key)

    def branch(key: Key, expanded: set[Key]) -> Branch:
        """`key` and what serves it; what this tree has expanded already is named, not repeated
        (so a plan where everything supports everything stays as large as its supports)."""
        repeated = key in expanded
        expanded.add(key)
        children = () if repeated else tuple(branch(k, expanded) for k in _ordered(under.get(key, []), goals))
        if key in goals:
            return Branch(key, goals[key], "goal", children, repeated=repeated)
        if key in objectives:
            view = objectives[key]
            return Branch(key, view.link, "objective", children, objective=view, repeated=repeated)
        return Branch(key, rocks[key].link, "rock", children, rock=rocks[key], repeated=repeated)

    found: dict[str, Tree] = {}
    for choice in views.choices:
        root = (None, choice.link.id)
        expanded: set[Key] = {root}
        branches = tuple(branch(k, expanded) for k in _ordered(under.get(root, []), goals))
        if branches:
            teams = {index.entries[b.key].team for b in _walk(branches) if b.kind != "goal" and b.key in index.entries}
            found[choice.link.id] = Tree(branches, sum(b.size for b in branches), len(teams))
    return found


def _ordered(keys: list[Key], goals: dict[Key, Link]) -> list[Key]:
    """Goals first, then work, each in the plan's order; each once."""
    unique = list(dict.fromkeys(keys))
    return [k for k in unique if k in goals] + [k for k in unique if k not in goals]


def _walk(branches: tuple[Branch, ...]) -> list[Branch]:
    out: list[Branch] = []
    for b in branches:
        out.append(b)
        out += _walk(b.children)
    return out
