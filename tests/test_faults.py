"""Faults around the plan: git missing or corrupt, history rewritten under a running `mkdocs serve`,
plan files deleted or made unreadable mid-serve, a disk that refuses writes, interrupted builds.

Every fault is real: an empty PATH, bytes removed from .git, a file the server process may not read
(a root server first drops the capabilities that let root read anything), a file-size limit set on
the process by the kernel (RLIMIT_FSIZE: writes fail with EFBIG, portable and needing no mount or
root, unlike a small tmpfs), and builds killed by a signal in the middle of writing the site.
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.history_helpers import PlanRepo
from tests.serve_helpers import PROBLEMS, SITE_CONFIG, Served, drop_read_anything, site_repo, visible
from tests.site_helpers import article, mkdocs, sigint_as_at_a_terminal, text_of, tree

# --- git missing or corrupt ----------------------------------------------------------------------

NO_REPO = "the plan is not in a git repository with commits (or git is not installed)"


@pytest.mark.clock
def test_build_without_git_succeeds_and_says_why_there_is_no_change_log(tmp_path: Path) -> None:
    repo = site_repo(tmp_path / "repo")
    empty = tmp_path / "no-git-here"
    empty.mkdir()
    done = mkdocs("build", cwd=repo.root, env={"PATH": str(empty)})
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert f"INFO    -  northstar: no change log: {NO_REPO}" in done.stderr.splitlines()
    site = repo.root / "site"
    assert text_of(site, "changes/").startswith(f"Change log No history to show: {NO_REPO} ")
    footer = article(site, "strategy/").select_one(".ns-footer").get_text(" ", strip=True)
    # without git the plan is judged as of "today": SOURCE_DATE_EPOCH's day, which `mkdocs` sets
    assert footer.endswith("Plan version: unversioned · as of 2026-11-24"), footer
    assert article(site, "teams/sales/").find(id="fill-pipeline") is not None  # the plan itself is all there


def _object_path(repo: PlanRepo, rev: str) -> Path:
    sha = repo.git("rev-parse", rev).strip()
    return repo.root / ".git" / "objects" / sha[:2] / sha[2:]


def _garbage_head(repo: PlanRepo) -> str:
    (repo.root / ".git" / "HEAD").write_text("garbage\n", encoding="utf-8")
    return f"No history to show: {NO_REPO}"


def _missing_blob(repo: PlanRepo) -> str:
    # The first commit's version: the history needs it, the working tree no longer has it.
    blob = repo.git("rev-parse", "HEAD~1:plan/people.yml").strip()
    _object_path(repo, blob).unlink()
    return f"No history to show: git could not read the history: blob {blob} is missing from the repository"


def _truncated_blob(repo: PlanRepo) -> str:
    blob = repo.git("rev-parse", "HEAD~1:plan/people.yml").strip()
    path = _object_path(repo, blob)
    path.chmod(0o644)
    path.write_bytes(path.read_bytes()[:7])
    return f"No history to show: git could not read the history: blob {blob} is missing from the repository"


def _empty_commit_object(repo: PlanRepo) -> str:
    sha = repo.git("rev-parse", "HEAD").strip()
    path = _object_path(repo, sha)
    path.chmod(0o644)
    path.write_bytes(b"")
    return f"No history to show: git could not read the history: error: object file .git/objects/{sha[:2]}/{sha[2:]}"


CORRUPTIONS = {
    "garbage-head": _garbage_head,
    "missing-blob": _missing_blob,
    "truncated-blob": _truncated_blob,
    "empty-commit-object": _empty_commit_object,
}


@pytest.mark.parametrize("corrupt", sorted(CORRUPTIONS))
def test_corrupt_repository_still_builds_and_explains_the_missing_change_log(corrupt: str, tmp_path: Path) -> None:
    repo = site_repo(tmp_path / "repo")
    expected = CORRUPTIONS[corrupt](repo)
    plan_before = tree(repo.plan)
    done = mkdocs("build", cwd=repo.root)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    changes = text_of(repo.root / "site", "changes/")
    assert changes.startswith(f"Change log {expected}"), changes
    assert str(tmp_path) not in changes
    assert article(repo.root / "site", "teams/sales/").find(id="fill-pipeline") is not None
    assert tree(repo.plan) == plan_before


# --- under a running `mkdocs serve` --------------------------------------------------------------


def test_force_push_between_rebuilds_shows_the_rewritten_history(serve: Callable[..., Served], tmp_path: Path) -> None:
    repo = site_repo(tmp_path / "repo")
    for n in (1, 2):
        repo.edit("execution/2026-q4/sales.yml", f"target: {39 + n}", f"target: {40 + n}")
        repo.commit(f"Old commit {n}", f"2026-10-0{n}")
    server = serve(repo.root)
    server.wait_for_text("changes/", "Old commit 1", "Old commit 2")

    remote = tmp_path / "remote"  # someone rewrites main and force-pushes; we fetch and reset, as CI does
    subprocess.run(["git", "clone", "-q", str(repo.root), str(remote)], check=True, capture_output=True)
    rewritten = PlanRepo.__new__(PlanRepo)
    rewritten.root, rewritten.plan = remote, remote / "plan"
    rewritten.git("reset", "-q", "--hard", "HEAD~2")
    rewritten.edit("execution/2026-q4/sales.yml", "current: 6", "current: 7")
    rewritten.commit("Rewritten commit 1", "2026-10-11")
    rewritten.edit("execution/2026-q4/sales.yml", "current: 7", "current: 9")
    rewritten.commit("Rewritten commit 2", "2026-10-12")
    repo.git("fetch", "-q", str(remote), "main")
    repo.git("reset", "-q", "--hard", "FETCH_HEAD")

    body = visible(server.wait_for_text("changes/", "Rewritten commit 2", absent=("Old commit",)))
    assert "Rewritten commit 1" in body and "Old commit 1" not in body and "Old commit 2" not in body
    sales = visible(server.wait_for_text("teams/sales/", "Fill the pipeline"))
    assert "0 → 9 → 15" in sales  # the pages follow the new HEAD too
    assert server.process.poll() is None


def test_plan_file_deleted_mid_serve_shows_the_problem_then_recovers(
    serve: Callable[..., Served], tmp_path: Path
) -> None:
    repo = site_repo(tmp_path / "repo")
    server = serve(repo.root)
    server.wait_for_text("teams/sales/", "Fill the pipeline")
    people = repo.plan / "people.yml"
    original = people.read_bytes()
    people.unlink()
    body = visible(server.wait_for_text("teams/sales/", PROBLEMS))
    assert "plan/people.yml:1:1 error NS113 missing people.yml; see the format reference" in body
    assert "Fill the pipeline" not in body
    people.write_bytes(original)
    server.wait_for_text("teams/sales/", "Fill the pipeline", absent=(PROBLEMS,))
    assert server.process.poll() is None
    assert "Traceback" not in server.log()


def test_plan_file_made_unreadable_mid_serve_shows_the_problem_then_recovers(
    serve: Callable[..., Served], tmp_path: Path
) -> None:
    repo = site_repo(tmp_path / "repo")
    server = serve(repo.root, preexec=drop_read_anything)
    server.wait_for_text("teams/sales/", "Fill the pipeline")
    people = repo.plan / "people.yml"
    text = people.read_text(encoding="utf-8")
    replacement = repo.plan / ".people.yml.new"  # saved the way editors save: a new file renamed over the old
    replacement.write_text(text.replace("Ana Silva", "Ana Sousa"), encoding="utf-8")
    replacement.chmod(0)
    replacement.replace(people)
    body = visible(server.wait_for_text("teams/sales/", PROBLEMS))
    assert "plan/people.yml:1:1 error NS100 cannot read the file: Permission denied" in body
    people.chmod(0o644)
    os.utime(people)  # a save after fixing the permissions
    recovered = visible(server.wait_for_text("teams/sales/", "Ana Sousa", absent=(PROBLEMS,)))
    assert "Fill the pipeline" in recovered
    assert server.process.poll() is None


# --- a disk that refuses writes, interrupted builds ----------------------------------------------

FILE_LIMIT = 2048
"""Bytes: far below the size of any built page, so the first page written fails."""


def _ignore_sigxfsz() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit then fails with EFBIG


def _limit_file_size() -> None:
    _ignore_sigxfsz()
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_LIMIT, resource.RLIM_INFINITY))


def test_build_on_a_full_disk_fails_and_the_next_build_is_complete(tmp_path: Path) -> None:
    repo = site_repo(tmp_path / "repo")
    reference = site_repo(tmp_path / "reference")
    assert mkdocs("build", cwd=reference.root).returncode == 0
    plan_before = tree(repo.plan)
    full = mkdocs("build", cwd=repo.root, preexec_fn=_limit_file_size)
    assert full.returncode == 1
    output = full.stdout + full.stderr
    assert "northstar: could not write the site: File too large (site/" in output and "Traceback" not in output
    assert tree(repo.plan) == plan_before
    assert sorted(p.name for p in repo.root.iterdir()) == [".git", ".gitignore", "docs", "mkdocs.yml", "plan", "site"]
    again = mkdocs("build", cwd=repo.root)
    assert again.returncode == 0, again.stderr
    assert tree(repo.root / "site") == tree(reference.root / "site")


def test_serve_survives_a_full_disk_and_recovers(serve: Callable[..., Served], tmp_path: Path) -> None:
    repo = site_repo(tmp_path / "repo")
    server = serve(repo.root, preexec=_ignore_sigxfsz)
    server.wait_for_text("teams/sales/", "Fill the pipeline")
    sales = repo.plan / "execution" / "2026-q4" / "sales.yml"
    soft, hard = resource.prlimit(server.process.pid, resource.RLIMIT_FSIZE)
    resource.prlimit(server.process.pid, resource.RLIMIT_FSIZE, (FILE_LIMIT, hard))
    sales.write_text(sales.read_text(encoding="utf-8").replace("Fill the pipeline", "Fill it on a full disk"))
    server.wait_for_log("File too large", "An error happened during the rebuild")
    assert server.process.poll() is None
    resource.prlimit(server.process.pid, resource.RLIMIT_FSIZE, (soft, hard))
    sales.write_text(sales.read_text(encoding="utf-8").replace("Fill it on a full disk", "Fill it after all"))
    body = visible(server.wait_for_text("teams/sales/", "Fill it after all", absent=(PROBLEMS,)))
    assert "Fill it on a full disk" not in body


INTERRUPT_HOOK = """\
import os, signal

def on_post_page(output, page, config):
    if page.file.src_uri == os.environ.get("INTERRUPT_AT"):
        os.kill(os.getpid(), getattr(signal, os.environ["INTERRUPT_WITH"]))
    return output
"""
"""A MkDocs hook that signals its own build process as it is about to write one page, after the
pages before it have been written: a deterministic point in the middle of writing the site."""


@pytest.mark.parametrize("how", ["SIGKILL", "SIGINT", "SIGTERM"])
def test_interrupted_build_leaves_the_plan_alone_and_the_next_build_is_complete(how: str, tmp_path: Path) -> None:
    repos = []
    for name in ("repo", "reference"):
        repo = site_repo(tmp_path / name)
        repo.write("../hooks/interrupt.py", INTERRUPT_HOOK)
        repo.write("../mkdocs.yml", SITE_CONFIG + "hooks:\n  - hooks/interrupt.py\n")
        repo.commit("Add a hook", "2026-07-02")
        repos.append(repo)
    repo, reference = repos
    assert mkdocs("build", cwd=reference.root).returncode == 0
    plan_before = tree(repo.plan)
    interrupted = mkdocs(
        "build",
        cwd=repo.root,
        env={"INTERRUPT_AT": "teams/sales.md", "INTERRUPT_WITH": how},
        preexec_fn=sigint_as_at_a_terminal,  # it meets an interrupt as in a terminal
    )
    assert interrupted.returncode != 0
    written = tree(repo.root / "site")
    assert "strategy/index.html" in written and "teams/sales/index.html" not in written  # stopped mid-way
    assert tree(repo.plan) == plan_before
    again = mkdocs("build", cwd=repo.root)
    assert again.returncode == 0, again.stderr
    assert tree(repo.root / "site") == tree(reference.root / "site")
