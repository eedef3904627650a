"""A real `mkdocs serve` on 127.0.0.1: an invalid edit shows the problems, the next valid save recovers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.serve_helpers import PROBLEMS, Served
from tests.site_helpers import copy_project

pytestmark = pytest.mark.serve


@pytest.mark.clock
def test_invalid_edit_shows_problems_then_recovers(serve: Callable[..., Served], tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    server = serve(project)
    server.wait_for_text("teams/sales/", "Build a mid-market pipeline we can forecast")

    sales = project / "plan" / "execution" / "2026-q4" / "sales.yml"
    original = sales.read_text(encoding="utf-8")
    sales.write_text(original.replace("owner: ", "ownr: ", 1).replace("baseline: ", "baseline: [", 1), encoding="utf-8")
    broken = server.wait_for_text("teams/sales/", PROBLEMS)
    assert "plan/execution/2026-q4/sales.yml:" in broken
    assert "NS101" in broken or "NS110" in broken
    assert "Build a mid-market pipeline we can forecast" not in broken
    assert server.process.poll() is None, "the server must survive an invalid plan"

    sales.write_text(
        original.replace("Build a mid-market pipeline we can forecast", "Build a pipeline we forecast"),
        encoding="utf-8",
    )
    server.wait_for_text("teams/sales/", "Build a pipeline we forecast", absent=(PROBLEMS,))
    assert server.process.poll() is None
    assert "Traceback" not in server.log()
