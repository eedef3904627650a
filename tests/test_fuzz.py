"""Property-based: random and mutated YAML never produces a traceback, only problems."""

from __future__ import annotations

import os
import shutil
import tempfile
from datetime import date
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs_northstar.check import check_plan

from tests.conftest import AS_OF, CASES

BASE = CASES / "_base"
FILES = sorted(p.relative_to(BASE).as_posix() for p in BASE.rglob("*.yml"))
settings.register_profile("ci", max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FUZZ = settings(settings.get_profile(os.environ.get("NORTHSTAR_FUZZ", "ci")))
"""Bounded in CI; `NORTHSTAR_FUZZ=long pytest tests/test_fuzz.py` runs the long profile on demand."""

YAML_BITS = st.sampled_from(
    [
        ":",
        "- ",
        "[",
        "]",
        "{",
        "}",
        "&a ",
        "*a",
        "!!",
        "|",
        ">",
        "'",
        '"',
        "#",
        "%",
        "@",
        "\t",
        "\n",
        "  ",
        "---\n",
        "\x00",
        "\ufeff",
        "é",
        "1e309",
        ".nan",
        "no",
        "2026-02-30",
        "<<: *a",
        "~",
        "? ",
    ]
)
KEYS = st.sampled_from(
    [
        "id",
        "title",
        "owner",
        "supports",
        "objectives",
        "key_results",
        "baseline",
        "target",
        "check_ins",
        "date",
        "value",
        "team",
        "period",
        "people",
        "teams",
        "years",
        "quarters",
        "start",
        "end",
        "not_doing",
        "why",
        "lead",
        "parent",
        "rules",
        "confidence",
        "weight",
        "current",
        "name",
        "purpose",
        "reviewed",
    ]
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=12),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 1, 1)),
    KEYS,
)
VALUES = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=5), max_leaves=30
)


def _check_with(name: str, content: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        plan = Path(tmp) / "plan"
        shutil.copytree(BASE, plan)
        (plan / name).write_bytes(content)
        report = check_plan(plan, as_of=AS_OF)
        for found in report.problems:
            assert found.line >= 0 and found.col >= 0
            assert found.message


@FUZZ
@given(name=st.sampled_from(FILES), content=st.binary(max_size=300))
def test_random_bytes_never_crash(name: str, content: bytes) -> None:
    _check_with(name, content)


@FUZZ
@given(name=st.sampled_from(FILES), data=st.data())
def test_mutated_yaml_never_crashes(name: str, data: st.DataObject) -> None:
    text = (BASE / name).read_text(encoding="utf-8")
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(text)))
        action = data.draw(st.sampled_from(["insert", "delete", "duplicate-line", "swap-lines"]))
        if action == "insert":
            text = text[:at] + data.draw(YAML_BITS) + text[at:]
        elif action == "delete":
            text = text[:at] + text[at + data.draw(st.integers(1, 20)) :]
        else:
            lines = text.splitlines(keepends=True)
            i = data.draw(st.integers(0, max(0, len(lines) - 1)))
            j = data.draw(st.integers(0, max(0, len(lines) - 1)))
            if lines and action == "duplicate-line":
                lines.insert(j, lines[i])
            elif lines:
                lines[i], lines[j] = lines[j], lines[i]
            text = "".join(lines)
    _check_with(name, text.encode("utf-8", errors="surrogatepass"))


@FUZZ
@given(name=st.sampled_from(FILES), value=VALUES)
def test_random_structures_never_crash(name: str, value: object) -> None:
    _check_with(name, yaml.safe_dump(value, allow_unicode=True).encode("utf-8"))


def _paths(value: object, prefix: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    out = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            out += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            out += _paths(item, (*prefix, i))
    return out


@FUZZ
@given(name=st.sampled_from(FILES), data=st.data())
def test_mutated_plans_never_crash(name: str, data: st.DataObject) -> None:
    """Valid YAML with one part of the plan replaced or removed: exercises the rules, not the parser."""
    value = yaml.safe_load((BASE / name).read_text(encoding="utf-8"))
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(_paths(value)[1:]))
        parent = value
        for part in path[:-1]:
            parent = parent[part]  # type: ignore[index]
        if data.draw(st.booleans()):
            parent[path[-1]] = data.draw(VALUES)  # type: ignore[index]
        else:
            del parent[path[-1]]  # type: ignore[attr-defined]
        if not isinstance(value, dict | list) or not _paths(value)[1:]:
            break
    _check_with(name, yaml.safe_dump(value, allow_unicode=True).encode("utf-8"))
