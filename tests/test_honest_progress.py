"""Honest progress on plans unlike the example: no data is not 0%, and the date never stops a build."""

from __future__ import annotations

import html
import json
import re
import shutil
from datetime import date, timedelta
from pathlib import Path

import jsonschema
import pytest
import yaml
from bs4 import BeautifulSoup
from mkdocs_northstar.build import Builder, Settings
from mkdocs_northstar.cascade import Cascade
from mkdocs_northstar.export import EXPORT_SCHEMA
from mkdocs_northstar.index import build_index
from mkdocs_northstar.load import load_plan
from mkdocs_northstar.progress import Pace, Rollup

from tests.conftest import AS_OF, CASES, ROOT
from tests.site_helpers import article, copy_project, mkdocs


def _without_data(plan: Path) -> None:
    """Every key result and KPI of the plan as written the day after: no check-in, no current value."""
    for path in (plan / "execution").rglob("*.yml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for objective in data.get("objectives", []):
            for kr in objective.get("key_results", []):
                for key in ("check_ins", "current", "confidence", "grade", "done"):
                    kr.pop(key, None)
        for kpi in data.get("kpis", []):
            kpi.pop("check_ins", None)
            kpi.pop("current", None)
        for rock in data.get("rocks", []):
            rock["status"] = "not-started"
            rock.pop("done", None)
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
    owner = yaml.safe_load((project / "plan" / "strategy.yml").read_text(encoding="utf-8"))["owner"]
    mine = article(project / "site", f"people/{owner}/").get_text(" ", strip=True)
    assert "Needs your attention" in mine and "The strategy's yearly review is due." in mine
    assert "review due" in article(project / "site", "strategy/").get_text(" ", strip=True)
    team = article(project / "site", "teams/sales-alberta/")
    assert team.select(".ns-krs .ns-overdue")  # every key result is stale a year on, and says so


def _strip(path: Path, *, keep: set[str] = frozenset()) -> dict:  # type: ignore[assignment]
    """Remove every value from the key results of one team file (but those in `keep`)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for objective in data.get("objectives", []):
        for kr in objective.get("key_results", []):
            if kr["id"] not in keep:
                kr.pop("check_ins", None)
                kr.pop("current", None)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return data


def test_a_cascade_scored_only_at_the_leaves_rolls_up_to_the_top(tmp_path: Path) -> None:
    """Sales and leadership report nothing of their own: their objectives show what supports them."""
    plan = tmp_path / "plan"
    shutil.copytree(ROOT / "plan", plan)
    q4 = plan / "execution" / "2026-q4"
    for team in ("leadership", "sales"):
        _strip(q4 / f"{team}.yml")
    built = Builder(plan).build(Settings(pages=("teams",), as_of=AS_OF))
    assert built.site is not None and built.export is not None
    exported = json.loads(built.export.content)
    jsonschema.Draft202012Validator(EXPORT_SCHEMA).validate(exported)
    work = {(w["team"], w["period"]): w for w in exported["work"]}
    objectives = {o["id"]: o for w in work.values() if w["period"] == "2026-q4" for o in w["objectives"]}
    pipeline = objectives["sales-mid-market-pipeline"]
    supporters = [objectives[i] for i in ("ab-new-logos", "ab-building-products", "bc-lower-mainland-growth")]
    assert pipeline["rolled_up_from"] == ["ab-new-logos", "ab-building-products", "bc-lower-mainland-growth"]
    weights = [s["weight"] for s in supporters]
    expected = sum(w * s["progress"] for w, s in zip(weights, supporters, strict=True)) / sum(weights)
    assert pipeline["progress"] == round(expected, 4)
    growth = objectives["lead-mid-market-growth"]  # two levels up: sales' objectives, themselves rolled up
    assert growth["progress"] is not None and growth["progress"] > 0
    assert growth["rolled_up_from"] == ["sales-mid-market-pipeline", "sales-account-retention"]
    assert work[("leadership", "2026-q4")]["progress"] is not None
    sales = next(p.content.decode() for p in built.site.pages if p.path == "teams/sales.md")
    assert "Rolled up from" in sales and "rolled up" in sales
    rolled = sales[sales.index("Rolled up from") :].split("</small>", 1)[0]
    assert "ab-new-logos" in rolled and "Win mid-market manufacturers" in rolled


def test_a_key_result_that_supports_a_parent_key_result_rolls_up_into_it(tmp_path: Path) -> None:
    plan = tmp_path / "plan"
    shutil.copytree(ROOT / "plan", plan)
    q4 = plan / "execution" / "2026-q4"
    sales = _strip(q4 / "sales.yml")
    parent_kr = sales["objectives"][0]["key_results"][0]["id"]
    alberta = yaml.safe_load((q4 / "sales-alberta.yml").read_text(encoding="utf-8"))
    child = alberta["objectives"][0]["key_results"][0]
    child["supports"] = [parent_kr]
    (q4 / "sales-alberta.yml").write_text(
        yaml.safe_dump(alberta, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    built = Builder(plan).build(Settings(pages=("teams",), as_of=AS_OF))
    assert built.report.errors == []
    assert built.export is not None
    exported = json.loads(built.export.content)
    krs = {
        kr["id"]: kr
        for w in exported["work"]
        if w["period"] == "2026-q4"
        for o in w["objectives"]
        for kr in o["key_results"]
    }
    assert krs[parent_kr]["rolled_up_from"] == [child["id"]]
    assert krs[parent_kr]["progress"] == krs[child["id"]]["progress"]
    assert krs[parent_kr]["achieved"] is None  # nothing measured of its own
    assert krs[child["id"]]["supports"] == [parent_kr]


def test_every_check_in_note_is_on_its_team_page_and_a_kpi_shows_its_last_13_weeks(tmp_path: Path) -> None:
    plan = tmp_path / "plan"
    shutil.copytree(ROOT / "plan", plan)
    path = plan / "execution" / "2026-q4" / "sales-bc.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    kpi = data["kpis"][0]
    kpi.pop("current", None)
    target = kpi["target"]
    up = kpi.get("direction", "up") == "up"
    values = [target + (1 if (week % 4) else -1) * (1 if up else -1) for week in range(20)]  # every 4th misses
    kpi["check_ins"] = [
        {"date": (date(2026, 7, 2) + timedelta(weeks=week)).isoformat(), "value": v} for week, v in enumerate(values)
    ]
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    built = Builder(plan).build(Settings(pages=("teams",), as_of=AS_OF))
    assert built.site is not None, built.report.errors
    pages = {p.path: p.content.decode("utf-8") for p in built.site.pages}
    notes = 0
    for team_file in (plan / "execution" / "2026-q4").glob("*.yml"):
        team = yaml.safe_load(team_file.read_text(encoding="utf-8"))
        page = pages[f"teams/{team['team']}.md"]
        for objective in team.get("objectives", []):
            for kr in objective.get("key_results", []):
                for check_in in kr.get("check_ins", []):
                    if check_in.get("note"):
                        notes += 1
                        assert html.escape(check_in["note"].split(";")[0], quote=False) in page, check_in["note"]
    assert notes >= 3
    bc = BeautifulSoup(pages["teams/sales-bc.md"], "html.parser")
    row = bc.find("tr", id=kpi["id"])
    cells = row.select(".ns-weeks li")
    assert len(cells) == 13
    met = [(v >= target) if up else (v <= target) for v in values][-13:]
    assert [c.select_one("[aria-hidden]").get_text() for c in cells] == ["✓" if hit else "✗" for hit in met]
    hits = sum(met)
    assert f"{hits} of 13 met" in row.get_text()
    streak = len(met) - max(i for i, hit in enumerate(met) if hit != met[-1]) - 1
    assert f"{'met' if met[-1] else 'missed'} {streak} in a row" in row.get_text()


LEADS = """team: leadership
period: 2026-q4
objectives:
  - id: win-makers
    title: Win manufacturers
    supports: [grow-makers]
    key_results:
      - id: new-logos
        title: New manufacturer logos
        owner: ceo
        baseline: 0
        target: 8
      - id: quote-hours
        title: Median quote time
        owner: ben
        baseline: 30
        target: 1
"""


def _cascade(tmp_path: Path, sales: str) -> Cascade:
    """The cascade of the base plan with this leadership file and `sales` as the sales file (the
    plan may have errors: only the roll-up is looked at)."""
    root = tmp_path / "plan"
    shutil.copytree(CASES / "_base", root)
    (root / "execution" / "2026-q4" / "leadership.yml").write_text(LEADS, encoding="utf-8")
    (root / "execution" / "2026-q4" / "sales.yml").write_text(sales, encoding="utf-8")
    loaded = load_plan(root)
    return Cascade(build_index(loaded.plan, loaded.paths), {"2026-q4": Pace()})


def test_a_supporter_of_an_objective_and_of_its_key_result_counts_once(tmp_path: Path) -> None:
    """Sales supports leadership's objective and one of its key results: the key result takes it,
    and the objective is made of its key results, so sales is not counted a second time."""
    sales = """team: sales
period: 2026-q4
objectives:
  - id: fill-pipeline
    title: Fill the pipeline
    supports: [win-makers, new-logos]
    key_results:
      - {id: meetings, title: Meetings, owner: ana, baseline: 0, target: 40, current: 10}
"""
    cascade = _cascade(tmp_path, sales)
    kr = cascade.of(("2026-q4", "new-logos"))
    assert kr.rollup.progress == 0.25 and kr.rolled_from == (("2026-q4", "fill-pipeline"),)
    objective = cascade.of(("2026-q4", "win-makers"))
    assert objective.rollup.progress == 0.25  # from new-logos alone; quote-hours has nothing yet
    assert objective.rollup.reported == 1 and objective.rollup.total == 2


def test_a_circle_of_supports_contributes_nothing(tmp_path: Path) -> None:
    """Two objectives that support each other, neither reporting: the roll-up ends, with no figure."""
    sales = """team: sales
period: 2026-q4
objectives:
  - id: fill-pipeline
    title: Fill the pipeline
    supports: [call-more]
    key_results:
      - {id: meetings, title: Meetings, owner: ana, baseline: 0, target: 40}
  - id: call-more
    title: Call more
    supports: [fill-pipeline]
    key_results:
      - {id: calls, title: Calls, owner: ana, baseline: 0, target: 300}
"""
    cascade = _cascade(tmp_path, sales)
    assert cascade.of(("2026-q4", "fill-pipeline")).rollup.progress is None
    assert cascade.of(("2026-q4", "call-more")).rollup.progress is None


def test_a_team_is_its_reported_objectives_weighted_and_counts_every_key_result(tmp_path: Path) -> None:
    """An objective with nothing reported does not drag the team down, but its key results count as unreported."""
    sales = """team: sales
period: 2026-q4
objectives:
  - id: fill-pipeline
    title: Fill the pipeline
    key_results:
      - {id: meetings, title: Meetings, owner: ana, baseline: 0, target: 10, current: 6}
      - {id: demos, title: Demos, owner: ana, baseline: 0, target: 10, current: 8}
      - {id: calls, title: Calls, owner: ana, baseline: 0, target: 10}
  - id: call-more
    title: Call more
    weight: 5
    key_results:
      - {id: dials, title: Dials, owner: ana, baseline: 0, target: 300}
"""
    cascade = _cascade(tmp_path, sales)
    fill, call = (cascade.index.entries[("2026-q4", ident)].item for ident in ("fill-pipeline", "call-more"))
    team = cascade.team("2026-q4", [fill, call])
    assert team.progress == pytest.approx(0.7) and team.score == pytest.approx(0.7)
    assert (team.reported, team.total) == (2, 4)
    assert cascade.team("2026-q4", [call]) == Rollup(None, 0, 1, None)
