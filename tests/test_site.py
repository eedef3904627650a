"""The plugin in real MkDocs builds: pages, lineage links, escaping, labels, options, failures."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from mkdocs_northstar.load import load_plan

from tests.conftest import CASES, ROOT
from tests.site_helpers import article, broken_links, copy_project, git, mkdocs, page


@pytest.fixture(scope="module")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("example"))
    done = mkdocs("build", "--strict", cwd=project)
    assert done.returncode == 0, done.stderr
    return project / "site"


def _configure(project: Path, **options: object) -> None:
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    config["plugins"] = ["search", {"northstar": options}] if options else ["search", "northstar"]
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")


def _override(project: Path, template: str, text: str, **options: object) -> None:
    """Override one Northstar template from the theme's custom_dir (`overrides/northstar/`), with plugin options."""
    overrides = project / "overrides" / "northstar"
    overrides.mkdir(parents=True)
    (overrides / template).write_text(text, encoding="utf-8")
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    config["theme"]["custom_dir"] = "overrides"
    config["plugins"] = [p if p != "northstar" or not options else {"northstar": options} for p in config["plugins"]]
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")


def test_every_team_objective_key_result_and_person_appears(example_site: Path) -> None:
    plan = load_plan(ROOT / "plan").plan
    assert plan.teams is not None and plan.people is not None
    for team in plan.teams.teams:
        body = article(example_site, f"teams/{team.id}/")
        assert body.h1 is not None and body.h1.get_text(strip=True).startswith(team.name)
    for _, work in plan.execution:
        if work.period != "2026-q4":
            continue
        body = article(example_site, f"teams/{work.team}/")
        for objective in work.objectives:
            assert body.find(id=objective.id) is not None, objective.id
            for kr in objective.key_results:
                row = body.find("tr", id=kr.id)
                assert row is not None and kr.title in row.get_text(), kr.id
        for rock in work.rocks:
            assert body.find("tr", id=rock.id) is not None
    for person in plan.people.people:
        assert article(example_site, f"people/{person.id}/").h1.get_text(strip=True).startswith(person.name)


def test_a_person_page_gives_the_check_in_id_of_everything_they_report_on(example_site: Path) -> None:
    """Owners who do not edit YAML find there the ids the check-in form and spreadsheet ask for."""
    plan = load_plan(ROOT / "plan").plan
    owned = {
        item.id
        for _, work in plan.execution
        if work.period == "2026-q4"
        for item in [*(k for o in work.objectives for k in o.key_results), *work.rocks, *work.kpis]
        if item.owner == "marcus-bell"
    }
    body = article(example_site, "people/marcus-bell/")
    shown = {c.get_text() for c in body.select(".ns-checkin-id code")}
    assert len(owned) >= 2 and shown == owned


def test_no_broken_internal_links(example_site: Path) -> None:
    assert broken_links(example_site) == []


def test_lineage_runs_from_strategy_to_parent_objective(example_site: Path) -> None:
    body = article(example_site, "teams/sales-alberta/")
    objective = body.find(id="ab-new-logos").find_next("div", class_="ns-objective")
    links = [(a.get_text(strip=True), a["href"]) for a in objective.select(".ns-lineage a")]
    assert links == [
        ("Mid-market shippers with 20-500 shipments a month", "../../strategy/#mid-market-shippers"),
        ("Grow revenue to $128M at an operating ratio of 94 or better", "../#fy26-revenue-128m"),
        ("Grow the mid-market book along the Alberta-BC corridor", "../leadership/#lead-mid-market-growth"),
        ("Build a mid-market pipeline we can forecast", "../sales/#sales-mid-market-pipeline"),
    ]


def test_cascade_lists_sub_team_objectives(example_site: Path) -> None:
    body = article(example_site, "teams/sales/")
    block = body.find(id="sales-mid-market-pipeline").find_next("div", class_="ns-objective")
    cascade = [li.get_text(" ", strip=True) for li in block.select("ul.ns-cascade li")]
    assert any(item.startswith("Sales Alberta : Win mid-market manufacturers") for item in cascade), cascade


def test_progress_shows_number_and_band_not_only_colour(example_site: Path) -> None:
    row = article(example_site, "teams/sales-alberta/").find("tr", id="ab-new-accounts")
    cells = [td.get_text(" ", strip=True) for td in row.find_all("td")]
    assert cells[2] == "0 → 41 → 60 accounts"
    # (41 - 0) / (60 - 0); ahead of the 56% expected by 24 November, with confidence 0.7: on track
    assert cells[3] == "68% On track"
    bar = row.find(class_="ns-bar")
    assert bar["aria-label"] == "68% On track, 56% expected by now"
    assert bar.find(class_="ns-expected")["style"] == "left: 56%"
    assert cells[5] == "2026-11-19"


def test_every_page_names_period_and_plan_version(example_site: Path) -> None:
    sha = git("rev-parse", "--short", "HEAD", cwd=example_site.parent).strip()
    for url in ["strategy/", "teams/", "teams/sales/", "alignment/", "people/", "people/maya-chen/"]:
        footer = article(example_site, url).select_one(".ns-footer").get_text(" ", strip=True)
        expected = (
            "Period: Q4 2026 (2026-10-01 \u2013 2026-12-31) \u00b7 "
            f"Plan version: {sha} (2026-11-24) \u00b7 as of 2026-11-24 \u00b7 Other periods"
        )
        assert footer == expected, footer


def test_strategy_page_holds_the_whole_direction(example_site: Path) -> None:
    body = article(example_site, "strategy/")
    headings = [h.get_text(strip=True).rstrip("¶") for h in body.find_all("h2")]
    assert headings == [
        "Why we exist",
        "North star",
        "Core values",
        "Targets",
        "Where we play",
        "How we win",
        "What we will not do",
        "Talent we need",
        "Strengths, weaknesses, trends",
        "Inputs",
    ]
    not_doing = body.find(id="enterprise-segment")
    assert not_doing is not None and "Why:" in not_doing.find_next("dd").get_text()
    assert "Owned by Maya Chen · Last reviewed 2026-09-15" in body.select_one(".ns-meta").get_text(" ", strip=True)


def test_the_strategy_says_why_it_is_what_it_is(example_site: Path) -> None:
    """Decisions and inputs: since when the direction holds, each item's decisions and the inputs on
    it, inputs always labelled as inputs, and a page for each decision."""
    body = article(example_site, "strategy/")
    assert body.select_one(".ns-direction").get_text(" ", strip=True) == (
        "Direction unchanged since 2026-12-04 ( Quote in 15 minutes on Saturday mornings too )"
    )  # the yearly review's reaffirmation came before that change
    prairies = body.find(id="prairie-regional-lanes").select_one(".ns-record")
    assert prairies.get_text(" ", strip=True) == (
        "Decided: Serve rural Prairie points through interline partners (2025-11-18) · Inputs: Raj Sandhu"
    )
    assert prairies.a["href"] == "../decisions/interline-rural-prairies/"
    enterprise = body.find(id="enterprise-segment").find_next("dd").select_one(".ns-record")
    assert enterprise.get_text(" ", strip=True) == (
        "Decided: Yearly review 2026, direction kept (2026-09-15) · "
        "Inputs: Claire Bouchard , Helen Okafor, Board member"
    )
    inputs = body.select(".ns-given")
    assert [i.select_one(".ns-given-head").get_text(" ", strip=True) for i in inputs] == [
        "Input · risk · Claire Bouchard · 2026-09-02",
        "Input · alternative · Helen Okafor, Board member · 2026-08-20",
        "Input · alternative · Raj Sandhu · 2025-10-30",
    ]
    assert inputs[1].select_one(".ns-given-foot").get_text(" ", strip=True) == (
        "weighed in: Yearly review 2026, direction kept"
    )
    index = article(example_site, "decisions/")
    assert [li.get_text(" ", strip=True) for li in index.select("li")] == [
        "Change of direction 2026-12-04 · Quote in 15 minutes on Saturday mornings too",
        "Reaffirmed 2026-09-15 · Yearly review 2026, direction kept",
        "Change of direction 2025-11-18 · Serve rural Prairie points through interline partners",
    ]
    decision = article(example_site, "decisions/interline-rural-prairies/")
    headings = [h.get_text(strip=True).rstrip("¶") for h in decision.find_all("h2")]
    assert headings == ["What changed", "Options considered", "Inputs weighed", "Decision", "Revisit when"]
    assert "Decided by Maya Chen" in decision.select_one(".ns-meta").get_text(" ", strip=True)
    changed = decision.select_one("p.ns-record")
    assert (
        changed.get_text(" ", strip=True) == "Changes: Saskatchewan and Manitoba through Regina, Saskatoon and Winnipeg"
    )
    assert changed.a["href"] == "../../strategy/#prairie-regional-lanes"


def test_alignment_calls_out_orphans_and_draws_a_diagram(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    strategy = project / "plan" / "strategy.yml"
    text = strategy.read_text(encoding="utf-8")
    text = text.replace(
        "how_to_win:\n", "how_to_win:\n  - id: loyalty-points\n    title: Points for 50+ shipments a month\n", 1
    )
    strategy.write_text(text, encoding="utf-8")
    assert mkdocs("build", cwd=project).returncode == 0
    body = article(project / "site", "alignment/")
    orphans = body.find(id="strategic-choices-nobody-works-on-this-period").find_next("ul")
    assert [li.get_text(strip=True) for li in orphans.find_all("li")] == ["Points for 50+ shipments a month"]
    trees = body.select("details.ns-cascade")
    assert len(trees) >= 8 and all(t.select_one("ul.ns-diagram > li") for t in trees)
    titles = [a.get_text() for a in body.select("ul.ns-diagram a")]
    assert "Grow revenue to $128M at an operating ratio of 94 or better" in titles  # in full, never cut
    assert not [t for t in titles if t.endswith("…")]
    talent = body.find(id="class1-drivers").find_next("details")  # a talent need has its tree too
    assert talent.select("li.ns-objective") and "items from" in talent.summary.get_text()
    assert body.find(id="loyalty-points").find_next("p", class_="ns-warning") is not None


def test_plan_text_is_escaped_and_never_evaluated(tmp_path: Path) -> None:
    plan = tmp_path / "plan-src"
    shutil.copytree(CASES / "_base", plan)
    strategy = plan / "strategy.yml"
    strategy.write_text(
        strategy.read_text(encoding="utf-8").replace(
            "title: Manitoba manufacturers with 20 to 200 staff",
            'title: "Manitoba <script>alert(1)</script> makers {{ 7 * 7 }}"\n'
            '    description: "[click](javascript:alert(2)) and [docs](https://example.com) '
            '<img src=x onerror=alert(3)>"',
        ),
        encoding="utf-8",
    )
    (tmp_path / "p").mkdir()
    project = copy_project(tmp_path / "p", plan)
    done = mkdocs("build", cwd=project)
    assert done.returncode == 0, done.stderr
    html = (project / "site" / "strategy" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(3)&gt;" in html
    card = article(project / "site", "strategy/").find(id="manitoba-makers")
    assert card.get_text(" ", strip=True).startswith("Manitoba <script>alert(1)</script> makers {{ 7 * 7 }}")
    hrefs = [a.get("href") for a in card.find_all("a")]
    assert "javascript:alert(2)" not in hrefs and "https://example.com" in hrefs


def test_labels_override_and_unknown_label_is_explained(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    _configure(project, labels={"strategy": "Stratégie", "teams": "Équipes", "plan": "Plan d'entreprise"})
    assert mkdocs("build", "--strict", cwd=project).returncode == 0
    body = article(project / "site", "strategy/")
    assert body.h1.get_text(strip=True).startswith("Stratégie")
    nav = page(project / "site", "strategy/").select_one("nav.md-nav--primary").get_text(" ", strip=True)
    assert "Plan d'entreprise" in nav and "Équipes" in nav
    _configure(project, labels={"stratgy": "x"})
    done = mkdocs("build", cwd=project)
    assert done.returncode == 1
    assert "unknown label 'stratgy' (did you mean 'strategy'?)" in done.stderr


def test_invalid_plan_fails_build_with_positions_and_writes_nothing(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    (project / "site").mkdir()
    (project / "site" / "keep.txt").write_text("previous site", encoding="utf-8")
    sales = project / "plan" / "execution" / "2026-q4" / "sales.yml"
    sales.write_text(sales.read_text(encoding="utf-8").replace("owner: ", "ownr: ", 1), encoding="utf-8")
    done = mkdocs("build", cwd=project)
    assert done.returncode == 1
    assert [line for line in done.stderr.splitlines() if line.startswith("ERROR")] == [
        "ERROR   -  northstar: plan/execution/2026-q4/sales.yml:13:9: error NS110 key result "
        "'sales-qualified-pipeline': unknown key 'ownr' (did you mean 'owner'?)",
        "ERROR   -  northstar: the plan has 1 error; fix them to build",
    ]
    assert "Traceback" not in done.stderr
    assert sorted(p.name for p in (project / "site").iterdir()) == ["keep.txt"]


def test_warnings_fail_strict_builds_only(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    (project / "plan" / "northstar.yml").write_text("max_objectives: 1\n", encoding="utf-8")
    assert mkdocs("build", cwd=project).returncode == 0
    strict = mkdocs("build", "--strict", cwd=project)
    assert strict.returncode == 1
    assert "WARNING -  northstar: plan/execution/2026-q4/leadership.yml:" in strict.stderr
    assert "NS306" in strict.stderr


def test_default_mkdocs_theme(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    config["theme"] = {"name": "mkdocs"}
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    done = mkdocs("build", "--strict", cwd=project)
    assert done.returncode == 0, done.stderr
    assert broken_links(project / "site") == []
    assert page(project / "site", "teams/sales/").find(id="sales-mid-market-pipeline") is not None


def test_template_override_from_custom_dir(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    _override(project, "person.md.jinja", "# {{ person.person.name }}\n\nCustom person page.\n")
    assert mkdocs("build", "--strict", cwd=project).returncode == 0
    assert "Custom person page." in article(project / "site", "people/maya-chen/").get_text()
    assert "Custom person page." not in article(project / "site", "teams/sales/").get_text()
    assert not (project / "site" / "northstar" / "person.md.jinja").exists()  # overrides are not published


def test_a_failing_template_override_is_one_clear_error(tmp_path: Path) -> None:
    """A team page's override names a variable that does not exist: the build stops with the file,
    line and page, not a traceback."""
    project = copy_project(tmp_path)
    _override(project, "team.md.jinja", "# {{ team.team.name }}\n\n{{ team.missoin }}\n")
    done = mkdocs("build", cwd=project)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    expected = (
        "northstar: overrides/northstar/team.md.jinja:3: "
        "'mkdocs_northstar.pages.views.TeamView object' has no attribute"
    )
    assert expected in done.stderr, done.stderr
    assert "(rendering teams/" in done.stderr
    assert not (project / "site" / "teams").exists()
    northstar = str(Path(sys.executable).parent / "northstar")
    render = [northstar, "render", "--out", str(tmp_path / "out")]
    rendered = subprocess.run(render, cwd=project, capture_output=True, text=True, check=False)
    assert rendered.returncode == 2  # render reads mkdocs.yml: the same override, the same one error
    assert "Traceback" not in rendered.stderr and "overrides/northstar/team.md.jinja:3: " in rendered.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    bare = subprocess.run([*render, str(project / "plan")], cwd=elsewhere, capture_output=True, text=True, check=False)
    assert bare.returncode == 0, bare.stderr  # no site here: Northstar's own templates render
    assert "team.md.jinja" not in bare.stderr


def test_pages_in_a_folder_and_a_subset(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    (project / "docs" / "index.md").write_text("# Home\n\n[Strategy](plan/strategy.md)\n", encoding="utf-8")
    _configure(project, path="plan", pages=["strategy", "teams"], nav_title="Our plan")
    done = mkdocs("build", "--strict", cwd=project)
    assert done.returncode == 0, done.stderr
    assert (project / "site" / "plan" / "strategy" / "index.html").exists()
    assert (project / "site" / "plan" / "teams" / "sales" / "index.html").exists()
    assert not (project / "site" / "plan" / "people").exists()
    assert broken_links(project / "site") == []  # owners show as names, not links to pages that do not exist
    assert "Our plan" in page(project / "site", "plan/strategy/").select_one("nav.md-nav--primary").get_text()


def test_refuses_to_overwrite_a_hand_written_page(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    (project / "docs" / "strategy.md").write_text("# Mine\n", encoding="utf-8")
    done = mkdocs("build", cwd=project)
    assert done.returncode == 1
    assert "docs/strategy.md exists, and Northstar generates that page" in done.stderr
    assert (project / "docs" / "strategy.md").read_text(encoding="utf-8") == "# Mine\n"


@pytest.mark.clock
def test_uncommitted_plan_is_marked_and_unversioned_plan_says_so(tmp_path: Path) -> None:
    (tmp_path / "edited").mkdir()
    project = copy_project(tmp_path / "edited")
    people = project / "plan" / "people.yml"
    people.write_text(people.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    assert mkdocs("build", cwd=project).returncode == 0
    footer = article(project / "site", "strategy/").select_one(".ns-footer").get_text(" ", strip=True)
    assert "with uncommitted changes" in footer
    (tmp_path / "bare").mkdir()
    bare = copy_project(tmp_path / "bare", commit=False)
    config = (bare / "mkdocs.yml").read_text(encoding="utf-8")
    (bare / "mkdocs.yml").write_text(
        config.replace("  - northstar\n", "  - northstar:\n      as_of: 2026-11-24\n"), encoding="utf-8"
    )  # an unquoted YAML date works too
    assert mkdocs("build", "--strict", cwd=bare).returncode == 0
    footer = article(bare / "site", "strategy/").select_one(".ns-footer").get_text(" ", strip=True)
    assert "Plan version: unversioned · as of 2026-11-24" in footer


def test_properdocs_engine_builds_the_example(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    properdocs = Path(sys.executable).parent / "properdocs"
    done = subprocess.run(
        [str(properdocs), "build", "--strict", "-f", "mkdocs.yml"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        timeout=180,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert done.returncode == 0, done.stderr
    assert broken_links(project / "site") == []
    body = article(project / "site", "teams/sales-alberta/")
    assert body.find(id="ab-new-logos") is not None


def test_plan_pages_are_in_the_search_index(example_site: Path) -> None:
    index = json.loads((example_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"] for doc in index["docs"]}
    assert {"strategy/", "teams/sales-alberta/", "alignment/", "people/maya-chen/"} <= locations
    texts = " ".join(doc["text"] for doc in index["docs"] if doc["location"].startswith("teams/sales-alberta/"))
    assert "New Alberta mid-market accounts shipping" in texts


def test_score_bands_option_replaces_the_plans_bands(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    _configure(
        project, score_bands=[{"id": "low", "label": "Low", "min": 0}, {"id": "high", "label": "High", "min": 0.6}]
    )
    assert mkdocs("build", "--strict", cwd=project).returncode == 0
    row = article(project / "site", "teams/sales-alberta/").find("tr", id="ab-new-accounts")
    assert row.find_all("td")[3].get_text(" ", strip=True) == "68% High"
    _configure(project, score_bands=[{"id": "low", "label": "Low", "min": 0.2}])
    done = mkdocs("build", cwd=project)
    assert done.returncode == 1
    assert "score_bands" in done.stderr and "the lowest band must start at 0" in done.stderr


def test_large_sections_list_only_their_index_in_the_navigation(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    _configure(project, nav_limit=8)  # 9 teams, 29 people
    done = mkdocs("build", "--strict", cwd=project)
    assert done.returncode == 0, done.stderr
    nav = page(project / "site", "strategy/").select_one("nav.md-nav--primary")
    hrefs = [a["href"] for a in nav.select("a[href]")]
    assert "../teams/" in hrefs and "../people/" in hrefs
    assert not [h for h in hrefs if h.startswith(("../teams/", "../people/")) and h.count("/") > 2]
    assert (project / "site" / "teams" / "sales" / "index.html").exists()  # built, not in the sidebar
    teams_index = article(project / "site", "teams/")
    assert "sales/" in [a["href"] for a in teams_index.select("a[href]")]
    assert broken_links(project / "site") == []


HOOK_RECORDING_FILES = """
import pathlib

FILES = []


def on_files(files, config):
    FILES[:] = [f for f in files if f.generated_by and f.src_uri.endswith(".md")]
    return files


def on_page_markdown(markdown, page, config, files):
    if page.file.src_uri == "strategy.md":
        return markdown + "\\n\\nA note added by another plugin.\\n"
    return markdown


def on_post_build(config):
    out = pathlib.Path(config.config_file_path).parent / "read-back"
    for file in FILES:
        (out / file.src_uri).parent.mkdir(parents=True, exist_ok=True)
        (out / file.src_uri).write_bytes(file.content_bytes)
"""


def test_other_plugins_read_each_generated_file_as_rendered(tmp_path: Path) -> None:
    """The plugin lets a page's file share the text MkDocs read from it (one copy, not two): what
    any other plugin reads from the file at the end of the build must still be exactly the page."""
    project = copy_project(tmp_path)
    (project / "hooks.py").write_text(HOOK_RECORDING_FILES, encoding="utf-8")
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    (project / "mkdocs.yml").write_text(yaml.safe_dump({**config, "hooks": ["hooks.py"]}), encoding="utf-8")
    done = mkdocs("build", "--strict", cwd=project)
    assert done.returncode == 0, done.stderr
    assert "A note added by another plugin." in article(project / "site", "strategy/").get_text()
    rendered = subprocess.run(
        [str(Path(sys.executable).parent / "northstar"), "render", "--out", "rendered"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert rendered.returncode == 0, rendered.stderr
    expected = {p.relative_to(project / "rendered"): p.read_bytes() for p in (project / "rendered").rglob("*.md")}
    read_back = {p.relative_to(project / "read-back"): p.read_bytes() for p in (project / "read-back").rglob("*.md")}
    assert len(read_back) > 40
    assert read_back == expected
