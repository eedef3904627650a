"""The change log page, the period archive and `northstar diff`, from scripted git histories."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.history_helpers import PlanRepo
from tests.site_helpers import article, broken_links, mkdocs

NORTHSTAR = Path(sys.executable).parent / "northstar"
SITE_CONFIG = "site_name: Test\ntheme:\n  name: material\nplugins:\n  - search\n  - northstar\n"


def _site_repo(root: Path) -> PlanRepo:
    repo = PlanRepo(root)
    repo.add_site(SITE_CONFIG)
    repo.commit("Add the site", "2026-07-02")
    return repo


@pytest.fixture(scope="module")
def history_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[PlanRepo, Path]:
    repo = _site_repo(tmp_path_factory.mktemp("history") / "repo")
    q3 = (repo.plan / "execution" / "2026-q4" / "sales.yml").read_text(encoding="utf-8")
    q3 = q3.replace("period: 2026-q4", "period: 2026-q3").replace("2026-11-18", "2026-09-18")
    q3 = q3.replace("supports: [win-makers]", "supports: [grow-makers]")
    repo.write(
        "execution/2026-q3/sales.yml", q3.replace("2026-10-15", "2026-07-15").replace("current: 6", "current: 5")
    )
    repo.commit("Plan Q3", "2026-07-03")
    repo.edit("execution/2026-q3/sales.yml", "current: 5", "current: 7")
    repo.commit("September numbers", "2026-09-30")
    repo.edit("execution/2026-q3/sales.yml", "current: 7", "current: 12")
    repo.commit("Late Q3 correction", "2026-10-01")
    repo.edit(
        "strategy.yml",
        "not_doing:\n",
        "not_doing:\n  - id: no-air\n    title: Air freight\n    why: Our customers ship by road.\n",
    )
    repo.commit("Rule out air freight", "2026-10-02")
    repo.edit("execution/2026-q4/sales.yml", "target: 40", "[target: 40")
    repo.commit("Broken edit", "2026-10-03")
    repo.edit("execution/2026-q4/sales.yml", "[target: 40", "target: 50")
    repo.edit("execution/2026-q4/sales.yml", "current: 6", "current: 9")
    repo.commit("Raise meetings; proposals update", "2026-10-04")
    repo.edit("people.yml", "people:\n", "# everyone\npeople:\n")
    repo.commit("Comment only", "2026-10-05")
    repo.edit("strategy.yml", "reviewed: 2026-06-01", "reviewed: 2026-10-06")
    repo.commit("Strategy review", "2026-10-06")
    done = mkdocs("build", cwd=repo.root)
    assert done.returncode == 0, done.stderr
    return repo, repo.root / "site"


def test_change_log_entries_lanes_and_wording(history_site: tuple[PlanRepo, Path]) -> None:
    _, site = history_site
    body = article(site, "changes/")
    entries = body.select(".ns-entry")
    heads = [(e["class"][1], e.select_one(".ns-entry-head strong").get_text()) for e in entries]
    assert heads == [
        ("ns-reaffirmed", "Strategy review"),
        ("ns-execution", "Raise meetings; proposals update"),
        ("ns-invalid", "Broken edit"),
        ("ns-strategy", "Rule out air freight"),
        ("ns-execution", "Late Q3 correction"),
        ("ns-execution", "September numbers"),
        ("ns-execution", "Plan Q3"),
        ("ns-both", "Create the plan"),
    ]
    assert "The plan was created." in entries[-1].get_text()
    raise_entry = entries[1]
    decisions = [li.get_text() for li in raise_entry.select(":scope > ul > li")]
    assert decisions == ["Team sales, 2026-q4: key result meetings target 40 → 50"]
    folded = raise_entry.select_one("details.ns-check-ins")
    assert folded.summary.get_text() == "1 progress updates"
    assert [li.get_text() for li in folded.select("li")] == ["Team sales, 2026-q4: key result proposals current 6 → 9"]
    assert "The plan was invalid at this revision" in entries[2].get_text()
    air = entries[3].select_one(".ns-strategy-changes li")
    assert air.get_text() == "Strategy: added to not_doing: no-air — Air freight (why: Our customers ship by road.)"
    assert air.code.get_text() == "no-air"
    assert "Comment only" not in body.get_text()
    review = entries[0]
    assert review.select_one(".ns-badge").get_text() == "Strategy reaffirmed"
    assert [li.get_text() for li in review.select(".ns-strategy-changes li")] == [
        "Strategy: reviewed 2026-06-01 → 2026-10-06"
    ]
    assert not review.select("details.ns-check-ins")  # the review is said once, not folded as a progress update


def test_change_log_summary_and_churn(history_site: tuple[PlanRepo, Path]) -> None:
    _, site = history_site
    summary = article(site, "changes/").select_one(".ns-summary").get_text(" ", strip=True)
    assert summary.startswith("Strategy last changed: 2026-10-02 (")
    assert "Rule out air freight" in summary
    assert "Last reaffirmed: 2026-10-06 (" in summary  # the review kept the direction: not a change
    assert "Execution changes since: 1" in summary
    assert "⚠" not in summary  # one change in 12 months: the creation and the review are not changes


def test_archive_freezes_the_quarter_at_its_last_commit(history_site: tuple[PlanRepo, Path]) -> None:
    repo, site = history_site
    sha = repo.git("log", "-1", "--format=%h", "--grep=September numbers").strip()
    index = article(site, "archive/")
    rows = [[td.get_text(" ", strip=True) for td in tr.find_all("td")] for tr in index.select("tbody tr")]
    assert rows == [["2026-q3", "Teams", "Strategy", "Quarter in review", f"{sha} (2026-09-30)"]]
    row = article(site, "archive/2026-q3/teams/sales/").find("tr", id="proposals")
    assert row.find_all("td")[2].get_text(" ", strip=True) == "0 → 7 → 15"  # not the late correction (12)
    assert (
        article(site, "archive/2026-q3/teams/sales/")
        .select_one(".ns-footer")
        .get_text(" ", strip=True)
        .startswith("Period: 2026-q3 (2026-07-01 \u2013 2026-09-30)")
    )
    frozen_sheet = article(site, "archive/2026-q3/one-page-plan/")
    assert "2026-q3" in frozen_sheet.select_one(".ns-opp-meta").get_text()
    strategy = article(site, "archive/2026-q3/strategy/")
    assert strategy.find(id="no-air") is None  # ruled out only in October
    assert "Archived: 2026-q3, as of" in strategy.select_one(".ns-archived").get_text(" ", strip=True)
    assert article(site, "strategy/").find(id="no-air") is not None
    assert broken_links(site) == []


def test_shallow_clone_warns_and_fails_strict(history_site: tuple[PlanRepo, Path], tmp_path: Path) -> None:
    repo, _ = history_site
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone)], check=True)
    done = mkdocs("build", "--strict", cwd=clone)
    assert done.returncode == 1
    assert "shallow clone" in done.stderr and "fetch-depth: 0" in done.stderr


def _diff(repo: PlanRepo, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(NORTHSTAR), "diff", *args], cwd=repo.root, capture_output=True, text=True, check=False, timeout=60
    )


def test_diff_cli_formats_and_gate(tmp_path: Path) -> None:
    repo = PlanRepo(tmp_path / "repo")
    repo.git("checkout", "-q", "-b", "proposal")
    repo.edit("strategy.yml", "    title: Consumer parcels\n", "    title: Consumer parcels and returns\n")
    repo.edit("execution/2026-q4/sales.yml", "target: 40", "target: 44")
    repo.commit("Proposal", "2026-10-10")
    assert _diff(repo, "HEAD").stdout == "No semantic change to the plan.\n"  # HEAD against the working tree
    text = _diff(repo)  # default: where this branch left main, against the working tree
    assert text.returncode == 0
    assert text.stdout == _diff(repo, "main", "HEAD").stdout
    assert text.stdout.splitlines() == [
        "STRATEGY CHANGED",
        "Strategy changed without a recorded decision: no-consumer",
        "Strategy:",
        "  - Strategy: not_doing `no-consumer`: title 'Consumer parcels' → 'Consumer parcels and returns'",
        "Execution:",
        "  - Team `sales`, 2026-q4: key result `meetings` target 40 → 44",
    ]
    repo.edit("execution/2026-q4/sales.yml", "target: 44", "target: 45")  # uncommitted
    local = _diff(repo, "--format", "json")
    report = json.loads(local.stdout)
    assert (report["strategy_changed"], report["kind"], report["to"]) == (True, "both", "working tree")
    assert report["changes"][-1] == {
        "layer": "execution",
        "text": "Team `sales`, 2026-q4: key result `meetings` target 40 → 45",
        "check_in": False,
    }
    markdown = _diff(repo, "--format", "markdown").stdout
    assert markdown.startswith("## ⚠ STRATEGY CHANGED\n")
    assert "- Team <code>sales</code>, 2026-q4: key result <code>meetings</code> target 40 → 45" in markdown
    github = _diff(repo, "--format", "github").stdout.splitlines()
    assert github[0].startswith("::warning title=Strategy change::Strategy: not_doing `no-consumer`")
    assert github[-1] == "STRATEGY CHANGED"
    assert _diff(repo, "--fail-on-strategy-change").returncode == 1
    assert _diff(repo, "no-such-rev").returncode == 2


def test_diff_says_a_review_alone_reaffirms_and_the_gate_passes(tmp_path: Path) -> None:
    """A pull request that only moves `reviewed:` is the owner keeping the direction: the gate for
    strategy changes lets it through, in every format."""
    repo = _site_repo(tmp_path / "repo")
    repo.git("checkout", "-q", "-b", "review")
    repo.edit("strategy.yml", "reviewed: 2026-06-01", "reviewed: 2026-11-20")
    repo.commit("Yearly strategy review: direction kept", "2026-11-20")
    text = _diff(repo, "main", "HEAD", "--fail-on-strategy-change")
    assert text.returncode == 0, text.stdout
    assert text.stdout.splitlines() == [
        "Strategy reaffirmed: the owner reviewed it and kept the direction",
        "Strategy:",
        "  - Strategy: reviewed 2026-06-01 → 2026-11-20",
    ]
    report = json.loads(_diff(repo, "main", "HEAD", "--format", "json").stdout)
    assert (report["strategy_changed"], report["kind"]) == (False, "reaffirmed")
    github = _diff(repo, "main", "HEAD", "--format", "github").stdout.splitlines()
    assert github == [
        "::notice title=Strategy reaffirmed::Strategy: reviewed 2026-06-01 → 2026-11-20",
        "Strategy reaffirmed: the owner reviewed it and kept the direction",
    ]
    markdown = _diff(repo, "main", "HEAD", "--format", "markdown").stdout
    assert markdown.startswith("## Strategy reaffirmed\n") and "STRATEGY CHANGED" not in markdown
    repo.edit("strategy.yml", "title: Consumer parcels", "title: Consumer parcels and returns")
    assert _diff(repo, "main", "--fail-on-strategy-change").returncode == 1  # a change of direction still fails


DECISION = """id: consumer-returns
title: Returns are consumer parcels too
date: 2026-11-20
decided_by: {decider}
kind: change
context: Shippers asked us to carry their customers' returns.
decision: We do not carry returns either.
changes: [no-consumer]
"""


def test_a_change_of_direction_needs_the_owners_decision_record(tmp_path: Path) -> None:
    """Without a record the change is flagged in the diff and in the change log, and the gate's
    `--unless-decided` mode fails; with the owner's record naming the item, it passes."""
    repo = _site_repo(tmp_path / "repo")
    repo.git("checkout", "-q", "-b", "widen")
    repo.edit("strategy.yml", "title: Consumer parcels", "title: Consumer parcels and returns")
    repo.commit("Widen what we will not do", "2026-11-20")
    gate = ("main", "HEAD", "--fail-on-strategy-change", "--unless-decided")
    bare = _diff(repo, *gate)
    assert bare.returncode == 1
    assert "Strategy changed without a recorded decision: no-consumer" in bare.stdout.splitlines()
    github = _diff(repo, "main", "HEAD", "--format", "github").stdout.splitlines()
    assert "::warning title=Strategy changed without a recorded decision::no-consumer" in github
    assert json.loads(_diff(repo, "main", "HEAD", "--format", "json").stdout)["undecided"] == ["no-consumer"]
    markdown = _diff(repo, "main", "HEAD", "--format", "markdown").stdout
    assert "**⚠ Strategy changed without a recorded decision:** `no-consumer`." in markdown

    repo.write(
        "decisions/consumer-returns.yml", DECISION.format(decider="ana")
    )  # not the strategy's owner: it does not count
    repo.commit("Record the decision", "2026-11-21")
    assert _diff(repo, *gate).returncode == 1
    repo.write("decisions/consumer-returns.yml", DECISION.format(decider="ceo"))
    repo.commit("The owner decided", "2026-11-21")
    text = _diff(repo, *gate)
    assert text.returncode == 0, text.stdout
    assert text.stdout.splitlines()[:2] == ["STRATEGY CHANGED", "Decision recorded: consumer-returns"]
    assert _diff(repo, "main", "HEAD", "--fail-on-strategy-change").returncode == 1  # the plain gate still asks

    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "-m", "Merge widen", "widen", when="2026-11-22")
    repo.edit("strategy.yml", "title: Manitoba manufacturers", "title: Prairie manufacturers")
    repo.commit("Widen where we play", "2026-11-23")
    assert mkdocs("build", cwd=repo.root).returncode == 0
    entries = article(repo.root / "site", "changes/").select(".ns-entry")
    undecided, merged = entries[0], entries[1]
    assert undecided.select_one(".ns-warning").get_text(" ", strip=True) == (
        "⚠ Strategy changed without a recorded decision: manitoba-makers"
    )
    assert merged.select_one(".ns-warning") is None
    recorded = merged.select_one("p.ns-record")
    assert recorded.get_text(" ", strip=True) == "Decision recorded: Returns are consumer parcels too"
    assert recorded.a["href"] == "../decisions/consumer-returns/"
    summary = article(repo.root / "site", "changes/").select_one(".ns-summary")
    assert "⚠ Strategy changed 2 times in the last 12 months" in summary.get_text(" ", strip=True)
    assert [li.get_text(" ", strip=True) for li in summary.select(".ns-churn-list li")] == [
        "2026-11-23 Widen where we play · no decision recorded",
        "2026-11-22 Merge widen · decision recorded: Returns are consumer parcels too",
    ]
    strategy = article(repo.root / "site", "strategy/")
    assert "Decided: Returns are consumer parcels too (2026-11-20)" in strategy.find(id="no-consumer").find_next(
        "dd"
    ).get_text(" ", strip=True)


def test_decide_drafts_the_record_for_what_the_branch_changed(tmp_path: Path) -> None:
    """`northstar decide` writes a new record naming the items the branch changes (no file the user
    wrote is touched); the gate passes only once the owner has written the decision in it."""
    repo = _site_repo(tmp_path / "repo")
    older = DECISION.format(decider="ceo").replace("changes: [no-consumer]", "keeps: [no-consumer]")
    repo.write("decisions/consumer-returns.yml", older)
    repo.commit("An older decision", "2026-11-19")
    repo.git("checkout", "-q", "-b", "widen")
    repo.edit("strategy.yml", "title: Consumer parcels", "title: Consumer parcels and returns")
    repo.edit(
        "strategy.yml", "not_doing:\n", "not_doing:\n  - id: no-air\n    title: Air freight\n    why: Road only.\n"
    )
    repo.commit("Widen what we will not do", "2026-11-20")
    files = {p: p.read_bytes() for p in repo.plan.rglob("*.yml")}
    done = subprocess.run(
        [str(NORTHSTAR), "decide", "main", "--as-of", "2026-11-21"],
        cwd=repo.root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("plan/decisions/decision-2026-11-21.yml: a new decision record\n")
    drafted = repo.plan / "decisions" / "decision-2026-11-21.yml"
    assert {p: p.read_bytes() for p in repo.plan.rglob("*.yml") if p != drafted} == files  # nothing else touched
    text = drafted.read_text(encoding="utf-8")
    record = yaml.safe_load(text)
    assert {k: record[k] for k in ("id", "decided_by", "kind", "adds", "changes")} == {
        "id": "decision-2026-11-21",
        "decided_by": "ceo",
        "kind": "change",
        "adds": ["no-air"],
        "changes": ["no-consumer"],
    }
    assert "#   Strategy: added to not_doing: `no-air` — Air freight (why: Road only.)" in text
    gate = ("main", "--fail-on-strategy-change", "--unless-decided")
    assert _diff(repo, *gate).returncode == 1  # a record left blank decides nothing
    drafted.write_text(
        text.replace("decision: ''", "decision: Returns and air stay out; road freight is our business."),
        encoding="utf-8",
    )
    assert _diff(repo, *gate).returncode == 0
    again = subprocess.run(
        [str(NORTHSTAR), "decide", "main"], cwd=repo.root, capture_output=True, text=True, check=False
    )
    assert again.stdout.startswith("Nothing to decide: every change of direction since ")
