"""Tasks shared with a forked worker: the results of one process, in order, whatever the worker does."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from northstar import parallel
from northstar.build import Builder, Settings
from northstar.parallel import run_all

from tests.conftest import ROOT

_FORK = hasattr(os, "fork")
needs_fork = pytest.mark.skipif(not _FORK, reason="fork is a Unix system's")  # never skipped in CI (Linux)


class _Both:
    """Tasks that say which process ran them; each process's first task waits until the other has
    taken one too, so both take part however the system schedules them (the parent, taking first,
    mostly gets task 0 and the worker task 1)."""

    def __init__(self, fails: Callable[[int], bool] = lambda index: False) -> None:
        self.parent = os.getpid()
        self.barrier = multiprocessing.get_context("fork").Barrier(2, timeout=60)
        self.met: list[int] = []  # each process has its own copy: the pid that met the other there
        self.fails = fails

    def tasks(self, count: int) -> list[Callable[[], bytes]]:
        return [self._task(i) for i in range(count)]

    def _task(self, index: int) -> Callable[[], bytes]:
        def run() -> bytes:
            if os.getpid() not in self.met:
                self.barrier.wait()
                self.met.append(os.getpid())
            if self.fails(index):
                raise ValueError(f"task {index}")
            return f"{index}:{os.getpid()}".encode()

        return run


def _share(tasks: list[Callable[[], bytes]]) -> list[bytes]:
    """What `run_all` gives after sharing the tasks with a worker, on any number of cores."""
    results: list[bytes | None] = [None] * len(tasks)
    parallel._share(tasks, results)
    return [tasks[i]() if done is None else done for i, done in enumerate(results)]


@needs_fork
def test_a_worker_takes_part_and_results_keep_the_tasks_order() -> None:
    both = _Both()
    results = _share(both.tasks(200))
    assert [int(r.split(b":")[0]) for r in results] == list(range(200))
    pids = {int(r.split(b":")[1]) for r in results}
    assert both.parent in pids
    assert len(pids) == 2  # the other is the worker's
    assert multiprocessing.active_children() == []  # and it has ended


@needs_fork
@pytest.mark.parametrize("fails", [{0}, {1, 2}, {7, 240}, {299}, set(range(1, 300, 2))])
def test_the_first_failing_task_raises_as_in_one_process(fails: set[int]) -> None:
    """One process running the tasks in order raises at the first that fails; so do two."""
    for _ in range(3):  # whichever process meets which failure first
        with pytest.raises(ValueError, match=f"^task {min(fails)}$"):
            _share(_Both(fails.__contains__).tasks(300))
        assert multiprocessing.active_children() == []


@needs_fork
def test_tasks_that_fail_only_in_the_worker_are_run_again_here(capfd: pytest.CaptureFixture[str]) -> None:
    parent = os.getpid()
    both = _Both(lambda index: os.getpid() != parent)
    assert _share(both.tasks(300)) == [f"{i}:{parent}".encode() for i in range(300)]
    assert capfd.readouterr() == ("", "")  # the worker's failure is not printed: this process raises it, if at all


@needs_fork
def test_a_worker_that_dies_leaves_its_tasks_to_this_process() -> None:
    parent = os.getpid()

    def task(index: int) -> Callable[[], bytes]:
        def run() -> bytes:
            if os.getpid() != parent:
                os._exit(3)  # killed mid-way: no word sent back
            return str(index).encode()

        return run

    assert _share([task(i) for i in range(100)]) == [str(i).encode() for i in range(100)]
    assert multiprocessing.active_children() == []


def test_few_tasks_or_parallel_off_run_here() -> None:
    parent = os.getpid()

    def task() -> bytes:
        return str(os.getpid()).encode()

    assert run_all([task] * (parallel.MINIMUM - 1)) == [str(parent).encode()] * (parallel.MINIMUM - 1)
    assert run_all([task] * 100, parallel=False) == [str(parent).encode()] * 100


def _built(plan: Path, *, parallel: bool) -> dict[str, bytes]:
    built = Builder(plan).build(Settings(parallel=parallel))
    assert built.site is not None and built.export is not None
    return {**{page.path: page.content for page in built.site.pages}, built.export[0]: built.export[1]}


def test_the_example_plan_gives_the_same_pages_in_one_process_or_two() -> None:
    together = _built(ROOT / "plan", parallel=True)
    assert len(together) >= parallel.MINIMUM  # enough pages to share, where the system allows it
    assert together == _built(ROOT / "plan", parallel=False)
