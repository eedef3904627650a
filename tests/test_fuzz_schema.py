"""Whole plan trees generated from the JSON Schemas (`northstar schema`), then mutated.

test_fuzz.py throws bytes and mutated YAML at single files. Here every file of the plan is drawn
from its schema (ids, owners, teams, periods and `supports` from small pools, so references often
resolve and many plans are valid), a few mutations are applied to the tree, and the plan is checked
and, when valid, rendered into every page and the JSON export. Nothing may raise.

Bounded in CI; `NORTHSTAR_FUZZ=long pytest tests/test_fuzz_schema.py` runs the long profile. The
number of examples run (and how many plans were valid and rendered) is printed in the summary.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from mkdocs_northstar.build import Builder, Settings
from mkdocs_northstar.schema import schema_for

from tests.conftest import AS_OF, CASES

EXAMPLES = {"ci": 150, "long": 5000}[os.environ.get("NORTHSTAR_FUZZ", "ci")]
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))

PEOPLE = ["ceo", "ana", "ben"]
TEAMS = ["leadership", "sales"]
PERIODS = ["2026-q3", "2026-q4"]
CHOICES = ["manitoba-makers", "same-day-quotes", "no-consumer", "grow-makers", "win-makers", "fill-pipeline"]
TEXT = st.lists(
    st.sampled_from([*"abc XYZ-_.:#*[]()<>&'\"{}%|!\n", "é", "\u202e", "\u200b", "🚚", "{{ 7 * 7 }}", "<b>"]),
    max_size=8,
).map("".join)
POOLS: dict[str, st.SearchStrategy[Any]] = {
    "owner": st.sampled_from(PEOPLE),
    "lead": st.sampled_from(PEOPLE),
    "members": st.lists(st.sampled_from(PEOPLE), max_size=3),
    "parent": st.sampled_from(TEAMS),
    "team": st.sampled_from(TEAMS),
    "period": st.sampled_from(PERIODS),
    "supports": st.lists(st.sampled_from(CHOICES), min_size=1, max_size=2),
}
"""Reference-valued properties draw from the ids the plan declares, so cross-file checks run."""
IDS = {
    "Person": PEOPLE,
    "Team": TEAMS,
    "Quarter": PERIODS,
    "Year": ["2026", "2027"],
    "Choice": CHOICES[:2],
    "TradeOff": ["no-consumer"],
    "Goal": ["grow-makers"],
    "Objective": ["win-makers", "fill-pipeline", "o-3"],
}
"""The id of each kind of object: declared ids come from the pools above; anything else (key
results, rocks, KPIs, values...) from a few shared names, so duplicates (NS201) happen too."""


class _Schema:
    """A Hypothesis strategy for the subset of JSON Schema that Northstar's schemas use."""

    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root

    def strategy(self, node: dict[str, Any], name: str = "", within: str = "") -> st.SearchStrategy[Any]:
        if name in POOLS:
            return POOLS[name]
        if name == "id" and within:
            return st.sampled_from(IDS.get(within, ["kr-a", "kr-b", "kr-c", "r-a", "k-a", "v-a"]))
        if "$ref" in node:
            return st.deferred(lambda: self.strategy(self.root["$defs"][node["$ref"].split("/")[-1]]))
        if "anyOf" in node:
            return st.one_of([self.strategy(option, name) for option in node["anyOf"]])
        if "enum" in node:
            return st.sampled_from(node["enum"])
        kind = node.get("type")
        if kind == "object":
            return self._object(node)
        if kind == "array":
            return st.lists(self.strategy(node.get("items", {}), name), min_size=node.get("minItems", 0), max_size=3)
        if kind == "string":
            if node.get("format") == "date":
                return st.dates(min_value=date(2025, 6, 1), max_value=date(2027, 6, 30))
            if "pattern" in node:
                return st.sampled_from(["kr-a", "t-a", "north-star"])
            return TEXT
        if kind == "integer":
            return st.integers(node.get("minimum", 1900), node.get("maximum", 2200))
        if kind == "number":
            low = node.get("minimum", node.get("exclusiveMinimum", -1e6))
            return st.floats(low, node.get("maximum", 1e6), exclude_min="exclusiveMinimum" in node)
        if kind == "boolean":
            return st.booleans()
        if kind == "null":
            return st.none()
        return st.none()

    def _object(self, node: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
        properties = node.get("properties", {})
        required = set(node.get("required", []))

        @st.composite
        def build(draw: st.DrawFn) -> dict[str, Any]:
            out = {}
            for key, sub in properties.items():
                if key in required or draw(st.booleans()):
                    out[key] = draw(self.strategy(sub, key, node.get("title", "")))
            return out

        return build()


def _kind(kind: str) -> st.SearchStrategy[Any]:
    schema = schema_for(kind)
    return _Schema(schema).strategy(schema)


MUTATIONS = st.sampled_from(["delete", "replace", "duplicate", "rename"])
ANY_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | TEXT | st.dates(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=8,
)


def _mutate(data: st.DataObject, value: Any) -> None:
    """Delete, replace, duplicate or rename one part of `value` (a dict or list), in place."""
    containers: list[Any] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict | list) and node:
            containers.append(node)
            for child in node.values() if isinstance(node, dict) else node:
                walk(child)

    walk(value)
    if not containers:
        return
    node = data.draw(st.sampled_from(containers))
    key = data.draw(st.sampled_from(list(node) if isinstance(node, dict) else range(len(node))))
    how = data.draw(MUTATIONS)
    event(f"mutation: {how}")
    if how == "delete":
        del node[key]
    elif how == "replace":
        node[key] = data.draw(ANY_VALUE)
    elif how == "duplicate" and isinstance(node, list):
        node.append(node[key])
    elif isinstance(node, dict):
        node[data.draw(TEXT) or "x"] = node.pop(key)


COUNTS: Counter[str] = Counter()


class _Summary:
    """Prints how many generated plans ran (and how many were valid and rendered) after the tests."""

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if COUNTS:
            parts = ", ".join(f"{n} {what}" for what, n in sorted(COUNTS.items()))
            terminalreporter.write_line(f"schema fuzz ({EXAMPLES} examples per test): {parts}")


@pytest.fixture(scope="module", autouse=True)
def _report_examples(request: pytest.FixtureRequest) -> Iterator[None]:
    manager = request.config.pluginmanager
    if not manager.has_plugin("northstar-schema-fuzz"):
        manager.register(_Summary(), "northstar-schema-fuzz")
    yield


def _write_tree(plan: Path, files: dict[str, Any]) -> None:
    for rel, value in files.items():
        (plan / rel).parent.mkdir(parents=True, exist_ok=True)
        (plan / rel).write_text(yaml.safe_dump(value, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _check_and_render(plan: Path, counter: str) -> None:
    built = Builder(plan).build(Settings(as_of=AS_OF, pages=("strategy", "one_page", "teams", "alignment", "people")))
    COUNTS[f"{counter} run"] += 1
    for found in built.report.problems:
        assert found.line >= 1 and found.col >= 1 and found.message, found
        assert plan in found.path.parents or found.path == plan, found
    if built.report.errors:
        event("plan has errors")
        assert built.site is None
        return
    event("valid plan rendered")
    COUNTS[f"{counter} valid and rendered"] += 1
    assert built.site is not None and built.export is not None
    assert all(page.content.strip() for page in built.site.pages)
    json.loads(built.export.content)


SINGLE_FILES = st.fixed_dictionaries(
    {f"{kind}.yml": _kind(kind) for kind in ("strategy", "company", "people", "teams")},
    optional={"northstar.yml": _kind("northstar")},
)


@FUZZ
@given(singles=SINGLE_FILES, execution=st.lists(_kind("execution"), max_size=3), data=st.data())
def test_whole_plans_from_the_schema_check_and_render(
    singles: dict[str, Any], execution: list[Any], data: st.DataObject
) -> None:
    files = dict(singles)
    for i, work in enumerate(execution):
        files[f"execution/{work.get('period', '2026-q4')}/{work.get('team', 'sales')}-{i}.yml"] = work
    for _ in range(data.draw(st.integers(0, 3))):
        _mutate(data, files[data.draw(st.sampled_from(sorted(files)))])
    with tempfile.TemporaryDirectory() as tmp:
        plan = Path(tmp) / "plan"
        plan.mkdir()
        _write_tree(plan, files)
        _check_and_render(plan, "whole plans")


@FUZZ
@given(execution=st.lists(_kind("execution"), min_size=1, max_size=3), data=st.data())
def test_schema_execution_on_a_valid_base_checks_and_renders(execution: list[Any], data: st.DataObject) -> None:
    """Team files from the schema on top of the valid base plan: more of these plans are valid, so
    the rules, progress and every page template run on varied data."""
    for _ in range(data.draw(st.integers(0, 2))):
        _mutate(data, execution)
    with tempfile.TemporaryDirectory() as tmp:
        plan = Path(tmp) / "plan"
        shutil.copytree(CASES / "_base", plan)
        shutil.rmtree(plan / "execution")  # the generated team files replace the base plan's
        files = {}
        for i, work in enumerate(execution):
            if isinstance(work, dict):
                team, period = str(work.get("team", "sales")), str(work.get("period", "2026-q4"))
                files[f"execution/{period}/{team}-{i}.yml".replace("..", "_")] = work
        _write_tree(plan, files)
        _check_and_render(plan, "team files on the base plan")
