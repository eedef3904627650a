"""The benchmark scripts keep working (a tiny run; no timing is asserted)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


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
