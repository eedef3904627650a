"""Layout of the alignment diagram: strategy on the left, work cascading to the right.

Only coordinates are computed here; `_diagram.svg.jinja` draws them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from mkdocs_northstar.index import Key
from mkdocs_northstar.pages.views import Link, Views

BOX_W, BOX_H, GAP_X, GAP_Y, TOP = 200, 40, 40, 12, 28
MAX_PER_COLUMN = 40
LABEL_CHARS = 28


@dataclass(frozen=True)
class Node:
    key: Key
    link: Link
    kind: str
    title: str
    label: str
    sub: str
    band: str
    x: int
    y: int


@dataclass(frozen=True)
class Edge:
    x1: int
    y1: int
    x2: int
    y2: int


@dataclass
class Diagram:
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    headers: list[dict[str, object]] = field(default_factory=list)
    width: int = BOX_W
    height: int = BOX_H + TOP
    box_width: int = BOX_W
    box_height: int = BOX_H


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rstrip() + "…"


def layout(views: Views, column_labels: list[str]) -> Diagram:
    """Columns: strategic choices, then goals and objectives by how far they sit from the strategy."""
    index = views.index
    period = views.quarter.id if views.quarter else None
    column: dict[Key, int] = {}
    info: dict[Key, tuple[Link, str, str]] = {}
    key: Key
    for choice in views.choices:
        if choice.section in ("where_to_play", "how_to_win"):
            key = (None, choice.link.id)
            column[key] = 0
            info[key] = (choice.link, choice.link.kind, "")
    for goal, link, _ in views.goals:
        key = (None, goal.id)
        column[key] = 1
        info[key] = (link, "goal", goal.measure)
    objectives = {(period, o.objective.id): o for t in views.teams.values() for o in t.objectives}
    for key, view in objectives.items():
        info[key] = (view.link, "objective", f"{view.team.title} · {view.measure.percent}%" if view.measure else "")
    pending = dict.fromkeys(objectives)
    for _ in range(len(objectives) + 1):  # longest chain bounds the passes
        for key in list(pending):
            parents = [column.get(t.key) for t in index.resolve_supports(key)]
            known = [c for c in parents if c is not None]
            if known:
                column[key] = max(2, max(known) + 1)  # column 1 holds the annual goals alone
                del pending[key]
        if not pending:
            break
    columns: dict[int, list[Key]] = defaultdict(list)
    for key, col in column.items():
        columns[col].append(key)
    diagram = Diagram()
    rows: dict[Key, int] = {}
    for col in sorted(columns):
        keys = columns[col]
        if col > 0:

            def weight(key: Key) -> float:
                ys = [rows[t.key] for t in index.resolve_supports(key) if t.key in rows]
                return sum(ys) / len(ys) if ys else 0.0

            keys.sort(key=lambda k: (weight(k), k[1]))
        shown, hidden = keys[:MAX_PER_COLUMN], len(keys) - MAX_PER_COLUMN
        for row, key in enumerate(shown):
            rows[key] = row
            link, kind, sub = info[key]
            measure = objectives[key].measure if key in objectives else None
            diagram.nodes.append(
                Node(
                    key,
                    link,
                    kind,
                    link.title,
                    _short(link.title),
                    _short(sub),
                    measure.band.id if measure else "",
                    col * (BOX_W + GAP_X),
                    TOP + row * (BOX_H + GAP_Y),
                )
            )
        if hidden > 0:
            more = Link(f"+{hidden}", "more", views.urls.path("alignment"))
            y = TOP + len(shown) * (BOX_H + GAP_Y)
            diagram.nodes.append(
                Node((None, ""), more, "more", more.title, more.title, "", "", col * (BOX_W + GAP_X), y)
            )
        label = column_labels[min(col, len(column_labels) - 1)]
        diagram.headers.append({"x": col * (BOX_W + GAP_X), "label": label})
    placed = {n.key: n for n in diagram.nodes}
    for node in diagram.nodes:
        for target in index.resolve_supports(node.key) if node.kind != "more" else []:
            parent = placed.get(target.key)
            if parent is not None and parent.x < node.x:
                diagram.edges.append(Edge(parent.x + BOX_W, parent.y + BOX_H // 2, node.x, node.y + BOX_H // 2))
    if diagram.nodes:
        diagram.width = max(n.x for n in diagram.nodes) + BOX_W + 2
        diagram.height = max(n.y for n in diagram.nodes) + BOX_H + 2
    return diagram
