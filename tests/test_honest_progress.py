"""Honest progress on plans unlike the example: no data is not 0%, and the date never stops a build."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import jsonschema
import yaml
from mkdocs_northstar.build import Builder, Settings
from mkdocs_northstar.export import EXPORT_SCHEMA

from tests.conftest import AS_OF, ROOT
from tests.site_helpers import article, copy_project, mkdocs


def _without_data(plan: Path) -> None:
    """Every key result and KPI of the plan as written the day after: no check-in, no current value."""
    for path in (plan / "execution").rglob("*.yml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for objective in data.get("objectives", []):
            for kr in objective.get("key_results", []):
                kr.pop("check_ins", None)
                kr.pop("current", None)
                kr.pop("confidence", None)
        for kpi in data.get("kpis", []):
            kpi.pop("check_ins", None)
            kpi.pop("current", None)
        for rock in data.get("rocks", []):
            rock["status"] = "not-started"
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def test_a_plan_with_no_check_ins_shows_no_red_and_no_zero(tmp_path: Path) -> None:
    plan = tmp_path / "plan"
    shutil.copytree(ROOT / "plan", plan)
    _without_data(plan)
    pages = ("strategy", "one-page-plan", "teams", "people", "alignment")
    built = Builder(plan).build(Settings(pages=pages, as_of=AS_OF))
    assert built.site is not None and built.export is not None
    pages = {p.path: p.content.decode("utf-8") for p in built.site.pages}
    for path, text in pages.items():
        assert "ns-off-track" not in text and "ns-at-risk" not in text, path
        assert not re.search(r'class="ns-pct">0%', text), path
    team_pages = [text for path, text in pages.items() if path.startswith("teams/") and "index" not in path]
    assert all('<span class="ns-bar ns-empty">no data yet</span>' in text for text in team_pages)
    exported = json.loads(built.export.content)
    jsonschema.Draft202012Validator(EXPORT_SCHEMA).validate(exported)
    for work in exported["work"]:
        assert work["progress"] is None and work["band"] is None and work["reported"] == 0
        for objective in work["objectives"]:
            assert objective["progress"] is None and objective["reported"] == 0
            assert all(kr["progress"] is None and kr["achieved"] is None for kr in objective["key_results"])


def test_a_half_reported_objective_says_how_much_is_reported(tmp_path: Path) -> None:
    """All but one key result reported: the figure is theirs alone, and says so."""
    plan = tmp_path / "plan"
    shutil.copytree(ROOT / "plan", plan)
    path = next((plan / "execution").rglob("sales.yml"))
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    objective = next(o for o in data["objectives"] if len(o.get("key_results", [])) >= 2)
    objective["key_results"][-1].pop("check_ins", None)
    objective["key_results"][-1].pop("current", None)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    built = Builder(plan).build(Settings(pages=("teams",), as_of=AS_OF))
    assert built.site is not None
    team = next(p.content.decode() for p in built.site.pages if p.path == "teams/sales.md")
    total = len(objective["key_results"])
    assert f"{total - 1} of {total} key results reported" in team


def test_the_example_a_year_later_still_publishes_strictly(tmp_path: Path) -> None:
    """Stale check-ins, a due review and overdue rocks are notices: said, never failing --strict."""
    project = copy_project(tmp_path)
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    config["plugins"] = ["search", {"northstar": {"as_of": "2027-11-24"}}]
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    done = mkdocs("build", "--strict", "--verbose", cwd=project)
    assert done.returncode == 0, done.stderr
    assert "notice NS311" in done.stderr  # still said, at the information level
    assert "WARNING" not in done.stderr
    assert "2027-11-24" in article(project / "site", "strategy/").get_text()
