"""The one-page plan: one landscape sheet on A4 and US Letter, proven by printing in real Chromium."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from tests.conftest import CASES
from tests.site_helpers import article, broken_links, copy_project, mkdocs, require_browser

require_browser()

NORTHSTAR = Path(sys.executable).parent / "northstar"
LONG = "with a long explanation that keeps going well past any sensible length for a one-page plan " * 3


def _pdf(project: Path, paper: str) -> PdfReader:
    out = project / f"plan-{paper}.pdf"
    done = subprocess.run(
        [str(NORTHSTAR), "pdf", "--paper", paper, "--out", str(out)],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == out.as_posix()
    return PdfReader(out)


def _landscape(reader: PdfReader, paper: str) -> None:
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    expected = {"a4": (842, 595), "letter": (792, 612)}[paper]
    assert (round(width), round(height)) == pytest.approx(expected, abs=1)


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("opp"))
    assert mkdocs("build", "--strict", cwd=project).returncode == 0
    return project


@pytest.mark.pdf
@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_example_prints_on_exactly_one_landscape_sheet(example: Path, paper: str) -> None:
    reader = _pdf(example, paper)
    assert len(reader.pages) == 1
    _landscape(reader, paper)
    text = " ".join(reader.pages[0].extract_text().split())
    for expected in [
        "Kestrel Freight: One-page plan",
        "STRATEGY",
        "EXECUTION",
        "Why we exist",
        "What we will not do",
        "No enterprise shippers above 500 shipments a month",
        "This quarter's company priorities",
        "Fast everywhere we already are",
        "Accountabilities",
    ]:
        assert expected in text, expected


def test_screen_page_has_a_print_button_and_separate_layers(example: Path) -> None:
    body = article(example / "site", "one-page-plan/")
    assert body.select_one("button.ns-print").get_text() == "Print"
    assert body.select_one("section.ns-opp-strategy h2").get_text(" ", strip=True).startswith("Strategy")
    assert body.select_one("section.ns-opp-execution h2").get_text(" ", strip=True).startswith("Execution")


def _overfull_plan(dest: Path) -> Path:
    """The base plan with far too much of everything, and very long texts."""
    plan = dest / "overfull-plan"
    shutil.copytree(CASES / "_base", plan)
    strategy = yaml.safe_load((plan / "strategy.yml").read_text(encoding="utf-8"))
    strategy["purpose"] = "Keep small manufacturers in Manitoba shipping on time " + LONG
    strategy["north_star"] = {"statement": "By 2040 every maker in Manitoba ships with us " + LONG, "by": 2040}
    strategy["values"] = [{"id": f"value-{i}", "title": f"Value number {i} said at length"} for i in range(12)]
    strategy["targets"] = [{"id": f"target-{i}", "title": f"Target {i}: $90M " + LONG, "by": 2030} for i in range(9)]
    strategy["where_to_play"] += [{"id": f"where-{i}", "title": f"Manitoba segment {i} " + LONG} for i in range(8)]
    strategy["how_to_win"] += [{"id": f"how-{i}", "title": f"Win on speed in Manitoba {i} " + LONG} for i in range(8)]
    strategy["not_doing"] += [
        {"id": f"not-{i}", "title": f"Not doing thing {i} " + LONG, "why": "Focus."} for i in range(10)
    ]
    (plan / "strategy.yml").write_text(yaml.safe_dump(strategy, sort_keys=False), encoding="utf-8")
    company = yaml.safe_load((plan / "company.yml").read_text(encoding="utf-8"))
    company["years"][0]["theme"] = "A theme " + LONG
    company["years"][0]["goals"] += [
        {"id": f"goal-{i}", "title": f"Goal {i} " + LONG, "owner": "ana", "supports": ["manitoba-makers"]}
        for i in range(9)
    ]
    (plan / "company.yml").write_text(yaml.safe_dump(company, sort_keys=False), encoding="utf-8")
    teams = yaml.safe_load((plan / "teams.yml").read_text(encoding="utf-8"))
    teams["teams"] += [
        {"id": f"team-{i}", "name": f"Team {i} with a long name", "lead": "ben", "parent": "leadership"}
        for i in range(14)
    ]
    (plan / "teams.yml").write_text(yaml.safe_dump(teams, sort_keys=False), encoding="utf-8")
    work = yaml.safe_load((plan / "execution/2026-q4/leadership.yml").read_text(encoding="utf-8"))
    objective = work["objectives"][0]
    work["objectives"] += [
        {
            **objective,
            "id": f"objective-{i}",
            "title": f"Objective {i} " + LONG,
            "key_results": [{**kr, "id": f"o{i}-{kr['id']}"} for kr in objective["key_results"]],
        }
        for i in range(9)
    ]
    work["rocks"] += [
        {
            "id": f"rock-{i}",
            "title": f"Rock {i} " + LONG,
            "owner": "ceo",
            "due": "2026-12-01",
            "supports": ["same-day-quotes"],
        }
        for i in range(11)
    ]
    work["kpis"] = [
        {"id": f"kpi-{i}", "title": f"KPI {i} " + LONG, "owner": "ceo", "target": 10, "current": 12} for i in range(13)
    ]
    (plan / "execution/2026-q4/leadership.yml").write_text(yaml.safe_dump(work, sort_keys=False), encoding="utf-8")
    return plan


@pytest.fixture(scope="module")
def overfull(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("overfull")
    project = copy_project(folder, _overfull_plan(folder))
    build = mkdocs("build", cwd=project)
    assert build.returncode == 0, build.stderr
    return project


def test_overfull_plan_shows_more_markers_that_lead_to_the_rest(overfull: Path) -> None:
    body = article(overfull / "site", "one-page-plan/")
    more = [a.get_text() for a in body.select("a.ns-more")]
    assert more == [
        "+6 more",
        "+5 more",
        "+5 more",
        "+5 more",
        "+6 more",
        "+5 more",
        "+6 more",
        "+5 more",
        "+7 more",
        "+7 more",
    ]
    assert broken_links(overfull / "site") == []  # every "+N more" reaches a page and an anchor that exist


@pytest.mark.pdf
@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_overfull_plan_still_prints_on_one_sheet(overfull: Path, paper: str) -> None:
    reader = _pdf(overfull, paper)
    assert len(reader.pages) == 1
    _landscape(reader, paper)
    text = " ".join(reader.pages[0].extract_text().split())
    assert text.count("more") >= 10
    assert "Why we exist" in text and "Accountabilities" in text and "Team 0 with a long name" in text


def test_pdf_without_a_built_site_is_explained(tmp_path: Path) -> None:
    done = subprocess.run([str(NORTHSTAR), "pdf"], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert done.stderr == "northstar pdf: site/one-page-plan not found: build the site first (mkdocs build)\n"


def test_pdf_without_chromium_is_explained(example: Path) -> None:
    env = {**os.environ, "PATH": str(NORTHSTAR.parent)}
    done = subprocess.run([str(NORTHSTAR), "pdf"], cwd=example, capture_output=True, text=True, check=False, env=env)
    assert done.returncode == 1
    assert done.stderr == (
        "northstar pdf: Chromium is not installed; install it (e.g. apt-get install chromium) to print PDFs\n"
    )
