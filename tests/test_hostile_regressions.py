"""Bugs the hostile-input catalogue found, each fixed: these keep them fixed.

Script injection through navigation titles and Markdown headings, absolute paths in messages,
links out of the plan folder, a far-future date, reserved ids, and unclear messages.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs_northstar.check import check_plan

from tests.conftest import AS_OF, CASES, build_case
from tests.hostile_helpers import (
    VECTORS,
    assert_no_traceback,
    commit_all,
    hostile_plan,
    make_project,
    problem_lines,
    unsafe_markup,
)
from tests.site_helpers import mkdocs


def _project(tmp_path: Path, files: dict[str, str] | None = None) -> tuple[Path, Path]:
    project = make_project(tmp_path / "outer")
    plan = build_case(CASES / "_base", project)
    for rel, content in (files or {}).items():
        (plan / rel).write_text(content, encoding="utf-8")
    return project, plan


def _problems(tmp_path: Path, files: dict[str, str]) -> list[str]:
    _, plan = _project(tmp_path, files)
    return [str(p.relative_to(plan.parent)) for p in check_plan(plan, as_of=AS_OF).problems]


# --- 1. Stored script injection through the navigation and Markdown headings ---------------------


@pytest.mark.parametrize("vector", ["html", "markdown", "attr_list"])
def test_no_text_field_becomes_live_markup(vector: str, tmp_path: Path) -> None:
    """Was a bug: team and person names reach the MkDocs navigation unescaped (a <script> in a team
    name runs on every page), and team names, person names, objective titles, year names and the
    titles of strategic choices, targets and talent are written into Markdown headings, where
    `[x](javascript:...)` becomes a live link and `{: onclick=... }` (attr_list) an event handler."""
    project, plan = _project(tmp_path)
    files, fields = hostile_plan(VECTORS[vector])
    for rel, content in files.items():
        (plan / rel).write_text(content, encoding="utf-8")
    commit_all(project)
    done = mkdocs("build", cwd=project)
    assert done.returncode == 0, done.stderr
    assert {fields[n - 1]: sorted(what) for n, what in unsafe_markup(project / "site").items()} == {}


# --- 2. Absolute local paths in messages under MkDocs --------------------------------------------


@pytest.mark.parametrize(
    "case", ["NS201-duplicate-id", "NS201-objective-reuses-team-id", "NS210-duplicate-team-period"]
)
def test_messages_name_other_files_relative_to_the_project(case: str, tmp_path: Path) -> None:
    """Was a bug: e.g. `... already used by person 'Ana Silva' at /tmp/.../project/plan/people.yml:4`.
    Problem.relative_to() rewrites the problem's own path, not the path inside its message."""
    project = make_project(tmp_path / "outer")
    build_case(CASES / case, project)
    commit_all(project)
    done = mkdocs("build", cwd=project)
    assert problem_lines(done.stderr) == (CASES / case / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert str(tmp_path) not in done.stderr


# --- 3. Symlinks that point outside the repository -----------------------------------------------


def test_symlink_to_a_plan_file_outside_the_repository_is_refused(tmp_path: Path) -> None:
    """Was a bug: plan/people.yml -> a file outside the repository is read silently, and its content
    is published (here the name SECRET-OUTSIDE-NAME appears on the people pages)."""
    project, plan = _project(tmp_path)
    outside = tmp_path / "elsewhere" / "people.yml"
    outside.parent.mkdir()
    outside.write_text(
        "people:\n  - {id: ceo, name: SECRET-OUTSIDE-NAME}\n  - {id: ana, name: Ana}\n  - {id: ben, name: Ben}\n",
        encoding="utf-8",
    )
    (plan / "people.yml").unlink()
    (plan / "people.yml").symlink_to(outside)
    commit_all(project)
    done = mkdocs("build", cwd=project)
    assert_no_traceback(done.stderr)
    assert done.returncode == 1
    lines = problem_lines(done.stderr)
    assert len(lines) == 1 and lines[0].startswith("plan/people.yml:1:1: error NS100 "), lines
    assert "outside" in lines[0]
    assert "SECRET-OUTSIDE-NAME" not in done.stderr and not (project / "site").exists()


def test_symlink_to_a_text_file_outside_does_not_leak_it_into_messages(tmp_path: Path) -> None:
    """Was a bug: `people.yml -> /etc/hostname`-style links put the start of the file into the
    message (`expected a mapping of keys at the top of the file, got 'hostname-secret-value'`)."""
    _, plan = _project(tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_text("hostname-secret-value\n", encoding="utf-8")
    (plan / "people.yml").unlink()
    (plan / "people.yml").symlink_to(secret)
    messages = [str(p.relative_to(plan.parent)) for p in check_plan(plan, as_of=AS_OF).problems]
    assert messages and not [m for m in messages if "hostname-secret-value" in m]


# --- 4. Tracebacks and unclear messages from absurd values ---------------------------------------


def test_review_date_in_year_9999_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    """Was a bug: `reviewed: 9999-12-31` raises ValueError('year 10001 is out of range') in
    mkdocs_northstar.dates.add_months (NS309's check), and `mkdocs build` prints a traceback."""
    strategy = (CASES / "_base" / "strategy.yml").read_text(encoding="utf-8")
    project, _ = _project(tmp_path, {"strategy.yml": strategy.replace("2026-06-01", "9999-12-31")})
    commit_all(project)
    done = mkdocs("build", cwd=project)
    assert_no_traceback(done.stdout + done.stderr)
    assert [line for line in problem_lines(done.stderr) if line.startswith("plan/strategy.yml:2:11:")]


@pytest.mark.parametrize(("kind", "file"), [("person", "people.yml"), ("team", "teams.yml")])
def test_id_index_cannot_replace_an_index_page(kind: str, file: str, tmp_path: Path) -> None:
    """Was a bug: a person or team with id `index` silently replaces the People or Teams index
    page (people/index.md), and MkDocs logs a DeprecationWarning with stack frames and local paths."""
    base = CASES / "_base"
    files = {
        file: (base / file)
        .read_text(encoding="utf-8")
        .replace("id: ben" if kind == "person" else "id: sales", "id: index")
    }
    if kind == "person":
        leadership = (base / "execution" / "2026-q4" / "leadership.yml").read_text(encoding="utf-8")
        files["execution/2026-q4/leadership.yml"] = leadership.replace("owner: ben", "owner: index")
    else:
        sales = (base / "execution" / "2026-q4" / "sales.yml").read_text(encoding="utf-8")
        files["execution/2026-q4/sales.yml"] = sales.replace("team: sales", "team: index")
    project, _ = _project(tmp_path, files)
    commit_all(project)
    done = mkdocs("build", cwd=project)
    assert_no_traceback(done.stdout + done.stderr)
    assert done.returncode == 1
    assert [line for line in problem_lines(done.stderr) if line.startswith(f"plan/{file}:") and "'index'" in line]


def test_date_with_a_time_is_explained_without_python_repr(tmp_path: Path) -> None:
    """Was a bug: `... reviewed: expected a date written YYYY-MM-DD, got datetime.datetime(2026, 6, 1, 12, 30)`."""
    strategy = (CASES / "_base" / "strategy.yml").read_text(encoding="utf-8")
    got = _problems(tmp_path, {"strategy.yml": strategy.replace("2026-06-01", "2026-06-01 12:30:00")})
    assert got == [
        "plan/strategy.yml:2:11: error NS112 reviewed: expected a date written YYYY-MM-DD, got 2026-06-01 12:30:00"
    ]


@pytest.mark.parametrize("digits", [400, 5000])
def test_huge_integer_gets_a_short_clear_message(digits: int, tmp_path: Path) -> None:
    """Was a bug: 400 digits gives `target: expected a number, got 1000...` (it is a number, just
    too large for a float); 5,000 digits gives a 5,000-character `'1000...' is not a valid value`."""
    sales = (CASES / "_base" / "execution" / "2026-q4" / "sales.yml").read_text(encoding="utf-8")
    got = _problems(tmp_path, {"execution/2026-q4/sales.yml": sales.replace("target: 40", f"target: 1{'0' * digits}")})
    assert len(got) == 1 and got[0].startswith("plan/execution/2026-q4/sales.yml:12:17: error NS112 ")
    assert len(got[0]) < 250 and "expected a number" not in got[0] and "too large" in got[0], got[0][:300]


def test_utf32_file_is_called_utf32(tmp_path: Path) -> None:
    """Was a bug: a UTF-32 file (BOM FF FE 00 00) is reported as `file is UTF-16; save it as UTF-8`."""
    _, plan = _project(tmp_path)
    (plan / "people.yml").write_bytes((plan / "people.yml").read_text(encoding="utf-8").encode("utf-32"))
    assert [str(p.relative_to(plan.parent)) for p in check_plan(plan, as_of=AS_OF).problems] == [
        "plan/people.yml:1:1: error NS100 file is UTF-32; save it as UTF-8"
    ]


def test_full_width_id_gets_a_useful_suggestion(tmp_path: Path) -> None:
    """Was a bug: a full-width `id: ben` (U+FF42 U+FF45 U+FF4E) suggests 'item'; NFKC normalisation gives 'ben'."""
    people = (CASES / "_base" / "people.yml").read_text(encoding="utf-8")
    got = _problems(tmp_path, {"people.yml": people.replace("id: ben", "id: \uff42\uff45\uff4e")})
    assert len(got) == 1 and got[0].endswith("(try 'ben')"), got


def test_windows_device_names_are_not_ids(tmp_path: Path) -> None:
    """Was a gap: `CON` is refused with the suggestion
    'con', and `con`, `nul`, `aux`, `com1` are accepted, though a site with people/con/index.html
    cannot be checked out or built on Windows."""
    people = (CASES / "_base" / "people.yml").read_text(encoding="utf-8")
    got = _problems(tmp_path, {"people.yml": people + "  - id: con\n    name: Con Device\n"})
    assert got and got[0].startswith("plan/people.yml:8:9: error NS207 "), got
