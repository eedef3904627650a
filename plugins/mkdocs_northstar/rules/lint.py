"""The strategy/execution lint (NS3xx): configurable rules drawn from keeping direction and motion apart."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from mkdocs_northstar.dates import add_days, add_months
from mkdocs_northstar.load.yamlfile import Loc
from mkdocs_northstar.model import FINISHED, CheckIn, Strategy
from mkdocs_northstar.problems import Problem
from mkdocs_northstar.progress import is_stale, last_check_in
from mkdocs_northstar.rules.context import Context


def check_lint(ctx: Context) -> Iterator[Problem]:
    yield from _strategy(ctx)
    yield from _traces(ctx)
    yield from _orphans(ctx)
    yield from _workload(ctx)
    yield from _stale(ctx)
    yield from _dates(ctx)


# --- the strategy itself -------------------------------------------------------------------------

_DATED = re.compile(
    r"\bQ[1-4]\b|\b(?:this|next|last) (?:quarter|month|week)\b|\b\d{4}-\d{2}-\d{2}\b"
    r"|\bby (?:the )?end of (?:the )?(?:quarter|month|january|february|march|april|may|june|july"
    r"|august|september|october|november|december)\b",
    re.IGNORECASE,
)

_SPECIFIC = re.compile(
    r"\d|\b(?:not|never|only|instead|rather|without|except|unlike|over|under|between|fewer|more|less)\b"
    r"|\b(?:mid-market|enterprise|smb|sme|small|medium|large|b2b|b2c|segment|region|province|state|city"
    r"|customers?|clients?|buyers?|shippers?|companies|firms|households|patients|developers)\b",
    re.IGNORECASE,
)
BUZZWORDS = (
    "world-class",
    "best-in-class",
    "best in class",
    "customer-centric",
    "leading provider",
    "market leader",
    "innovative",
    "excellence",
    "synergy",
    "cutting-edge",
    "next-generation",
    "be the best",
    "delight",
)


def is_generic(text: str) -> bool:
    """True when a statement names no segment, geography, number or trade-off.

    A heuristic: a digit, a trade-off word (not, only, instead, rather than...), a segment word
    (mid-market, enterprise, customers...) or a capitalised name inside a sentence (Alberta,
    Western Canada) make a statement specific. Buzzwords never do.
    """
    plain = text
    for word in BUZZWORDS:
        plain = re.sub(re.escape(word), " ", plain, flags=re.IGNORECASE)
    if _SPECIFIC.search(plain):
        return False
    for sentence in re.split(r"[.!?:;\n]+", plain):
        words = re.findall(r"[A-Za-z][\w'-]*", sentence)
        if any(word[0].isupper() for word in words[1:]):
            return False  # a name inside a sentence: a place, a segment, a product
    return True


def _strategy_texts(strategy: Strategy) -> Iterator[tuple[Loc, str]]:
    yield ("purpose",), strategy.purpose
    if strategy.north_star is not None:
        yield ("north_star", "statement"), strategy.north_star.statement
    for section in ("values", "targets", "where_to_play", "how_to_win", "not_doing", "talent"):
        for i, item in enumerate(getattr(strategy, section)):
            for name in ("title", "description", "why"):
                text = getattr(item, name, "")
                if text:
                    yield (section, i, name), text
    for section in ("strengths", "weaknesses", "trends"):
        for i, text in enumerate(getattr(strategy, section)):
            yield (section, i), text


def _strategy(ctx: Context) -> Iterator[Problem]:
    strategy = ctx.plan.strategy
    if strategy is None:
        return
    path = ctx.path("strategy")
    if not strategy.not_doing:
        msg = "the strategy says nothing it will NOT do; add `not_doing` trade-offs, each with its why"
        yield ctx.problem("NS301", path, ("not_doing",), msg, key=True)
    for loc, text in _strategy_texts(strategy):
        if match := _DATED.search(text):
            msg = (
                f"dated task in the strategy ({match.group(0)!r}): deadlines and quarterly work are "
                "execution; move it to a team's rocks or key results"
            )
            yield ctx.problem("NS304", path, loc, msg)
    statements: list[tuple[Loc, str]] = []
    if strategy.north_star is not None:
        statements.append((("north_star", "statement"), strategy.north_star.statement))
    for section in ("where_to_play", "how_to_win"):
        for i, choice in enumerate(getattr(strategy, section)):
            statements.append(((section, i, "title"), f"{choice.title}\n{choice.description}"))
    for loc, text in statements:
        if is_generic(text):
            buzz = [w for w in BUZZWORDS if w in text.lower()]
            why = f" ({', '.join(repr(w) for w in buzz)})" if buzz else ""
            msg = f"generic statement any competitor could sign{why}: name a segment, geography, number or trade-off"
            yield ctx.problem("NS310", path, loc, msg)
    limit = ctx.plan.settings.review_months
    if strategy.reviewed > ctx.as_of:
        msg = f"strategy reviewed {strategy.reviewed}, after the as-of date {ctx.as_of}; date a review when it happens"
        yield ctx.problem("NS313", path, ("reviewed",), msg)
    elif ctx.as_of > add_months(strategy.reviewed, limit):
        msg = (
            f"strategy last reviewed {strategy.reviewed}, more than {limit} months before {ctx.as_of}; "
            "the owner should review it at least yearly"
        )
        yield ctx.problem("NS309", path, ("reviewed",), msg)


# --- tracing work to strategy --------------------------------------------------------------------


def _traces(ctx: Context) -> Iterator[Problem]:
    """NS303: every goal and objective must trace up to a strategic choice."""
    if not ctx.plan.complete or ctx.plan.strategy is None:
        return
    index = ctx.index
    for key in index.supports:
        entry = index.entries[key]
        roots, passed = index.upstream(key)
        if entry.kind not in ("goal", "objective") or roots or key in passed:
            continue  # traced, or in a supports cycle (NS204 says so)
        refs = [ident for _, ident in index.supports[key]]
        if refs and len(index.resolve_supports(key)) < len(refs):
            continue  # an unknown reference is already reported (NS202)
        noun = "goal" if entry.kind == "goal" else "objective"
        detail = "supports nothing" if not refs else "supports nothing that traces up to the strategy"
        upward = "a strategic choice" if noun == "goal" else "a strategic choice, goal or parent objective"
        msg = (
            f"{noun} {entry.id!r} {detail}: execution priority masquerading as strategy; "
            f"link it with `supports` to {upward}"
        )
        loc = (*entry.loc, "supports") if refs else (*entry.loc, "id")
        yield ctx.problem("NS303", entry.path, loc, msg, key=bool(refs))


def _orphans(ctx: Context) -> Iterator[Problem]:
    """NS305: strategic choices no work traces to in the current period."""
    if not ctx.plan.complete or ctx.quarter is None:
        return
    served: set[str] = set()
    for key in ctx.index.supports:
        if key[0] == ctx.quarter.id:
            served |= ctx.index.strategic_roots(key)
    for entry in ctx.index.of_kind("choice"):
        if entry.id not in served:
            msg = f"nobody works on {entry.id!r} in {ctx.quarter.id}: no objective or rock this period traces to it"
            yield ctx.problem("NS305", entry.path, (*entry.loc, "id"), msg)


# --- execution workload --------------------------------------------------------------------------


def _workload(ctx: Context) -> Iterator[Problem]:
    settings = ctx.plan.settings
    for path, work in ctx.plan.execution:
        if len(work.objectives) > settings.max_objectives:
            msg = (
                f"team {work.team!r} has {len(work.objectives)} objectives in {work.period}; "
                f"more than {settings.max_objectives} means nothing is a priority"
            )
            yield ctx.problem("NS306", path, ("objectives",), msg, key=True)
        for o, objective in enumerate(work.objectives):
            if len(objective.key_results) < settings.min_key_results:
                msg = (
                    f"objective {objective.id!r} has {len(objective.key_results)} key result(s); "
                    f"give it at least {settings.min_key_results}"
                )
                yield ctx.problem("NS307", path, ("objectives", o, "id"), msg)
    if ctx.plan.people is None or ctx.quarter is None:
        return
    owned: dict[str, list[str]] = defaultdict(list)
    for _, work in ctx.current_work():
        for objective in work.objectives:
            for kr in objective.key_results:
                owned[kr.owner].append(kr.id)
    for i, person in enumerate(ctx.plan.people.people):
        ids = owned.get(person.id, [])
        if len(ids) > settings.max_owned_key_results:
            msg = (
                f"{person.name} owns {len(ids)} key results in {ctx.quarter.id} (limit "
                f"{settings.max_owned_key_results}): {', '.join(ids)}"
            )
            yield ctx.problem("NS308", ctx.path("people"), ("people", i, "id"), msg)


def _stale(ctx: Context) -> Iterator[Problem]:
    """NS311: key results of the current period with no check-in for too long."""
    if ctx.quarter is None:
        return
    days = ctx.plan.settings.stale_days
    cutoff = add_days(ctx.as_of, -days)
    if ctx.quarter.start > cutoff:
        return  # too early in the period to expect check-ins
    for path, work in ctx.current_work():
        for o, objective in enumerate(work.objectives):
            for k, kr in enumerate(objective.key_results):
                if not is_stale(kr, as_of=ctx.as_of, start=ctx.quarter.start, stale_days=days):
                    continue
                last = last_check_in(kr)
                loc = ("objectives", o, "key_results", k, "id")
                if last is None:
                    msg = f"key result {kr.id!r} has no check-in yet, {(ctx.as_of - ctx.quarter.start).days} days into {ctx.quarter.id}"  # noqa: E501
                    yield ctx.problem("NS311", path, loc, msg)
                else:
                    msg = f"key result {kr.id!r}: last check-in {last}, more than {days} days before {ctx.as_of}"
                    yield ctx.problem("NS311", path, loc, msg)


def _dates(ctx: Context) -> Iterator[Problem]:
    """NS312: rocks due outside their quarter, check-ins before it starts; NS313: check-ins after the
    as-of date; NS314: rocks past due and not done."""
    quarters = {q.id: q for _, q in ctx.plan.quarters()}
    for path, work in ctx.plan.execution:
        quarter = quarters.get(work.period)
        if quarter is None:
            continue
        span = f"{quarter.id} ({quarter.start} to {quarter.end})"
        for r, rock in enumerate(work.rocks):
            if not quarter.start <= rock.due <= quarter.end:
                msg = f"rock {rock.id!r} is due {rock.due}, outside {span}"
                yield ctx.problem("NS312", path, ("rocks", r, "due"), msg)
            if rock.due < ctx.as_of and rock.done is None and rock.status not in FINISHED:
                msg = (
                    f"rock {rock.id!r} was due {rock.due} and is {rock.status}; "
                    "mark it done, missed or dropped, or move its due date"
                )
                yield ctx.problem("NS314", path, ("rocks", r, "due"), msg)
        dated: list[tuple[Loc, str, list[CheckIn]]] = [
            (("objectives", o, "key_results", k), kr.id, kr.check_ins)
            for o, objective in enumerate(work.objectives)
            for k, kr in enumerate(objective.key_results)
        ]
        dated += [(("kpis", k), kpi.id, kpi.check_ins) for k, kpi in enumerate(work.kpis)]
        for loc, ident, check_ins in dated:
            for c, check_in in enumerate(check_ins):
                when = check_in.date
                if when < quarter.start:
                    msg = f"{ident!r}: check-in dated {when}, before {span} starts"
                    yield ctx.problem("NS312", path, (*loc, "check_ins", c, "date"), msg)
                elif when > ctx.as_of:
                    msg = f"{ident!r}: check-in dated {when}, after the as-of date {ctx.as_of}"
                    yield ctx.problem("NS313", path, (*loc, "check_ins", c, "date"), msg)
