"""A build leaves no reference cycle holding the plan, so dropping it frees it at once.

Builds pause the cycle collector (see `mkdocs_northstar.collector`), and a one-off build keeps it paused
until the plan is dropped: that is only free if reference counting frees the plan. One cycle
anywhere (a recursive nested function, a template context) keeps all of it for the collector,
which then walks every object of the plan.
"""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from markupsafe import Markup
from mkdocs_northstar.build import Builder, Settings
from mkdocs_northstar.pages import PAGES

from tests.conftest import ROOT

PLAN_MODULES = (
    "mkdocs_northstar.model",
    "mkdocs_northstar.index",
    "mkdocs_northstar.load",
    "mkdocs_northstar.pages.views",
    "mkdocs_northstar.pages.site",
)
"""Where the plan's own objects, its files, its index and its page views are defined."""


@contextmanager
def cyclic_garbage() -> Iterator[list[object]]:
    """The objects that only the cycle collector frees, among those made in the block."""
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    found: list[object] = []
    try:
        yield found
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        found.extend(gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        if was_enabled:
            gc.enable()


def _plan_objects(garbage: list[object]) -> Counter[str]:
    return Counter(
        f"{type(o).__module__}.{type(o).__qualname__}" for o in garbage if type(o).__module__.startswith(PLAN_MODULES)
    )


@pytest.mark.parametrize("parallel", [True, False])
def test_dropping_a_build_frees_the_plan_without_the_collector(parallel: bool) -> None:
    """Rendered here or ahead in a worker (see `mkdocs_northstar.parallel`): here, the pages' tasks are let
    go once the worker has them, and the plan with them once the build is dropped."""
    with cyclic_garbage() as garbage:
        built = Builder(ROOT / "plan").build(Settings(parallel=parallel))
        assert built.site is not None and built.export is not None and built.results is not None
        assert len(built.site.pages) > 40
        assert "changes" in [p.path.removesuffix(".md") for p in built.site.pages]
        assert all(page.content for page in [*built.site.pages, built.export])
        del built
    assert _plan_objects(garbage) == Counter()
    assert sum(isinstance(o, Markup) for o in garbage) < 100  # the renderer's memo of texts is dropped


def test_the_check_finds_a_cycle_that_holds_the_plan() -> None:
    """The check above can fail: a cycle through a view is caught."""
    with cyclic_garbage() as garbage:
        built = Builder(ROOT / "plan").build(Settings(pages=tuple(p for p in PAGES if p != "changes")))
        assert built.site is not None
        views = [p for p in built.site.pages if p.path.startswith("teams/")]
        loop: list[object] = [views, built]
        loop.append(loop)
        del built, views, loop
    assert _plan_objects(garbage) != Counter()


def test_a_template_imported_without_context_serves_every_page(tmp_path: Path) -> None:
    """Jinja keeps the module of a template imported without context for later pages: emptying the
    contexts a page leaves must not empty that one."""
    overrides = tmp_path / "northstar"
    overrides.mkdir()
    (overrides / "_count.html.jinja").write_text(
        "{% macro count(n) %}{{ range(n)|list|length }}{% endmacro %}\n", encoding="utf-8"
    )
    (overrides / "person.md.jinja").write_text(
        '{% import "_count.html.jinja" as c %}# {{ person.person.name }}\n\nCounted {{ c.count(3) }}.\n',
        encoding="utf-8",
    )
    built = Builder(ROOT / "plan").build(Settings(pages=("people",), template_dirs=(tmp_path,)))
    assert built.site is not None
    people = [p.content.decode() for p in built.site.pages if p.path.startswith("people/") and "index" not in p.path]
    assert len(people) > 5
    assert all(page.endswith("Counted 3.\n") for page in people), people


def test_a_one_off_build_turns_the_collector_back_on(tmp_path: Path) -> None:
    """The plugin pauses the collector from reading the plan until it drops it: a build in a
    process that goes on (as a script calling MkDocs) must find it running after, and after a
    build that fails."""
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
