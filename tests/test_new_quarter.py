"""`northstar new-quarter`: the next quarter from the last one's close, the user's files kept."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import yaml

from tests.site_helpers import copy_project, northstar


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
