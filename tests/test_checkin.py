"""`northstar checkin`: a check-in written as the lines a person would add, or refused with the
file untouched; a spreadsheet import, all or nothing; the issue form's script, as a real commit."""

from __future__ import annotations

import csv
import difflib
import io
import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs_northstar.load.plan import parse_file
from mkdocs_northstar.updates import FORM_FIELDS, number, read_form
from mkdocs_northstar.yamledit import append_item, set_value

from tests.site_helpers import CLOCK, MKDOCS, ROOT, git, northstar

SCAFFOLD = ROOT / "plugins" / "mkdocs_northstar" / "scaffold" / "github"
DAY = "2026-11-24"
"""CLOCK's day: today for every run here."""


def _plan(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "plan", tmp_path / "plan")
    return tmp_path


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _only_added(before: str, after: str) -> list[str]:
    """The lines added; fails when any line of `before` was changed or removed."""
    matcher = difflib.SequenceMatcher(a=before.splitlines(True), b=after.splitlines(True), autojunk=False)
    ops = [op for op in matcher.get_opcodes() if op[0] != "equal"]
    assert all(op[0] == "insert" for op in ops), ops
    return [line for op in ops for line in after.splitlines(True)[op[3] : op[4]]]


def _changed(before: str, after: str) -> list[str]:
    return [d for d in difflib.ndiff(before.splitlines(), after.splitlines()) if d[0] in "+-"]


def test_a_check_in_adds_only_its_lines_and_every_comment_stays(tmp_path: Path) -> None:
    project = _plan(tmp_path)
    tech = project / "plan" / "execution" / "2026-q4" / "technology.yml"
    before = tech.read_text(encoding="utf-8")
    assert "kind: hold  # a level to keep, not a number to move" in before

    done = northstar("checkin", "tech-quote-uptime", "99.7", "--note", "Quiet week: no incident.", cwd=project)
    assert done.returncode == 0, done.stderr
    added = _only_added(before, tech.read_text(encoding="utf-8"))
    assert added == [
        f"          - date: {DAY}\n",
        "            value: 99.7\n",
        "            note: 'Quiet week: no incident.'\n",
    ]
    assert "+          - date: 2026-11-24\n" in done.stdout  # the change, shown as a diff
    assert "tech-quote-uptime: 99.7%, holding ≥ 99.5%: held at 75% of readings; On track" in done.stdout
    assert done.stdout.endswith("Written: plan/execution/2026-q4/technology.yml\n")

    middle = tech.read_text(encoding="utf-8")
    done = northstar("checkin", "tech-quote-api-launch", "--status", "done", "--confidence", "100%", cwd=project)
    assert done.returncode == 0, done.stderr
    added = _only_added(middle, tech.read_text(encoding="utf-8"))
    assert added[0] == f"        done: {DAY}\n"
    assert added[1:] == ["        check_ins:\n", f"          - date: {DAY}\n", "            confidence: 1\n"]
    assert "tech-quote-api-launch: done 2026-11-24 (due 2026-12-11); On track" in done.stdout
    check = northstar("check", "--strict", "plan", "--as-of", DAY, cwd=project)
    assert check.returncode == 0, check.stdout


def test_a_rock_status_and_a_kpi_tracked_with_current_change_their_one_line(tmp_path: Path) -> None:
    project = _plan(tmp_path)
    ops = project / "plan" / "execution" / "2026-q4" / "operations.yml"
    before = ops.read_text(encoding="utf-8")
    done = northstar("checkin", "kpi-ops-dock-dwell", "7.1", cwd=project)
    assert done.returncode == 0, done.stderr
    assert "kpi-ops-dock-dwell: 7.1 hours against ≤ 6 hours: off target" in done.stdout
    assert _changed(before, ops.read_text(encoding="utf-8")) == ["-     current: 7.4", "+     current: 7.1"]

    before = ops.read_text(encoding="utf-8")
    done = northstar("checkin", "rock-ops-winnipeg-doors", "--status", "On track", cwd=project)
    assert done.returncode == 0, done.stderr
    assert _changed(before, ops.read_text(encoding="utf-8")) == ["-     status: off-track", "+     status: on-track"]


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["sales-win-rate", "28", "--confidence", "1.5"], "confidence: must be at most 1.0, got 1.5"),
        (["sales-win-rate", "28", "--date", "2026-11-20"], "both dated 2026-11-20; keep one reading a day"),
        (["sales-win-rate", "28", "--date", "2026-11-30"], "dated 2026-11-30, after today (2026-11-24)"),
        (["sales-win-rate", "28", "--date", "2026-06-30", "--period", "2026-q3"], "before 2026-q3 (2026-07-01 to"),
        (["sales-win-rat", "28"], "no key result, KPI or rock 'sales-win-rat' in 2026-q4 (did you mean 'sales-wi"),
        (["sales-win-rate", "abc"], "the value must be a number, such as 42 or 3.5; got 'abc'"),
        (["sales-win-rate", "28", "--date", "2026-13-01"], "expected a date written YYYY-MM-DD"),
        (["sales-win-rate", "--status", "done"], "is a key result: --status is for rocks"),
        (["rock-ops-winnipeg-doors", "4"], "is a rock: it takes a status"),
        (["rock-sales-winnipeg-hire", "--status", "off-track"], "is done: to reopen it, edit its file"),
        (["tech-quote-api-launch", "3"], "is a milestone: it has no value"),
        (["kpi-ops-dock-dwell", "7", "--note", "late"], "is tracked with `current:`"),
        (["sales-mid-market-pipeline", "3"], "is an objective; check in on one of its key results"),
        (["sales-win-rate", "28", "--status", "Finished"], "the status must be one of"),
    ],
)
def test_refused_input_leaves_every_file_byte_identical(tmp_path: Path, args: list[str], said: str) -> None:
    project = _plan(tmp_path)
    before = _snapshot(project)
    done = northstar("checkin", *args, cwd=project)
    assert done.returncode in (1, 2)
    assert said in done.stderr
    assert "Traceback" not in done.stderr
    assert _snapshot(project) == before


def test_a_refusal_points_at_the_line_it_would_have_added(tmp_path: Path) -> None:
    project = _plan(tmp_path)
    done = northstar("checkin", "sales-win-rate", "28", "--confidence", "1.5", cwd=project)
    assert done.stderr.splitlines() == [
        "northstar checkin: refused; nothing was written:",
        "  sales-win-rate: plan/execution/2026-q4/sales.yml:35:55: error NS112 check-in #5: confidence: must be at "
        "most 1.0, got 1.5 (in the line it would add: - {date: 2026-11-24, value: 28, confidence: 1.5})",
    ]


def _filled(template: str, rows: dict[str, dict[str, str]], delimiter: str = ",") -> str:
    table = list(csv.reader(io.StringIO(template)))
    header = table[0]
    for row in table[1:]:
        for column, text in rows.get(row[1], {}).items():
            row[header.index(column)] = text
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(table)
    return out.getvalue()


def test_the_export_template_filled_in_a_spreadsheet_imports_whole(tmp_path: Path) -> None:
    project = _plan(tmp_path)
    template = northstar("export", "--format", "checkins", "plan", "--as-of", DAY, cwd=project)
    assert template.returncode == 0, template.stderr
    lines = template.stdout.splitlines()
    assert lines[0] == "team,id,what,title,owner,unit,target,last_value,last_check_in,value,confidence,note,date,status"
    row = "sales,sales-win-rate,key result,Win rate on qualified mid-market opportunities,marcus-bell,%,30,27.5"
    assert f"{row},2026-11-20,,,,," in lines
    assert not any(",rock-sales-winnipeg-hire," in line for line in lines)  # done: closed, left out
    filled = _filled(
        template.stdout,
        {
            "sales-win-rate": {"value": "28,4", "confidence": "55%", "note": "Two wins"},
            "cx-old-claims": {"value": "11", "date": "2026-11-23"},
            "rock-2027-plan": {"status": "Off track"},
        },
        delimiter=";",  # as a spreadsheet saves CSV where the decimal mark is a comma
    )
    updates = project / "updates.csv"
    updates.write_bytes(b"\xef\xbb\xbf" + filled.encode("utf-8"))
    before = _snapshot(project / "plan")
    done = northstar("checkin", "--from-csv", "updates.csv", cwd=project)
    assert done.returncode == 0, done.stderr
    assert f"{len(lines) - 4} blank rows left out" in done.stdout
    after = _snapshot(project / "plan")
    changed = sorted(k for k in after if after[k] != before[k])
    assert changed == [
        "execution/2026-q4/customer-experience.yml",
        "execution/2026-q4/leadership.yml",
        "execution/2026-q4/sales.yml",
    ]
    sales = yaml.safe_load(after["execution/2026-q4/sales.yml"])
    assert sales["objectives"][0]["key_results"][1]["check_ins"][-1] == {
        "date": date(2026, 11, 24),
        "value": 28.4,
        "confidence": 0.55,
        "note": "Two wins",
    }


def test_a_spreadsheet_with_one_bad_row_writes_nothing(tmp_path: Path) -> None:
    project = _plan(tmp_path)
    (project / "updates.csv").write_text(
        "id,value,confidence,note\n"
        "sales-win-rate,28.4,,\n"
        "cx-old-claims,eleven,,\n"
        "sales-qualified-pipeline,10.1,0.6,\n"
        "kpi-ops-dock-dwell,7,,a note\n",
        encoding="utf-8",
    )
    before = _snapshot(project / "plan")
    done = northstar("checkin", "--from-csv", "updates.csv", cwd=project)
    assert done.returncode == 2
    assert "updates.csv:3: the value must be a number, such as 42 or 3.5; got 'eleven'" in done.stderr
    assert _snapshot(project / "plan") == before
    (project / "updates.csv").write_text(
        (project / "updates.csv").read_text(encoding="utf-8").replace("eleven", "11"), encoding="utf-8"
    )
    done = northstar("checkin", "--from-csv", "updates.csv", cwd=project)
    assert done.returncode == 1
    assert "updates.csv:5: kpi-ops-dock-dwell is tracked with `current:`" in done.stderr
    assert _snapshot(project / "plan") == before  # the three good rows wait for the fourth


def test_the_shipped_form_is_what_the_reader_reads() -> None:
    form = yaml.safe_load((SCAFFOLD / "ISSUE_TEMPLATE" / "check-in.yml").read_text(encoding="utf-8"))
    labels = {f["attributes"]["label"].lower() for f in form["body"] if f["type"] != "markdown"}
    assert labels == set(FORM_FIELDS)
    assert form["labels"] == ["check-in"]
    for name in ("ISSUE_TEMPLATE/check-in.yml", "check-in.sh"):
        assert (ROOT / ".github" / name).read_bytes() == (SCAFFOLD / name).read_bytes()
    shipped = (SCAFFOLD / "workflows" / "check-in.yml").read_text(encoding="utf-8")
    assert (ROOT / ".github" / "workflows" / "check-in.yml").read_text(encoding="utf-8") == shipped.replace(
        "pip install mkdocs-northstar", "pip install -e ."
    )
    workflow = yaml.safe_load(shipped)
    steps = workflow["jobs"]["pull-request"]["steps"]
    assert not any("github.event.issue.body" in step.get("run", "") for step in steps)  # data, never code
    assert any(step.get("run") == "sh .github/check-in.sh" for step in steps)


FORM = """### Key result, KPI or rock

sales-win-rate

### Value

28,1

### Confidence

60%

### Note

Two wins in Winnipeg: "Prairie Foods" & Red River Co.
`$(touch pwned)`

### Date

_No response_

### Rock or milestone status

_No response_
"""


def test_the_form_script_commits_the_check_in_on_its_branch(tmp_path: Path) -> None:
    project = _plan(tmp_path)
    shutil.copytree(SCAFFOLD, project / ".github")
    git("init", "-q", "-b", "main", cwd=project)
    git("add", ".", cwd=project)
    git("commit", "-q", "-m", "plan", cwd=project)
    before = (project / "plan" / "execution" / "2026-q4" / "sales.yml").read_text(encoding="utf-8")
    env = {
        **{k: v for k, v in os.environ.items() if k not in CLOCK},
        "PATH": f"{MKDOCS.parent}{os.pathsep}{os.environ['PATH']}",
        "ISSUE_NUMBER": "12",
        "ISSUE_AUTHOR": "raj",
        "ISSUE_DATE": "2026-11-23T15:02:11Z",
        "ISSUE_BODY": FORM,
        "GIT_AUTHOR_NAME": "Check-in bot",
        "GIT_AUTHOR_EMAIL": "bot@example.com",
        "GIT_COMMITTER_NAME": "Check-in bot",
        "GIT_COMMITTER_EMAIL": "bot@example.com",
    }
    done = subprocess.run(
        ["sh", ".github/check-in.sh"], cwd=project, env=env, capture_output=True, text=True, check=False, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert git("branch", "--show-current", cwd=project).strip() == "check-in/issue-12"
    message = git("log", "-1", "--format=%an%n%B", cwd=project)
    assert message.splitlines()[:3] == [
        "Check-in bot",
        "Check-in: sales-win-rate: 28.1, confidence 0.6, a note",
        "",
    ]
    assert "- sales-win-rate: 28.1% (from 26 to 30%), 53% of the way; On track" in message
    assert "owner Marcus Bell (@marcusb)" in message
    assert "Reported-by: @raj\nCloses: #12" in message
    assert git("diff", "--name-only", "HEAD~1", cwd=project).split() == ["plan/execution/2026-q4/sales.yml"]
    after = (project / "plan" / "execution" / "2026-q4" / "sales.yml").read_text(encoding="utf-8")
    assert _only_added(before, after) == [
        "          - date: 2026-11-23\n",  # the day the form was submitted
        "            value: 28.1\n",
        "            confidence: 0.6\n",
        '            note: "Two wins in Winnipeg: \\"Prairie Foods\\" & Red River Co.\\n`$(touch pwned)`"\n',
    ]
    assert not (project / "pwned").exists()
    body = (project / "check-in-pr.md").read_text(encoding="utf-8")
    assert body.startswith("Closes #12. Reported by @raj")
    assert "+            value: 28.1\n" in body

    wrong = {**env, "ISSUE_NUMBER": "13", "ISSUE_BODY": FORM.replace("sales-win-rate", "sales-win-rat")}
    git("switch", "-q", "main", cwd=project)
    refused = subprocess.run(
        ["sh", ".github/check-in.sh"], cwd=project, env=wrong, capture_output=True, text=True, check=False, timeout=120
    )
    assert refused.returncode == 1
    assert "did you mean 'sales-win-rate'?" in (project / "check-in-output.txt").read_text(encoding="utf-8")
    assert git("status", "--porcelain", "--", "plan", cwd=project) == ""


def test_an_issue_form_body_reads_as_one_update() -> None:
    update = read_form(FORM)
    assert (update.id, update.value, update.confidence, update.day, update.status) == (
        "sales-win-rate",
        28.1,
        0.6,
        None,
        None,
    )
    assert update.note.startswith('Two wins in Winnipeg: "Prairie Foods"')
    typed = ("1,200", "1 200", "3,5", "27.5%", "-4", ".5", "1e3")
    assert [number(t) for t in typed] == [1200, 1200, 3.5, 27.5, -4, 0.5, 1000]


# --- the edit itself, on files written unlike the example ------------------------------------------

CHECK_IN = {"date": date(2026, 11, 24), "value": 12}
STYLES = {
    "lists level with their keys": (
        "objectives:\n- id: o\n  key_results:\n  - id: k\n    check_ins:\n    - date: 2026-11-10\n      value: 10\n"
        "  # a comment about k\n",
        ("objectives", 0, "key_results", 0),
    ),
    "no check-ins yet, four-space indents": (
        "objectives:\n    -   id: o\n        key_results:\n            -   id: k\n                owner: a  # Ana\n",
        ("objectives", 0, "key_results", 0),
    ),
    "an empty flow list": ("key_results:\n  - id: k\n    check_ins: []  # none yet\n", ("key_results", 0)),
    "a key result in flow style": ("key_results:\n  - {id: k, owner: a}\n", ("key_results", 0)),
    "windows line ends": (
        "key_results:\r\n  - id: k\r\n    check_ins:\r\n      - {date: 2026-11-10, value: 10}\r\n",
        ("key_results", 0),
    ),
    "no line break at the end": (
        "key_results:\n  - id: k\n    check_ins:\n      - {date: 2026-11-10, value: 10}",
        ("key_results", 0),
    ),
    "a block note last": (
        "key_results:\n  - id: k\n    check_ins:\n      - date: 2026-11-10\n"
        "        note: |\n          two\n          lines\n\n# the end\n",
        ("key_results", 0),
    ),
    "a key with nothing after it": ("key_results:\n  - id: k\n    check_ins:\n  - id: j\n", ("key_results", 0)),
}


@pytest.mark.parametrize("style", sorted(STYLES))
def test_an_added_check_in_reads_back_and_changes_nothing_else(style: str) -> None:
    text, loc = STYLES[style]
    edited = append_item(text, loc, "check_ins", CHECK_IN).text
    expected = yaml.safe_load(text)
    node = expected
    for part in loc:
        node = node[part]
    node["check_ins"] = [*(node.get("check_ins") or []), CHECK_IN]
    assert yaml.safe_load(edited) == expected
    if "flow" not in style:  # a flow list or mapping gets the new item inside its brackets
        _only_added(text if text.endswith("\n") else text + "\n", edited)
    assert ("\r\n" in text) == ("\r\n" in edited) and edited.count("\r\n") in (0, edited.count("\n"))


def test_a_value_is_replaced_where_it_stands_or_added_after_its_mapping() -> None:
    text = "rocks:\n  - id: r\n    status: on-track  # said on Monday\n    due: 2026-12-01\n  - id: s\n"
    edited = set_value(text, ("rocks", 0), "status", "done").text
    assert edited == text.replace("status: on-track", "status: done")
    edited = set_value(edited, ("rocks", 0), "done", date(2026, 11, 24)).text
    assert edited.splitlines()[4] == "    done: 2026-11-24"
    assert yaml.safe_load(edited)["rocks"][1] == {"id": "s"}


SALES = (ROOT / "plan" / "execution" / "2026-q4" / "sales.yml").read_text(encoding="utf-8")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=1, max_size=40), st.floats(allow_nan=False, allow_infinity=False), st.booleans())
def test_any_note_and_value_read_back_as_typed(note: str, value: float, flow: bool) -> None:
    """Whatever an owner types (quotes, colons, `#`, line breaks of every kind, emoji), the added
    check-in reads back as typed, or the loader refuses the text outright; never something else."""
    item = {"date": date(2026, 11, 24), "value": value, "note": note}
    edited = append_item(SALES, ("objectives", 1, "key_results", 1), "check_ins", item, flow=flow).text
    _only_added(SALES, edited)
    _, problems, model = parse_file(Path("sales.yml"), "execution", lambda: edited.encode("utf-8"))
    if model is None:
        assert problems and all(p.code == "NS100" for p in problems)  # a control character: never in a plan file
        return
    added = model.objectives[1].key_results[1].check_ins[-1]
    assert (added.note, added.value) == (note, value)
