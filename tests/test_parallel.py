"""Results worked out ahead by a forked worker: the results of one process, whatever the worker does."""

from __future__ import annotations

import multiprocessing
import os
import time
import weakref
from collections.abc import Callable
from pathlib import Path

import pytest
from northstar import collector, parallel
from northstar.build import Builder, Settings
from northstar.parallel import Results

from tests.conftest import ROOT

needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="fork is a Unix system's")  # never skipped in CI
many_cores = pytest.mark.skipif(
    len(os.sched_getaffinity(0)) < 2 if hasattr(os, "sched_getaffinity") else True,
    reason="a worker is started only where a second core may be used",  # CI's machine has two
)


def _tasks(count: int, fails: Callable[[int], bool] = lambda index: False, size: int = 0) -> list[parallel.Task]:
    """Tasks that say which process ran them; those that `fails` names raise."""

    def task(index: int) -> bytes:
        if fails(index):
            raise ValueError(f"task {index}")
        return f"{index}:{os.getpid()}:".encode() + b"x" * size

    return [lambda index=index: task(index) for index in range(count)]


def _taken(results: Results) -> list[tuple[int, int]]:
    """(index, pid) of every result, taken in order."""
    found = []
    for index in range(len(results)):
        number, pid, _ = results.take(index).split(b":", 2)
        found.append((int(number), int(pid)))
    return found


def _ended(timeout: float = 60) -> bool:
    """The worker has ended (and been reaped): no child process is left."""
    deadline = time.monotonic() + timeout
    while multiprocessing.active_children():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


@needs_fork
@many_cores
def test_a_worker_works_the_results_out_ahead_in_order() -> None:
    results = Results(_tasks(200))
    assert not results.done  # nothing is taken yet, and the worker is on it
    found = _taken(results)
    assert [index for index, _ in found] == list(range(200))
    assert {pid for _, pid in found} == {next(pid for _, pid in found)} != {os.getpid()}  # all the worker's
    assert results.done
    assert _ended()


@needs_fork
@many_cores
def test_the_worker_delivers_everything_without_waiting_for_results_to_be_taken() -> None:
    """The receiving thread drains the pipe as results come, so the worker ends long before MkDocs
    reaches the last page (16 MB here, many times what a pipe holds)."""
    results = Results(_tasks(256, size=64 * 1024))
    assert _ended()
    assert len({pid for _, pid in _taken(results)}) == 1


def test_few_tasks_or_parallel_off_run_here_at_once() -> None:
    ran: list[int] = []

    def task(index: int) -> bytes:
        ran.append(index)
        return f"{index}:{os.getpid()}:".encode()

    for count, parallel_on in ((parallel.MINIMUM - 1, True), (100, False)):
        results = Results([lambda i=i: task(i) for i in range(count)], parallel=parallel_on)
        assert results.done
        assert ran == list(range(count))
        assert _taken(results) == [(i, os.getpid()) for i in range(count)]
        ran.clear()


def test_without_a_worker_the_first_failing_task_raises_at_once() -> None:
    with pytest.raises(ValueError, match=r"^task 3$"):
        Results(_tasks(10, fails={3, 5}.__contains__))


@needs_fork
@many_cores
@pytest.mark.parametrize("fails", [{0}, {7}, {7, 140}, {199}])
def test_a_task_that_fails_raises_here_when_its_result_is_taken(fails: set[int]) -> None:
    """As in one process, the error is the task's own; results before it are the worker's, and those
    after it, which the worker never reached, are worked out here (raising where they fail too)."""
    results = Results(_tasks(200, fails=fails.__contains__))
    first = min(fails)
    before = [results.take(index).split(b":")[:2] for index in range(first)]
    assert before == [[str(index).encode(), before[0][1]] for index in range(first)]  # one process's:
    assert all(int(pid) != os.getpid() for _, pid in before)  # the worker's
    for index in range(first, 200):
        if index in fails:
            with pytest.raises(ValueError, match=f"^task {index}$"):
                results.take(index)
        else:
            assert results.take(index).startswith(f"{index}:{os.getpid()}:".encode())
    assert _ended()


@needs_fork
@many_cores
def test_tasks_that_fail_only_in_the_worker_are_run_here() -> None:
    parent = os.getpid()
    results = Results(_tasks(100, fails=lambda index: os.getpid() != parent))
    assert _taken(results) == [(i, parent) for i in range(100)]


@needs_fork
@many_cores
def test_a_worker_that_dies_leaves_its_results_to_this_process() -> None:
    parent = os.getpid()

    def task(index: int) -> bytes:
        if os.getpid() != parent and index == 50:
            os._exit(3)  # killed mid-way: no word sent back
        return f"{index}:{os.getpid()}:".encode()

    results = Results([lambda i=i: task(i) for i in range(100)])
    found = _taken(results)
    assert [index for index, _ in found] == list(range(100))
    assert {pid for index, pid in found if index >= 50} == {parent}  # the last batch never came


@needs_fork
@many_cores
def test_close_stops_the_worker_and_what_is_left_is_worked_out_here() -> None:
    results = Results([lambda: (time.sleep(60), b"late")[1]] * 40)
    started = time.monotonic()
    results.close()
    assert _ended(timeout=10)
    assert time.monotonic() - started < 30
    assert not results.done  # nothing is in: the tasks are still held


class _Plan:
    """Stands for what page tasks refer to."""

    def render(self) -> bytes:
        return b"page"


@needs_fork
@many_cores
def test_with_a_worker_the_tasks_are_let_go_once_every_result_is_in() -> None:
    plan = _Plan()
    held = weakref.ref(plan)
    with collector.paused():  # freed by reference counting alone
        results = Results([plan.render] * 40)
        ran: list[str] = []
        results.when_done(lambda: ran.append("done"))
        del plan
        assert _ended()  # every result is in, none is taken yet
        assert (held() is not None, ran, results.done) == (True, [], False)
        results.take(7)  # the first take after that lets them go, in this thread
        assert (held(), ran, results.done) == (None, ["done"], True)
        assert [results.take(i) for i in range(40) if i != 7] == [b"page"] * 39
    with pytest.raises(LookupError, match=r"^result 7 was taken already$"):
        results.take(7)


def test_without_a_worker_the_tasks_are_let_go_at_once() -> None:
    plan = _Plan()
    held = weakref.ref(plan)
    with collector.paused():
        results = Results([plan.render] * 40, parallel=False)
        del plan
        assert held() is None
    ran: list[str] = []
    results.when_done(lambda: ran.append("done"))
    assert ran == ["done"]


def _built(plan: Path, *, parallel: bool) -> dict[str, bytes]:
    built = Builder(plan).build(Settings(parallel=parallel))
    assert built.site is not None and built.export is not None
    return {**{page.path: page.content for page in built.site.pages}, built.export.path: built.export.content}


def test_the_example_plan_gives_the_same_pages_in_one_process_or_two() -> None:
    together = _built(ROOT / "plan", parallel=True)
    assert len(together) >= parallel.MINIMUM  # enough pages for a worker, where the system allows it
    assert together == _built(ROOT / "plan", parallel=False)
