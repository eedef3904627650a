"""Progress on long work shows on an interactive terminal only, never in CI logs or pipes."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

from tests.history_helpers import PlanRepo

NORTHSTAR = Path(sys.executable).parent / "northstar"


def _long_history(root: Path) -> PlanRepo:
    repo = PlanRepo(root)
    for day in range(1, 61):
        repo.edit("execution/2026-q4/sales.yml", f"current: {day + 5}", f"current: {day + 6}")
        repo.commit(f"Day {day}", f"2026-10-{1 + day % 28:02d}")
    return repo


def _render(repo: PlanRepo, *, tty: bool, ci: bool) -> str:
    env = {k: v for k, v in os.environ.items() if k != "CI"} | ({"CI": "true"} if ci else {})
    args = [str(NORTHSTAR), "render", "plan", "--out", "out", "--as-of", "2026-11-24"]
    if not tty:
        return subprocess.run(args, cwd=repo.root, env=env, capture_output=True, text=True, check=True).stderr
    controller, worker = pty.openpty()
    done = subprocess.run(args, cwd=repo.root, env=env, stdout=subprocess.DEVNULL, stderr=worker, check=False)
    os.close(worker)
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(controller)
    assert done.returncode == 0
    return b"".join(chunks).decode("utf-8", "replace")


def test_progress_only_on_a_terminal_outside_ci(tmp_path: Path) -> None:
    repo = _long_history(tmp_path / "repo")
    shown = _render(repo, tty=True, ci=False)
    assert "[northstar] reading history: 61/61" in shown
    assert "reading history" not in _render(repo, tty=True, ci=True)
    assert "reading history" not in _render(repo, tty=False, ci=False)
