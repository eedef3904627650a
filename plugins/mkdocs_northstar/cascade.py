"""Progress rolled up through the cascade: a leader's key result delivered by the work under it.

Leaf teams score their key results; a key result or objective higher up often has no check-in of
its own, because the work that supports it is its progress. Here such an item takes the progress
of what supports it, marked as rolled up, with where it came from:

- a key result without a value of its own takes the weighted mean of the objectives (by their
  `weight`) and key results (by theirs) that name it in `supports`;
- an objective none of whose key results has a value, own or rolled up, takes the weighted mean of
  the objectives that support it.

Each supporter counts once for each item it names, an item with a value of its own never takes
anyone else's, and a cycle (reported as NS204) contributes nothing. `plan.json` and the pages
both read this, so they give the same answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from mkdocs_northstar.index import Index, Key
from mkdocs_northstar.model import KeyResult, Objective
from mkdocs_northstar.progress import Pace, Rollup, kr_progress, kr_score, objective_rollup, weighted_mean


@dataclass(frozen=True)
class Cascaded:
    """An item's progress, and the items it was rolled up from (empty when it is its own)."""

    rollup: Rollup
    rolled_from: tuple[Key, ...] = ()


class Cascade:
    """Rolled-up progress for the objectives and key results of an index, judged with `paces` per period."""

    def __init__(self, index: Index, paces: dict[str | None, Pace]) -> None:
        self.index, self.paces = index, paces
        self.supporters: dict[Key, list[Key]] = {}
        for key, refs in index.supports.items():
            source = index.entries[key]
            if source.kind not in ("objective", "key-result"):
                continue  # rocks and goals carry no progress
            for _, ident in refs:
                target = index.get(key[0], ident)
                if target is not None and target.kind in ("objective", "key-result") and target.key != key:
                    self.supporters.setdefault(target.key, []).append(key)
        self._done: dict[Key, Cascaded] = {}
        self._busy: set[Key] = set()

    def of(self, key: Key) -> Cascaded:
        """The progress of the objective or key result at `key`."""
        found = self._done.get(key)
        if found is not None:
            return found
        if key in self._busy:
            return Cascaded(Rollup(None, 0, 0))  # a cycle (NS204): nothing flows round it
        self._busy.add(key)
        entry = self.index.entries[key]
        found = self._key_result(key, entry.item) if entry.kind == "key-result" else self._objective(key, entry.item)
        self._busy.discard(key)
        self._done[key] = found
        return found

    def key_result(self, key: Key, kr: KeyResult, *, aspirational: bool) -> Cascaded:
        """A key result's progress: its own, else (when it is indexed) rolled up from its supporters."""
        if key in self.index.parent_of and self.index.entries[key].item is kr:
            return self.of(key)
        return Cascaded(self._own(key, kr, aspirational=aspirational) or Rollup(None, 0, 1))

    def objective(self, key: Key, objective: Objective) -> Cascaded:
        """An objective's progress: its key results', else (when it is indexed) its supporters'."""
        if key in self.index.entries and self.index.entries[key].item is objective:
            return self.of(key)
        return Cascaded(objective_rollup(objective, self._pace(key)))

    def _pace(self, key: Key) -> Pace:
        return self.paces.get(key[0], Pace())

    def _own(self, key: Key, kr: KeyResult, *, aspirational: bool) -> Rollup | None:
        """A key result's own progress and score; None without a value of its own."""
        pace = self._pace(key)
        progress = kr_progress(kr, pace.as_of)
        if progress is None:
            return None
        return Rollup(progress, 1, 1, kr_score(kr, pace, aspirational=aspirational))

    def _key_result(self, key: Key, kr: KeyResult) -> Cascaded:
        parent = self.index.entries[self.index.parent_of[key]].item
        own = self._own(key, kr, aspirational=parent.type == "aspirational")
        return Cascaded(own) if own is not None else self._from_supporters(key, Rollup(None, 0, 1))

    def _objective(self, key: Key, objective: Objective) -> Cascaded:
        period = key[0]
        parts: list[tuple[float, Rollup]] = []
        sources: list[Key] = []
        for kr in objective.key_results:
            kr_key = (period, kr.id)
            if kr_key not in self.index.parent_of:
                continue  # a duplicate id (NS201): not indexed
            got = self.of(kr_key)
            if got.rollup.progress is not None:
                parts.append((kr.weight, got.rollup))
                sources += got.rolled_from
        own = _combine(parts, reported=len(parts), total=len(objective.key_results))
        if own.progress is not None:
            return Cascaded(own, tuple(dict.fromkeys(sources)))
        return self._from_supporters(key, own)

    def _from_supporters(self, key: Key, empty: Rollup) -> Cascaded:
        parts: list[tuple[float, Rollup]] = []
        sources: list[Key] = []
        for supporter in self.supporters.get(key, []):
            got = self.of(supporter)
            if got.rollup.progress is not None:
                parts.append((self.index.entries[supporter].item.weight, got.rollup))
                sources.append(supporter)
        if not parts:
            return Cascaded(empty)
        combined = _combine(parts, reported=sum(r.reported for _, r in parts), total=sum(r.total for _, r in parts))
        return Cascaded(combined, tuple(sources))

    def team(self, period: str | None, objectives: list[Objective]) -> Rollup:
        """A team's progress: its objectives' (own or rolled up), weighted by objective `weight`."""
        parts = [(o.weight, self.of((period, o.id)).rollup) for o in objectives if (period, o.id) in self.index.entries]
        measured = [(w, r) for w, r in parts if r.progress is not None]
        return _combine(measured, reported=sum(r.reported for _, r in parts), total=sum(r.total for _, r in parts))


def _combine(parts: list[tuple[float, Rollup]], *, reported: int, total: int) -> Rollup:
    """The weighted mean of the parts' progress, and of the scores of those that have one."""
    progress = weighted_mean([(w, r.progress) for w, r in parts if r.progress is not None])
    score = weighted_mean([(w, r.score) for w, r in parts if r.score is not None]) if progress is not None else None
    return Rollup(progress, reported, total, score)
