"""Nothing the user wrote is lost: a build writes only into its own folder, render removes only
what render wrote, a full disk leaves whole files, and `init --force` names what it replaces.

Every case runs the real `mkdocs` or `northstar` command on a real project in a git repository.
"""

from __future__ import annotations

import hashlib
import resource
import signal
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from tests.site_helpers import copy_project, git, mkdocs, northstar, tree


def everything(folder: Path) -> dict[str, str]:
    """Every file under `folder`, `.git` included, by content hash."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "site" not in p.relative_to(folder).parts[:1]
    }


def _configure(project: Path, **settings: object) -> None:
    """Set top-level keys of mkdocs.yml, or the plugin's options with `northstar={...}`."""
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    options = settings.pop("northstar", None)
    config.update(settings)
    if options is not None:
        plugins = config["plugins"]
        config["plugins"] = [{"northstar": options} if p == "northstar" or "northstar" in p else p for p in plugins]
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")


@pytest.mark.parametrize(
    ("site_dir", "reason"),
    [
        ("plan", "overlaps the plan folder"),
        ("plan/execution", "overlaps the plan folder"),
        ("plan/schema", "overlaps the plan folder"),
        (".git", "overlaps the git directory"),
        (".git/refs", "overlaps the git directory"),
        ("..", "The 'docs_dir' should not be within the 'site_dir'"),  # MkDocs' own check comes first here
    ],
)
def test_a_site_dir_over_the_users_files_is_refused_before_anything_is_written(
    tmp_path: Path, site_dir: str, reason: str
) -> None:
    project = tmp_path / "project"
    project.mkdir()
    copy_project(project)
    _configure(project, site_dir=site_dir)
    (project / "plan" / "notes.yml.draft").write_text("uncommitted work\n", encoding="utf-8")
    before = everything(project)

    done = mkdocs("build", cwd=project)

    assert done.returncode == 1
    assert f"northstar: site_dir {site_dir} {reason}" in done.stderr or reason.startswith("The"), done.stderr
    assert reason in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    assert everything(project) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project"]


def test_a_plan_inside_docs_dir_or_pages_outside_the_site_are_refused(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    (project / "plan").rename(project / "docs" / "plan")
    _configure(project, northstar={"plan_dir": "docs/plan"})
    done = mkdocs("build", cwd=project)
    assert done.returncode == 1
    assert "so the raw plan files (comments included) would be published" in done.stderr, done.stderr
    assert not (project / "site").exists()
    (project / "docs" / "plan").rename(project / "plan")
    for path in ("../above", "/etc/northstar", "plan/../../above"):
        _configure(project, northstar={"path": path})
        done = mkdocs("build", cwd=project)
        assert done.returncode == 1
        assert f"northstar: path {path!r} must be a folder inside the output" in done.stderr, done.stderr
        assert not (tmp_path.parent / "above").exists()


def test_render_removes_only_what_it_wrote_inside_its_folder(tmp_path: Path) -> None:
    (tmp_path / "p").mkdir()
    project = copy_project(tmp_path / "p")
    assert northstar("render", "--out", "out", cwd=project).returncode == 0
    victims = [project / "plan" / "strategy.yml", tmp_path / "victim.md", project / "out" / "notes.txt"]
    victims[1].write_text("# someone else's page\n", encoding="utf-8")
    victims[2].write_text("mine\n", encoding="utf-8")
    manifest = project / "out" / ".northstar-render"
    hostile = ["../plan/strategy.yml", "../../victim.md", str(victims[1]), "notes.txt", "a/../../../victim.md"]
    manifest.write_text(manifest.read_text(encoding="utf-8") + "\n".join(hostile) + "\n", encoding="utf-8")

    done = northstar("render", "--out", "out", cwd=project)

    assert done.returncode == 0, done.stderr
    assert all(victim.is_file() for victim in victims)
    assert not set(hostile) & set(manifest.read_text(encoding="utf-8").split())
    for path in ("../outside", "/tmp/northstar-outside", "a/../../b"):
        refused = northstar("render", "--out", "out", "--path", path, cwd=project)
        assert (refused.returncode, refused.stdout) == (2, "")
        assert refused.stderr == (
            f"northstar render: --path {path!r} must be a folder inside the output, without '..' or a leading '/'\n"
        )


def _limit_files_to(size: int) -> Callable[[], None]:
    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit then fails with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, resource.RLIM_INFINITY))

    return limit


def test_a_full_disk_leaves_whole_files_and_the_next_run_completes(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    assert northstar("export", "--out", "plan.json", cwd=project).returncode == 0
    exported = (project / "plan.json").read_bytes()
    (project / "plan.json").write_bytes(b'{"an": "older export"}\n')

    full = northstar("export", "--out", "plan.json", cwd=project, preexec_fn=_limit_files_to(4096))

    assert full.returncode == 1
    assert full.stderr == "northstar export: could not write plan.json: File too large\n"
    assert (project / "plan.json").read_bytes() == b'{"an": "older export"}\n'  # the old file, whole
    assert [p.name for p in project.glob(".plan.json.*")] == []  # no temporary file left
    assert northstar("export", "--out", "plan.json", cwd=project).returncode == 0
    assert (project / "plan.json").read_bytes() == exported

    assert northstar("render", "--out", "clean", cwd=project).returncode == 0
    stopped = northstar("render", "--out", "out", cwd=project, preexec_fn=_limit_files_to(20_000))
    assert stopped.returncode == 1
    assert stopped.stderr.startswith("northstar render: could not write out/") and "File too large" in stopped.stderr
    written = list((project / "out").rglob("*.md"))
    assert written, "the limit let no page through: the half-way case is not tested"
    again = northstar("render", "--out", "out", cwd=project)  # not refused: it knows the files as its own
    assert again.returncode == 0, again.stderr
    assert tree(project / "out") == tree(project / "clean")


@pytest.mark.parametrize("where", ["a-folder", "missing/plan.json"])
def test_an_output_path_that_cannot_be_written_is_one_line(tmp_path: Path, where: str) -> None:
    project = copy_project(tmp_path)
    (project / "a-folder").mkdir()
    done = northstar("export", "--out", where, cwd=project)
    assert done.returncode == 1
    assert done.stdout == ""
    reason = "Is a directory" if where == "a-folder" else "No such file or directory"
    assert done.stderr == f"northstar export: could not write {where}: {reason}\n"


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (["schema", "--out", "a-file"], "northstar schema: could not use a-file: File exists\n"),
        (["init", "a-file"], "northstar init: could not use a-file: Not a directory\n"),
        (["render", "--out", "a-file"], "northstar render: could not write a-file: File exists\n"),
    ],
    ids=["schema", "init", "render"],
)
def test_a_file_where_a_folder_belongs_is_one_line(tmp_path: Path, command: list[str], expected: str) -> None:
    project = copy_project(tmp_path)
    (project / "a-file").write_text("mine\n", encoding="utf-8")
    done = northstar(*command, cwd=project)
    assert (done.returncode, done.stderr) == (1, expected)
    assert (project / "a-file").read_text(encoding="utf-8") == "mine\n"


def test_init_force_names_what_it_replaces_and_leaves_the_rest(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "docs").mkdir(parents=True)
    (site / "mkdocs.yml").write_text("site_name: Mine\n", encoding="utf-8")
    (site / "docs" / "mine.md").write_text("# Mine\n", encoding="utf-8")

    done = northstar("init", "site", "--force", "--as-of", "2026-11-24", cwd=tmp_path)

    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "mkdocs.yml (replaced)" in lines
    assert "docs/index.md" in lines and "plan/strategy.yml" in lines  # new files, not marked
    assert [line for line in lines if line.endswith("(replaced)")] == ["mkdocs.yml (replaced)"]
    assert done.stderr == (
        "northstar init: --force replaced 1 file marked (replaced) above; every other file was left alone\n"
    )
    assert (site / "docs" / "mine.md").read_text(encoding="utf-8") == "# Mine\n"


# --- a review gate that cannot pass by mistake ----------------------------------------------------


def _strategy_change_on_a_branch(tmp_path: Path, default: str = "main") -> Path:
    (tmp_path / "origin").mkdir()
    origin = copy_project(tmp_path / "origin")
    if default != "main":
        git("branch", "-m", "main", default, cwd=origin)
    git("checkout", "-q", "-b", "feature", cwd=origin)
    strategy = origin / "plan" / "strategy.yml"
    strategy.write_text(strategy.read_text(encoding="utf-8").replace("Answer fast", "Answer at once"), encoding="utf-8")
    git("commit", "-qam", "Change a value", cwd=origin)
    return origin


def test_the_gate_fails_on_a_strategy_change_against_the_default_branch(tmp_path: Path) -> None:
    origin = _strategy_change_on_a_branch(tmp_path)
    done = northstar("diff", "--fail-on-strategy-change", cwd=origin)
    assert done.returncode == 1, done.stderr
    assert done.stdout.startswith("STRATEGY CHANGED\n")


def test_the_gate_never_compares_head_with_itself_in_a_shallow_clone(tmp_path: Path) -> None:
    origin = _strategy_change_on_a_branch(tmp_path)
    git("checkout", "-q", "main", cwd=origin)  # as a hosted repository: its HEAD is the default branch
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", "--branch", "feature", f"file://{origin}", str(clone)],
        check=True,
        capture_output=True,
    )
    done = northstar("diff", "--fail-on-strategy-change", cwd=clone)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.startswith("northstar diff: this clone is shallow, so where this branch left")
    assert "fetch-depth: 0" in done.stderr


def test_the_gate_needs_a_base_when_there_is_no_default_branch(tmp_path: Path) -> None:
    origin = _strategy_change_on_a_branch(tmp_path, default="trunk")
    done = northstar("diff", "--fail-on-strategy-change", cwd=origin)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "northstar diff: no default branch to compare with (tried main, master, origin/main, origin/master); "
        "name the base: northstar diff BASE [HEAD]\n"
    )
    named = northstar("diff", "--fail-on-strategy-change", "trunk", "HEAD", cwd=origin)
    assert named.returncode == 1 and named.stdout.startswith("STRATEGY CHANGED\n")


def test_a_revision_is_never_read_as_an_option(tmp_path: Path) -> None:
    origin = _strategy_change_on_a_branch(tmp_path)
    target = tmp_path / "written-by-git"
    done = northstar("diff", "--", f"--output={target}", "HEAD", cwd=origin)
    assert done.returncode == 2
    assert done.stderr.startswith("northstar diff: ")
    assert not target.exists()


def test_a_plan_that_would_make_too_many_pages_is_refused_with_its_limit(tmp_path: Path) -> None:
    project = copy_project(tmp_path, commit=False)
    (project / "plan" / "northstar.yml").write_text("max_pages: 20\n", encoding="utf-8")
    git("init", "-q", "-b", "main", cwd=project)
    git("add", ".", cwd=project)
    git("commit", "-q", "-m", "plan", cwd=project)

    built = mkdocs("build", cwd=project)
    rendered = northstar("render", "--out", "out", cwd=project)

    limit = "more than max_pages (20); raise max_pages in northstar.yml if the plan is really that large"
    assert built.returncode == 1 and limit in built.stderr, built.stderr
    assert "Traceback" not in built.stderr and not (project / "site").exists()
    assert rendered.returncode == 2 and rendered.stderr.startswith("northstar render: the plan would make ")
    assert limit in rendered.stderr and not (project / "out").exists()
