"""The plan's history as revisions with semantic changes, built in one pass and extended incrementally."""

from __future__ import annotations

import contextlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from mkdocs_northstar import collector
from mkdocs_northstar.dates import add_months
from mkdocs_northstar.git import GitError
from mkdocs_northstar.history.changes import Change, classify
from mkdocs_northstar.history.decided import decided
from mkdocs_northstar.history.diff import diff_plans
from mkdocs_northstar.history.gitlog import (
    BlobStream,
    Commit,
    CommitCount,
    FileChange,
    LogStream,
    RepoState,
    is_ancestor,
    read_blobs,
    read_log,
    read_tree,
    repo_state,
)
from mkdocs_northstar.history.replay import Replay
from mkdocs_northstar.load.items import Parts
from mkdocs_northstar.load.plan import Parsed
from mkdocs_northstar.load.yamlfile import tag_memo
from mkdocs_northstar.model import Plan

Kind = Literal["strategy", "execution", "both", "reaffirmed", "none", "invalid"]


@dataclass(frozen=True)
class Revision:
    """One commit that changed the plan folder, and what it changed."""

    commit: Commit
    changes: tuple[Change, ...] = ()
    problems: int = 0
    """Errors that made the plan unreadable at this revision (0 when valid)."""
    decided: tuple[str, ...] = ()
    """The ids of the decision records (decisions/) this revision adds."""
    undecided: tuple[str, ...] = ()
    """The strategy items it changes that no decision record it adds names (by the owner, a change)."""

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
    refused: bool = False
    """git refused or failed to read the repository (a warning), rather than there being none."""


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
    try:
        state = repo_state(plan_dir)
    except GitError as exc:
        return Unavailable(f"git refused the repository: {' '.join(str(exc).split())}", refused=True)
    if state is None:
        return Unavailable("the plan is not in a git repository with commits (or git is not installed)")
    if previous is not None and previous.head == state.head and previous.shallow == state.shallow:
        return previous
    extend = previous is not None and is_ancestor(previous.head, state.head, plan_dir)
    reading = _Reading(plan_dir, state, progress, known, parts)
    try:
        if extend and previous is not None:
            return reading.forward(previous, read_log(plan_dir, previous.head))
        return reading.backward()
    except GitError as exc:
        return Unavailable(f"git could not read the history: {exc}", refused=True)


@dataclass(frozen=True)
class _Reading:
    """One read of the history up to `state`: its commits are given to `backward` or `forward`."""

    plan_dir: Path
    state: RepoState
    progress: Callable[[str, int, int], None] | None
    known: Callable[[str, str], Parsed | None] | None
    parts: Parts | None

    def backward(self) -> History:
        """The whole history, read from HEAD back to the first commit while git still writes it.

        HEAD's files are mostly the working tree's, already parsed (`known`); going back, each
        commit costs the files it changed. Read forward, the first commit would cost every file
        of the plan as it was then, and nothing could start before git's whole log was written.
        A revision's changes are worded once the valid revision before it is reached.
        """
        head = sorted(read_tree(self.plan_dir, self.state.head).items())
        with contextlib.ExitStack() as running:
            log = running.enter_context(LogStream(self.plan_dir, self.state.head))
            blobs = running.enter_context(BlobStream(self.plan_dir))
            counting = running.enter_context(CommitCount(self.plan_dir, self.state.head)) if self.progress else None
            replay = Replay(self.plan_dir, self.known)
            blobs.want(blob for path, blob in head if not replay.knows(path, blob))
            parts = self._revision_parts()
            at = replay.apply([FileChange(path, blob) for path, blob in head], blobs.__getitem__, parts)
            history = History(self.state.head, self.state.shallow, replay=replay.copy())  # HEAD's, to extend later
            revisions: list[Revision] = []  # newest first
            newer: tuple[int, Plan] | None = None
            """The oldest valid revision read so far: its changes wait for the valid one before it."""
            edited: set[int] | None = set()
            """The places of the plan's `execution` undone since `newer` (None: any place)."""
            for done, (commit, changes) in enumerate(_ahead(log, lambda entry: blobs.want(_olds(entry))), 1):
                if counting is not None:
                    self._report(done, max(done, counting.value()))
                plan, errors = at
                if errors or not plan.complete:
                    revisions.append(Revision(commit, (), max(1, errors)))
                else:
                    if newer is None:
                        history.last_valid = plan
                    else:
                        changes_then = diff_plans(plan, newer[1], edited=edited)
                        made, unmade = decided(plan, newer[1])
                        revisions[newer[0]] = replace(
                            revisions[newer[0]], changes=tuple(changes_then), decided=made, undecided=unmade
                        )
                    newer, edited = (len(revisions), plan), set()
                    revisions.append(Revision(commit))
                    for _, quarter in plan.quarters():
                        if commit.day <= quarter.end:
                            history.at_quarter_end.setdefault(quarter.id, (commit, plan))  # the newest counts
                at = replay.apply([c.undone() for c in changes], blobs.__getitem__, parts)
                edited = edited | replay.edited if edited is not None and replay.edited is not None else None
            if counting is not None and counting.value() != len(revisions):  # else the loop said it
                self._report(len(revisions), len(revisions))
        if newer is not None:
            revisions[newer[0]] = replace(revisions[newer[0]], changes=tuple(diff_plans(None, newer[1])))
        history.revisions = revisions[::-1]
        return history

    def forward(self, previous: History, entries: list[tuple[Commit, list[FileChange]]]) -> History:
        """`previous` extended by the commits after it, its replay moved forward in place."""
        read = read_blobs(self.plan_dir, {c.blob for _, changes in entries for c in changes if c.blob}).__getitem__
        history = History(
            self.state.head,
            self.state.shallow,
            list(previous.revisions),
            previous.last_valid,
            dict(previous.at_quarter_end),
            previous.replay,  # moved forward in place: `previous` is superseded by what this returns
        )
        replay = history.replay = history.replay or Replay(self.plan_dir, self.known)
        parts = self._revision_parts()
        for done, (commit, changes) in enumerate(entries, 1):
            self._report(done, len(entries))
            plan, errors = replay.apply(changes, read, parts)
            if errors or not plan.complete:
                history.revisions.append(Revision(commit, (), max(1, errors)))
                continue
            made, unmade = decided(history.last_valid, plan)
            history.revisions.append(Revision(commit, tuple(diff_plans(history.last_valid, plan)), 0, made, unmade))
            history.last_valid = plan
            for _, quarter in plan.quarters():
                if commit.day <= quarter.end:
                    history.at_quarter_end[quarter.id] = (commit, plan)
        return history

    def _revision_parts(self) -> Parts:
        """Parts for the revisions: one version per file, found first among the working tree's."""
        return self.parts.derived() if self.parts is not None else Parts()

    def _report(self, done: int, total: int) -> None:
        """Tell `progress` about every twentieth of a long read (at most every fiftieth commit)."""
        step = max(50, total // 20)
        if self.progress is not None and total > step and (done % step == 0 or done == total):
            self.progress("reading history", done, total)


def _olds(entry: tuple[Commit, list[FileChange]]) -> list[str]:
    """The blobs that undoing this commit needs."""
    return [c.old for c in entry[1] if c.old]


_AHEAD = 32
"""How many commits the history reads ahead of the one it undoes, asking git for their blobs."""


def _ahead(
    entries: Iterable[tuple[Commit, list[FileChange]]], seen: Callable[[tuple[Commit, list[FileChange]]], None]
) -> Iterator[tuple[Commit, list[FileChange]]]:
    """`entries` in order, each handed to `seen` `_AHEAD` entries before it is yielded."""
    queue: deque[tuple[Commit, list[FileChange]]] = deque()
    for entry in entries:
        seen(entry)
        queue.append(entry)
        if len(queue) > _AHEAD:
            yield queue.popleft()
    yield from queue


@dataclass(frozen=True)
class Summary:
    """The change log's headline numbers."""

    last_strategy_change: Revision | None
    last_reaffirmed: Revision | None
    """The newest revision that only re-dated the strategy's review (with or without execution
    changes), after the last change of direction; None if there is none."""
    execution_since: int
    strategy_changes_in_window: int
    """The changes of direction in the window: each decision recorded with them once (however
    many commits carried it), and each commit that changed the direction without one."""
    churn: bool
    """True when strategy changed more often than the threshold within the window."""
    counted: tuple[Revision, ...] = ()
    """The revisions that changed the direction within the window, oldest first."""


def summarize(history: History, *, threshold: int = 1, window_months: int = 12) -> Summary:
    """When strategy last changed, execution changes since, and whether strategy churns.

    The oldest valid revision is where the plan starts (its creation, or the oldest commit a shallow
    clone holds): everything in it is new, and none of it is a change of direction."""
    revisions = history.revisions
    start = next((r for r in revisions if r.valid), None)
    strategic = [r for r in revisions if r.kind in ("strategy", "both") and r is not start]
    last = strategic[-1] if strategic else None
    since = revisions[revisions.index(last) + 1 :] if last else revisions
    execution_since = sum(1 for r in since if r.kind == "execution")
    newest = revisions[-1].commit.day if revisions else None
    counted: list[Revision] = []
    if newest is not None:
        window_start = add_months(newest, -window_months)
        counted = [r for r in strategic if r.commit.day > window_start]
    decisions = {d for r in counted for d in r.decided}
    in_window = len(decisions) + sum(1 for r in counted if not r.decided)
    reaffirmed = [r for r in since if r is not start and r.valid and any(c.layer == "strategy" for c in r.changes)]
    last_reaffirmed = reaffirmed[-1] if reaffirmed else None
    return Summary(last, last_reaffirmed, execution_since, in_window, in_window > threshold, tuple(counted))
