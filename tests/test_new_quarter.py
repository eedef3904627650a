"""`northstar new-quarter`: the next quarter from the last one's close, the user's files kept."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import yaml

from tests.site_helpers import article, broken_links, copy_project, mkdocs, northstar, page


def _close(project: Path) -> None:
    """Close Q4 as two teams would at the quarter's end, a comment on the work carried."""
    q4 = project / "plan" / "execution" / "2026-q4"
    sales = q4 / "sales.yml"
    text = sales.read_text(encoding="utf-8").replace(
        "  - id: sales-mid-market-pipeline\n", "  - id: sales-mid-market-pipeline  # year two of the forecast\n", 1
    )
    carried = "[sales-mid-market-pipeline, rock-sales-2027-territories]"
    text += f"\nclose:\n  learned: [Winter slowed the Prairies.]\n  carry_forward: {carried}\n"
    sales.write_text(text, encoding="utf-8")
    leadership = q4 / "leadership.yml"
    leadership.write_text(
        leadership.read_text(encoding="utf-8") + "\nclose:\n  carry_forward: [lead-mid-market-growth]\n",
        encoding="utf-8",
    )


def test_a_new_quarter_carries_the_closed_work_and_passes_the_strict_check(tmp_path: Path) -> None:
    project = copy_project(tmp_path, commit=False)
    _close(project)
    company = project / "plan" / "company.yml"
    before = company.read_text(encoding="utf-8")

    done = northstar("new-quarter", "2027-q1", cwd=project)
    assert done.returncode == 0, done.stderr
    assert "plan/company.yml: added year 2027 and its quarter 2027-q1 (2027-01-01 to 2027-03-31)" in done.stdout
    assert "plan/execution/2027-q1/sales.yml: 1 objective, 1 rock, 2 KPIs carried forward" in done.stdout

    after = company.read_text(encoding="utf-8")
    changed = [line for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line[:2] in ("- ", "? ")]
    assert changed == []  # only lines added: every comment and line the user wrote stays as it was
    years = yaml.safe_load(after)["years"]
    assert years[-1]["quarters"] == [
        {"id": "2027-q1", "name": "Q1 2027", "start": yaml.safe_load("2027-01-01"), "end": yaml.safe_load("2027-03-31")}
    ]

    sales_text = (project / "plan" / "execution" / "2027-q1" / "sales.yml").read_text(encoding="utf-8")
    assert "  - id: sales-mid-market-pipeline  # year two of the forecast\n" in sales_text
    sales = yaml.safe_load(sales_text)
    assert (sales["team"], sales["period"]) == ("sales", "2027-q1")
    (objective,) = sales["objectives"]
    assert objective["supports"] == ["lead-mid-market-growth"]  # carried by leadership too: the link holds
    assert all("check_ins" not in kr and "current" not in kr for kr in objective["key_results"])
    assert [kr["target"] for kr in objective["key_results"]] == [11.0, 30]
    (rock,) = sales["rocks"]
    assert rock["due"] == yaml.safe_load("2027-03-31")  # it was due in Q4: now by the new quarter's end
    assert all("check_ins" not in k for k in sales["kpis"])

    checked = northstar("check", "--strict", "plan", cwd=project)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "27 team plans" in checked.stdout

    files = {p: p.read_bytes() for p in (project / "plan").rglob("*.yml")}
    again = northstar("new-quarter", "2027-q1", cwd=project)
    assert again.returncode == 0, again.stderr
    assert "plan/execution/2027-q1/sales.yml: exists, left as it is" in again.stdout
    assert {p: p.read_bytes() for p in (project / "plan").rglob("*.yml")} == files  # nothing overwritten


def test_a_quarter_in_the_same_year_goes_under_that_year(tmp_path: Path) -> None:
    """Q4 written from Q3's close, as the example's Q3 files say."""
    project = copy_project(tmp_path, commit=False)
    company = project / "plan" / "company.yml"
    text = company.read_text(encoding="utf-8")
    company.write_text(text[: text.index("      - id: 2026-q4")], encoding="utf-8")
    shutil.rmtree(project / "plan" / "execution" / "2026-q4")
    done = northstar("new-quarter", "2026-q4", cwd=project)
    assert done.returncode == 0, done.stderr
    assert "added 2026-q4 (2026-10-01 to 2026-12-31) to year 2026" in done.stdout
    sales = yaml.safe_load((project / "plan" / "execution" / "2026-q4" / "sales.yml").read_text(encoding="utf-8"))
    assert [o["id"] for o in sales["objectives"]] == ["sales-mid-market-pipeline", "sales-prairie-launch"]
    checked = northstar("check", "--strict", "plan", cwd=project)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_what_new_quarter_cannot_do_is_one_line(tmp_path: Path) -> None:
    project = copy_project(tmp_path, commit=False)
    done = northstar("new-quarter", "spring", cwd=project)
    assert done.returncode == 2
    assert "'spring' is not in company.yml, and its dates cannot be worked out from it" in done.stderr
    assert "Traceback" not in done.stderr
    (project / "plan" / "people.yml").write_text("people: [\n", encoding="utf-8")
    broken = northstar("new-quarter", "2027-q1", cwd=project)
    assert broken.returncode == 1 and "fix them first" in broken.stderr
    assert not (project / "plan" / "execution" / "2027-q1").exists()


def test_next_quarter_written_before_it_starts_is_shown_as_a_draft(tmp_path: Path) -> None:
    """The December offsite: next quarter's files exist before it starts. They are checked, the
    current quarter's findings stay as they were, and the site shows them beside the current plan."""
    project = copy_project(tmp_path, commit=False)
    before = northstar("check", "plan", "--as-of", "2026-12-05", cwd=project)
    _close(project)
    assert northstar("new-quarter", "2027-q1", cwd=project).returncode == 0
    after = northstar("check", "--strict", "plan", "--as-of", "2026-12-05", cwd=project)
    assert after.returncode == 0, after.stdout
    assert after.stdout.splitlines()[:-1] == before.stdout.splitlines()[:-1]  # no new finding, none lost
    assert "27 team plans" in after.stdout and "18 team plans" in before.stdout

    built = mkdocs("build", "--strict", cwd=project, env={"NORTHSTAR_AS_OF": "2026-12-05"})
    assert built.returncode == 0, built.stderr
    site = project / "site"
    assert broken_links(site) == []
    nav = [a.get_text(" ", strip=True) for a in page(site, "").select(".md-nav__item--nested > label, .md-nav__link")]
    assert "Next quarter (draft)" in nav
    teams = article(site, "teams/")
    (note,) = [p for p in teams.select("p.ns-meta") if "being written" in p.get_text()]
    assert note.a is not None and note.a["href"] == "../next/2027-q1/teams/"
    assert note.a.get_text() == "Q1 2027 (draft)"
    sales = article(site, "next/2027-q1/teams/sales/")
    banner = sales.select_one(".ns-draft")
    assert banner is not None
    assert banner.get_text(" ", strip=True).startswith("Draft: the plan for Q1 2027, which starts 2027-01-01.")
    assert sales.select("[id=sales-mid-market-pipeline]")  # the objective carried forward
    person = sales.select_one(".ns-meta a[href*='people/']")
    assert person is not None and person["href"].startswith("../../../../people/")  # the current people pages
    assert "(draft, starts 2027-01-01)" in article(site, "next/2027-q1/one-page-plan/").get_text()
    assert not (site / "next" / "2027-q1" / "strategy").exists()  # the strategy is the current one

    moved_on = mkdocs("build", cwd=project, env={"NORTHSTAR_AS_OF": "2027-01-04"})
    assert moved_on.returncode == 0, moved_on.stderr
    assert "nobody works on 'next-day-pickup' in 2027-q1" in moved_on.stderr  # a sparse quarter: now it counts
    assert not (site / "next").exists()  # the quarter began: it is the current plan, not a draft
    assert "Q1 2027" in article(site, "teams/sales/").get_text()
