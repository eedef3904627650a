"""History from real git repositories with scripted changes: classification, wording, robustness."""

from __future__ import annotations

import subprocess
import threading
from pathlib import Path
from typing import Any

import pytest
from mkdocs_northstar.build import Builder, Settings
from mkdocs_northstar.git import GitError
from mkdocs_northstar.history.changes import Change
from mkdocs_northstar.history.gitlog import BlobStream
from mkdocs_northstar.history.timeline import History, Unavailable, summarize, update

from tests.history_helpers import PlanRepo, generated_history


@pytest.fixture
def repo(tmp_path: Path) -> PlanRepo:
    return PlanRepo(tmp_path / "repo")


def _history(plan: Path, previous: History | None = None) -> History:
    found = update(plan, previous)
    assert isinstance(found, History), found
    return found


def _last(history: History) -> tuple[str, list[Change]]:
    revision = history.revisions[-1]
    return revision.kind, list(revision.changes)


def test_strategy_edit_is_strategy(repo: PlanRepo) -> None:
    repo.edit(
        "strategy.yml",
        "not_doing:\n",
        "not_doing:\n  - id: no-air\n    title: Air freight\n    why: Our customers ship by road.\n",
    )
    repo.commit("Rule out air freight", "2026-08-03")
    kind, changes = _last(_history(repo.plan))
    assert kind == "strategy"
    assert changes == [
        Change("strategy", "Strategy: added to not_doing: `no-air` — Air freight (why: Our customers ship by road.)")
    ]


def test_key_result_target_is_execution(repo: PlanRepo) -> None:
    repo.edit("execution/2026-q4/sales.yml", "target: 40", "target: 50")
    repo.commit("Raise the meetings target", "2026-10-20")
    assert _last(_history(repo.plan)) == (
        "execution",
        [Change("execution", "Team `sales`, 2026-q4: key result `meetings` target 40 → 50")],
    )


def test_check_in_is_an_execution_progress_update(repo: PlanRepo) -> None:
    repo.edit(
        "execution/2026-q4/sales.yml",
        "            value: 22\n",
        "            value: 22\n          - date: 2026-11-25\n            value: 27\n            confidence: 0.7\n",
    )
    repo.commit("Check in", "2026-11-25")
    assert _last(_history(repo.plan)) == (
        "execution",
        [
            Change(
                "execution",
                "Team `sales`, 2026-q4: key result `meetings` check-in added 2026-11-25: 27 (confidence 0.7)",
                check_in=True,
            )
        ],
    )


def test_both(repo: PlanRepo) -> None:
    repo.edit("strategy.yml", "title: Consumer parcels", "title: Consumer parcels and returns")
    repo.edit("people.yml", "name: Ben Okafor", "name: Ben Okafor-Ade")
    repo.commit("Widen and rename", "2026-09-02")
    kind, changes = _last(_history(repo.plan))
    assert kind == "both"
    assert [c.text for c in changes] == [
        "Strategy: not_doing `no-consumer`: title 'Consumer parcels' → 'Consumer parcels and returns'",
        "People: `ben` name 'Ben Okafor' → 'Ben Okafor-Ade'",
    ]


def test_a_new_review_date_alone_reaffirms_the_strategy(repo: PlanRepo) -> None:
    """The owner reviewed the direction and kept it: said as such, and not a change of direction."""
    repo.edit("strategy.yml", "reviewed: 2026-06-01", "reviewed: 2026-09-01")
    repo.commit("Yearly review: direction kept", "2026-09-01")
    assert _last(_history(repo.plan)) == (
        "reaffirmed",
        [Change("strategy", "Strategy: reviewed 2026-06-01 → 2026-09-01", check_in=True)],
    )
    repo.edit("strategy.yml", "reviewed: 2026-09-01", "reviewed: 2026-10-01")
    repo.edit("people.yml", "name: Ben Okafor", "name: Ben Okafor-Ade")
    repo.commit("Review and rename", "2026-10-02")
    assert _last(_history(repo.plan))[0] == "execution"  # a reaffirmation beside motion changes no direction


def test_whitespace_comments_key_order_and_renames_are_not_changes(repo: PlanRepo) -> None:
    repo.edit("people.yml", "people:\n", "# who owns what\npeople:\n\n")
    repo.edit("teams.yml", "    name: Sales\n    lead: ana\n", "    lead: ana\n    name: Sales\n")
    repo.git("mv", "plan/execution/2026-q4/sales.yml", "plan/execution/2026-q4/sales-team.yml")
    repo.commit("Tidy", "2026-10-02")
    history = _history(repo.plan)
    assert _last(history) == ("none", [])


def test_broken_revision_is_marked_and_skipped_over(repo: PlanRepo) -> None:
    repo.edit("execution/2026-q4/sales.yml", "target: 40", "target: [40")
    repo.commit("Oops", "2026-10-05")
    repo.edit("execution/2026-q4/sales.yml", "target: [40", "target: 45")
    repo.commit("Fix", "2026-10-06")
    history = _history(repo.plan)
    broken, fixed = history.revisions[-2:]
    assert (broken.kind, broken.valid, broken.problems) == ("invalid", False, 1)
    assert [c.text for c in fixed.changes] == ["Team `sales`, 2026-q4: key result `meetings` target 40 → 45"]


def test_merge_is_one_entry_on_the_main_line(repo: PlanRepo) -> None:
    repo.git("checkout", "-q", "-b", "raise")
    repo.edit("execution/2026-q4/sales.yml", "target: 40", "target: 50")
    repo.commit("Raise meetings", "2026-10-10")
    repo.edit("execution/2026-q4/sales.yml", "target: 15", "target: 20")
    repo.commit("Raise proposals", "2026-10-11")
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "-m", "Merge raise", "raise", when="2026-10-12")
    history = _history(repo.plan)
    merge = history.revisions[-1]
    assert (merge.commit.subject, merge.commit.merge, len(history.revisions)) == ("Merge raise", True, 2)
    assert [c.text for c in merge.changes] == [
        "Team `sales`, 2026-q4: key result `meetings` target 40 → 50",
        "Team `sales`, 2026-q4: key result `proposals` target 15 → 20",
    ]


def test_plan_in_a_subfolder_and_detached_head(tmp_path: Path) -> None:
    repo = PlanRepo(tmp_path / "repo", plan_subdir="company/plan")
    repo.edit("execution/2026-q4/sales.yml", "target: 40", "target: 41")
    sha = repo.commit("Nudge", "2026-10-03")
    repo.git("checkout", "-q", "--detach", sha)
    assert _last(_history(repo.plan))[0] == "execution"


def test_not_a_repository_and_no_git(tmp_path: Path, repo: PlanRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    assert isinstance(update(plain), Unavailable)
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    assert update(repo.plan) == Unavailable(
        "the plan is not in a git repository with commits (or git is not installed)"
    )


def test_incremental_update_and_rewritten_history(repo: PlanRepo) -> None:
    first = _history(repo.plan)
    assert _history(repo.plan, first) is first  # HEAD unchanged: nothing read
    repo.edit("execution/2026-q4/sales.yml", "target: 40", "target: 50")
    repo.commit("Raise", "2026-10-20")
    second = _history(repo.plan, first)
    assert second.replay is first.replay and len(second.revisions) == 2  # extended from where it stood
    repo.edit("execution/2026-q4/sales.yml", "target: 50", "target: 60")
    repo.git("commit", "-q", "-a", "--amend", "-m", "Raise more", when="2026-10-21")
    third = _history(repo.plan, second)
    assert [r.commit.subject for r in third.revisions] == ["Create the plan", "Raise more"]
    assert [c.text for c in third.revisions[-1].changes] == [
        "Team `sales`, 2026-q4: key result `meetings` target 40 → 60"
    ]


def _scripted_history(repo: PlanRepo) -> None:
    """Edits of every sort on the main line: a broken revision, a file gone and back, a merge."""
    sales = "execution/2026-q4/sales.yml"
    repo.edit(sales, "target: 40", "target: 45")
    repo.commit("Raise", "2026-09-20")
    repo.edit("strategy.yml", "reviewed: 2026-06-01", "reviewed: 2026-09-01")
    repo.edit(sales, "current: 6", "current: 7")
    repo.commit("Review and check in", "2026-09-30")
    repo.edit(sales, "target: 45", "target: [45")
    repo.commit("Oops", "2026-10-02")
    repo.edit(sales, "target: [45", "target: 50")
    repo.commit("Fix", "2026-10-03")
    leadership = (repo.plan / "execution/2026-q4/leadership.yml").read_text(encoding="utf-8")
    (repo.plan / "execution/2026-q4/leadership.yml").unlink()
    repo.commit("Drop leadership", "2026-10-04")
    repo.write("execution/2026-q4/leadership.yml", leadership)
    repo.commit("Bring leadership back", "2026-10-05")
    repo.git("checkout", "-q", "-b", "side")
    repo.edit(sales, "target: 15", "target: 20")
    repo.commit("Raise proposals", "2026-10-06")
    repo.git("checkout", "-q", "main")
    repo.edit("people.yml", "name: Ana Silva", "name: Ana Silva-Costa")
    repo.commit("Rename", "2026-10-07")
    repo.git("merge", "-q", "--no-ff", "-m", "Merge side", "side", when="2026-10-08")


def _seen(history: History) -> tuple[object, ...]:
    quarters = {q: commit.sha for q, (commit, _) in history.at_quarter_end.items()}
    return [(r.commit, r.changes, r.problems) for r in history.revisions], history.last_valid, quarters


def test_reading_back_from_head_gives_what_reading_forward_gives(repo: PlanRepo) -> None:
    """A first read goes from HEAD back; a serve rebuild after a commit goes forward: both agree."""
    _scripted_history(repo)
    cold = _history(repo.plan)
    forward = None
    for sha in repo.git("rev-list", "--first-parent", "--reverse", "HEAD").split():
        repo.git("checkout", "-q", "--detach", sha)
        forward = _history(repo.plan, forward)  # the first commit read alone, then one commit at a time
    assert forward is not None and len(forward.revisions) == 9
    assert [r.kind for r in cold.revisions].count("invalid") == 1
    assert _seen(forward) == _seen(cold)
    repo.git("checkout", "-q", "main")
    repo.edit("execution/2026-q4/sales.yml", "target: 50", "target: 55")
    repo.commit("Raise again", "2026-10-09")
    extended = _history(repo.plan, cold)  # the read back from HEAD extends from HEAD
    assert extended.replay is cold.replay and _seen(extended) == _seen(_history(repo.plan))


def test_a_generated_history_reads_the_same_back_and_forward(tmp_path: Path) -> None:
    """Many edits over many files: going back, only the places undone are compared."""
    plan = generated_history(tmp_path, "S", 120, 5)
    cold = _history(plan)
    shas = subprocess.run(
        ["git", "rev-list", "--first-parent", "--reverse", "HEAD"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    forward = None
    for sha in shas[::15] + shas[-1:]:  # the first commit alone, then fifteen commits at a time
        subprocess.run(["git", "checkout", "-q", "--detach", sha], cwd=tmp_path, check=True)
        forward = _history(plan, forward)
    assert forward is not None and len(forward.revisions) == 120
    assert sum(len(r.changes) for r in cold.revisions) > 120
    assert _seen(forward) == _seen(cold)


def test_shallow_clone_is_flagged(repo: PlanRepo, tmp_path: Path) -> None:
    for day in ("2026-10-01", "2026-10-02", "2026-10-03"):
        repo.edit("people.yml", "name: Ana Silva", f"name: Ana Silva {day}")
        repo.commit(f"Rename {day}", day)
        repo.edit("people.yml", f"name: Ana Silva {day}", "name: Ana Silva")
    repo.commit("Back", "2026-10-04")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "2", f"file://{repo.root}", str(clone)], check=True)
    history = _history(clone / "plan")
    assert history.shallow
    assert [r.commit.subject for r in history.revisions] == ["Rename 2026-10-03", "Back"]


def test_summary_and_churn(repo: PlanRepo) -> None:
    """Reaffirming is not changing: only edits of the direction count towards churn."""
    repo.edit("strategy.yml", "reviewed: 2026-06-01", "reviewed: 2026-08-01")
    repo.commit("Review", "2026-08-01")
    repo.edit("execution/2026-q4/sales.yml", "target: 40", "target: 50")
    repo.commit("Raise", "2026-10-01")
    repo.edit("strategy.yml", "reviewed: 2026-08-01", "reviewed: 2026-11-01")
    repo.commit("Review again", "2026-11-01")
    repo.edit("execution/2026-q4/sales.yml", "target: 50", "target: 55")
    repo.commit("Raise again", "2026-11-02")
    history = _history(repo.plan)
    summary = summarize(history)
    # the plan's creation is where it starts, and the reviews kept the direction: nothing changed it
    assert (summary.last_strategy_change, summary.execution_since, summary.strategy_changes_in_window) == (None, 2, 0)
    assert summary.last_reaffirmed is not None and summary.last_reaffirmed.commit.subject == "Review again"
    assert summary.churn is False

    repo.edit("strategy.yml", "title: Consumer parcels", "title: Consumer parcels and returns")
    repo.commit("Widen what we will not do", "2026-11-03")
    repo.edit("strategy.yml", "title: Consumer parcels and returns", "title: Consumer parcels")
    repo.commit("Narrow it again", "2026-11-04")
    summary = summarize(_history(repo.plan, history))
    assert summary.last_strategy_change is not None
    assert summary.last_strategy_change.commit.subject == "Narrow it again"
    assert (summary.last_reaffirmed, summary.execution_since, summary.strategy_changes_in_window) == (None, 0, 2)
    assert summary.churn is True
    assert summarize(history, threshold=3).churn is False


def test_quarter_end_snapshots(repo: PlanRepo) -> None:
    repo.edit("execution/2026-q4/sales.yml", "current: 6", "current: 7")
    repo.commit("September", "2026-09-30")
    repo.edit("execution/2026-q4/sales.yml", "current: 7", "current: 9")
    repo.commit("October", "2026-10-01")
    history = _history(repo.plan)
    commit, _ = history.at_quarter_end["2026-q3"]
    assert commit.subject == "September"
    assert history.at_quarter_end["2026-q4"][0].subject == "October"


def test_no_process_per_commit(repo: PlanRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    for day in range(1, 21):
        repo.edit("execution/2026-q4/sales.yml", f"current: {day + 5}", f"current: {day + 6}")
        repo.commit(f"Day {day}", f"2026-10-{day:02d}")
    calls: list[list[str]] = []

    class CountingPopen(subprocess.Popen[bytes]):
        def __init__(self, args: list[str], *rest: Any, **kwargs: Any) -> None:
            rest_args = list(args[1:])
            while rest_args[:1] == ["-c"]:  # the fixed settings every git command runs with
                del rest_args[:2]
            calls.append([Path(args[0]).name, *rest_args])
            super().__init__(args, *rest, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", CountingPopen)
    history = _history(repo.plan)
    assert len(history.revisions) == 21
    # rev-parse, ls-tree, log, cat-file --batch; with a progress display, one rev-list --count
    assert [c[:2] for c in calls] == [["git", "rev-parse"], ["git", "ls-tree"], ["git", "log"], ["git", "cat-file"]]
    calls.clear()
    seen: list[tuple[int, int]] = []
    assert isinstance(update(repo.plan, progress=lambda _, done, total: seen.append((done, total))), History)
    assert [c[1] for c in calls] == ["rev-parse", "ls-tree", "log", "cat-file", "rev-list"]
    assert seen == []  # 21 commits: too few to show progress (see test_progress_output for more)


def test_history_reuses_the_working_trees_parses(repo: PlanRepo) -> None:
    """A build parses each file of the working tree once: the history's HEAD is those very models."""
    repo.edit("execution/2026-q4/sales.yml", "target: 40", "target: 50")
    repo.commit("Raise", "2026-10-20")
    built = Builder(repo.plan).build(Settings())
    assert isinstance(built.history, History) and built.history.last_valid is not None
    head, tree = built.history.last_valid, built.report.plan
    assert head.strategy is tree.strategy and head.teams is tree.teams
    pairs = list(zip(head.execution, tree.execution, strict=True))
    assert pairs and all(a is b for (_, a), (_, b) in pairs)
    repo.edit("execution/2026-q4/sales.yml", "target: 50", "target: 70")  # uncommitted: HEAD differs
    again = Builder(repo.plan).build(Settings())
    assert isinstance(again.history, History) and again.history.last_valid is not None
    (committed,) = [w for p, w in again.history.last_valid.execution if p.name == "sales.yml"]
    (edited,) = [w for p, w in again.report.plan.execution if p.name == "sales.yml"]
    targets = [[kr.target for o in w.objectives for kr in o.key_results] for w in (committed, edited)]
    assert 50 in targets[0] and 70 not in targets[0] and 70 in targets[1]  # HEAD's content, not the tree's


def test_blobs_stream_both_ways_without_stalling(tmp_path: Path) -> None:
    """Far more blobs asked for ahead than a pipe holds, of every size: each comes back whole."""
    repo = PlanRepo(tmp_path / "repo")
    # 6,000 ids (240 KiB) overfill the pipe to git while git waits on its full pipe back (at most
    # 1 MiB, some 1,100 of these blobs); a few blobs are larger than any pipe
    contents = [(f"{i:05d}\n" * (i * 37 % 300 + 40_000 * (i % 1500 == 7))).encode() for i in range(6000)]
    files = tmp_path / "blobs"
    files.mkdir()
    for i, content in enumerate(contents):
        (files / f"{i}").write_bytes(content)
    paths = "\n".join(str(files / f"{i}") for i in range(len(contents)))
    ids = repo.git("hash-object", "-w", "--stdin-paths", stdin=paths).split()
    got: dict[str, bytes] = {}

    def read() -> None:
        with BlobStream(repo.plan) as blobs:
            blobs.want(ids)  # more than BlobStream.AHEAD: the stream reads some while it asks
            got.update((blob, blobs[blob]) for blob in reversed(ids))  # read in another order
            assert blobs[ids[0]] == contents[0]  # read again, from what was kept

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(120)  # a guard against a stall, not a measure of speed
    assert not reader.is_alive(), "the blob stream stalled"
    assert [got[blob] for blob in ids] == contents


def test_a_blob_git_does_not_have_is_named(repo: PlanRepo) -> None:
    people, missing = repo.git("rev-parse", "HEAD:plan/people.yml").strip(), "1" * 40
    with BlobStream(repo.plan) as blobs, pytest.raises(GitError, match=f"blob {missing} is missing"):
        blobs.want([people, missing])
        assert blobs[people].startswith(b"people:")
        blobs[missing]
