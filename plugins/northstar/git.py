"""The one way Northstar talks to git: a small wrapper raising `GitError`."""

from __future__ import annotations

import shutil
import subprocess
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


def last_commit_date(path: Path) -> date | None:
    """The committer date of the newest commit touching `path`.

    None outside a repository, and when files under `path` have uncommitted changes: then the
    plan is not what any commit holds, and the caller judges it as of today.
    """
    try:
        if run_git("status", "--porcelain", "--untracked-files=all", "--", ".", cwd=path).strip():
            return None
        out = run_git("log", "-1", "--format=%cs", "--", ".", cwd=path).strip()
    except GitError:
        return None
    try:
        return date.fromisoformat(out) if out else None
    except ValueError:
        return None
