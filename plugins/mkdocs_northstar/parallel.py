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

This process lets go of the tasks as soon as the worker has them, so what they refer to (the
plan, for pages) is freed here before MkDocs fills the memory it leaves. Without a worker, every
task runs here, in order, before `Results` returns, and a task's error is raised there. A task
that raises in the worker ends its work: its error is sent back and raised here, its traceback
added as a note, when that result (or any later one) is taken. A worker that ends without a word
(killed) leaves a `WorkerError` for the results it owed. Either way the build stops with that
error, as it would in one process; the results the worker delivered are the same bytes that one
process gives.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sys
import threading
import traceback
from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported when a worker is started: a small build never needs them
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

Task = Callable[[], bytes]
Batch = tuple[list[tuple[int, bytes]], tuple[int, BaseException] | None]
"""What the worker sends: (index, result) pairs, and the task that failed with its error, if one did."""

MINIMUM = 32
"""Fewer tasks than this run in this process: starting a worker costs more than they take."""

BATCH = 512 * 1024
"""The worker sends results once it has about this many bytes of them, and after the last task."""

_PIPE_SIZE = 1024 * 1024
"""What the pipe may hold (where the system lets it be set): a batch or two in flight."""


class WorkerError(RuntimeError):
    """The worker ended before it delivered a result (it was killed, or its error could not be sent)."""


class Results:
    """Each task's result, taken once, by index; a forked worker may be working them out ahead (see the module)."""

    def __init__(self, tasks: Sequence[Task], *, parallel: bool = True, minimum: int = MINIMUM) -> None:
        self._results: list[bytes | None] = [None] * len(tasks)
        """Results in and not yet taken."""
        self._taken = [False] * len(tasks)
        self._failure: tuple[int, BaseException] | None = None
        self._due = 0
        """How many results the worker has still to deliver."""
        self._arrived = threading.Condition()
        self._receiving = False
        """True while the worker may still deliver results."""
        self._process: BaseProcess | None = None
        self._reader: threading.Thread | None = None
        self._exit_code: int | None = None
        self.ahead = False
        """A worker was started: results come from it, and taking one may wait for it, or raise its error."""
        if not (parallel and len(tasks) >= minimum and _may_fork() and self._start(tasks)):
            for index, task in enumerate(tasks):
                self._results[index] = task()

    def __len__(self) -> int:
        return len(self._results)

    def _pending(self) -> bool:
        """The worker is still to deliver results."""
        return self._receiving and self._due > 0 and self._failure is None

    def take(self, index: int) -> bytes:
        """The result of task `index`, which is let go here; it waits for the worker to deliver it.

        Raises:
            LookupError: it was taken before.
            WorkerError: the worker ended without it.
            BaseException: the error of the task that failed in the worker, at it or before it.
        """
        if self._taken[index]:
            raise LookupError(f"result {index} was taken already")
        result = self._results[index]
        if result is None:
            with self._arrived:
                while self._receiving and self._results[index] is None and not self._failed_by(index):
                    self._arrived.wait()
                result = self._results[index]
            if result is None:
                self._stop()
                if self._failure is not None and self._failed_by(index):
                    raise self._failure[1]
                raise WorkerError(
                    f"the process rendering ahead ended (exit code {self._exit_code}) before result {index}; "
                    "build again, or set `parallel: false` to render in one process"
                )
        self._results[index] = None
        self._taken[index] = True
        if self._process is not None and not self._pending():
            self._stop()  # everything is in: the worker is ending
        return result

    def getter(self, index: int) -> Callable[[], bytes]:
        """What takes the result of task `index` when called."""
        return partial(self.take, index)

    def close(self) -> None:
        """Stop the worker, if one runs (the build it served failed)."""
        if self._process is not None:
            self._process.kill()
            self._stop()

    def _failed_by(self, index: int) -> bool:
        return self._failure is not None and self._failure[0] <= index

    def _stop(self) -> None:
        """Wait for the worker and the thread receiving from it to end."""
        if self._process is not None:
            self._process.join()
            self._exit_code = self._process.exitcode
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
            process.start()  # it lets go of the tasks here: only the worker has them now
        except OSError:  # no process could be made (a limit on processes): run alone
            receiving.close()
            return False
        finally:
            sending.close()  # the worker has its own copy, so the pipe ends when the worker does
        self._process, self._receiving, self._due, self.ahead = process, True, len(tasks), True
        self._reader = threading.Thread(target=self._receive, args=(receiving,), name="northstar-results", daemon=True)
        self._reader.start()
        return True

    def _receive(self, receiving: Connection) -> None:
        """The thread: take in each batch as it comes, until the worker ends."""
        try:
            while True:
                try:
                    batch: Batch = receiving.recv()
                except (EOFError, OSError):  # the worker ended: all sent, or it failed
                    return
                except Exception as exc:  # it came, but cannot be made again here (an error's own pickling)
                    batch = ([], (0, WorkerError(f"a batch from the process rendering ahead could not be read: {exc}")))
                results, failure = batch
                with self._arrived:
                    for index, result in results:
                        self._results[index] = result
                    self._due -= len(results)
                    self._failure = failure or self._failure
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
    """The worker: run the tasks in order, sending results in batches, until all ran or one raised."""
    batch: list[tuple[int, bytes]] = []
    size = 0
    failure: tuple[int, BaseException] | None = None
    with contextlib.suppress(OSError):  # the parent stopped listening: its build ended
        for index, task in enumerate(tasks):
            try:
                result = task()
            except BaseException as exc:  # sent back, to be raised where its result is taken
                exc.add_note(f"raised in the process rendering ahead:\n{traceback.format_exc().rstrip()}")
                failure = (index, exc)
                break
            batch.append((index, result))
            size += len(result)
            if size >= BATCH:
                sending.send((batch, None))
                batch, size = [], 0
        try:
            sending.send((batch, failure))
        except (pickle.PicklingError, TypeError, AttributeError):  # an error that cannot be sent: say what it was
            lost = WorkerError(f"a task failed with an error that could not be sent back: {failure}")
            sending.send((batch, (failure[0] if failure else len(tasks), lost)))
