"""Git input never crashes a build: odd commits, a builder's git settings, and a repository git refuses.

Each case is a real repository, built with the real `mkdocs build`. Before these were fixed, each
odd commit made every later build and serve rebuild end in a traceback.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from mkdocs_northstar.git import run_git

from tests.serve_helpers import SITE_CONFIG, site_repo
from tests.site_helpers import mkdocs, text_of, tree


def _raw_commit(repo_root: Path, message: str, *, committer: str, author: str, extra: str = "") -> None:
    """Commit the index as a raw commit object that `git commit` would not write, and move main to it."""

    def git(*args: str, stdin: str | None = None) -> str:
        return subprocess.run(
            ["git", *args], cwd=repo_root, check=True, capture_output=True, text=True, input=stdin
        ).stdout.strip()

    tree_id = git("write-tree")
    parent = git("rev-parse", "HEAD")
    body = f"tree {tree_id}\nparent {parent}\nauthor {author}\ncommitter {committer}\n{extra}\n{message}\n"
    sha = git("hash-object", "-t", "commit", "-w", "--literally", "--stdin", stdin=body)
    git("update-ref", "refs/heads/main", sha)


def _edited(repo_root: Path, n: int) -> None:
    sales = repo_root / "plan" / "execution" / "2026-q4" / "sales.yml"
    sales.write_text(sales.read_text(encoding="utf-8").replace("Fill the pipeline", f"Fill the pipeline {n}", 1))
    subprocess.run(["git", "add", "-A"], cwd=repo_root, check=True)


ODD_COMMITS = {
    "separators in the subject and author": (
        "Raise\x1e the \x1f target",
        "Ana \x1f Silva <ana@example.com> 1790000000 +0000",
        "Ana \x1f Silva <ana@example.com> 1790000000 +0000",
        "",
    ),
    "a date past the year 9999": (
        "From the far future",
        "Ana <ana@example.com> 253402300800 +0000",
        "Ana <ana@example.com> 253402300800 +0000",
        "",
    ),
    "a zone no clock uses": (
        "Odd zone",
        "Ana <ana@example.com> 1790000000 +9959",
        "Ana <ana@example.com> 1790000000 +9959",
        "",
    ),
    "a signature, with log.showSignature on": (
        "Signed",
        "Ana <ana@example.com> 1790000000 +0000",
        "Ana <ana@example.com> 1790000000 +0000",
        "gpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEE\n -----END PGP SIGNATURE-----\n",
    ),
}


@pytest.mark.parametrize("case", sorted(ODD_COMMITS))
def test_an_odd_commit_is_an_entry_not_a_crash(case: str, tmp_path: Path) -> None:
    message, author, committer, extra = ODD_COMMITS[case]
    repo = site_repo(tmp_path / "repo")
    repo.git("config", "log.showSignature", "true")
    _edited(repo.root, 1)
    _raw_commit(repo.root, message, author=author, committer=committer, extra=extra)
    _edited(repo.root, 2)
    repo.commit("A later, ordinary commit", "2026-11-25")

    done = mkdocs("build", "--strict", cwd=repo.root)

    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    changes = text_of(repo.root / "site", "changes/")
    assert "A later, ordinary commit" in changes
    if case == "a date past the year 9999":
        assert "unreadable commit (its date is not a calendar date): From the far future" in changes
    elif case == "separators in the subject and author":
        assert "Raise\x1e the \x1f target" in changes or "Raise the target" in " ".join(changes.split())
        assert "Ana" in changes and "Silva" in changes
    else:
        assert message in changes
    if case == "a signature, with log.showSignature on":  # git's own output carries no gpg lines
        assert run_git("log", "-1", "--format=%s", "HEAD~1", cwd=repo.root) == "Signed\n"
    assert text_of(repo.root / "site", "teams/sales/").count("Fill the pipeline 2") >= 1


def test_the_builders_git_settings_do_not_change_the_site(tmp_path: Path) -> None:
    sites = {}
    for name, settings in {"plain": {}, "odd": {"core.abbrev": "16", "i18n.logOutputEncoding": "ISO-8859-1"}}.items():
        repo = site_repo(tmp_path / name)
        repo.edit("execution/2026-q4/sales.yml", "Fill the pipeline", "Fill the pipeline — für Größe")
        repo.commit("Größere Pipeline — ünïcödé", "2026-11-25")
        for key, value in settings.items():
            repo.git("config", key, value)
        done = mkdocs("build", "--strict", cwd=repo.root)
        assert done.returncode == 0, done.stderr
        sites[name] = tree(repo.root / "site")
        assert "Größere Pipeline — ünïcödé" in text_of(repo.root / "site", "changes/")
    assert sites["odd"] == sites["plain"]


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to give the repository to another owner")
def test_a_repository_git_refuses_is_a_warning_that_fails_strict(tmp_path: Path) -> None:
    repo = site_repo(tmp_path / "repo")
    subprocess.run(["chown", "-R", "65534:65534", str(repo.root / ".git")], check=True)
    os.chown(repo.root, 65534, 65534)
    env = {"HOME": str(tmp_path / "home"), "GIT_CONFIG_NOSYSTEM": "1"}  # no safe.directory from the machine

    relaxed = mkdocs("build", cwd=repo.root, env=env)
    strict = mkdocs("build", "--strict", cwd=repo.root, env=env)

    assert relaxed.returncode == 0, relaxed.stderr
    assert "WARNING -  northstar: no change log: git refused the repository: fatal: detected dubious ownership" in (
        relaxed.stderr
    )
    assert "safe.directory" in relaxed.stderr
    assert strict.returncode == 1 and "Traceback" not in strict.stderr
    assert SITE_CONFIG  # the same small site as the fault tests


def test_a_shallow_clone_starts_its_history_without_a_strategy_change(tmp_path: Path) -> None:
    repo = site_repo(tmp_path / "repo")
    for n, day in ((1, "2026-11-25"), (2, "2026-11-26")):
        repo.edit("execution/2026-q4/sales.yml", f"current: {5 + n}", f"current: {6 + n}")
        repo.commit(f"Progress {n}", day)
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "2", f"file://{repo.root}", str(clone)], check=True, capture_output=True
    )

    done = mkdocs("build", cwd=clone)

    assert done.returncode == 0, done.stderr
    assert "shallow clone" in done.stderr
    changes = text_of(clone / "site", "changes/")
    assert "Strategy last changed: never" in changes  # the oldest commit it holds is no change
    assert "Progress 2" in changes and "Progress 1" in changes
    assert "The oldest commit this shallow clone holds: the plan as it stood then, not a change." in changes
    assert "The plan was created." not in changes
