"""The plan at any revision, and the default base a pull request is compared against."""

from __future__ import annotations

import contextlib
from pathlib import Path

from mkdocs_northstar.git import GitError, run_git
from mkdocs_northstar.history.gitlog import read_blobs, read_tree
from mkdocs_northstar.load import Loaded
from mkdocs_northstar.load.plan import Parsed, load_plan_from


def plan_at(plan_dir: Path, rev: str) -> Loaded:
    """The plan as committed in `rev` (one `git ls-tree`, one `git cat-file --batch`).

    Raises:
        GitError: `rev` is not a revision of the repository.
    """
    files = read_tree(plan_dir, rev)
    blobs = read_blobs(plan_dir, files.values())
    cache: dict[tuple[str, str], Parsed] = {}
    return load_plan_from(plan_dir, files, blobs.__getitem__, cache)


def default_base(plan_dir: Path) -> str:
    """Where the current branch left the default branch: `git merge-base <default> HEAD`.

    The default branch is origin's HEAD when known, else `main`, else `master`; HEAD itself when
    none exists (then the comparison is HEAD against the working tree).
    """
    candidates = []
    with contextlib.suppress(GitError):
        candidates.append(run_git("symbolic-ref", "--short", "refs/remotes/origin/HEAD", cwd=plan_dir).strip())
    candidates += ["main", "master", "origin/main", "origin/master"]
    for branch in candidates:
        try:
            return run_git("merge-base", branch, "HEAD", cwd=plan_dir).strip()
        except GitError:
            continue
    return run_git("rev-parse", "HEAD", cwd=plan_dir).strip()
