"""A real `mkdocs serve` on 127.0.0.1 for the tests, and the small site around the base plan it serves."""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from functools import partial
from pathlib import Path

from bs4 import BeautifulSoup

from tests.history_helpers import PlanRepo
from tests.site_helpers import CLOCK, ENV_QUIET, MKDOCS, sigint_as_at_a_terminal

SITE_CONFIG = "site_name: Faults\ntheme:\n  name: material\nplugins:\n  - search\n  - northstar\n"
PROBLEMS = "The plan has problems"


def site_repo(root: Path) -> PlanRepo:
    """The base plan in a git repository with a small MkDocs site around it, committed on 2026-11-24."""
    repo = PlanRepo(root)
    repo.add_site(SITE_CONFIG)
    repo.edit("people.yml", "people:\n", "# everyone who owns something\npeople:\n")
    repo.commit("Add the site", "2026-11-24")  # the plan is judged as of this day: Q4 is current
    return repo


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


REAL_MONOTONIC = {"DONT_FAKE_MONOTONIC": "1"}
"""When the suite runs under faketime (to prove no test reads the date), the server keeps a real
monotonic clock: its file watcher waits on it, and a faked one leaves those waits hanging."""


class Served:
    """`mkdocs serve` on 127.0.0.1 for `project`, its output in `log`."""

    def __init__(self, project: Path, log: Path, preexec: Callable[[], None] | None = None) -> None:
        self.port = free_port()
        self.log_path = log
        self._log = log.open("w", encoding="utf-8")
        self.process = subprocess.Popen(
            [str(MKDOCS), "serve", "--dev-addr", f"127.0.0.1:{self.port}"],
            cwd=project,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, **ENV_QUIET, **CLOCK, **REAL_MONOTONIC},  # an edited plan: judged as of CLOCK's day
            preexec_fn=partial(_in_child, preexec),  # noqa: PLW1509 - only async-signal-safe calls (prctl, signal, setrlimit)
        )

    def get(self, path: str) -> tuple[int, str]:
        url = f"http://127.0.0.1:{self.port}/{path}"
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8", "replace")
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return 0, ""

    def wait_for(self, path: str, ready: Callable[[int, str], bool], timeout: float = 60) -> str:
        """Poll `path` until `ready(status, body)`; fail (with the server log) if it never is."""
        deadline = time.monotonic() + timeout
        status, body = 0, ""
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log()
            status, body = self.get(path)
            if ready(status, body):
                return body
            time.sleep(0.1)
        raise AssertionError(f"{path} never became ready (last status {status})\n{self.log()[-3000:]}")

    def wait_for_text(self, path: str, *present: str, absent: tuple[str, ...] = (), timeout: float = 60) -> str:
        """Poll `path` until its page holds every `present` text and none of `absent`."""
        return self.wait_for(
            path,
            lambda s, body: s == 200 and all(t in body for t in present) and not any(t in body for t in absent),
            timeout,
        )

    def wait_for_log(self, *texts: str, timeout: float = 60) -> None:
        """Wait until the server's output holds every one of `texts`, without asking it for a page."""
        deadline = time.monotonic() + timeout
        while not all(t in self.log() for t in texts):
            assert self.process.poll() is None, self.log()
            assert time.monotonic() < deadline, f"never logged {texts}\n{self.log()[-3000:]}"
            time.sleep(0.1)

    def log(self) -> str:
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        """Stop the server as Ctrl+C does, so that it cleans up after itself."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:  # pragma: no cover - only if the server hangs
            self.process.kill()
            self.process.wait(timeout=30)
        if not self._log.closed:
            self._log.close()


def _in_child(preexec: Callable[[], None] | None) -> None:
    """In the child, before exec: Ctrl+C works again (else `stop` would wait for nothing), then the
    caller's own `preexec`."""
    sigint_as_at_a_terminal()
    if preexec is not None:
        preexec()


def visible(html: str) -> str:
    """The text of a served page's article."""
    found = BeautifulSoup(html, "html.parser").select_one("article")
    return found.get_text(" ", strip=True) if found is not None else ""


def drop_read_anything() -> None:
    """In the child, before exec: a root server loses CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH (the
    capabilities that let root read any file), so a mode-000 file is unreadable to it as to anyone."""
    if os.geteuid() == 0:
        libc = ctypes.CDLL(None, use_errno=True)
        for capability in (1, 2):
            if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
                raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")
