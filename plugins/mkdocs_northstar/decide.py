"""`northstar decide`: a decision record for the strategy items a branch changes, ready to fill in.

The record is a new file, `decisions/<id>.yml`: no file the user wrote is touched. It is
pre-filled with what the change does: the strategy's owner as the decider, the items it adds,
changes and removes, and the change in words, as a comment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from mkdocs_northstar.history.decided import decided, strategy_ids
from mkdocs_northstar.history.diff import diff_plans
from mkdocs_northstar.model import Plan, Strategy
from mkdocs_northstar.writes import write_atomic

HEADER = (
    "# yaml-language-server: $schema=../schema/decision.schema.json\n"
    "# A decision about the strategy: why the direction is what it is. Only the strategy's owner\n"
    "# decides; advisors' views are inputs (inputs/). A record is never deleted.\n"
)


class DecideError(Exception):
    """No record can be written as asked; the message says why and what to do."""


@dataclass(frozen=True)
class Drafted:
    path: Path
    ident: str
    text: str
    """The file written."""


def draft_decision(old: Plan, new: Plan, day: date) -> Drafted | None:
    """Write a decision record for what `new` changes in `old`'s strategy and no record names yet;
    None when there is nothing to decide.

    Raises:
        DecideError: the plan has no strategy.
    """
    if new.strategy is None:
        raise DecideError("the plan has no valid strategy.yml; run northstar check")
    _, undecided = decided(old, new)
    if not undecided:
        return None
    folder = new.root / "decisions"
    taken = {d.id for d in new.decisions} | {p.stem for p in folder.glob("*.y*ml")}
    ident = _fresh(f"decision-{day.isoformat()}", taken)
    said = [c.text for c in diff_plans(old, new) if c.layer == "strategy" and not c.check_in]
    text = HEADER + "".join(f"{line}\n" for line in _entry(ident, day, (old.strategy, new.strategy), undecided, said))
    folder.mkdir(exist_ok=True)
    path = folder / f"{ident}.yml"
    write_atomic(path, text.encode("utf-8"))
    return Drafted(path, ident, text)


def _entry(
    ident: str, day: date, strategies: tuple[Strategy | None, Strategy], items: tuple[str, ...], said: list[str]
) -> list[str]:
    old, new = strategies
    before, after = strategy_ids(old), strategy_ids(new)
    adds = [i for i in items if i in after and i not in before]
    removes = [i for i in items if i in before and i not in after]
    changes = [i for i in items if i not in adds and i not in removes]
    lines = ["#", "# The change, as northstar diff words it:", *(f"#   {s}" for s in said)]
    lines += [
        f"id: {ident}",
        "title: Say the decision in one line",
        f"date: {day.isoformat()}",
        f"decided_by: {new.owner}",
        "kind: change",
        "context: ''            # what changed around us that called for this",
        "options: []            # the options considered",
        "inputs: []             # the inputs weighed (ids of files in inputs/), followed or not",
        "decision: ''           # what was decided, and why",
    ]
    named = (("adds", adds), ("changes", changes), ("removes", removes))
    lines += [f"{key}: [{', '.join(ids)}]" for key, ids in named if ids]
    lines.append("revisit_when: []       # the signals that would make the owner look again")
    return lines


def _fresh(ident: str, taken: set[str]) -> str:
    n, candidate = 2, ident
    while candidate in taken:
        candidate, n = f"{ident}-{n}", n + 1
    return candidate
