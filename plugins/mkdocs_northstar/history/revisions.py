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

    The default branch is origin's HEAD when known, else `main`, else `master` (local or origin's).
    It never falls back to HEAD: a review gate comparing HEAD with itself would always pass.

    Raises:
        GitError: no default branch exists, or the clone is too shallow to find where the branch left it.
    """
    candidates = []
    with contextlib.suppress(GitError):
        candidates.append(run_git("symbolic-ref", "--short", "refs/remotes/origin/HEAD", cwd=plan_dir).strip())
    candidates += ["main", "master", "origin/main", "origin/master"]
    for branch in candidates:
        try:
            return run_git("merge-base", "--end-of-options", branch, "HEAD", cwd=plan_dir).strip()
        except GitError:
            continue
    tried = ", ".join(dict.fromkeys(candidates))
    if run_git("rev-parse", "--is-shallow-repository", cwd=plan_dir).strip() == "true":
        raise GitError(
            f"this clone is shallow, so where this branch left the default branch ({tried}) cannot be found; "
            "fetch the whole history (fetch-depth: 0 in the checkout step) or name the base: northstar diff BASE"
        )
    raise GitError(f"no default branch to compare with (tried {tried}); name the base: northstar diff BASE [HEAD]")
