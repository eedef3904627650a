"""Shared fixtures: building plans from the golden cases, and paths into the repository."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser

    from tests.serve_helpers import Served

ROOT = Path(__file__).resolve().parent.parent
CASES = Path(__file__).resolve().parent / "cases"
AS_OF = date(2026, 11, 24)
"""The day the golden cases and the example plan are judged at."""


@pytest.fixture(autouse=True, scope="session")
def _no_outside_clock() -> Iterator[None]:
    """A SOURCE_DATE_EPOCH (or NORTHSTAR_AS_OF) in the shell that started the suite would stand in
    for "today" in every run below: the tests that need one set it themselves."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("SOURCE_DATE_EPOCH", raising=False)
        patch.delenv("NORTHSTAR_AS_OF", raising=False)
        yield


def build_case(case: Path, dest: Path) -> Path:
    """Copy the base plan to `dest/plan`, then overlay `case`: its files replace or add files,
    and an empty `NAME.delete` removes NAME."""
    plan = dest / "plan"
    shutil.copytree(CASES / "_base", plan)
    for source in sorted(case.rglob("*")):
        if not source.is_file() or source.name == "expected.txt":
            continue
        target = plan / source.relative_to(case)
        if source.name.endswith(".delete"):
            target.with_name(source.name.removesuffix(".delete")).unlink()
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    return plan


@pytest.fixture
def case_plan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Build a case into tmp_path and chdir there, so problems print as `plan/...`."""
    monkeypatch.chdir(tmp_path)

    def make(name: str) -> Path:
        build_case(CASES / name, tmp_path)
        return Path("plan")

    return make


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Callable[..., Served]]:
    """Start `mkdocs serve` for a project (`serve(project, preexec=...)`); every server is stopped after the test."""
    from tests.serve_helpers import Served  # noqa: PLC0415 - it imports this module's paths

    started: list[Served] = []

    def start(project: Path, preexec: Callable[[], None] | None = None) -> Served:
        server = Served(project, tmp_path / f"serve-{len(started)}.log", preexec)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


SLOW = (
    "test_long_serve.py",
    "test_clock.py",
    "test_readable.py",
    "test_benchmarks.py",
    "test_publish.py",
    "test_techdocs.py",
    "test_browser.py",
    "test_one_page.py",
    "test_serve.py",
)
"""Modules whose tests take seconds to a minute each: real serves, browsers, a faketime re-run."""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless Chromium, shared by a module's browser tests. Skipped where Chromium is missing,
    except in CI, which must have it (.ci/run installs it)."""
    from mkdocs_northstar.pdf import find_browser  # noqa: PLC0415 - only browser tests need these
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    from tests.site_helpers import require_browser  # noqa: PLC0415 - it imports this module

    require_browser()
    chromium = find_browser()
    assert chromium is not None, "CI must install Chromium (see .ci/run)"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        yield launched
        launched.close()


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto`: one worker more than there are cores. A third of the suite's time is spent
    waiting (on a server's rebuild, a browser, a child process), and a spare worker fills it: on
    two cores the suite uses 1.5 of them with two workers."""
    return (os.cpu_count() or 1) + 1


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under xdist's work-stealing, each worker starts on its own share of the list, and an idle
    one takes the later part of another's queue. So the slow tests go first in each share, dealt
    in turn: no worker is left running minute-long tests alone at the end."""
    workers = config.getoption("numprocesses", default=None)
    if not workers:
        return
    count = workers if isinstance(workers, int) else (os.cpu_count() or 1) + 1
    slow = [item for item in items if item.path.name in SLOW]
    fast = [item for item in items if item.path.name not in SLOW]
    share, start, dealt = len(items) // count, 0, []
    for worker in range(count):
        mine = slow[worker::count]
        take = len(items) - len(dealt) - len(mine) if worker == count - 1 else max(0, share - len(mine))
        dealt += mine + fast[start : start + take]
        start += take
    items[:] = dealt
