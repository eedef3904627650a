"""Whether a change of direction carries its reason: the decision records a revision adds, and the
strategy items it changes that none of them names."""

from __future__ import annotations

from collections.abc import Iterator

from mkdocs_northstar.model import Plan, Strategy

STRATEGY_FIELDS = ("owner", "purpose", "strengths", "weaknesses", "trends")
"""Parts of the strategy without an id of their own: a decision names them by these words."""
_SECTIONS = ("values", "targets", "where_to_play", "how_to_win", "not_doing", "talent")


def changed_items(old: Strategy | None, new: Strategy | None) -> list[str]:
    """The ids of the strategy items (and the names of its other parts) that differ; `reviewed`,
    the date of the owner's last review, is not a change of direction."""
    if old is new:
        return []
    out = [f for f in STRATEGY_FIELDS if getattr(old, f, None) != getattr(new, f, None)]
    was, now = (old.north_star if old else None), (new.north_star if new else None)
    star = now or was
    if was != now and star is not None:
        out.append(star.id)
    for section in _SECTIONS:
        before = {i.id: i for i in getattr(old, section, [])}
        after = {i.id: i for i in getattr(new, section, [])}
        out += [ident for ident in _ids(after, before) if before.get(ident) != after.get(ident)]
    return out


def strategy_ids(strategy: Strategy | None) -> set[str]:
    """The ids of the strategy's items: its north star and every item of its lists."""
    if strategy is None:
        return set()
    ids = {i.id for section in _SECTIONS for i in getattr(strategy, section)}
    return ids | ({strategy.north_star.id} if strategy.north_star else set())


def _ids(after: dict[str, object], before: dict[str, object]) -> Iterator[str]:
    yield from after
    yield from (ident for ident in before if ident not in after)


def decided(old: Plan | None, new: Plan) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(the ids of the decision records `new` adds to `old`, the strategy items `new` changes that no
    added record names: a change, by the strategy's owner, whose `decision` says what was decided).
    A plan just created decides nothing."""
    if old is None or (old.strategy is new.strategy and old.decision_files == new.decision_files):
        return (), ()
    before = {d.id for d in old.decisions}
    added = [d for d in new.decisions if d.id not in before]
    owner = new.strategy.owner if new.strategy else None
    by_owner = [d for d in added if d.kind == "change" and d.decided_by == owner and d.decision.strip()]
    named = {i for d in by_owner for i in (*d.adds, *d.changes, *d.removes)}
    changed = changed_items(old.strategy, new.strategy)
    return tuple(d.id for d in added), tuple(i for i in changed if i not in named)
