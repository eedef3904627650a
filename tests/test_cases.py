"""Golden cases: a plan with one kind of mistake in, the exact problems out.

Each folder under tests/cases overlays the valid `_base` plan; `expected.txt` holds the exact
problem lines. Set NORTHSTAR_UPDATE_CASES=1 to rewrite them (then read every diff).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from mkdocs_northstar.check import check_plan
from mkdocs_northstar.problems import CODES

from tests.conftest import AS_OF, CASES

CASE_DIRS = sorted(d for d in CASES.iterdir() if d.is_dir() and not d.name.startswith("_"))


@pytest.mark.parametrize("case", CASE_DIRS, ids=[d.name for d in CASE_DIRS])
def test_case(case: Path, case_plan) -> None:
    plan = case_plan(case.name)
    report = check_plan(plan, as_of=AS_OF)
    got = [str(p) for p in report.problems]
    expected_file = case / "expected.txt"
    if os.environ.get("NORTHSTAR_UPDATE_CASES"):
        expected_file.write_text("".join(f"{line}\n" for line in got), encoding="utf-8")
    expected = expected_file.read_text(encoding="utf-8").splitlines()
    assert got == expected


def test_base_plan_is_clean(case_plan) -> None:
    report = check_plan(case_plan("_base"), as_of=AS_OF)
    assert report.problems == []


def test_every_code_has_a_case() -> None:
    seen = set()
    for case in CASE_DIRS:
        for line in (case / "expected.txt").read_text(encoding="utf-8").splitlines():
            seen.add(line.split(": ", 1)[1].split()[1])
    assert sorted(set(CODES) - seen) == []


def test_case_names_match_their_codes() -> None:
    """A case named after a code must report that code."""
    for case in CASE_DIRS:
        code = case.name.split("-")[0]
        if code in CODES:
            assert code in (case / "expected.txt").read_text(encoding="utf-8"), case.name
