"""Independent tasks shared with a second process, so that a big build uses a second core.

Rendering the pages of a thousand teams and exporting the plan are two seconds of pure Python,
which one process runs on one core while MkDocs leaves the others idle. `run_all` forks one
worker where that is safe and can help: the system forks (not Windows; not macOS, where a forked
child can crash in system libraries the parent had started to use), no other thread runs (a child
forked beside threads can wait forever on a lock one of them held), and this process may use a
second core. Fork gives the worker the tasks as they are: nothing is sent to it. Both processes
take the next task from a shared counter until none is left, so a long task does not leave one of
them idle, and the worker sends its results back in one message at the end.

The results come back in the tasks' order, the same bytes one process gives. Whatever goes wrong
in the worker (a task raises, the worker is killed, it cannot start), the tasks it did not deliver
are run here, in order, after the shared ones: a task's error is raised here exactly as when one
process runs everything, and the same error whichever process met it first.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported when a worker is started: a small build never needs them
    from multiprocessing.connection import Connection

Task = Callable[[], bytes]

MINIMUM = 32
"""Fewer tasks than this run in this process: starting a worker costs more than they take."""


def run_all(tasks: Sequence[Task], *, parallel: bool = True, minimum: int = MINIMUM) -> list[bytes]:
    """Every task's result, in order; shared with a forked worker when `parallel` and it can help.

    The tasks must be independent and give the same result wherever they run; one that raises is
    run again in this process, where its error propagates.
    """
    results: list[bytes | None] = [None] * len(tasks)
    if parallel and len(tasks) >= minimum and _may_fork():
        _share(tasks, results)
    return [tasks[i]() if done is None else done for i, done in enumerate(results)]


def _may_fork() -> bool:
    """Fork is safe here, no other thread runs, and this process may use a second core."""
    if not hasattr(os, "fork") or sys.platform == "darwin" or threading.active_count() > 1:
        return False
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return cores > 1


def _share(tasks: Sequence[Task], results: list[bytes | None]) -> None:
    """Run the tasks here and in a forked worker, filling `results` with what both delivered.

    A task that raises here ends the sharing: the worker is stopped, and what it had not delivered
    is left for the caller to run in order.
    """
    import multiprocessing  # noqa: PLC0415 - only a big build on a system with fork needs it

    context = multiprocessing.get_context("fork")
    if context.current_process().daemon:
        return  # a daemonic process (a pool's worker) may not start one of its own
    try:
        counter = context.Value("q", 0)
        receiving, sending = context.Pipe(duplex=False)
    except OSError:  # no shared memory or semaphores here (a locked-down container): run alone
        return

    def take() -> int:
        with counter.get_lock():
            index = int(counter.value)
            counter.value = index + 1
        return index

    worker = context.Process(target=_work, args=(tasks, take, sending), daemon=True)
    try:
        worker.start()
    except OSError:  # no process could be made (a limit on processes): run alone
        receiving.close()
        return
    finally:
        sending.close()  # the worker has its own copy, so the pipe ends when the worker does
    delivered: list[tuple[int, bytes]] | None = None
    try:
        while (index := take()) < len(tasks):
            try:
                results[index] = tasks[index]()
            except Exception:  # the caller runs it again, in order, and it raises there
                return
        with contextlib.suppress(EOFError, OSError):  # the worker ended without a word: its tasks run here
            delivered = receiving.recv()
    finally:
        if delivered is None:
            worker.kill()
        worker.join()
        receiving.close()
    for index, result in delivered or ():
        results[index] = result


def _work(tasks: Sequence[Task], take: Callable[[], int], sending: Connection) -> None:
    """The worker: run tasks until none is left or one raises, then send back what it ran."""
    done: list[tuple[int, bytes]] = []
    with contextlib.suppress(BaseException):  # the parent runs the task that raised again, and raises
        while (index := take()) < len(tasks):
            done.append((index, tasks[index]()))
    with contextlib.suppress(OSError):  # the parent stopped listening: it met an error of its own
        sending.send(done)
