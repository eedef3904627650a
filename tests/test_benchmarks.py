"""The benchmark scripts keep working (a tiny run; no timing is asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.site_helpers import real_clock_environ

pytestmark = pytest.mark.benchmark


def test_history_benchmark_smoke() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "history.py"), "--commits", "25", "--repeat", "1"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "generated 25 commits in " + lines[0].split(" in ")[1]
    assert lines[1] == "25 revisions of the plan, median of 1"
    assert [line.split("  ")[0] for line in lines[3:7]] == [
        "raw git log --raw + cat-file --batch",
        "northstar change log, cold",
        "northstar, warm (HEAD unchanged)",
        "northstar, +1 commit (incremental)",
    ]


def _generate(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "generate.py"), *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def test_generated_plans_are_valid_deterministic_and_committed(tmp_path: Path) -> None:
    first = _generate("--size", "S", "--out", str(tmp_path / "a"))
    assert first.returncode == 0, first.stderr
    assert first.stdout.endswith(": 15 files, 10 teams, 40 objectives, 153 key results, 20 people\n")
    assert _generate("--size", "S", "--out", str(tmp_path / "b")).returncode == 0
    a, b = tmp_path / "a" / "plan", tmp_path / "b" / "plan"
    assert sorted(p.relative_to(a) for p in a.rglob("*.yml")) == sorted(p.relative_to(b) for p in b.rglob("*.yml"))
    assert all((a / rel).read_bytes() == (b / rel).read_bytes() for rel in (p.relative_to(a) for p in a.rglob("*.yml")))
    check = subprocess.run(
        [str(Path(sys.executable).parent / "northstar"), "check", "--strict", "--as-of", "2026-11-24", str(a)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stdout
    history = _generate("--size", "S", "--out", str(tmp_path / "h"), "--commits", "30")
    assert history.returncode == 0, history.stderr
    log = subprocess.run(
        ["git", "rev-list", "--count", "HEAD"], cwd=tmp_path / "h", capture_output=True, text=True, check=True
    )
    assert log.stdout.strip() == "30"


def test_shaped_plan_is_valid_and_deterministic(tmp_path: Path) -> None:
    """The independently shaped plan (size X) passes the checks: it measures a plan, not errors."""
    for name in ("a", "b"):
        done = subprocess.run(
            [sys.executable, str(ROOT / "benchmarks" / "shaped.py"), "--out", str(tmp_path / name), "--levels", "3"],
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
    a, b = tmp_path / "a" / "plan", tmp_path / "b" / "plan"
    files = sorted(p.relative_to(a) for p in a.rglob("*.yml"))
    assert len(files) > 10 and all((a / rel).read_bytes() == (b / rel).read_bytes() for rel in files)
    check = subprocess.run(
        [str(Path(sys.executable).parent / "northstar"), "check", "--as-of", "2026-11-20", str(a)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stdout
    assert " 0 errors," in check.stdout


def test_site_benchmark_smoke(tmp_path: Path) -> None:
    """benchmarks/run.py end to end at size S and on the example: builds, plugin, history, serve and
    memory are all measured, and every target gets a verdict."""
    results = tmp_path / "results.md"
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "run.py"),
            *("--sizes", "S", "--repeat", "1", "--commits", "30", "--serve", "S", "--rebuilds", "2"),
            *("--write", str(results)),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
        env=real_clock_environ(),  # it measures time, and starts `mkdocs serve`
    )
    assert done.returncode == 0, done.stderr
    rows = [line.split("|")[1:-1] for line in done.stdout.splitlines() if line.startswith("| S |")]
    assert len(rows) == 2  # the medians, then each figure's spread
    cells = [cell.strip() for cell in rows[0]]
    spread = [cell.strip() for cell in rows[1][1:]]
    assert len(spread) >= 12 and sum(" to " in cell for cell in spread) >= 12, spread
    assert cells[1] == "153" and int(cells[2]) > 30  # key results, pages
    assert all(float(cells[i]) > 0 for i in (3, 4, 5, 6, 8, 9, 10, 12, 14, 15))  # every time and size was measured
    lines = done.stdout.splitlines()
    targets = [line for line in lines if line.startswith("| ") and line.endswith(("met |", "MISSED |"))]
    assert [t.split("|")[1].strip().split(" ")[0] for t in targets] == [
        "fixed",
        "change",
        "change",
        "peak",
        "serve",
        "serve",
        "warm",
    ]
    example = next(line for line in lines if line.startswith("| example |"))
    assert " to " in example
    assert results.read_text(encoding="utf-8").startswith("# Benchmark results\n")
    assert "Machine: " in results.read_text(encoding="utf-8")
