"""Publishing: the shipped workflow's commands, `northstar init`, and `northstar render` for other generators."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import jsonschema
import yaml
from mkdocs_northstar.export import EXPORT_SCHEMA
from mkdocs_northstar.updates import FORM_FIELDS

from tests.conftest import ROOT
from tests.site_helpers import article, broken_links, copy_project, git, mkdocs, northstar, page

BIN = Path(sys.executable).parent
WORKFLOW = ROOT / ".github" / "workflows" / "plan.yml"


def _steps(job: str) -> list[dict[str, object]]:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    return list(workflow["jobs"][job]["steps"])


def test_workflow_is_valid_and_fetches_all_history() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert set(workflow["jobs"]) == {"check", "publish", "weekly-review"}
    assert workflow[True]["schedule"] == [{"cron": "0 6 * * 1"}]  # Mondays
    assert workflow[True]["push"]["branches"] == ["main"]  # YAML 1.1 reads the key `on` as true
    for job in ("check", "publish"):
        checkout = _steps(job)[0]
        assert checkout["uses"] == "actions/checkout@v7" and checkout["with"] == {"fetch-depth": 0}
    publish = [s.get("uses") for s in _steps("publish")]
    assert "actions/upload-pages-artifact@v5" in publish and "actions/deploy-pages@v5" in publish


def test_workflow_commands_succeed_on_the_example(tmp_path: Path) -> None:
    (tmp_path / "origin").mkdir()
    origin = copy_project(tmp_path / "origin")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(origin), str(clone)], check=True)
    git("checkout", "-q", "-b", "proposal", cwd=clone)
    sales = clone / "plan" / "execution" / "2026-q4" / "sales.yml"
    text = sales.read_text(encoding="utf-8")
    sales.write_text(
        re.sub(r"target: (\d+)", lambda m: f"target: {int(m.group(1)) + 5}", text, count=1), encoding="utf-8"
    )
    git("commit", "-qam", "Raise", cwd=clone)
    summary = tmp_path / "summary.md"
    env = {
        **os.environ,
        "PATH": f"{BIN}:{os.environ['PATH']}",
        "GITHUB_STEP_SUMMARY": str(summary),
        "NO_MKDOCS_2_WARNING": "1",
    }
    ran = []
    for job in ("check", "publish"):
        for step in _steps(job):
            command = str(step.get("run", ""))
            if not command or command.startswith(("pip install", "gh pr comment")) or "if" in step:
                continue  # installing is the job's setup; commenting needs the GitHub API; `if`: another event
            command = command.replace("${{ github.base_ref }}", "main")
            done = subprocess.run(
                ["bash", "-c", command], cwd=clone, env=env, capture_output=True, text=True, check=False, timeout=300
            )
            assert done.returncode == 0, (command, done.stdout, done.stderr)
            ran.append(command.split()[0:2])
    assert ran == [["northstar", "check"], ["mkdocs", "build"], ["northstar", "diff"], ["mkdocs", "build"]]
    assert summary.read_text(encoding="utf-8").startswith("## Execution changes only")


def test_the_weekly_run_publishes_this_week_and_writes_the_review_issue(tmp_path: Path) -> None:
    """The scheduled job's steps, run here on the example with the day fixed: the site is judged
    as of that Monday, and the issue's title and body are the week's review, naming owners."""
    project = copy_project(tmp_path)
    github_env = tmp_path / "github_env"
    env = {
        **os.environ,
        "PATH": f"{BIN}:{os.environ['PATH']}",
        "GITHUB_ENV": str(github_env),
        "NO_MKDOCS_2_WARNING": "1",
    }

    def run(command: str, extra: dict[str, str] | None = None) -> str:
        command = command.replace("$(date -u +%F)", "2026-12-07")
        done = subprocess.run(
            ["bash", "-c", command],
            cwd=project,
            env={**env, **(extra or {})},
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, (command, done.stderr)
        return done.stdout

    publish = [str(s["run"]) for s in _steps("publish") if "run" in s and not str(s["run"]).startswith("pip")]
    run(publish[0])  # the weekly run's date, for the build
    pinned = dict(line.split("=", 1) for line in github_env.read_text(encoding="utf-8").splitlines())
    assert pinned == {"NORTHSTAR_AS_OF": "2026-12-07"}
    run(publish[1], pinned)
    week = article(project / "site", "reviews/week/").get_text(" ")
    assert "2026-12-07 to 2026-12-13, as of 2026-12-07" in week

    weekly = [str(s["run"]) for s in _steps("weekly-review") if "run" in s and not str(s["run"]).startswith("pip")]
    run(weekly[0])
    body = (project / "weekly-review.md").read_text(encoding="utf-8")
    title = run(weekly[1].splitlines()[0] + '\necho "$title"')
    assert title == "Week 2026-W50\n" and body.startswith("# Week 2026-W50\n")
    assert "Grant Olson @granto" in body  # his key results need attention: he is notified
    assert "<" not in body.replace("< ", "")  # Markdown for the issue, no site HTML


def test_init_scaffolds_a_site_that_builds_strictly(tmp_path: Path) -> None:
    """A site started in November: it checks and builds strictly, and its next year is there for the
    December offsite, so next quarter's files can be written before it starts."""
    done = northstar("init", "acme", "--company", "Acme Rivets", "--as-of", "2026-11-24", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    site = tmp_path / "acme"
    written = done.stdout.split("\n\n")[0].splitlines()
    assert "plan/execution/2026-q4/leadership.yml" in written  # the quarter of --as-of
    assert {
        ".gitignore",
        ".github/CODEOWNERS",
        ".github/workflows/plan.yml",
        "mkdocs.yml",
        "docs/index.md",
        "plan/strategy.yml",
        "plan/company.yml",
        "plan/people.yml",
        "plan/teams.yml",
        "plan/schema/strategy.schema.json",
    } <= set(written)
    assert any(w.startswith("plan/execution/") and w.endswith("/leadership.yml") for w in written)
    assert "/plan/strategy.yml   @strategy-owner" in (site / ".github" / "CODEOWNERS").read_text(encoding="utf-8")
    assert (
        (site / "plan" / "strategy.yml")
        .read_text(encoding="utf-8")
        .startswith("# yaml-language-server: $schema=schema/strategy.schema.json\n")
    )
    shipped = WORKFLOW.read_text(encoding="utf-8").replace("pip install -e .", "pip install mkdocs-northstar")
    assert (site / ".github" / "workflows" / "plan.yml").read_text(encoding="utf-8") == shipped
    check = northstar("check", "--strict", "plan", "--as-of", "2026-11-24", cwd=site)
    assert check.returncode == 0, check.stdout
    company = yaml.safe_load((site / "plan" / "company.yml").read_text(encoding="utf-8"))
    assert [y["id"] for y in company["years"]] == ["2026", "2027"]
    assert [q["id"] for q in company["years"][1]["quarters"]] == ["2027-q1", "2027-q2", "2027-q3", "2027-q4"]
    ahead = northstar("new-quarter", "2027-q1", "plan", cwd=site)
    assert ahead.returncode == 0, ahead.stderr
    assert "plan/execution/2027-q1/leadership.yml" in ahead.stdout
    check = northstar("check", "--strict", "plan", "--as-of", "2026-12-10", cwd=site)
    assert check.returncode == 0, check.stdout
    build = mkdocs("build", "--strict", cwd=site, env={"NORTHSTAR_AS_OF": "2026-12-10"})
    assert build.returncode == 0, build.stderr
    assert "Acme Rivets" in article(site / "site", "one-page-plan/").get_text()
    again = northstar("init", "acme", cwd=tmp_path)
    assert (again.returncode, again.stderr) == (
        1,
        "northstar init: acme is not empty; choose a new folder or pass --force\n",
    )


def test_render_for_other_generators_builds_without_the_plugin(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    done = northstar("render", "--out", "rendered", "--nav", "nav.yml", cwd=project)
    assert done.returncode == 0, done.stderr
    out = project / "rendered"
    nav = yaml.safe_load((project / "nav.yml").read_text(encoding="utf-8"))
    assert [next(iter(entry)) for entry in nav[0]["Plan"]][:4] == ["Strategy", "Decisions", "One-page plan", "Teams"]
    for rendered in [
        "strategy.md",
        "one-page-plan.md",
        "teams/index.md",
        "teams/sales.md",
        "alignment.md",
        "people/maya-chen.md",
        "changes.md",
        "archive/index.md",
        "archive/2026-q3/teams/sales.md",
    ]:
        assert (out / rendered).is_file(), rendered
    assert (out / "assets" / "northstar" / "northstar.css").is_file()
    # a plain MkDocs site (no Northstar plugin) publishes the rendered pages
    (project / "plain.yml").write_text(
        "site_name: Plain\ndocs_dir: rendered\nsite_dir: plain-site\ntheme:\n  name: material\n"
        "plugins:\n  - search\nextra_css:\n  - assets/northstar/northstar.css\n"
        "validation:\n  omitted_files: ignore\n" + yaml.safe_dump({"nav": ["index.md", *nav]}),
        encoding="utf-8",
    )
    (out / "index.md").write_text("# Plan\n", encoding="utf-8")
    build = mkdocs("build", "--strict", "-f", "plain.yml", cwd=project)
    assert build.returncode == 0, build.stderr
    assert broken_links(project / "plain-site") == []
    sidebar = page(project / "plain-site", "strategy/").select_one("nav.md-nav--primary")
    assert "../teams/sales/" in [a["href"] for a in sidebar.select("a[href]")]  # the plugin's navigation
    row = article(project / "plain-site", "teams/sales-alberta/").find("tr", id="ab-new-accounts")
    assert row.find_all("td")[3].get_text(" ", strip=True) == "68% On track"


def test_render_never_overwrites_files_it_did_not_write(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    config = project / "mkdocs.yml"  # as for another generator: the plugin's options kept, the plugin off
    config.write_text(
        config.read_text(encoding="utf-8").replace("  - northstar\n", "  - northstar: {enabled: false}\n")
    )
    out = project / "docs"
    clash = northstar("render", "--out", "docs", cwd=project)
    assert clash.returncode == 0  # docs/ holds index.md and the guides, none named like a plan page
    (out / "strategy.md").write_text("# Mine\n", encoding="utf-8")
    manifest = (out / ".northstar-render").read_text(encoding="utf-8").split()
    (out / ".northstar-render").write_text("\n".join(m for m in manifest if m != "strategy.md"), encoding="utf-8")
    refused = northstar("render", "--out", "docs", cwd=project)
    assert refused.returncode == 1
    assert "already has files Northstar did not write: strategy.md" in refused.stderr
    assert (out / "strategy.md").read_text(encoding="utf-8") == "# Mine\n"


def test_render_removes_its_own_stale_pages(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    assert northstar("render", "--out", "out", cwd=project).returncode == 0
    assert (project / "out" / "strategy.md").exists()
    done = northstar("render", "--out", "out", "--path", "plan", cwd=project)
    assert done.returncode == 0, done.stderr
    assert not (project / "out" / "strategy.md").exists()
    assert (project / "out" / "plan" / "strategy.md").exists()


def test_site_publishes_plan_json_equal_to_the_cli_export(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    assert mkdocs("build", "--strict", cwd=project).returncode == 0
    published = (project / "site" / "plan.json").read_text(encoding="utf-8")
    exported = northstar("export", "plan", cwd=project)
    assert exported.returncode == 0, exported.stderr
    data = json.loads(published)
    assert data == json.loads(exported.stdout)  # the same plan: compact on the site, indented for people
    assert published.count("\n") == 1 and exported.stdout.count("\n") > 1000
    assert (data["format"], data["format_version"], data["period"]) == ("northstar-plan", 1, "2026-q4")
    jsonschema.validate(data, EXPORT_SCHEMA)
    csv_out = northstar("export", "plan", "--format", "csv", "--out", "plan.csv", cwd=project)
    assert (csv_out.returncode, csv_out.stdout) == (0, "plan.csv\n")
    assert (project / "plan.csv").read_text(encoding="utf-8").startswith("period,team,objective_id,")
    rendered = northstar("render", "--out", "out", cwd=project)
    assert rendered.returncode == 0 and (project / "out" / "plan.json").read_text(encoding="utf-8") == published


def test_export_refuses_an_invalid_plan(case_plan, tmp_path: Path) -> None:
    case_plan("NS202-unknown-reference")
    done = northstar("export", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr.endswith("northstar export: the plan has 3 errors; nothing exported\n")


BARE_INSTALL = re.compile(r"""pip3?\s+install\s+(?:-\S+\s+)*['"]?northstar\b""")
"""An install of the bare name `northstar` gets someone else's library: ours is `mkdocs-northstar`."""


def _install_lines_naming_another_library(folder: Path, paths: list[str]) -> list[str]:
    found = []
    for rel in paths:
        path = folder / rel
        if path.is_file() and not path.is_symlink():
            text = path.read_bytes().decode("utf-8", errors="replace")
            found += [f"{rel}: {m.group(0)}" for m in BARE_INSTALL.finditer(text)]
    return found


def test_no_install_line_names_the_other_northstar(tmp_path: Path) -> None:
    assert BARE_INSTALL.search("run: pip install -U '" + "northstar[pdf]'")  # the pattern finds what it is for
    assert not BARE_INSTALL.search("pip install mkdocs-northstar")
    tracked = git("ls-files", "-z", cwd=ROOT).split("\0")
    assert len(tracked) > 100
    assert _install_lines_naming_another_library(ROOT, tracked) == []
    assert northstar("init", "site", "--as-of", "2026-11-24", cwd=tmp_path).returncode == 0
    scaffolded = [p.relative_to(tmp_path / "site").as_posix() for p in (tmp_path / "site").rglob("*")]
    assert ".github/workflows/plan.yml" in scaffolded
    assert _install_lines_naming_another_library(tmp_path / "site", scaffolded) == []


def test_the_wheel_installs_as_mkdocs_northstar_in_a_fresh_environment(tmp_path: Path) -> None:
    """What a new site's CI does with `pip install mkdocs-northstar`, from the wheel this tree builds."""
    dist = tmp_path / "dist"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "-w", str(dist), str(ROOT)], check=True, timeout=300)
    (wheel,) = dist.glob("*.whl")
    assert wheel.name.startswith("mkdocs_northstar-0.1.0-py3-none-any")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        meta = archive.read("mkdocs_northstar-0.1.0.dist-info/METADATA").decode("utf-8")
        entry_points = archive.read("mkdocs_northstar-0.1.0.dist-info/entry_points.txt").decode("utf-8")
    assert {name.split("/", 1)[0] for name in names} == {"mkdocs_northstar", "mkdocs_northstar-0.1.0.dist-info"}
    assert "mkdocs_northstar-0.1.0.dist-info/licenses/LICENSE" in names
    assert {"mkdocs_northstar/templates/strategy.md.jinja", "mkdocs_northstar/assets/northstar.css"} <= set(names)
    assert "Name: mkdocs-northstar\n" in meta and "License-Expression: MIT\n" in meta
    assert "Classifier: Framework :: MkDocs\n" in meta
    assert "northstar = mkdocs_northstar.cli:main" in entry_points
    assert "northstar = mkdocs_northstar.plugin:NorthstarPlugin" in entry_points
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    bin_dir = venv / "bin"
    subprocess.run([str(bin_dir / "python"), *pip[1:], "install", str(wheel)], check=True, timeout=600)
    version = northstar("--version", cwd=tmp_path, bin_dir=bin_dir)
    assert version.stdout == "northstar 0.1.0\n", version.stderr
    assert northstar("init", "acme", "--as-of", "2026-11-24", cwd=tmp_path, bin_dir=bin_dir).returncode == 0
    build = mkdocs("build", "--strict", cwd=tmp_path / "acme", timeout=300, bin_dir=bin_dir)
    assert build.returncode == 0, build.stderr
    assert (tmp_path / "acme" / "site" / "one-page-plan" / "index.html").is_file()


def _validate(schema: str, *files: Path) -> None:
    """Validate `files` with check-jsonschema against one of the schemas it ships (no network)."""
    checker = Path(sys.executable).parent / "check-jsonschema"
    done = subprocess.run(
        [str(checker), "--builtin-schema", schema, *map(str, files)],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_pipeline_form_and_hook_file_passes_its_schema(tmp_path: Path) -> None:
    """The shipped workflows, issue forms, GitLab pipeline and pre-commit hooks, as GitHub, GitLab
    and pre-commit read them; and `init --ci` writes the matching set and says who will see the site."""
    scaffold = ROOT / "plugins" / "mkdocs_northstar" / "scaffold"
    _validate("vendor.github-workflows", *sorted((ROOT / ".github" / "workflows").glob("*.yml")))
    _validate("vendor.github-workflows", *sorted((scaffold / "github" / "workflows").glob("*.yml")))
    _validate("vendor.github-issue-forms", ROOT / ".github" / "ISSUE_TEMPLATE" / "check-in.yml")
    _validate("vendor.gitlab-ci", scaffold / "gitlab" / "gitlab-ci.yml")
    hooks = subprocess.run(
        [str(Path(sys.executable).parent / "pre-commit"), "validate-manifest", str(ROOT / ".pre-commit-hooks.yaml")],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert hooks.returncode == 0, hooks.stdout + hooks.stderr
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert (hook["id"], hook["entry"], hook["pass_filenames"]) == ("northstar-check", "northstar check", False)

    publish = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]["publish"]
    assert publish["concurrency"] == {"group": "pages", "cancel-in-progress": False}  # never cut off mid-deploy

    for ci, present, absent in [
        ("gitlab", [".gitlab-ci.yml", ".gitlab/CODEOWNERS", ".gitlab/check-in.sh"], [".github"]),
        ("none", [], [".github", ".gitlab", ".gitlab-ci.yml"]),
    ]:
        done = northstar("init", ci, "--ci", ci, "--as-of", "2026-11-24", cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        site = tmp_path / ci
        assert all((site / p).is_file() for p in present), done.stdout
        assert not any((site / p).exists() for p in absent)
        assert "Who will see the site: " in done.stdout
    assert "public unless the project's Pages access is set to 'Only project members'" in northstar(
        "init", "again", "--ci", "gitlab", "--as-of", "2026-11-24", cwd=tmp_path
    ).stdout.replace("\n", " ")
    _validate("vendor.gitlab-ci", tmp_path / "gitlab" / ".gitlab-ci.yml")
    template = tmp_path / "gitlab" / ".gitlab" / "issue_templates" / "Check-in.md"
    headings = re.findall(r"^### (.+)$", template.read_text(encoding="utf-8"), flags=re.MULTILINE)
    assert {h.lower() for h in headings} == set(FORM_FIELDS)
    check = northstar("check", "--strict", "plan", "--as-of", "2026-11-24", cwd=tmp_path / "gitlab")
    assert check.returncode == 0, check.stdout
