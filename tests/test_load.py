"""Loader behaviour beyond single problems: what is kept as written, and what is cached."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from northstar.check import check_plan
from northstar.load.plan import FileCache, load_plan

from tests.conftest import AS_OF, CASES


def test_numbers_in_text_stay_as_written(tmp_path: Path) -> None:
    plan = tmp_path / "plan"
    shutil.copytree(CASES / "_base", plan)
    (plan / "people.yml").write_text(
        "people:\n  - {id: ceo, name: Cora Eng, title: 1.10}\n  - {id: ana, name: 010}\n"
        "  - {id: ben, name: Ben, title: 16:00}\n",
        encoding="utf-8",
    )
    people = load_plan(plan).plan.people
    assert people is not None
    assert [(p.name, p.title) for p in people.people] == [("Cora Eng", "1.10"), ("010", ""), ("Ben", "16:00")]


def test_cache_reparses_only_changed_files(tmp_path: Path) -> None:
    plan = tmp_path / "plan"
    shutil.copytree(CASES / "_base", plan)
    cache = FileCache()
    first = load_plan(plan, cache)
    second = load_plan(plan, cache)
    assert second.plan.strategy is first.plan.strategy
    people = plan / "people.yml"
    people.write_text(people.read_text(encoding="utf-8").replace("Ana Silva", "Ana Sousa"), encoding="utf-8")
    stat = people.stat()
    os.utime(people, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    third = load_plan(plan, cache)
    assert third.plan.strategy is first.plan.strategy
    assert third.plan.people is not None and third.plan.people.people[1].name == "Ana Sousa"


def test_invalid_settings_do_not_silence_plan_checks(case_plan) -> None:
    plan = case_plan("NS303-untraced")
    (plan / "northstar.yml").write_text("max_objectives: 0\n", encoding="utf-8")
    codes = [p.code for p in check_plan(plan, as_of=AS_OF).problems]
    assert codes == ["NS303", "NS112"]


def test_loader_lint_codes_follow_configuration(case_plan) -> None:
    plan = case_plan("NS304-execution-in-strategy")
    (plan / "northstar.yml").write_text("rules:\n  NS304: off\n", encoding="utf-8")
    assert check_plan(plan, as_of=AS_OF).problems == []
