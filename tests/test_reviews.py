"""The rhythm's reviews: the week, month and quarter pages and `northstar review` agree with each
other and with the check-ins in the files, on the example and on plans unlike it."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from mkdocs_northstar.check import Report, check_plan
from mkdocs_northstar.dates import month_of, parse_month, parse_week, week_of
from mkdocs_northstar.model import Quarter, Year
from mkdocs_northstar.reviews import month_review, quarter_review, week_review, weeks_of
from mkdocs_northstar.rules import current_period

from tests.conftest import CASES, ROOT
from tests.site_helpers import article, copy_project, mkdocs, northstar

AS_OF = dt.date(2026, 11, 24)  # the day copy_project commits the example: the site's as-of day


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("reviews"))
    built = mkdocs("build", "--strict", cwd=project)
    assert built.returncode == 0, built.stderr
    return project


def _files_check_ins(plan: Path, period: str) -> list[dict[str, Any]]:
    """Every dated check-in of the period's key results and KPIs, read straight from the YAML."""
    out = []
    for path in sorted((plan / "execution" / period).glob("*.yml")):
        work = yaml.safe_load(path.read_text(encoding="utf-8"))
        items = [kr for o in work.get("objectives") or [] for kr in o.get("key_results") or []]
        items += work.get("kpis") or []
        for item in items:
            out += [{"id": item["id"], **c} for c in item.get("check_ins") or []]
    return out


def _review(project: Path, *args: str) -> dict[str, Any]:
    done = northstar("review", *args, "--format", "json", cwd=project)
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout))


def _section(site: Path, url: str, heading: str) -> list[str]:
    """The text of each list item under the `## heading` of a page."""
    body = article(site, url)
    h2 = next(h for h in body.find_all("h2") if h.get_text(strip=True).rstrip("¶") == heading)
    items = []
    for sibling in h2.find_next_siblings():
        if sibling.name == "h2":
            break
        items += [li.get_text(" ", strip=True) for li in sibling.find_all("li")] if sibling.name != "h3" else []
    return items


def test_each_week_page_and_the_command_list_the_check_ins_dated_that_week(example: Path) -> None:
    site, plan = example / "site", example / "plan"
    check_ins = _files_check_ins(plan, "2026-q4")
    report, year, quarter = _judged(plan, AS_OF)
    weeks = sorted(p.name for p in (site / "reviews").iterdir() if p.name.startswith("2026-w"))
    assert len(weeks) == 8  # 2026-W40 (1 October) up to 2026-W47; 2026-W48 is this week
    for week in [*weeks, week_of(AS_OF).id.lower()]:
        span = parse_week(week)
        review = week_review(report.plan, report.index, quarter, span, AS_OF, year=year).model_dump(mode="json")
        if week in ("2026-w43", "2026-w47"):  # the command gives the very same review
            assert _review(example, "--week", week) == review
        expected = sorted(
            (c["id"], c["date"].isoformat())
            for c in check_ins
            if span.start <= c["date"] <= AS_OF and c["date"] <= span.end
        )
        assert sorted((m["item"]["id"], m["date"]) for m in review["moved"]) == expected, week
        url = "reviews/week/" if week == week_of(AS_OF).id.lower() else f"reviews/{week}/"
        shown = _section(site, url, "What moved")
        assert len(shown) == len(expected), week
        for moved, line in zip(review["moved"], shown, strict=True):
            assert moved["item"]["title"] in line and moved["date"] in line
    busy = _review(example, "--week", "2026-W47")
    assert busy["moved"] and busy["attention"] and busy["rocks_due"]


def test_this_week_on_the_site_is_the_command_s_default_week_in_markdown(example: Path) -> None:
    site = example / "site"
    done = northstar("review", cwd=example)
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert text.startswith(f"# Week {week_of(AS_OF).id}\n")
    assert "<" not in text.replace("< ", "")  # plain Markdown: no HTML, links are titles
    review = _review(example)
    for heading, key in (("Needs attention", "attention"), ("Rocks due in the next 14 days or overdue", "rocks_due")):
        lines = text.split(f"## {heading}\n\n", 1)[1].split("\n## ", 1)[0].strip().splitlines()
        assert len(lines) == len(review[key]) == len(_section(site, "reviews/week/", heading)), heading
        for item, line in zip(review[key], lines, strict=True):
            assert line.startswith("- ") and item["item"]["title"] in line


def test_the_month_and_the_quarter_count_what_the_files_hold(example: Path) -> None:
    site, plan = example / "site", example / "plan"
    works = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in (plan / "execution" / "2026-q4").glob("*.yml")]
    objectives = [o for w in works for o in w.get("objectives") or []]
    rocks = [r for w in works for r in w.get("rocks") or []]

    month = _review(example, "--month", month_of(AS_OF).id)
    assert len(month["trends"]) == len(objectives)
    rows = article(site, "reviews/month/").find("table").find_all("tr")[1:]
    assert len(rows) == len(objectives)
    for trend, row in zip(month["trends"], rows, strict=True):
        after = trend["progress_after"]
        assert trend["item"]["title"] in row.get_text() and (
            after is None or f"{round(after * 100)}%" in row.get_text()
        )

    close = _review(example, "--quarter", "2026-q4")
    counts = close["company"]["rocks"]
    assert sum(counts.values()) == len(rocks)
    done_late = [r for r in rocks if (r["done"] <= AS_OF if r.get("done") else r.get("status") == "done")]
    assert counts["done"] + counts["late"] == len(done_late)
    company = article(site, "reviews/quarter/").find("table").find_all("tr")[1].get_text(" ")
    shown = f"{counts['done']} done, {counts['late']} late, {counts['dropped']} dropped"
    assert shown in company and "so far" in company  # the quarter is not over on 24 November


def _plan(tmp_path: Path) -> Path:
    """A small plan unlike the example: sparse, weekly KPIs, a late rock, a dropped one."""
    plan = tmp_path / "plan"
    shutil.copytree(CASES / "_base", plan)
    sales = plan / "execution" / "2026-q4" / "sales.yml"
    work = yaml.safe_load(sales.read_text(encoding="utf-8"))
    work["objectives"][0]["key_results"].append(
        {"id": "silent-kr", "title": "Nobody reports on this", "owner": "ben", "baseline": 0, "target": 10}
    )
    work["kpis"] = [
        {
            "id": "nps",
            "title": "Weekly NPS",
            "owner": "ana",
            "target": 40,
            "check_ins": [
                {"date": dt.date(2026, 11, d), "value": v} for d, v in ((2, 45), (9, 38), (16, 35), (23, 33), (30, 50))
            ],
        }
    ]
    work["rocks"] = [
        {
            "id": "late-rock",
            "title": "Shipped late",
            "owner": "ana",
            "due": dt.date(2026, 11, 10),
            "done": dt.date(2026, 11, 20),
        },
        {"id": "dropped-rock", "title": "Dropped", "owner": "ana", "due": dt.date(2026, 11, 30), "status": "dropped"},
        {"id": "due-soon", "title": "Due soon", "owner": "ben", "due": dt.date(2026, 11, 28)},
    ]
    sales.write_text(yaml.safe_dump(work, sort_keys=False), encoding="utf-8")
    return plan


def _judged(plan: Path, as_of: dt.date) -> tuple[Report, Year | None, Quarter]:
    """The plan checked as of a day, with the year and quarter that hold it."""
    report = check_plan(plan, as_of=as_of)
    year, quarter = current_period(report.plan, as_of)
    assert quarter is not None
    return report, year, quarter


def test_a_past_week_is_judged_on_what_was_known_then(tmp_path: Path) -> None:
    as_of = dt.date(2026, 12, 4)
    report, year, quarter = _judged(_plan(tmp_path), as_of)
    w47 = week_review(report.plan, report.index, quarter, parse_week("2026-W47"), as_of, year=year)
    assert w47.as_of == dt.date(2026, 11, 22)
    # the 23 and 30 November readings are later: not moved, and the KPI had missed twice by then
    assert [(m.item.id, m.date, m.value, m.change) for m in w47.moved] == [
        ("new-logos", dt.date(2026, 11, 20), 3, None),  # its first check-in: no change to show
        ("nps", dt.date(2026, 11, 16), 35, -3),
        ("meetings", dt.date(2026, 11, 18), 22, 13),
    ]
    (nps,) = w47.kpis_off
    assert (nps.missed, nps.since, nps.value) == (2, dt.date(2026, 11, 9), 35)
    assert [r.item.id for r in w47.rocks_due] == ["due-soon"]  # the late rock was done on the 20th
    w46 = week_review(report.plan, report.index, quarter, parse_week("2026-W46"), as_of, year=year)
    assert [(r.item.id, r.overdue) for r in w46.rocks_due] == [("late-rock", True), ("due-soon", False)]
    assert {s.owner: [k.id for k in s.key_results] for s in w47.silent}["ben"] == ["silent-kr"]

    w49 = week_review(report.plan, report.index, quarter, week_of(as_of), as_of, year=year)
    assert not w49.kpis_off  # 50 on 30 November meets 40
    assert [(r.item.id, r.overdue) for r in w49.rocks_due] == [("due-soon", True), ("hire-rep", False)]


def test_the_quarter_counts_rocks_by_how_they_ended_and_grades_where_given(tmp_path: Path) -> None:
    plan = _plan(tmp_path)
    report = check_plan(plan, as_of=dt.date(2027, 1, 10))
    year, quarter = current_period(report.plan, dt.date(2026, 12, 31))
    assert quarter is not None and quarter.id == "2026-q4"
    close = quarter_review(report.plan, report.index, quarter, dt.date(2027, 1, 10), year=year)
    sales = next(t for t in close.teams if t.team == "sales")
    assert sales.rocks == {"done": 0, "late": 1, "dropped": 1, "missed": 0, "open": 1}
    assert sales.completion == 0.5  # the dropped rock is not counted against the team
    silent = next(g for g in sales.key_results if g.item.id == "silent-kr")
    assert silent.score is None and not silent.graded  # no data is not 0%
    assert close.company.rocks["late"] == 1 and close.rock_target == 0.8


def test_the_month_compares_the_day_before_it_with_its_end(tmp_path: Path) -> None:
    as_of = dt.date(2026, 12, 4)
    report, year, quarter = _judged(_plan(tmp_path), as_of)
    november = month_review(report.plan, report.index, quarter, parse_month("2026-11"), as_of, year=year)
    pipeline = next(t for t in november.trends if t.item.id == "fill-pipeline")
    assert pipeline.progress_before is not None and pipeline.progress_after is not None
    assert pipeline.progress_after > pipeline.progress_before  # 22 meetings on 18 November against 9
    assert november.changes is None  # no history was given


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2026-W53", dt.date(2026, 12, 28), dt.date(2027, 1, 3)),
        ("2027-w01", dt.date(2027, 1, 4), dt.date(2027, 1, 10)),
        ("2020-W01", dt.date(2019, 12, 30), dt.date(2020, 1, 5)),
    ],
)
def test_iso_weeks_cross_the_year_as_the_calendar_does(text: str, start: dt.date, end: dt.date) -> None:
    week = parse_week(text)
    assert (week.start, week.end) == (start, end) and week_of(start) == week_of(end) == week


@pytest.mark.parametrize("text", ["2025-W53", "2026-W0", "W47", "2026-47", "2026-W47x"])
def test_a_week_that_does_not_exist_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="expected an ISO week such as 2026-W47"):
        parse_week(text)


def test_the_weeks_of_a_quarter_run_from_its_first_week_to_today(tmp_path: Path) -> None:
    plan = _plan(tmp_path)
    report = check_plan(plan, as_of=AS_OF)
    _, quarter = current_period(report.plan, AS_OF)
    assert quarter is not None
    weeks = weeks_of(quarter, AS_OF)
    assert weeks[0] == week_of(AS_OF) and weeks[-1] == week_of(quarter.start) and len(weeks) == 9


def test_the_command_refuses_what_it_cannot_review(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    for args, said in (
        (("--week", "2027-W10"), "2027-W10 has not begun by 2026-11-24"),
        (("--week", "47"), "expected an ISO week such as 2026-W47, got '47'"),
        (("--month", "2026-13"), "expected a month such as 2026-11, got '2026-13'"),
        (("--quarter", "2031-q1"), "2031-q1"),
    ):
        done = northstar("review", *args, cwd=project)
        assert done.returncode == 2, (args, done.stdout)
        assert said in done.stderr and "Traceback" not in done.stderr


def test_a_closed_quarter_keeps_its_lessons_and_what_carries_forward_in_the_archive(example: Path) -> None:
    site, plan = example / "site", example / "plan"
    page = article(site, "archive/2026-q3/reviews/quarter/").get_text(" ")
    assert "Open the Prairies without slowing the corridor" in page  # the quarter's theme
    for path in sorted((plan / "execution" / "2026-q3").glob("*.yml")):
        close = yaml.safe_load(path.read_text(encoding="utf-8")).get("close") or {}
        for lesson in close.get("learned", []):
            assert " ".join(lesson.split()) in " ".join(page.split())
    assert "Carries forward" in page
    archive = article(site, "archive/").get_text(" ")
    assert "Quarter in review" in archive


def test_carrying_forward_what_the_file_does_not_hold_is_an_error(tmp_path: Path) -> None:
    plan = _plan(tmp_path)
    sales = plan / "execution" / "2026-q4" / "sales.yml"
    text = (
        sales.read_text(encoding="utf-8")
        + "close:\n  learned: [Fewer, better meetings.]\n  carry_forward: [fill-pipelin]\n"
    )
    sales.write_text(text, encoding="utf-8")
    report = check_plan(plan, as_of=AS_OF)
    (error,) = report.errors
    line = text.splitlines().index("  carry_forward: [fill-pipelin]") + 1
    assert (error.code, error.line) == ("NS202", line)
    assert "'fill-pipelin', not an objective or rock of this file (did you mean 'fill-pipeline'?)" in error.message


def test_the_issues_list_shows_what_was_open_that_week_and_what_was_solved(tmp_path: Path) -> None:
    plan = _plan(tmp_path)
    (plan / "issues.yml").write_text(
        "issues:\n"
        "  - {id: a, title: Old and low, raised_by: ana, raised: 2026-10-01, priority: low}\n"
        "  - {id: b, title: New and high, raised_by: ben, raised: 2026-11-17, team: sales, priority: high}\n"
        "  - {id: c, title: Solved midweek, raised_by: ana, raised: 2026-11-02, solved: 2026-11-18,"
        " resolution: Fixed it.}\n"
        "  - {id: d, title: Raised later, raised_by: ana, raised: 2026-11-30}\n",
        encoding="utf-8",
    )
    report = check_plan(plan, as_of=dt.date(2026, 12, 4))
    assert not report.errors, report.errors
    _, quarter = current_period(report.plan, dt.date(2026, 12, 4))
    assert quarter is not None
    w47 = week_review(report.plan, report.index, quarter, parse_week("2026-W47"), dt.date(2026, 12, 4))
    assert [i.id for i in w47.issues] == ["b", "a"]  # high first; d was not raised yet
    assert [i.id for i in w47.solved] == ["c"]
    w46 = week_review(report.plan, report.index, quarter, parse_week("2026-W46"), dt.date(2026, 12, 4))
    assert [i.id for i in w46.issues] == ["c", "a"] and not w46.solved  # c (medium) was still open then


def test_an_issue_names_people_and_teams_that_exist_and_is_not_solved_before_it_was_raised(tmp_path: Path) -> None:
    plan = _plan(tmp_path)
    text = (
        "issues:\n"
        "  - {id: a, title: Typo, raised_by: annna, raised: 2026-11-01, team: sals}\n"
        "  - {id: b, title: Time travel, raised_by: ana, raised: 2026-11-10, solved: 2026-11-01}\n"
    )
    (plan / "issues.yml").write_text(text, encoding="utf-8")
    report = check_plan(plan, as_of=AS_OF)
    found = sorted((p.code, p.line, p.message) for p in report.errors)
    assert [(code, line) for code, line, _ in found] == [("NS202", 2), ("NS202", 2), ("NS211", 3)]
    assert "unknown person 'annna' (did you mean 'ana'?)" in found[0][2] + found[1][2]
    assert "unknown team 'sals' (did you mean 'sales'?)" in found[0][2] + found[1][2]


def test_a_company_of_a_hundred_teams_gets_a_week_it_can_meet_over(tmp_path: Path) -> None:
    """Each list shows its first 40 lines and says how many more there are, counted from the same
    review the JSON holds whole; a team-by-team table says where they are."""
    generated = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "generate.py"), "--size", "M", "--out", str(tmp_path / "m")],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert generated.returncode == 0, generated.stderr
    project = tmp_path / "m"
    args = ("review", "plan", "--week", "2026-W46", "--as-of", "2026-11-20")
    whole = json.loads(northstar(*args, "--format", "json", cwd=project).stdout)
    moved = len(whole["moved"])
    assert moved > 40 and len(whole["teams"]) > 40
    assert sum(t["moved"] for t in whole["teams"]) == moved
    markdown = northstar(*args, "--format", "markdown", cwd=project).stdout
    assert "A large plan: each list shows its first 40 lines" in markdown
    listed = [
        line for line in markdown.split("\n## What moved")[1].split("\n## ")[0].splitlines() if line.startswith("- 20")
    ]
    assert len(listed) == 40
    assert f"- _and {moved - 40} more, on their teams' pages_" in markdown
    rows = markdown.split("\n## Team by team")[1].split("\n## ")[0]
    assert rows.count("\n| Team ") == 1 + 40 and f"and {len(whole['teams']) - 40} more teams" in rows
