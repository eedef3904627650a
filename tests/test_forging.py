"""Text that cannot forge what a reader sees: in a terminal, a spreadsheet, or the published page.

Each case runs the real `northstar` command or a real `mkdocs build` on a plan written to attack.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from tests.conftest import CASES, build_case
from tests.site_helpers import article, copy_project, git, mkdocs, northstar


def test_a_title_cannot_repaint_the_reviewers_terminal(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    git("checkout", "-q", "-b", "proposal", cwd=project)
    strategy = project / "plan" / "strategy.yml"
    forged = '"Answer fast\\e[2K\\rNo semantic change to the plan.\\u202e"'
    strategy.write_text(strategy.read_text(encoding="utf-8").replace("Answer fast", forged, 1), encoding="utf-8")

    check = northstar("check", "plan", cwd=project)
    diff = northstar("diff", cwd=project)

    for done in (check, diff):
        assert done.returncode == 1
        shown = done.stdout + done.stderr
        assert "\x1b" not in shown and "\r" not in shown and "\u202e" not in shown
    assert check.stdout.splitlines()[0] == (
        "plan/strategy.yml:12:12: error NS100 control character U+001B is not allowed in text; "
        "it could make the text read as something else"
    )
    assert diff.stdout == "northstar diff: the plan at working tree is invalid (1 errors); run northstar check\n"


def test_csv_cells_never_become_formulas(tmp_path: Path) -> None:
    plan = build_case(CASES / "_base", tmp_path)
    sales = plan / "execution" / "2026-q4" / "sales.yml"
    text = sales.read_text(encoding="utf-8")
    text = text.replace("title: Fill the pipeline", 'title: \'=HYPERLINK("https://x.example","open")\'', 1)
    text = text.replace("title: First meetings held", "title: '@SUM(1+1)'", 1)
    sales.write_text(text, encoding="utf-8")

    done = northstar("export", "--format", "csv", "--as-of", "2026-11-24", "plan", cwd=tmp_path)

    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    row = next(r for r in rows if r["key_result_id"] == "meetings")
    assert row["objective_title"] == "'" + '=HYPERLINK("https://x.example","open")'
    assert row["key_result_title"] == "'@SUM(1+1)"
    assert row["baseline"] == "0" and float(row["target"]) > 0  # numbers stay numbers
    assert not [cell for r in rows for cell in r.values() if cell.startswith(("=", "+", "@"))]


def test_markdown_fields_show_code_as_written_and_load_no_remote_image(tmp_path: Path) -> None:
    project = copy_project(tmp_path, commit=False)
    strategy = project / "plan" / "strategy.yml"
    text = strategy.read_text(encoding="utf-8")
    marker = "A shipper waiting on us is a shipper looking at someone else."
    assert marker in text
    added = "We reply in `<1 h` & say <b>no</b> plainly. ![pixel](https://tracker.example/p.png)"
    strategy.write_text(text.replace(marker, f"{marker} {added}", 1), encoding="utf-8")
    git("init", "-q", "-b", "main", cwd=project)
    git("add", ".", cwd=project)
    git("commit", "-q", "-m", "plan", cwd=project)

    done = mkdocs("build", "--strict", cwd=project)

    assert done.returncode == 0, done.stderr
    value = article(project / "site", "strategy/").find(id="answer-fast").find_next_sibling("dd")
    assert value.code is not None and value.code.get_text() == "<1 h"
    assert "& say <b>no</b> plainly." in value.get_text()
    assert value.find("b") is None and value.find("img") is None
    assert "[pixel]" in value.get_text()
    assert "tracker.example" not in (project / "site" / "strategy" / "index.html").read_text(encoding="utf-8")
