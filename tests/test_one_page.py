"""The one-page plan: one landscape sheet on A4 and US Letter, proven by printing in real Chromium."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
import yaml
from mkdocs_northstar.pdf import find_browser, serve
from playwright.sync_api import Page, sync_playwright
from pypdf import PdfReader

from tests.conftest import CASES, ROOT
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
def browser_page() -> Iterator[Callable[[Path, str, int, int], Page]]:
    """Opens a page of a built site, served on 127.0.0.1, in headless Chromium at a given size."""
    with ExitStack() as stack:
        playwright = stack.enter_context(sync_playwright())
        chromium = playwright.chromium.launch(executable_path=find_browser(), args=["--no-sandbox", "--disable-gpu"])
        stack.callback(chromium.close)

        def open_page(site: Path, url: str, width: int, height: int) -> Page:
            base = stack.enter_context(serve(site))
            tab = chromium.new_page(viewport={"width": width, "height": height})
            tab.goto(base + url)
            return tab

        yield open_page


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


def test_short_titles_are_for_the_sheet_and_markdown_reads_as_such(example: Path) -> None:
    sheet = article(example / "site", "one-page-plan/").get_text(" ", strip=True)
    assert "Saskatchewan and Manitoba" in sheet and "through Regina" not in sheet
    assert "Make the Prairies a real market" in sheet and "interline afterthought" not in sheet
    strategy = article(example / "site", "strategy/").get_text(" ", strip=True)
    assert "Saskatchewan and Manitoba through Regina, Saskatoon and Winnipeg" in strategy
    assert "**" not in sheet
    north_star = article(example / "site", "one-page-plan/").select_one(".ns-opp-lead:nth-of-type(2) strong")
    assert north_star is not None and north_star.get_text() == "one in four of them"


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


def _built(factory: pytest.TempPathFactory, name: str, make_plan: Callable[[Path], Path]) -> Path:
    """A project around the plan `make_plan` writes, built."""
    folder = factory.mktemp(name)
    project = copy_project(folder, make_plan(folder))
    build = mkdocs("build", cwd=project)
    assert build.returncode == 0, build.stderr
    return project


@pytest.fixture(scope="module")
def overfull(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _built(tmp_path_factory, "overfull", _overfull_plan)


def test_overfull_plan_shows_every_item_in_full_on_screen(overfull: Path) -> None:
    """On screen nothing is cut: every title whole, no "…", and only the 30-a-list cap counted."""
    body = article(overfull / "site", "one-page-plan/")
    text = body.get_text(" ", strip=True)
    assert "…" not in text
    assert ("Objective 8 " + LONG).strip() in " ".join(text.split())
    assert [li.get_text() for li in body.select("li.ns-dropped:not([hidden])")] == []
    assert len(body.select("ul[data-ns-drop]")) == 10
    assert broken_links(overfull / "site") == []


def _tripled_plan(dest: Path) -> Path:
    """The example with three times as much of everything the sheet shows."""
    plan = dest / "tripled-plan"
    shutil.copytree(ROOT / "plan", plan)

    def triple(items: list[dict[str, Any]], *nested: str) -> list[dict[str, Any]]:
        copies = []
        for n in (2, 3):
            for item in items:
                copy = {**item, "id": f"{item['id']}-{n}", "title": f"{item['title']} ({n})"}
                for key in nested:
                    copy[key] = [{**inner, "id": f"{inner['id']}-{n}"} for inner in item.get(key, [])]
                copies.append(copy)
        return items + copies

    strategy = yaml.safe_load((plan / "strategy.yml").read_text(encoding="utf-8"))
    for key in ("values", "targets", "where_to_play", "how_to_win", "not_doing"):
        strategy[key] = triple(strategy[key])
    (plan / "strategy.yml").write_text(yaml.safe_dump(strategy, sort_keys=False), encoding="utf-8")
    company = yaml.safe_load((plan / "company.yml").read_text(encoding="utf-8"))
    for year in company["years"]:
        year["goals"] = triple(year["goals"])
    (plan / "company.yml").write_text(yaml.safe_dump(company, sort_keys=False), encoding="utf-8")
    work_file = plan / "execution" / "2026-q4" / "leadership.yml"
    work = yaml.safe_load(work_file.read_text(encoding="utf-8"))
    work["objectives"] = triple(work["objectives"], "key_results")
    work["rocks"], work["kpis"] = triple(work["rocks"]), triple(work["kpis"])
    work_file.write_text(yaml.safe_dump(work, sort_keys=False), encoding="utf-8")
    teams = yaml.safe_load((plan / "teams.yml").read_text(encoding="utf-8"))
    children = [t for t in teams["teams"] if t.get("parent") == "leadership"]
    teams["teams"] += [
        {"id": f"{t['id']}-{n}", "name": f"{t['name']} {n}", "lead": t["lead"], "parent": "leadership"}
        for n in (2, 3)
        for t in children
    ]
    (plan / "teams.yml").write_text(yaml.safe_dump(teams, sort_keys=False), encoding="utf-8")
    return plan


@pytest.fixture(scope="module")
def tripled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _built(tmp_path_factory, "tripled", _tripled_plan)


PAPER_PX = {"a4": (1064, 734), "letter": (996, 755)}
"""A landscape sheet's printable area, 8 mm margins, in CSS pixels: what Chromium lays out when printing."""
MEASURE = """() => {
  const sheet = document.querySelector('.ns-opp');
  const clipped = [...sheet.querySelectorAll('section, .ns-opp-box')]
    .filter(el => el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1)
    .map(el => el.className);
  const texts = [...sheet.querySelectorAll('*')].filter(el =>
    [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()) && el.getClientRects().length
    && !el.closest('.ns-sr') && getComputedStyle(el).visibility !== 'hidden');
  const smallest = Math.min(...texts.map(el => parseFloat(getComputedStyle(el).fontSize)));
  const outside = texts.filter(el => { const r = el.getBoundingClientRect(), s = sheet.getBoundingClientRect();
    return r.bottom > s.bottom + 1 || r.right > s.right + 1; }).map(el => el.textContent.slice(0, 40));
  const dropped = [...sheet.querySelectorAll('li.ns-dropped:not([hidden])')].map(li => li.textContent);
  return {clipped, smallest, outside, dropped, size: sheet.style.fontSize, height: sheet.scrollHeight};
}"""


@pytest.mark.pdf
@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("plan", ["example", "tripled", "overfull"])
def test_the_sheet_is_fitted_in_the_browser(
    plan: str, paper: str, request: pytest.FixtureRequest, browser_page: Any
) -> None:
    """Printed, each plan fits its paper by the page's own script: exactly one sheet, no text
    clipped or outside it, nothing smaller than 8 pt; what does not fit is dropped whole and counted."""
    project: Path = request.getfixturevalue(plan)
    width, height = PAPER_PX[paper]
    tab = browser_page(project / "site", "one-page-plan/", width, height)
    tab.emulate_media(media="print")
    tab.wait_for_function("document.querySelector('.ns-opp').style.fontSize !== ''")  # the page fitted itself
    found = tab.evaluate(MEASURE)
    assert found["clipped"] == [] and found["outside"] == []
    assert found["smallest"] >= 8 * 96 / 72 - 0.01, found
    if plan == "example":
        assert found["dropped"] == [] and float(found["size"][:-2]) >= 9, found  # room to spare
    if plan == "overfull":
        assert found["size"] == "8pt" and len(found["dropped"]) >= 6, found
        assert all(re.fullmatch(r"and \d+ more", d) for d in found["dropped"])
    pdf = PdfReader(io.BytesIO(tab.pdf(format={"a4": "A4", "letter": "Letter"}[paper], landscape=True)))
    assert len(pdf.pages) == 1
    _landscape(pdf, paper)


@pytest.mark.pdf
@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_overfull_plan_still_prints_on_one_sheet(overfull: Path, paper: str) -> None:
    reader = _pdf(overfull, paper)
    assert len(reader.pages) == 1
    _landscape(reader, paper)
    text = " ".join(reader.pages[0].extract_text().split())
    assert re.search(r"and \d+ more", text) and not re.search(r"\+\d+ more", text)  # counted, not "+N" links
    assert "Why we exist" in text and "Accountabilities" in text and "Sales · Ana Silva" in text


def test_pdf_without_a_built_site_is_explained(tmp_path: Path) -> None:
    done = subprocess.run([str(NORTHSTAR), "pdf"], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert (
        done.stderr == "northstar pdf: site/one-page-plan/index.html not found: build the site first (mkdocs build)\n"
    )


def test_pdf_without_chromium_is_explained(example: Path) -> None:
    env = {**os.environ, "PATH": str(NORTHSTAR.parent)}
    done = subprocess.run([str(NORTHSTAR), "pdf"], cwd=example, capture_output=True, text=True, check=False, env=env)
    assert done.returncode == 1
    assert done.stderr == (
        "northstar pdf: Chromium is not installed; install it (e.g. apt-get install chromium) to print PDFs\n"
    )


@pytest.mark.parametrize(
    "layout",
    [
        {"plugins": ["search", "offline", "northstar"]},
        {"use_directory_urls": False, "site_dir": "public"},
        {"plugins": ["search", {"northstar": {"path": "plan"}}]},
    ],
    ids=["offline plugin", "no directory urls", "path"],
)
def test_pdf_finds_the_one_page_plan_wherever_the_site_put_it(tmp_path: Path, layout: dict[str, Any]) -> None:
    """`northstar pdf` reads mkdocs.yml: site_dir, directory URLs (the offline plugin turns them
    off) and the plugin's path, as the build used them."""
    init = subprocess.run(
        [str(NORTHSTAR), "init", "site", "--as-of", "2026-11-24"], cwd=tmp_path, capture_output=True, check=False
    )
    assert init.returncode == 0
    project = tmp_path / "site"
    config_file = project / "mkdocs.yml"
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    config.update(layout)
    config_file.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    (project / "docs" / "index.md").write_text("# Our plan\n", encoding="utf-8")  # its links assume no path
    built = mkdocs("build", "--strict", cwd=project)
    assert built.returncode == 0, built.stderr
    reader = _pdf(project, "a4")
    assert len(reader.pages) == 1 and "Example Company" in reader.pages[0].extract_text()
    _landscape(reader, "a4")
