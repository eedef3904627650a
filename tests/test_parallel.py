"""Results worked out ahead by a forked worker: the results of one process, whatever the worker does."""

from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
import time
import weakref
from collections.abc import Callable
from pathlib import Path

import pytest
from mkdocs_northstar import collector, parallel
from mkdocs_northstar.build import Builder, Settings
from mkdocs_northstar.pages.render import PageTemplateError
from mkdocs_northstar.parallel import Results

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
    return [_split(results.take(index)) for index in range(len(results))]


def _ended(timeout: float = 60) -> bool:
    """The worker has ended (and been reaped): no child process is left. The timeout only keeps a
    broken worker from hanging the suite; nothing here measures how long the work takes."""
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
    assert results.ahead
    found = _taken(results)
    assert [index for index, _ in found] == list(range(200))
    assert {pid for _, pid in found} == {next(pid for _, pid in found)} != {os.getpid()}  # all the worker's
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
        assert not results.ahead
        assert ran == list(range(count))
        assert _taken(results) == [(i, os.getpid()) for i in range(count)]
        ran.clear()


def test_without_a_worker_the_first_failing_task_raises_at_once() -> None:
    with pytest.raises(ValueError, match=r"^task 3$"):
        Results(_tasks(10, fails={3, 5}.__contains__))


@needs_fork
@many_cores
@pytest.mark.parametrize("fails", [{0}, {7}, {7, 140}, {199}])
def test_a_task_that_fails_in_the_worker_raises_its_error_here(fails: set[int]) -> None:
    """As in one process the build stops at the first failure, with the task's own error (and the
    worker's traceback as a note); the results before it are the worker's."""
    results = Results(_tasks(200, fails=fails.__contains__, size=16 * 1024))
    first = min(fails)
    before = [_split(results.take(i)) for i in range(first)]
    assert [index for index, _ in before] == list(range(first))
    assert all(pid != os.getpid() for _, pid in before)  # the worker's
    for index in sorted({first, min(first + 1, 199), 199}):
        with pytest.raises(ValueError, match=rf"^task {first}\nraised in the process rendering ahead:\n") as raised:
            results.take(index)
        assert 'raise ValueError(f"task {index}")' in raised.value.__notes__[0]  # the worker's traceback
    assert _ended()


def _split(result: bytes) -> tuple[int, int]:
    number, pid, _ = result.split(b":", 2)
    return int(number), int(pid)


class _UnsendableError(Exception):
    def __init__(self) -> None:
        super().__init__("cannot be pickled")
        self.callback = lambda: None


class _UnreadableError(Exception):
    """Pickles, but cannot be made again from its arguments (an `__init__` that takes others)."""

    def __init__(self, page: str, line: int) -> None:
        super().__init__(f"{page}:{line}")


@needs_fork
@many_cores
@pytest.mark.parametrize(
    ("error", "message"),
    [
        (_UnsendableError, "could not be sent back: .*cannot be pickled"),
        (lambda: _UnreadableError("a", 1), "could not be read"),
    ],
)
def test_an_error_that_cannot_come_back_is_a_worker_error(error: Callable[[], Exception], message: str) -> None:
    def fail() -> bytes:
        raise error()

    tasks = _tasks(40, size=64 * 1024)  # sent eight at a time: the first sixteen before the failure
    results = Results([*tasks[:16], fail, *tasks[17:]])
    for index in range(16):
        assert results.take(index).startswith(f"{index}:".encode())
    with pytest.raises(parallel.WorkerError, match=message):
        results.take(16)


@needs_fork
@many_cores
def test_a_worker_that_dies_leaves_an_error_for_what_it_did_not_deliver() -> None:
    parent = os.getpid()

    def task(index: int) -> bytes:
        if os.getpid() != parent and index == 50:
            os._exit(3)  # killed mid-way: no word sent back
        return f"{index}:{os.getpid()}:".encode() + b"x" * 64 * 1024

    results = Results([lambda i=i: task(i) for i in range(100)])
    delivered = [_split(results.take(i)) for i in range(48)]  # batches of eight 64 KiB results
    assert all(pid != parent for _, pid in delivered)
    with pytest.raises(parallel.WorkerError, match=r"ended \(exit code 3\) before result 48; build again"):
        results.take(48)


@needs_fork
@many_cores
def test_close_stops_the_worker() -> None:
    """A failed build stops the worker at once: it is killed, not waited for."""
    results = Results([lambda: (time.sleep(600), b"late")[1]] * 40)
    results.close()
    assert multiprocessing.active_children() == []  # close waited for it to end
    with pytest.raises(parallel.WorkerError, match=rf"exit code -{signal.SIGKILL}\)"):
        results.take(0)


class _Plan:
    """Stands for what page tasks refer to."""

    def render(self) -> bytes:
        return b"page"


@pytest.mark.parametrize("parallel_on", [True, False])
def test_the_tasks_are_let_go_here_before_results_returns(parallel_on: bool) -> None:
    """Here, the plan that pages render from is freed as soon as the worker has it (or has been rendered)."""
    plan = _Plan()
    held = weakref.ref(plan)
    with collector.paused():  # by reference counting alone
        results = Results([plan.render] * 40, parallel=parallel_on)
        del plan
        assert held() is None
    assert [results.take(i) for i in range(40)] == [b"page"] * 40
    with pytest.raises(LookupError, match=r"^result 7 was taken already$"):
        results.take(7)


def test_a_page_template_error_comes_back_from_a_worker_whole() -> None:
    error = PageTemplateError("overrides/northstar/team.md.jinja:3: boom", "teams/a.md", "x.jinja", 3)
    again = pickle.loads(pickle.dumps(error))  # noqa: S301 - what the worker sent
    assert (type(again), str(again), again.page, again.file, again.line) == (
        PageTemplateError,
        str(error),
        "teams/a.md",
        "x.jinja",
        3,
    )


def _built(plan: Path, *, parallel: bool) -> dict[str, bytes]:
    built = Builder(plan).build(Settings(parallel=parallel))
    assert built.site is not None and built.export is not None
    return {**{page.path: page.content for page in built.site.pages}, built.export.path: built.export.content}


def test_the_example_plan_gives_the_same_pages_in_one_process_or_two() -> None:
    together = _built(ROOT / "plan", parallel=True)
    assert len(together) >= parallel.MINIMUM  # enough pages for a worker, where the system allows it
    assert together == _built(ROOT / "plan", parallel=False)
