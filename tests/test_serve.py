"""A real `mkdocs serve` on 127.0.0.1: an invalid edit shows the problems, the next valid save recovers."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.site_helpers import ENV_QUIET, MKDOCS, copy_project


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, ""
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, ""


def _wait_for(url: str, ready: Callable[[int, str], bool], timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    status, body = 0, ""
    while time.monotonic() < deadline:
        status, body = _get(url)
        if ready(status, body):
            return body
        time.sleep(0.25)
    raise AssertionError(f"{url} not ready after {timeout}s (last status {status})")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str, subprocess.Popen[str]]]:
    project = copy_project(tmp_path)
    port = _free_port()
    log = (tmp_path / "serve.log").open("w", encoding="utf-8")
    process = subprocess.Popen(
        [str(MKDOCS), "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, **ENV_QUIET},
    )
    try:
        yield project, f"http://127.0.0.1:{port}/", process
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def test_invalid_edit_shows_problems_then_recovers(served: tuple[Path, str, subprocess.Popen[str]]) -> None:
    project, base, process = served
    url = base + "teams/sales/"
    body = _wait_for(url, lambda status, _: status == 200)
    assert "Build a mid-market pipeline we can forecast" in body

    sales = project / "plan" / "execution" / "2026-q4" / "sales.yml"
    original = sales.read_text(encoding="utf-8")
    sales.write_text(original.replace("owner: ", "ownr: ", 1).replace("baseline: ", "baseline: [", 1), encoding="utf-8")
    broken = _wait_for(url, lambda status, text: status == 200 and "The plan has problems" in text)
    assert "plan/execution/2026-q4/sales.yml:" in broken
    assert "NS101" in broken or "NS110" in broken
    assert "Build a mid-market pipeline we can forecast" not in broken
    assert process.poll() is None, "the server must survive an invalid plan"

    sales.write_text(
        original.replace("Build a mid-market pipeline we can forecast", "Build a pipeline we forecast"),
        encoding="utf-8",
    )
    recovered = _wait_for(url, lambda status, text: status == 200 and "Build a pipeline we forecast" in text)
    assert "The plan has problems" not in recovered
    assert process.poll() is None
