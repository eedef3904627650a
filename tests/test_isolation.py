"""Determinism and isolation: the same commit builds to the same bytes wherever, whoever and whenever
it is built; a build leaves the working tree alone; the site names no local path or user.
"""

from __future__ import annotations

import getpass
import gzip
import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.conftest import ROOT
from tests.site_helpers import CLOCK, ENV_QUIET, MKDOCS, copy_project, git, mkdocs, tree

FAKETIME = shutil.which("faketime")


def build_as(project: Path, env: dict[str, str], *, shift_clock: bool = True) -> subprocess.CompletedProcess[str]:
    """`mkdocs build` with `env` on top of ours, the clock 400 days on when faketime is installed."""
    command = [str(MKDOCS), "build"]
    assert FAKETIME or not os.environ.get("CI"), "faketime is missing; .ci/run installs it"
    if shift_clock and FAKETIME:
        command = [FAKETIME, "-f", "+400d", *command]
    return subprocess.run(
        command,
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        env={**os.environ, **ENV_QUIET, **env},
    )


def test_one_commit_builds_to_identical_bytes_in_any_folder_for_any_user_on_any_day(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "somewhere" / "much" / "deeper"
    for folder in (first, second):
        folder.mkdir(parents=True)
        copy_project(folder)
    assert git("rev-parse", "HEAD", cwd=first) == git("rev-parse", "HEAD", cwd=second)  # the same commit
    assert mkdocs("build", cwd=first).returncode == 0
    other = {
        **CLOCK,  # as `mkdocs` sets it: sitemap.xml.gz is stamped with it
        "HOME": str(tmp_path / "another-home"),
        "USER": "another-user",
        "LOGNAME": "another-user",
        "TZ": "Pacific/Kiritimati",  # UTC+14: another calendar day for most of the world's clocks
        "LC_ALL": "C",
    }
    done = build_as(second, other)
    assert done.returncode == 0, done.stderr
    assert tree(first / "site") == tree(second / "site")


@pytest.mark.clock  # the other tests here move the clock themselves
def test_the_retired_parallel_option_warns_and_changes_nothing(tmp_path: Path) -> None:
    """`parallel` rendered pages in a second process; pages are rendered in one now. A site that
    still sets it is told so (a warning, which --strict makes fatal) and builds the same bytes."""
    project = copy_project(tmp_path)
    assert mkdocs("build", "--strict", cwd=project).returncode == 0
    before = tree(project / "site")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "\n  - northstar\n" in text
    config.write_text(text.replace("\n  - northstar\n", "\n  - northstar:\n      parallel: false\n"), encoding="utf-8")
    done = mkdocs("build", cwd=project)
    assert done.returncode == 0, done.stderr
    assert "Plugin 'northstar' option 'parallel': 'parallel' has no effect any more" in done.stderr
    assert tree(project / "site") == before
    assert mkdocs("build", "--strict", cwd=project).returncode == 1


def test_without_source_date_epoch_only_mkdocs_sitemap_stamp_follows_the_clock(tmp_path: Path) -> None:
    """MkDocs stamps its sitemap (each page's <lastmod>, and the .gz header) with the build day unless
    SOURCE_DATE_EPOCH is set (the publish workflow's concern, see docs/guide/security.md); nothing
    Northstar writes depends on the clock."""
    project = copy_project(tmp_path)
    assert mkdocs("build", cwd=project).returncode == 0
    reference = tree(project / "site")
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    done = subprocess.run(
        [*([FAKETIME, "-f", "+400d"] if FAKETIME else []), str(MKDOCS), "build"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        env={**env, **ENV_QUIET},
    )
    assert done.returncode == 0, done.stderr
    rebuilt = tree(project / "site")
    assert sorted(rebuilt) == sorted(reference)
    assert {path for path in reference if reference[path] != rebuilt[path]} <= {"sitemap.xml", "sitemap.xml.gz"}
    sitemap = (project / "site" / "sitemap.xml").read_text(encoding="utf-8")
    assert sitemap.count("<lastmod>") > 40  # the example sets site_url, so its sitemap lists every page
    with gzip.open(project / "site" / "sitemap.xml.gz") as f:
        assert f.read() == sitemap.encode("utf-8")


def _status(project: Path) -> str:
    return git("status", "--porcelain", "--untracked-files=all", cwd=project)


def _files(project: Path) -> dict[str, tuple[int, str]]:
    """Every file outside site/ and .git/: modification time and content hash."""
    return {
        p.relative_to(project).as_posix(): (p.stat().st_mtime_ns, hashlib.sha256(p.read_bytes()).hexdigest())
        for p in sorted(project.rglob("*"))
        if p.is_file() and not {"site", ".git"} & set(p.relative_to(project).parts)
    }


@pytest.mark.clock  # the other tests here move the clock themselves
def test_build_leaves_the_working_tree_untouched(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    (project / "plan" / "people.yml").write_text(
        (project / "plan" / "people.yml").read_text(encoding="utf-8") + "# an uncommitted edit\n", encoding="utf-8"
    )
    status, files = _status(project), _files(project)
    assert status == " M plan/people.yml\n"
    for command in (["build"], ["build", "--strict"]):
        done = mkdocs(*command, cwd=project)
        assert done.returncode == 0, done.stderr
        assert _status(project) == status
        assert _files(project) == files


@pytest.mark.clock  # the other tests here move the clock themselves
def test_site_names_no_local_path_and_no_user_but_commit_authors(tmp_path: Path) -> None:
    workdir = tmp_path / "dir-zq7x"
    workdir.mkdir()
    project = copy_project(workdir)
    home = tmp_path / "home-zq8y"
    home.mkdir()
    done = build_as(project, {"HOME": str(home), "USER": "user-zq9w", "LOGNAME": "user-zq9w"}, shift_clock=False)
    assert done.returncode == 0, done.stderr
    site = project / "site"
    forbidden = {str(workdir), str(workdir.resolve()), str(home), str(ROOT), sys.prefix, "zq7x", "zq8y", "zq9w"}
    real_home = str(Path("~").expanduser())
    if real_home not in ("/", "~"):
        forbidden.add(real_home)
    leaks = []
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        text = data.decode("utf-8", errors="replace")
        leaks += [f"{path.relative_to(site)}: {word}" for word in forbidden if word in text]
    assert leaks == []
    user = getpass.getuser()
    ours = [json.read_text(encoding="utf-8") for json in [site / "plan.json"]]
    for html in sorted(site.rglob("*.html")):
        found = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser").select_one("article")
        if found is not None and found.select_one(".ns-footer") is not None:  # a page Northstar wrote
            ours.append(found.get_text(" "))
    assert len(ours) > 20
    pattern = re.compile(rf"(?<![\w-]){re.escape(user)}(?![\w-])", flags=re.I)
    assert [text for text in ours if pattern.search(text)] == []  # the person building is named nowhere
    changes = BeautifulSoup((site / "changes" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert "Test" in changes.select_one(".ns-entry-head").get_text()  # the commit author is, by design


def test_a_one_off_build_turns_the_collector_back_on(tmp_path: Path) -> None:
    """Reading the plan pauses the cycle collector: a build in a process that goes on (as a
    script calling MkDocs) must find it running after, and after a build that fails."""
    script = """
import gc, sys
from mkdocs.commands.build import build
from mkdocs.config import load_config
for config_file in sys.argv[2:]:
    try:
        build(load_config(config_file, site_dir=sys.argv[1]))
    except BaseException as exc:
        print(type(exc).__name__, end=" ")
    print(gc.isenabled(), end=" ")
"""
    good = ROOT / "mkdocs.yml"
    broken = tmp_path / "broken"
    (broken / "plan").mkdir(parents=True)
    (broken / "docs").mkdir()
    (broken / "docs" / "index.md").write_text("# Broken\n", encoding="utf-8")
    (broken / "plan" / "strategy.yml").write_text("purpose: [\n", encoding="utf-8")
    (broken / "mkdocs.yml").write_text("site_name: Broken\nplugins:\n  - northstar\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "site"), str(good), str(broken / "mkdocs.yml")],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert done.stdout.split() == ["True", "Abort", "True"], done.stderr
