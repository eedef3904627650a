"""The plan's history as revisions with semantic changes, built in one pass and extended incrementally."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from northstar import collector
from northstar.dates import add_months
from northstar.git import GitError
from northstar.history.changes import Change, classify
from northstar.history.diff import diff_plans
from northstar.history.gitlog import Commit, is_ancestor, read_blobs, read_log, repo_state
from northstar.history.replay import Replay
from northstar.load.items import Parts
from northstar.load.plan import Parsed
from northstar.load.yamlfile import tag_memo
from northstar.model import Plan

Kind = Literal["strategy", "execution", "both", "none", "invalid"]


@dataclass(frozen=True)
class Revision:
    """One commit that changed the plan folder, and what it changed."""

    commit: Commit
    changes: tuple[Change, ...] = ()
    problems: int = 0
    """Errors that made the plan unreadable at this revision (0 when valid)."""

    @property
    def valid(self) -> bool:
        return self.problems == 0

    @property
    def kind(self) -> Kind:
        return "invalid" if not self.valid else classify(list(self.changes))


@dataclass
class History:
    """Everything known about the plan's past, up to `head`."""

    head: str
    shallow: bool
    revisions: list[Revision] = field(default_factory=list)
    last_valid: Plan | None = None
    at_quarter_end: dict[str, tuple[Commit, Plan]] = field(default_factory=dict)
    """Quarter id -> the last valid plan committed on or before the quarter's last day."""
    replay: Replay | None = None
    """The plan files as of `head`, moved forward when the history is extended."""


@dataclass(frozen=True)
class Unavailable:
    """Why there is no history to show."""

    reason: str


@collector.paused()
@tag_memo()
def update(
    plan_dir: Path,
    previous: History | None = None,
    *,
    progress: Callable[[str, int, int], None] | None = None,
    known: Callable[[str, str], Parsed | None] | None = None,
    parts: Parts | None = None,
) -> History | Unavailable:
    """The history up to HEAD, reusing `previous` when HEAD only moved forward.

    Rewritten history (a force-push, a rebase) is read again from scratch. `progress` hears
    ("reading history", done, total) now and then on long histories. `known` finds files that are
    already parsed by (kind, blob id), such as the working tree's (`FileCache.parsed_blob`);
    `parts` holds the working tree's files part by part, so an older revision of a file is parsed
    only where it differs (`FileCache.parts`).
    """
    state = repo_state(plan_dir)
    if state is None:
        return Unavailable("the plan is not in a git repository with commits (or git is not installed)")
    if previous is not None and previous.head == state.head and previous.shallow == state.shallow:
        return previous
    extend = previous is not None and is_ancestor(previous.head, state.head, plan_dir)
    try:
        entries = read_log(plan_dir, previous.head if extend and previous else None)
        blobs = read_blobs(plan_dir, {c.blob for _, changes in entries for c in changes if c.blob})
    except GitError as exc:
        return Unavailable(f"git could not read the history: {exc}")
    if extend and previous is not None:
        history = History(
            state.head,
            state.shallow,
            list(previous.revisions),
            previous.last_valid,
            dict(previous.at_quarter_end),
            previous.replay,  # moved forward in place: `previous` is superseded by what this returns
        )
    else:
        history = History(state.head, state.shallow)
    replay = history.replay = history.replay or Replay(plan_dir, known)
    revision_parts = parts.derived() if parts is not None else Parts()  # one revision per file, dropped after
    total, step = len(entries), max(50, len(entries) // 20)
    for done, (commit, changes) in enumerate(entries, 1):
        if progress is not None and total > step and (done % step == 0 or done == total):
            progress("reading history", done, total)
        plan, errors = replay.apply(changes, blobs.__getitem__, revision_parts)
        if errors or not plan.complete:
            history.revisions.append(Revision(commit, (), max(1, errors)))
            continue
        history.revisions.append(Revision(commit, tuple(diff_plans(history.last_valid, plan))))
        history.last_valid = plan
        for _, quarter in plan.quarters():
            if commit.day <= quarter.end:
                history.at_quarter_end[quarter.id] = (commit, plan)
    return history


@dataclass(frozen=True)
class Summary:
    """The change log's headline numbers."""

    last_strategy_change: Revision | None
    execution_since: int
    strategy_changes_in_window: int
    churn: bool
    """True when strategy changed more often than the threshold within the window."""


def summarize(history: History, *, threshold: int = 1, window_months: int = 12) -> Summary:
    """When strategy last changed, execution changes since, and whether strategy churns."""
    revisions = history.revisions
    strategic = [r for r in revisions if r.kind in ("strategy", "both")]
    last = strategic[-1] if strategic else None
    since = revisions[revisions.index(last) + 1 :] if last else revisions
    execution_since = sum(1 for r in since if r.kind == "execution")
    newest = revisions[-1].commit.day if revisions else None
    in_window = 0
    if newest is not None:
        start = add_months(newest, -window_months)
        in_window = sum(1 for r in strategic if r.commit.day > start)
    return Summary(last, execution_since, in_window, in_window > threshold)
