"""The one way Northstar talks to git: a small wrapper raising `GitError`."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path


class GitError(Exception):
    """git is missing, or a git command failed."""


FIXED_SETTINGS = (
    "log.showSignature=false",  # else signature checks are printed into the log
    "core.abbrev=12",  # a short hash is never asked of git; this keeps any it shows alike everywhere
    "i18n.logOutputEncoding=UTF-8",  # the log is read as UTF-8, whatever the builder's settings
    "color.ui=false",
    "core.quotePath=false",
)
"""Settings every git command runs with, over the builder's own configuration, so a builder's
git settings can neither break the reading nor change the published bytes."""


def git_command(*args: str) -> list[str]:
    """The argument list that runs `git ARGS` with `FIXED_SETTINGS`.

    Raises:
        GitError: git is not installed.
    """
    exe = shutil.which("git")
    if exe is None:
        raise GitError("git is not installed")
    return [exe, *(part for setting in FIXED_SETTINGS for part in ("-c", setting)), *args]


def run_git(*args: str, cwd: Path) -> str:
    """Run `git ARGS` (with `FIXED_SETTINGS`) in `cwd` and return its standard output."""
    command = git_command(*args)
    try:
        done = subprocess.run(
            command,
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


def plan_state(path: Path, *, exclude: tuple[str, ...] = ()) -> PlanState:
    """The newest commit touching `path` and whether `path` has uncommitted changes (two git calls),
    leaving out the entries of `path` named in `exclude`."""
    paths = [".", *(f":(exclude){name}" for name in exclude)]
    try:
        dirty = bool(run_git("status", "--porcelain", "--untracked-files=all", "--", *paths, cwd=path).strip())
        out = run_git("log", "-1", "--format=%H %ct %cz", "--", *paths, cwd=path).split()
    except GitError:
        return PlanState()
    if len(out) != 3:
        return PlanState(dirty=dirty)
    when = commit_time(out[1], out[2])
    return PlanState(out[0][:SHORT], when.date() if when is not None else None, dirty)


SHORT = 7
"""Characters of a commit hash shown on the pages: a fixed length, the same in every clone."""


def commit_time(epoch: str, zone: str) -> datetime | None:
    """A commit's time from git's `%ct` and `%cz`, in the committer's zone; None when unreadable
    (a date past the calendar, say). A zone no clock uses (`+9959`) is read as UTC."""
    sign, hours, minutes = zone[:1], zone[1:3], zone[3:]
    offset = timedelta(0)
    if len(zone) == 5 and sign in "+-" and hours.isdigit() and minutes.isdigit() and int(hours) <= 14:
        offset = timedelta(hours=int(hours), minutes=int(minutes)) * (-1 if sign == "-" else 1)
    try:
        return datetime.fromtimestamp(int(epoch), timezone(offset))
    except (ValueError, OverflowError, OSError):
        return None


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


def changed_files(path: Path, revision: str) -> set[Path]:
    """The files (resolved) that differ between `revision` and the working tree, untracked ones included.

    Raises:
        GitError: git is missing, `path` is not in a repository, or `revision` is unknown.
    """
    top = Path(run_git("rev-parse", "--show-toplevel", cwd=path).strip())
    names = run_git("diff", "--name-only", "-z", "--end-of-options", revision, "--", cwd=path).split("\0")
    names += run_git("ls-files", "--others", "--exclude-standard", "-z", cwd=path).split("\0")
    return {(top / name).resolve() for name in names if name}
