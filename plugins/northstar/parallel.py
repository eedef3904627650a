"""Independent tasks worked out ahead by a forked worker, while this process gets on with its own work.

Rendering the pages of a thousand teams and exporting the plan are two seconds of pure Python on
one core. MkDocs needs each page only when it reaches it, and its own work on the pages takes far
longer, on that same core, while the others idle. `Results` forks one worker where that is safe
and can help: the system forks (not Windows; not macOS, where a forked child can crash in system
libraries the parent had started to use), no other thread runs (a child forked beside threads can
wait forever on a lock one of them held), and this process may use a second core. Fork gives the
worker the tasks as they are: nothing is sent to it. It runs them in order and sends the results
back in batches; a thread here receives them as they come, so the worker never waits for this
process, and each result is in, or soon is, when it is asked for.

A result is the same bytes wherever it was worked out. Whatever goes wrong in the worker (a task
raises, the worker is killed, it cannot start), a result it did not deliver is worked out here
when it is asked for, so a task's error is raised here exactly as in one process. Without a
worker every task runs here, in order, before `Results` returns.

Once every result is in, the tasks (and all they refer to: the plan, for pages) are let go, and
what was asked for with `when_done` runs.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported when a worker is started: a small build never needs them
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

Task = Callable[[], bytes]

MINIMUM = 32
"""Fewer tasks than this run in this process: starting a worker costs more than they take."""

BATCH = 512 * 1024
"""The worker sends results once it has about this many bytes of them, and after the last task."""

_PIPE_SIZE = 1024 * 1024
"""What the pipe may hold (where the system lets it be set): a batch or two in flight."""


class Results:
    """Each task's result, taken once, by index; a forked worker may be working them out ahead (see the module)."""

    def __init__(self, tasks: Sequence[Task], *, parallel: bool = True, minimum: int = MINIMUM) -> None:
        self._tasks: Sequence[Task] | None = tasks
        self._results: list[bytes | None] = [None] * len(tasks)
        """Results in and not yet taken."""
        self._taken = [False] * len(tasks)
        self._missing = len(tasks)
        """How many results are not in yet."""
        self._done: list[Callable[[], None]] = []
        self._arrived = threading.Condition()
        self._receiving = False
        """True while the worker may still deliver results."""
        self._process: BaseProcess | None = None
        self._reader: threading.Thread | None = None
        if not (parallel and len(tasks) >= minimum and _may_fork() and self._start(tasks)):
            for index, task in enumerate(tasks):
                self._results[index] = task()
                self._missing -= 1
            self._finish()

    def __len__(self) -> int:
        return len(self._results)

    def take(self, index: int) -> bytes:
        """The result of task `index`, which is let go here: it waits for the worker to deliver it,
        or is worked out now, raising the task's error if it fails.

        Raises:
            LookupError: it was taken before.
        """
        if self._taken[index]:
            raise LookupError(f"result {index} was taken already")
        result = self._results[index]
        if result is None:
            with self._arrived:
                while self._receiving and self._results[index] is None:
                    self._arrived.wait()
                result = self._results[index]
            if result is None:  # the worker ended without it
                assert self._tasks is not None  # noqa: S101 - tasks are let go only once every result is in
                result = self._tasks[index]()
                self._missing -= 1
        self._results[index] = None
        self._taken[index] = True
        if self._tasks is not None and self._missing == 0:
            self._finish()
        return result

    def getter(self, index: int) -> Callable[[], bytes]:
        """What takes the result of task `index` when called."""
        return partial(self.take, index)

    @property
    def done(self) -> bool:
        """Every result is in, and the tasks are let go."""
        return self._tasks is None

    def when_done(self, action: Callable[[], None]) -> None:
        """Run `action` once every result is in and the tasks are let go: now, if they are."""
        if self._tasks is None:
            action()
        else:
            self._done.append(action)

    def close(self) -> None:
        """Stop the worker, if one runs (the build it served failed): the results it owes are worked out here."""
        if self._process is not None:
            self._process.kill()
            self._stop()

    def _finish(self) -> None:
        self._stop()
        self._tasks = None
        done, self._done = self._done, []
        for action in done:
            action()

    def _stop(self) -> None:
        """Wait for the worker and the thread receiving from it to end (the worker ends after its last batch)."""
        if self._process is not None:
            self._process.join()
            self._process = None
        if self._reader is not None:
            self._reader.join()
            self._reader = None

    def _start(self, tasks: Sequence[Task]) -> bool:
        """Fork a worker for the tasks, and a thread receiving its results; False when none could start."""
        import multiprocessing  # noqa: PLC0415 - only a big build on a system with fork needs it

        context = multiprocessing.get_context("fork")
        if context.current_process().daemon:
            return False  # a daemonic process (a pool's worker) may not start one of its own
        try:
            receiving, sending = context.Pipe(duplex=False)
        except OSError:  # no pipe to be had (out of file descriptors): run alone
            return False
        _enlarge(sending)
        process = context.Process(target=_work, args=(tasks, sending), daemon=True)
        try:
            process.start()
        except OSError:  # no process could be made (a limit on processes): run alone
            receiving.close()
            return False
        finally:
            sending.close()  # the worker has its own copy, so the pipe ends when the worker does
        self._process, self._receiving = process, True
        self._reader = threading.Thread(target=self._receive, args=(receiving,), name="northstar-results", daemon=True)
        self._reader.start()
        return True

    def _receive(self, receiving: Connection) -> None:
        """The thread: take in each batch as it comes, until the worker ends."""
        try:
            while True:
                try:
                    batch: list[tuple[int, bytes]] = receiving.recv()
                except (EOFError, OSError):  # the worker ended (all sent, or failed or killed)
                    return
                with self._arrived:
                    for index, result in batch:
                        self._results[index] = result
                    self._missing -= len(batch)
                    self._arrived.notify_all()
        finally:
            receiving.close()
            with self._arrived:
                self._receiving = False
                self._arrived.notify_all()


def _may_fork() -> bool:
    """Fork is safe here, no other thread runs, and this process may use a second core."""
    if not hasattr(os, "fork") or sys.platform == "darwin" or threading.active_count() > 1:
        return False
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return cores > 1


def _enlarge(sending: Connection) -> None:
    """Let the pipe hold a batch or two, where the system can: fewer, larger reads for the receiving thread."""
    with contextlib.suppress(ImportError, AttributeError, OSError):
        import fcntl  # noqa: PLC0415 - not on every system

        fcntl.fcntl(sending.fileno(), fcntl.F_SETPIPE_SZ, _PIPE_SIZE)


def _work(tasks: Sequence[Task], sending: Connection) -> None:
    """The worker: run the tasks in order, sending results in batches, until all ran or one raises."""
    batch: list[tuple[int, bytes]] = []
    size = 0
    with contextlib.suppress(BaseException):  # a task that raised is run again by the parent, which raises
        for index, task in enumerate(tasks):
            result = task()
            batch.append((index, result))
            size += len(result)
            if size >= BATCH:
                sending.send(batch)
                batch, size = [], 0
    with contextlib.suppress(OSError):  # the parent stopped listening: its build ended
        if batch:
            sending.send(batch)
