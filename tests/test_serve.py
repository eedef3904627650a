"""A real `mkdocs serve` on 127.0.0.1: an invalid edit shows the problems, the next valid save recovers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.serve_helpers import PROBLEMS, Served
from tests.site_helpers import copy_project, mkdocs

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


@pytest.mark.clock
def test_warnings_show_on_the_pages_while_serving_and_never_in_a_build(
    serve: Callable[..., Served], tmp_path: Path
) -> None:
    """Those editing under `mkdocs serve` often do not watch the terminal: a warning their save
    causes shows at the top of every plan page, with its file, line and column."""
    project = copy_project(tmp_path)
    server = serve(project)
    calm = server.wait_for_text("teams/sales/", "Build a mid-market pipeline we can forecast")
    assert "ns-banner" not in calm  # as of its commit, the example has nothing to say

    strategy = project / "plan" / "strategy.yml"
    text = strategy.read_text(encoding="utf-8")
    dated = "Mid-market shippers with 20-500 shipments a month in Q2"
    strategy.write_text(text.replace("Mid-market shippers with 20-500 shipments a month", dated, 1), encoding="utf-8")
    warned = server.wait_for_text("people/", "Plan checks: 1 warnings")
    assert '<details class="ns-banner" open role="status">' in warned
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "Mid-market shippers with 20-500" in row)
    assert f"plan/strategy.yml:{line}:" in warned and "warning NS304" in warned
    assert dated in server.wait_for_text("strategy/", "Plan checks: 1 warnings")  # the page itself still builds
    server.stop()

    done = mkdocs("build", cwd=project)
    assert done.returncode == 0, done.stderr
    assert "NS304" in done.stderr  # a build says it in its output, as before
    pages = [p.read_text(encoding="utf-8") for p in (project / "site").rglob("*.html")]
    assert pages and not [p for p in pages if "ns-banner" in p]
