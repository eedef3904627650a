"""Structural checks (NS2xx): ids, references, trees, cycles, periods. Always errors."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path

from mkdocs_northstar.history.decided import STRATEGY_FIELDS
from mkdocs_northstar.index import SUPPORTABLE, Key, Kind
from mkdocs_northstar.load.plan import EXECUTION_DIR
from mkdocs_northstar.load.yamlfile import Loc
from mkdocs_northstar.model import Decision, Input
from mkdocs_northstar.problems import Problem, did_you_mean
from mkdocs_northstar.rules.context import Context


def check_structure(ctx: Context) -> Iterator[Problem]:
    yield from _duplicates(ctx)
    yield from _people_and_teams(ctx)
    yield from _work_files(ctx)
    yield from _supports(ctx)
    yield from _team_tree(ctx)
    yield from _supports_cycles(ctx)
    yield from _periods(ctx)
    yield from _key_results(ctx)
    yield from _records(ctx)


def _duplicates(ctx: Context) -> Iterator[Problem]:
    for first, second in ctx.index.duplicates:
        line, _ = ctx.at(first.path, first.loc)
        what = f"{first.kind.replace('-', ' ')} {first.title!r}"
        scope = f" in {second.period}" if second.period and first.period else ""
        msg = f"duplicate id {second.id!r}{scope}: already used by {what} at {first.path.as_posix()}:{line}"
        yield ctx.problem("NS201", second.path, (*second.loc, "id"), msg)


def _ref(
    ctx: Context,
    path: Path,
    loc: Loc,
    ident: str,
    kinds: Iterable[Kind],
    *,
    noun: str,
    period: str | None = None,
) -> Iterator[Problem]:
    """NS202 unless `ident` names an item of one of `kinds` (seen from `period`)."""
    wanted = frozenset(kinds)
    found = ctx.index.get(period, ident)
    if found is not None and found.kind in wanted:
        return
    written = ctx.written_ids(wanted) or frozenset()
    if found is None and ident in written:
        return  # written in a file that is invalid for another reason, reported there
    if found is not None:
        msg = f"{ident!r} is a {found.kind.replace('-', ' ')}, not a {noun}"
    else:
        candidates = {e.id for e in ctx.index.of_kind(*wanted) if e.period in (None, period)} | written
        msg = f"unknown {noun} {ident!r}{did_you_mean(ident, candidates)}"
    yield ctx.problem("NS202", path, loc, msg)


def _people_and_teams(ctx: Context) -> Iterator[Problem]:
    plan = ctx.plan
    if ctx.written_ids(["person"]) is None:
        return  # people.yml is missing or unreadable: no person can be called unknown
    if (strategy := plan.strategy) is not None:
        found = ctx.index.get(None, strategy.owner)
        if found is not None and found.kind == "team":
            msg = f"owner {strategy.owner!r} is a team; one person owns the strategy (usually the CEO)"
            yield ctx.problem("NS302", ctx.path("strategy"), ("owner",), msg)
        else:
            yield from _ref(ctx, ctx.path("strategy"), ("owner",), strategy.owner, ["person"], noun="person")
    for entry in ctx.index.of_kind("goal"):
        if entry.item.owner is not None:
            yield from _ref(ctx, entry.path, (*entry.loc, "owner"), entry.item.owner, ["person"], noun="person")
    if plan.teams is not None:
        path = ctx.path("teams")
        for i, team in enumerate(plan.teams.teams):
            yield from _ref(ctx, path, ("teams", i, "lead"), team.lead, ["person"], noun="person")
            for m, member in enumerate(team.members):
                yield from _ref(ctx, path, ("teams", i, "members", m), member, ["person"], noun="person")
            if team.parent is not None:
                yield from _ref(ctx, path, ("teams", i, "parent"), team.parent, ["team"], noun="team")
    for path, work in plan.execution:
        owned: list[tuple[Loc, str]] = []
        for o, objective in enumerate(work.objectives):
            if objective.owner is not None:
                owned.append((("objectives", o, "owner"), objective.owner))
            owned += [
                (("objectives", o, "key_results", k, "owner"), kr.owner) for k, kr in enumerate(objective.key_results)
            ]
        owned += [(("rocks", r, "owner"), rock.owner) for r, rock in enumerate(work.rocks)]
        owned += [(("kpis", k, "owner"), kpi.owner) for k, kpi in enumerate(work.kpis)]
        for loc, person in owned:
            yield from _ref(ctx, path, loc, person, ["person"], noun="person")
    if plan.issues is not None:
        path = ctx.path("issues")
        seen: set[str] = set()
        for i, issue in enumerate(plan.issues.issues):
            if issue.id in seen:
                yield ctx.problem("NS201", path, ("issues", i, "id"), f"issue {issue.id!r} is listed twice")
            seen.add(issue.id)
            yield from _ref(ctx, path, ("issues", i, "raised_by"), issue.raised_by, ["person"], noun="person")
            if issue.team is not None:
                yield from _ref(ctx, path, ("issues", i, "team"), issue.team, ["team"], noun="team")
            if issue.solved is not None and issue.solved < issue.raised:
                msg = f"issue {issue.id!r} was solved on {issue.solved}, before it was raised on {issue.raised}"
                yield ctx.problem("NS211", path, ("issues", i, "solved"), msg)


STRATEGY_ITEMS: tuple[Kind, ...] = ("north-star", "value", "target", "choice", "trade-off", "talent")
"""What a decision or an input can be about."""


def _records(ctx: Context) -> Iterator[Problem]:
    """Decision records and advisors' inputs: unique ids, and every name they use declared."""
    plan = ctx.plan
    items = plan.strategy is not None  # else the strategy's own problems are reported, not these
    yield from _unique_ids(ctx, "input", plan.input_files)
    for path, given in plan.input_files:
        if given.by is not None:
            yield from _ref(ctx, path, ("by",), given.by, ["person"], noun="person")
        for a, item in enumerate(given.about if items else []):
            yield from _strategy_item(ctx, path, ("about", a), item)
    known = {i.id for i in plan.inputs}
    owner = plan.strategy.owner if plan.strategy is not None else None
    yield from _unique_ids(ctx, "decision", plan.decision_files)
    for path, decision in plan.decision_files:
        yield from _ref(ctx, path, ("decided_by",), decision.decided_by, ["person"], noun="person")
        if owner is not None and decision.decided_by != owner:
            msg = (
                f"decision {decision.id!r} was decided by {decision.decided_by!r}, but the strategy's owner is "
                f"{owner!r}: the owner decides the direction, others give inputs (inputs/)"
            )
            yield ctx.problem("NS315", path, ("decided_by",), msg)
        for n, ident in enumerate(decision.inputs):
            if ident not in known:
                msg = f"unknown input {ident!r}{did_you_mean(ident, known)}; each input is a file in inputs/"
                yield ctx.problem("NS202", path, ("inputs", n), msg)
        for field in ("adds", "changes", "keeps") if items else ():
            for n, item in enumerate(getattr(decision, field)):
                yield from _strategy_item(ctx, path, (field, n), item)


def _strategy_item(ctx: Context, path: Path, loc: Loc, ident: str) -> Iterator[Problem]:
    """NS202 unless `ident` is a strategy item, or one of its parts without an id (`purpose`)."""
    if ident not in STRATEGY_FIELDS:
        yield from _ref(ctx, path, loc, ident, STRATEGY_ITEMS, noun="strategy item")


def _unique_ids(ctx: Context, noun: str, files: Sequence[tuple[Path, Decision | Input]]) -> Iterator[Problem]:
    seen: dict[str, Path] = {}
    for path, record in files:
        first = seen.setdefault(record.id, path)
        if first != path:
            msg = f"{noun} {record.id!r} is also the id of {first.as_posix()}; each {noun} has its own id"
            yield ctx.problem("NS201", path, ("id",), msg)


def _work_files(ctx: Context) -> Iterator[Problem]:
    seen: dict[tuple[str, str], Path] = {}
    for path, work in ctx.plan.execution:
        if ctx.written_ids(["team"]) is not None:
            yield from _ref(ctx, path, ("team",), work.team, ["team"], noun="team")
        if ctx.written_ids(["quarter"]) is not None:
            found = ctx.index.get(None, work.period)
            if found is not None and found.kind == "year":
                msg = f"{work.period!r} is a year; team work is planned per quarter (e.g. '{work.period}-q1')"
                yield ctx.problem("NS202", path, ("period",), msg)
            else:
                yield from _ref(ctx, path, ("period",), work.period, ["quarter"], noun="quarter")
        folder = path.parent.name
        if path.parent.parent.name == EXECUTION_DIR and folder != work.period:
            msg = (
                f"the file is in {EXECUTION_DIR}/{folder}/ but says `period: {work.period}`; "
                f"move it to {EXECUTION_DIR}/{work.period}/ or correct `period`"
            )
            yield ctx.problem("NS210", path, ("period",), msg)
        if work.close is not None:
            carried = {o.id for o in work.objectives} | {r.id for r in work.rocks}
            for n, ident in enumerate(work.close.carry_forward):
                if ident not in carried:
                    hint = did_you_mean(ident, carried)
                    msg = f"carry_forward names {ident!r}, not an objective or rock of this file{hint}"
                    yield ctx.problem("NS202", path, ("close", "carry_forward", n), msg)
        pair = (work.team, work.period)
        if pair in seen:
            msg = f"team {work.team!r} already has a file for {work.period}: {seen[pair].as_posix()}"
            yield ctx.problem("NS210", path, ("team",), msg)
        else:
            seen[pair] = path


def _supports(ctx: Context) -> Iterator[Problem]:
    """Every `supports` entry names something work may serve, never a trade-off."""
    if ctx.written_ids(SUPPORTABLE) is None:
        return  # a file that could hold what is supported is unreadable: no reference can be called unknown
    for key, refs in ctx.index.supports.items():
        entry = ctx.index.entries[key]
        kinds = SUPPORTABLE - {"goal", "objective", "key-result"} if entry.kind == "goal" else SUPPORTABLE
        for i, ident in refs:
            loc = (*entry.loc, "supports", i)
            target = ctx.index.get(key[0], ident)
            if target is not None and target.kind == "trade-off":
                msg = (
                    f"supports {ident!r}, which the strategy says we will NOT do; drop the work or change the strategy"
                )
                yield ctx.problem("NS212", entry.path, loc, msg)
            else:
                noun = (
                    "strategic choice, target, north star or talent need"
                    if entry.kind == "goal"
                    else "strategic choice, goal, objective or key result"
                )
                yield from _ref(ctx, entry.path, loc, ident, kinds, noun=noun, period=key[0])


def _team_tree(ctx: Context) -> Iterator[Problem]:
    if ctx.plan.teams is None:
        return
    teams = ctx.plan.teams.teams
    parent = {t.id: t.parent for t in teams}
    position = {t.id: i for i, t in enumerate(teams)}
    in_cycle: set[str] = set()
    for start in parent:
        path: list[str] = []
        node: str | None = start
        while node is not None and node in parent and node not in path and node not in in_cycle:
            path.append(node)
            node = parent[node]
        if node is not None and node in path:
            cycle = path[path.index(node) :]
            in_cycle.update(cycle)
            first = min(cycle)
            ring = [*cycle[cycle.index(first) :], *cycle[: cycle.index(first)], first]
            msg = f"teams form a cycle: {' → '.join(ring)}; one of them needs another parent"
            yield ctx.problem("NS203", ctx.path("teams"), ("teams", position[first], "parent"), msg)
    roots = [t for t in teams if t.parent is None]
    if not in_cycle and len(roots) != 1 and teams:
        names = ", ".join(repr(t.id) for t in roots) or "none"
        msg = f"expected exactly one team without a parent (the leadership team), found {names}"
        loc = ("teams", position[roots[1].id], "id") if len(roots) > 1 else ("teams",)
        yield ctx.problem("NS214", ctx.path("teams"), loc, msg)


def _supports_cycles(ctx: Context) -> Iterator[Problem]:
    """Cycles in the supports graph, each reported once, at its smallest member."""
    index = ctx.index
    graph: dict[Key, list[Key]] = {
        key: [t.key for t in index.resolve_supports(key) if t.kind in ("goal", "objective")] for key in index.supports
    }
    state: dict[Key, int] = {}  # 1 on the stack, 2 done
    reported: set[frozenset[Key]] = set()
    for start in sorted(graph, key=lambda k: (k[0] or "", k[1])):
        if state.get(start):
            continue
        stack: list[tuple[Key, int]] = [(start, 0)]
        trail: list[Key] = []
        while stack:
            node, i = stack.pop()
            if i == 0:
                state[node] = 1
                trail.append(node)
            targets = graph.get(node, [])
            if i < len(targets):
                stack.append((node, i + 1))
                nxt = targets[i]
                if state.get(nxt) == 1:
                    cycle = trail[trail.index(nxt) :]
                    if frozenset(cycle) not in reported:
                        reported.add(frozenset(cycle))
                        yield _cycle_problem(ctx, cycle)
                elif not state.get(nxt):
                    stack.append((nxt, 0))
            else:
                state[node] = 2
                trail.pop()


def _cycle_problem(ctx: Context, cycle: list[Key]) -> Problem:
    first = min(cycle, key=lambda k: (k[0] or "", k[1]))
    at = cycle.index(first)
    ring = [*cycle[at:], *cycle[:at], first]
    entry = ctx.index.entries[first]
    msg = f"supports go round in a circle: {' → '.join(k[1] for k in ring)}; support must lead up to the strategy"
    return ctx.problem("NS204", entry.path, (*entry.loc, "supports"), msg, key=True)


def _periods(ctx: Context) -> Iterator[Problem]:
    if ctx.plan.company is None:
        return
    path = ctx.path("company")
    years = ctx.plan.company.years
    for y, year in enumerate(years):
        if year.start > year.end:
            msg = f"year {year.id!r} ends ({year.end}) before it starts ({year.start})"
            yield ctx.problem("NS211", path, ("years", y, "end"), msg)
        for q, quarter in enumerate(year.quarters):
            loc = ("years", y, "quarters", q)
            if quarter.start > quarter.end:
                msg = f"quarter {quarter.id!r} ends ({quarter.end}) before it starts ({quarter.start})"
                yield ctx.problem("NS211", path, (*loc, "end"), msg)
            elif quarter.start < year.start or quarter.end > year.end:
                msg = (
                    f"quarter {quarter.id!r} ({quarter.start} to {quarter.end}) lies outside "
                    f"year {year.id!r} ({year.start} to {year.end})"
                )
                yield ctx.problem("NS209", path, (*loc, "start"), msg)
    yield from _overlaps(ctx, path, [(y.start, y.end, y.id, ("years", i)) for i, y in enumerate(years)])
    quarters = [
        (q.start, q.end, q.id, ("years", i, "quarters", j))
        for i, y in enumerate(years)
        for j, q in enumerate(y.quarters)
    ]
    yield from _overlaps(ctx, path, quarters)


def _overlaps(ctx: Context, path: Path, spans: Sequence[tuple[date, date, str, Loc]]) -> Iterator[Problem]:
    ordered = sorted(spans, key=lambda s: (s[0], s[2]))
    for before, after in itertools.pairwise(ordered):
        if after[0] <= before[1]:
            msg = f"{after[2]!r} starts ({after[0]}) before {before[2]!r} ends ({before[1]})"
            yield ctx.problem("NS208", path, (*after[3], "start"), msg)


def _key_results(ctx: Context) -> Iterator[Problem]:
    for entry in ctx.index.of_kind("key-result"):
        kr = entry.item
        if kr.kind == "number" and kr.baseline == kr.target and kr.target is not None:
            msg = f"key result {kr.id!r}: baseline and target are both {kr.target:g}; it asks for no change"
            yield ctx.problem("NS206", entry.path, (*entry.loc, "target"), msg)
    for entry in ctx.index.of_kind("key-result", "kpi"):
        item = entry.item
        if item.current is not None and item.check_ins:
            noun = "key result" if entry.kind == "key-result" else "KPI"
            msg = f"{noun} {item.id!r} has both `current` and `check_ins`; keep one source of progress"
            yield ctx.problem("NS213", entry.path, (*entry.loc, "current"), msg, key=True)
