"""Serve gaps the fault tests found, each fixed: a file made unreadable in place, and a commit
of files the server already showed, are both noticed at the next rebuild."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.serve_helpers import PROBLEMS, Served, drop_read_anything, site_repo, visible

pytestmark = pytest.mark.serve


def test_chmod_000_in_place_is_noticed_at_the_next_rebuild(
    serve: Callable[..., Served],
    tmp_path: Path,
) -> None:
    """Was a bug: after `chmod 000 plan/people.yml` (same file, same mtime, size and inode) and an
    edit elsewhere that triggers a rebuild, the plugin's FileCache still serves the old parse, so the
    site looks fine while `mkdocs build` fails with NS100. (MkDocs' polling watcher does not see a
    mode change by itself, hence the second edit.)"""
    repo = site_repo(tmp_path / "repo")
    server = serve(repo.root, preexec=drop_read_anything)
    server.wait_for_text("teams/sales/", "Fill the pipeline")
    (repo.plan / "people.yml").chmod(0)
    sales = repo.plan / "execution" / "2026-q4" / "sales.yml"
    sales.write_text(sales.read_text(encoding="utf-8").replace("Fill the pipeline", "Fill the funnel"))
    body = visible(server.wait_for_text("teams/sales/", PROBLEMS, timeout=20))
    assert "plan/people.yml:1:1 error NS100 cannot read the file: Permission denied" in body


def test_a_commit_refreshes_the_change_log_under_serve(
    serve: Callable[..., Served],
    tmp_path: Path,
) -> None:
    """Was a bug: serve watches plan/, docs/ and mkdocs.yml, not the repository, so `git commit`
    of an edit already on disk leaves the change log without the commit (and the footer saying
    "with uncommitted changes") until some file changes again."""
    repo = site_repo(tmp_path / "repo")
    server = serve(repo.root)
    server.wait_for_text("teams/sales/", "Fill the pipeline")
    repo.edit("execution/2026-q4/sales.yml", "current: 6", "current: 8")
    server.wait_for_text("teams/sales/", "<strong>8</strong> → 15")
    repo.commit("Proposals at eight", "2026-11-24")
    server.wait_for_text("changes/", "Proposals at eight", timeout=20)


def test_plan_folder_removed_and_restored_is_watched_again(
    serve: Callable[..., Served],
    tmp_path: Path,
) -> None:
    """Was a bug: the file watcher stops for good when the folder it watches disappears, so after
    `mv plan elsewhere; mv elsewhere plan` (a branch switch, an undo) edits were never seen again."""
    repo = site_repo(tmp_path / "repo")
    server = serve(repo.root)
    server.wait_for_text("teams/sales/", "Fill the pipeline")
    away = tmp_path / "away"
    repo.plan.rename(away)
    body = visible(server.wait_for_text("teams/sales/", PROBLEMS, timeout=20))
    assert "plan" in body
    away.rename(repo.plan)
    server.wait_for_text("teams/sales/", "Fill the pipeline", absent=(PROBLEMS,), timeout=20)
    repo.edit("execution/2026-q4/sales.yml", "Fill the pipeline", "Fill the funnel")
    server.wait_for_text("teams/sales/", "Fill the funnel", timeout=20)
    shutil.rmtree(repo.plan / "execution")  # a folder inside the plan goes and comes back too
    server.wait_for("teams/sales/", lambda _, body: "Fill the funnel" not in body, timeout=20)
    repo.git("checkout", "--", "plan")
    server.wait_for_text("teams/sales/", "Fill the pipeline", absent=(PROBLEMS,), timeout=20)
    signals = re.findall(r"'(/[^']*northstar-serve-[^']*)'", server.log())
    assert len(signals) == 1, server.log()
    server.stop()  # as Ctrl+C: the folder the watcher signals through goes with the server
    assert "Shutting down" in server.log()
    assert not Path(signals[0]).exists()
