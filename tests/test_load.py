"""Loader behaviour beyond single problems: what is kept as written, and what is cached."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import yaml
from mkdocs_northstar.check import check_plan
from mkdocs_northstar.load.plan import FileCache, load_plan
from mkdocs_northstar.load.yamlfile import Composer, tag_memo

from tests.conftest import AS_OF, CASES


def _with_people(tmp_path: Path, people: str) -> Path:
    """The base plan with `people` as its people.yml."""
    plan = tmp_path / "plan"
    shutil.copytree(CASES / "_base", plan)
    (plan / "people.yml").write_text(people, encoding="utf-8")
    return plan


def test_numbers_in_text_stay_as_written(tmp_path: Path) -> None:
    plan = _with_people(
        tmp_path,
        "people:\n  - {id: ceo, name: Cora Eng, title: 1.10}\n  - {id: ana, name: 010}\n"
        "  - {id: ben, name: Ben, title: 16:00}\n",
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


def test_tag_memo_lives_only_while_a_load_runs(tmp_path: Path) -> None:
    """The memo holds the strings a load read; kept past the load, it would keep their memory too."""
    plan = _with_people(
        tmp_path,
        "people:\n  - {id: ceo, name: Cora Eng, title: yes}\n  - {id: ana, name: 2026-01-05, title: 'yes'}\n"
        "  - {id: ben, name: yes, title: 2026-01-05}\n",
    )
    with tag_memo():
        memo = Composer.plain_tags
        first = load_plan(plan)
        assert Composer.plain_tags is memo, "a load inside a block shares the block's memo"
        assert memo is not None
        assert memo["2026-01-05"] == "tag:yaml.org,2002:timestamp"
        assert memo["Cora Eng"] == "tag:yaml.org,2002:str"
    assert Composer.plain_tags is None
    second = load_plan(plan)
    assert Composer.plain_tags is None, "load_plan drops its memo when it returns"
    shown = [[str(p.relative_to(plan)) for p in loaded.problems] for loaded in (first, second)]
    assert shown[0] == shown[1]
    assert [line.split(": ", 1)[1] for line in shown[0]] == [
        "error NS112 person 'ceo': title: expected text, got true (YAML reads yes/no/on/off/true/false as "
        "true or false; put the text in quotes)",
        "error NS112 person 'ana': name: expected text, got the date 2026-01-05; put it in quotes ('2026-01-05') "
        "to make it text",
        "error NS112 person 'ben': name: expected text, got true (YAML reads yes/no/on/off/true/false as "
        "true or false; put the text in quotes)",
        "error NS112 person 'ben': title: expected text, got the date 2026-01-05; put it in quotes ('2026-01-05') "
        "to make it text",
    ]


def test_a_kept_plan_keeps_where_its_problems_are_but_not_the_node_trees(case_plan) -> None:
    """A serve keeps every parsed file; the YAML node tree behind a position is many times the file."""
    plan = case_plan("NS303-untraced")
    cache = FileCache()
    first = check_plan(plan, as_of=AS_OF, cache=cache)
    assert first.problems, "the case has a problem to place"
    for doc in first.loaded.docs.values():
        held = [value for value in vars(doc).values() if isinstance(value, yaml.Node)]
        assert held == [], f"{doc.path.name} keeps its node tree after the check"
    second = check_plan(plan, as_of=AS_OF, cache=cache)
    assert [(p.path, p.line, p.col) for p in second.problems] == [(p.path, p.line, p.col) for p in first.problems]
    doc = first.loaded.docs[first.problems[0].path]
    assert doc.position(()) == (1, 1)
