"""The real `northstar` command, run as a user runs it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.history_helpers import PlanRepo
from tests.site_helpers import copy_project, real_clock_environ

NORTHSTAR = Path(sys.executable).parent / "northstar"
FAKETIME = shutil.which("faketime")


def run(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(NORTHSTAR), *args], cwd=cwd, capture_output=True, text=True, check=False, env=env, timeout=60
    )


def test_example_plan_passes_strict() -> None:
    done = run("check", "--strict", "--as-of", "2026-11-24", "plan", cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == "plan: no problems (9 teams, 18 team plans)\n"
    assert done.stderr == ""


def test_errors_exit_1_with_positions(case_plan, tmp_path: Path) -> None:
    case_plan("NS202-unknown-reference")
    done = run("check", "--as-of", "2026-11-24", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        "plan/execution/2026-q4/sales.yml:6:16: error NS202 unknown strategic choice, goal, objective or key "
        "result 'win-maker' (did you mean 'win-makers'?)",
        "plan/execution/2026-q4/sales.yml:6:27: error NS202 'sales' is a team, not a strategic choice, goal, "
        "objective or key result",
        "plan/execution/2026-q4/sales.yml:10:16: error NS202 unknown person 'anna' (did you mean 'ana'?)",
        "plan: 3 errors, 0 warnings",
    ]
    assert "Traceback" not in done.stderr


def test_warnings_fail_only_with_strict(case_plan, tmp_path: Path) -> None:
    case_plan("NS307-too-few-key-results")
    relaxed = run("check", "--as-of", "2026-11-24", "plan", cwd=tmp_path)
    strict = run("check", "--strict", "--as-of", "2026-11-24", "plan", cwd=tmp_path)
    assert (relaxed.returncode, strict.returncode) == (0, 1)
    assert relaxed.stdout.endswith("plan: 0 errors, 1 warning\n")


def test_dated_notices_never_fail_even_strict(case_plan, tmp_path: Path) -> None:
    """A key result nobody checked in on is said, but whether the check passes does not depend on the date."""
    case_plan("NS311-stale-key-result")
    strict = run("check", "--strict", "--as-of", "2026-11-24", "plan", cwd=tmp_path)
    assert strict.returncode == 0, strict.stdout
    assert "notice NS311 key result 'meetings'" in strict.stdout
    assert strict.stdout.endswith(
        "plan: no errors or warnings (2 teams, 2 team plans), 2 notices (dated: they never fail a check)\n"
    )
    github = run("check", "--strict", "--format", "github", "--as-of", "2026-11-24", "plan", cwd=tmp_path)
    assert github.returncode == 0
    assert github.stdout.startswith("::notice file=plan/execution/2026-q4/sales.yml,line=8,col=13,title=NS311")


def test_json_format(case_plan, tmp_path: Path) -> None:
    case_plan("NS206-baseline-is-target")
    done = run("check", "--format", "json", "--as-of", "2026-11-24", cwd=tmp_path)
    report = json.loads(done.stdout)
    assert done.returncode == 1
    assert report == {
        "ok": False,
        "as_of": "2026-11-24",
        "errors": 1,
        "warnings": 0,
        "notices": 0,
        "problems": [
            {
                "path": "plan/execution/2026-q4/sales.yml",
                "line": 12,
                "col": 17,
                "severity": "error",
                "code": "NS206",
                "name": "baseline-is-target",
                "message": "key result 'meetings': baseline and target are both 40; it asks for no change",
            }
        ],
    }


def test_github_annotations(case_plan, tmp_path: Path) -> None:
    case_plan("NS110-unknown-key")
    done = run("check", "--format", "github", "--as-of", "2026-11-24", cwd=tmp_path)
    assert done.stdout.splitlines()[0] == (
        "::error file=plan/strategy.yml,line=7,col=5,title=NS110 unknown-key::where-to-play choice "
        "'manitoba-makers': unknown key 'descripton' (did you mean 'description'?)"
    )


def test_gitlab_code_quality_report(case_plan, tmp_path: Path) -> None:
    """A Code Quality report GitLab shows on a merge request; a problem that only moved keeps its fingerprint."""
    case_plan("NS206-baseline-is-target")
    done = run("check", "--format", "gitlab", "--as-of", "2026-11-24", cwd=tmp_path)
    assert done.returncode == 1
    (entry,) = json.loads(done.stdout)
    assert {k: v for k, v in entry.items() if k != "fingerprint"} == {
        "description": "NS206 key result 'meetings': baseline and target are both 40; it asks for no change",
        "check_name": "NS206 baseline-is-target",
        "severity": "major",
        "location": {"path": "plan/execution/2026-q4/sales.yml", "lines": {"begin": 12}},
    }
    sales = tmp_path / "plan" / "execution" / "2026-q4" / "sales.yml"
    sales.write_text("# a comment that moves every line down\n" + sales.read_text(encoding="utf-8"), encoding="utf-8")
    (moved,) = json.loads(run("check", "--format", "gitlab", "--as-of", "2026-11-24", cwd=tmp_path).stdout)
    assert moved["location"]["lines"]["begin"] == 13 and moved["fingerprint"] == entry["fingerprint"]
    assert len(entry["fingerprint"]) == 64


def test_missing_plan_dir(tmp_path: Path) -> None:
    done = run("check", "nowhere", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout.splitlines()[0] == (
        "nowhere:1:1: error NS113 plan directory not found; pass the folder holding strategy.yml"
    )


def test_bad_option_is_a_usage_error(tmp_path: Path) -> None:
    done = run("check", "--as-of", "24/11/2026", cwd=tmp_path)
    assert done.returncode == 2
    assert "expected a date written YYYY-MM-DD, got '24/11/2026'" in done.stderr
    assert "Traceback" not in done.stderr


def test_unknown_period(case_plan, tmp_path: Path) -> None:
    case_plan("_base")
    done = run("check", "--period", "2026-q5", "--as-of", "2026-11-24", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == "northstar check: unknown period '2026-q5' (did you mean '2026-q4'?)\n"
    past = run("check", "--period", "2026-q3", "--as-of", "2026-11-24", cwd=tmp_path)
    assert past.returncode == 0, past.stdout


def _git(*args: str, cwd: Path, when: str = "2026-11-20T12:00:00+00:00") -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", *args],
        cwd=cwd,
        env=env,
        check=True,
        capture_output=True,
    )


@pytest.mark.clock
def test_as_of_defaults_to_last_commit_then_source_date_epoch_then_the_clock(case_plan, tmp_path: Path) -> None:
    case_plan("_base")
    _git("init", "-q", "-b", "main", cwd=tmp_path)
    _git("add", ".", cwd=tmp_path)
    _git("commit", "-q", "-m", "plan", cwd=tmp_path)
    epoch = {**os.environ, "SOURCE_DATE_EPOCH": "1795521600"}  # 2026-11-24 12:00 UTC

    def as_of(env: dict[str, str], *command: str) -> str:
        done = subprocess.run(
            [*command, str(NORTHSTAR), "check", "--format", "json"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
        return str(json.loads(done.stdout)["as_of"])

    assert as_of(epoch) == "2026-11-20"  # the commit's day: a clean plan never reads the clock
    with (tmp_path / "plan" / "people.yml").open("a", encoding="utf-8") as f:
        f.write("# edited\n")
    assert as_of(epoch) == "2026-11-24"  # edited: SOURCE_DATE_EPOCH's day, in UTC
    assert as_of({**epoch, "TZ": "Pacific/Kiritimati"}) == "2026-11-24"  # whatever the local zone
    assert FAKETIME or not os.environ.get("CI"), "faketime is missing; .ci/run installs it"
    if FAKETIME:  # without SOURCE_DATE_EPOCH: the wall clock's local day
        clock = {**real_clock_environ(), "TZ": "UTC"}
        assert as_of(clock, FAKETIME, "2027-03-01 12:00:00") == "2027-03-01"
        # 01:00 on 1 March at UTC+14 is still 28 February in UTC: the day is the local one
        assert as_of({**clock, "TZ": "Pacific/Kiritimati"}, FAKETIME, "2027-03-01 01:00:00") == "2027-03-01"


@pytest.mark.clock
@pytest.mark.parametrize("value", ["yesterday", "1.5e9", "99999999999999999999"])
def test_a_source_date_epoch_that_is_not_a_time_is_one_clear_line(case_plan, tmp_path: Path, value: str) -> None:
    case_plan("_base")  # not in git: the plan is judged as of "today"
    env = {**os.environ, "SOURCE_DATE_EPOCH": value}
    for command in (["check"], ["export"], ["init", "new-site"]):
        done = run(*command, cwd=tmp_path, env=env)
        assert done.returncode == 2, done.stderr
        assert done.stderr == (
            f"northstar {command[0]}: SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01 UTC "
            f"(for example the commit's time, `git log -1 --format=%ct`), got {value!r}\n"
        )
    assert not (tmp_path / "new-site").exists()


@pytest.mark.clock
def test_works_without_git(case_plan, tmp_path: Path) -> None:
    case_plan("_base")
    env = {**os.environ, "PATH": str(tmp_path / "empty")}
    done = run("check", "--as-of", "2026-11-24", cwd=tmp_path, env=env)
    assert (done.returncode, done.stderr) == (0, "")
    without_date = run("check", "--format", "json", cwd=tmp_path, env={**env, "SOURCE_DATE_EPOCH": "1795521600"})
    assert json.loads(without_date.stdout)["as_of"] == "2026-11-24"


def test_schema_prints_valid_json(tmp_path: Path) -> None:
    whole = json.loads(run("schema", cwd=tmp_path).stdout)
    assert len(whole["anyOf"]) == 9
    strategy = json.loads(run("schema", "--kind", "strategy", cwd=tmp_path).stdout)
    assert strategy["required"] == ["owner", "reviewed", "purpose"]
    written = run("schema", "--out", "schemas", cwd=tmp_path).stdout.splitlines()
    kinds = ("strategy", "company", "people", "teams", "execution", "northstar", "issues", "decision", "input")
    assert sorted(written) == sorted(f"schemas/{k}.schema.json" for k in kinds)


def test_version() -> None:
    done = run("--version", cwd=ROOT)
    assert done.stdout.startswith("northstar ")


def test_a_reader_that_stops_early_gets_no_traceback() -> None:
    """`northstar check | head`: the reader is gone before the command writes (`true` reads nothing)."""
    for command in ("check --as-of 2030-01-01 plan", "export --as-of 2026-11-24 plan", "schema"):
        done = subprocess.run(
            ["bash", "-o", "pipefail", "-c", f"'{NORTHSTAR}' {command} | true"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
        assert (done.returncode, done.stderr) == (1, ""), command


def test_regenerated_editor_schemas_are_not_a_new_version_of_the_plan(case_plan, tmp_path: Path) -> None:
    case_plan("_base")
    _git("init", "-q", "-b", "main", cwd=tmp_path)
    _git("add", ".", cwd=tmp_path)
    _git("commit", "-q", "-m", "plan", cwd=tmp_path)
    assert run("schema", "--out", "plan/schema", cwd=tmp_path).returncode == 0
    dirty = json.loads(run("check", "--format", "json", cwd=tmp_path).stdout)
    _git("add", ".", cwd=tmp_path, when="2027-03-01T12:00:00+00:00")
    _git("commit", "-q", "-m", "Regenerate the editor schemas", cwd=tmp_path, when="2027-03-01T12:00:00+00:00")
    committed = json.loads(run("check", "--format", "json", cwd=tmp_path).stdout)
    assert dirty["as_of"] == committed["as_of"] == "2026-11-20"  # the plan's own last commit, not the schemas'
    assert committed["ok"] is True


def test_a_pull_request_hears_only_its_own_files_dated_notices(tmp_path: Path) -> None:
    """A pull request that edits leadership's file is not told that sales is late checking in."""
    repo = PlanRepo(tmp_path / "repo")
    repo.edit("execution/2026-q4/sales.yml", "date: 2026-11-18", "date: 2026-10-20")  # sales is late
    repo.commit("Sales checks in", "2026-10-20")
    repo.git("checkout", "-q", "-b", "leadership-edit")
    repo.edit("execution/2026-q4/leadership.yml", "due: 2026-12-15", "due: 2026-11-20")  # now overdue
    repo.commit("Bring the hire forward", "2026-11-24")
    everything = run("check", "--as-of", "2026-11-24", "plan", cwd=repo.root)
    assert "NS311" in everything.stdout and "NS314" in everything.stdout
    mine = run("check", "--as-of", "2026-11-24", "--changed-since", "main", "plan", cwd=repo.root)
    assert mine.returncode == 0, mine.stderr
    assert "NS311" not in mine.stdout  # sales.yml is not this change's file
    assert "plan/execution/2026-q4/leadership.yml:26:10: notice NS314 rock 'hire-rep'" in mine.stdout
    assert "dated notice" in mine.stderr and "left out (run without --changed-since to see them)" in mine.stderr
    unknown = run("check", "--changed-since", "no-such-branch", "plan", cwd=repo.root)
    assert unknown.returncode == 2
    assert unknown.stderr.startswith("northstar check: --changed-since no-such-branch: ")
    assert "Traceback" not in unknown.stderr


def test_northstar_as_of_pins_the_day_over_the_commit_and_a_bad_one_is_refused(tmp_path: Path) -> None:
    project = copy_project(tmp_path)  # committed: judged as of its commit, 2026-11-24
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    committed = json.loads(run("check", "--format", "json", "plan", cwd=project, env=env).stdout)
    assert committed["as_of"] == "2026-11-24"
    pinned = run("check", "--format", "json", "plan", cwd=project, env={**env, "NORTHSTAR_AS_OF": "2026-12-07"})
    assert json.loads(pinned.stdout)["as_of"] == "2026-12-07"
    bad = run("check", "plan", cwd=project, env={**env, "NORTHSTAR_AS_OF": "next monday"})
    assert bad.returncode == 2
    assert bad.stderr == "northstar check: NORTHSTAR_AS_OF: expected a date written YYYY-MM-DD, got 'next monday'\n"
