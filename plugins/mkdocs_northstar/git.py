"""The one way Northstar talks to git: a small wrapper raising `GitError`."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path


class GitError(Exception):
    """git is missing, or a git command failed."""


def run_git(*args: str, cwd: Path) -> str:
    """Run `git ARGS` in `cwd` and return its standard output."""
    exe = shutil.which("git")
    if exe is None:
        raise GitError("git is not installed")
    try:
        done = subprocess.run(
            [exe, *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            check=False,
            encoding="utf-8",
            errors="replace",
        )
    except OSError as exc:
        raise GitError(str(exc)) from exc
    if done.returncode != 0:
        raise GitError(done.stderr.strip() or f"git {args[0]} failed")
    return done.stdout


@dataclass(frozen=True)
class PlanState:
    """Which commit the plan files come from."""

    commit: str | None = None
    """Short hash of the newest commit touching the plan, None outside a repository."""
    date: date | None = None
    dirty: bool = False
    """True when plan files differ from that commit."""


def plan_state(path: Path) -> PlanState:
    """The newest commit touching `path` and whether `path` has uncommitted changes (two git calls)."""
    try:
        dirty = bool(run_git("status", "--porcelain", "--untracked-files=all", "--", ".", cwd=path).strip())
        out = run_git("log", "-1", "--format=%h %cs", "--", ".", cwd=path).split()
    except GitError:
        return PlanState()
    if len(out) != 2:
        return PlanState(dirty=dirty)
    try:
        return PlanState(out[0], date.fromisoformat(out[1]), dirty)
    except ValueError:
        return PlanState(out[0], None, dirty)


def git_dir(path: Path) -> Path | None:
    """The repository's git directory (`.git`, or wherever it is kept); None outside a repository."""
    try:
        return Path(run_git("rev-parse", "--absolute-git-dir", cwd=path).strip())
    except GitError:
        return None


def watched_paths(path: Path) -> list[Path]:
    """What changes in the repository when a commit, checkout or reset moves the plan's history.

    Watching these (HEAD, the refs) lets `mkdocs serve` refresh the change log after a `git commit`
    of files it already showed. Empty outside a repository.
    """
    found = git_dir(path)
    if found is None:
        return []
    return [p for p in (found / "HEAD", found / "refs", found / "packed-refs") if p.exists()]
