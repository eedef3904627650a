"""`northstar decide`: a decision record for the strategy items a branch changes, ready to fill in.

The record goes at the end of `decisions.yml` (the file is created when there is none). It is
pre-filled with what the change does: the strategy's owner as the decider, the items it adds,
changes and removes, and the change in words above it, as a comment. The lines the user wrote
stay as they were: the record is added after them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from mkdocs_northstar.history.decided import decided
from mkdocs_northstar.history.diff import diff_plans
from mkdocs_northstar.model import Plan, Strategy
from mkdocs_northstar.writes import write_atomic

HEADER = (
    "# yaml-language-server: $schema=schema/decisions.schema.json\n"
    "# The strategy's decision records: why the direction is what it is. Only the strategy's owner\n"
    "# decides; advisors' views go in inputs.yml. A record is never deleted.\n"
    "decisions:\n"
)
_ITEM = re.compile(r"^(\s*)- id:", re.MULTILINE)


class DecideError(Exception):
    """No record can be written as asked; the message says why and what to do."""


@dataclass(frozen=True)
class Drafted:
    path: Path
    ident: str
    text: str
    """The lines added."""


def draft_decision(old: Plan, new: Plan, day: date) -> Drafted | None:
    """Add a decision record for what `new` changes in `old`'s strategy and no record names yet;
    None when there is nothing to decide.

    Raises:
        DecideError: the plan has no strategy, or its decisions.yml cannot take a record at its end.
    """
    if new.strategy is None:
        raise DecideError("the plan has no valid strategy.yml; run northstar check")
    _, undecided = decided(old, new)
    if not undecided:
        return None
    path = new.root / "decisions.yml"
    existing = path.read_text(encoding="utf-8") if path.is_file() else ""
    if existing and not _ITEM.search(existing):
        raise DecideError(f"{path.name} has no record to add one after; write its first one by hand")
    taken = {d.id for d in new.decisions.decisions} if new.decisions else set()
    ident = _fresh(f"decision-{day.isoformat()}", taken)
    indent = _ITEM.search(existing).group(1) if existing else "  "  # type: ignore[union-attr]
    said = [c.text for c in diff_plans(old, new) if c.layer == "strategy" and not c.check_in]
    entry = _entry(ident, day, (old.strategy, new.strategy), undecided, said)
    added = "".join(f"{indent}{line}\n" if line else "\n" for line in entry)
    text = (existing if existing.endswith("\n") or not existing else existing + "\n") or HEADER
    write_atomic(path, (text + ("\n" if existing else "") + added).encode("utf-8"))
    return Drafted(path, ident, added)


def _entry(
    ident: str, day: date, strategies: tuple[Strategy | None, Strategy], items: tuple[str, ...], said: list[str]
) -> list[str]:
    old, new = strategies
    before, after = _ids(old), _ids(new)
    adds = [i for i in items if i in after and i not in before]
    removes = [i for i in items if i in before and i not in after]
    changes = [i for i in items if i not in adds and i not in removes]
    lines = ["# The change, as northstar diff words it:", *(f"#   {s}" for s in said)]
    lines += [
        f"- id: {ident}",
        "  title: Say the decision in one line",
        f"  date: {day.isoformat()}",
        f"  decided_by: {new.owner}",
        "  kind: change",
        "  context: ''            # what changed around us that called for this",
        "  options: []            # the options considered",
        "  inputs: []             # the inputs weighed (ids in inputs.yml), followed or not",
        "  decision: ''           # what was decided, and why",
    ]
    lines += [
        f"  {key}: [{', '.join(ids)}]"
        for key, ids in (("adds", adds), ("changes", changes), ("removes", removes))
        if ids
    ]
    lines.append("  revisit_when: []       # the signals that would make the owner look again")
    return lines


def _ids(strategy: Strategy | None) -> set[str]:
    if strategy is None:
        return set()
    sections = ("values", "targets", "where_to_play", "how_to_win", "not_doing", "talent")
    ids = {i.id for s in sections for i in getattr(strategy, s)}
    return ids | ({strategy.north_star.id} if strategy.north_star else set())


def _fresh(ident: str, taken: set[str]) -> str:
    n, candidate = 2, ident
    while candidate in taken:
        candidate, n = f"{ident}-{n}", n + 1
    return candidate
