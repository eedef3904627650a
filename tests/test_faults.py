"""Faults around the plan: git missing or corrupt, history rewritten under a running `mkdocs serve`,
plan files deleted or made unreadable mid-serve, a disk that refuses writes, interrupted builds.

Every fault is real: an empty PATH, bytes removed from .git, a file the server process may not read
(a root server first drops the capabilities that let root read anything), a file-size limit set on
the process by the kernel (RLIMIT_FSIZE: writes fail with EFBIG, portable and needing no mount or
root, unlike a small tmpfs), and builds killed by a signal in the middle of writing the site.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import resource
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.history_helpers import PlanRepo
from tests.site_helpers import CLOCK, ENV_QUIET, MKDOCS, article, mkdocs

SITE_CONFIG = "site_name: Faults\ntheme:\n  name: material\nplugins:\n  - search\n  - northstar\n"
PROBLEMS = "The plan has problems"


def site_repo(root: Path) -> PlanRepo:
    """The base plan in a git repository with a small MkDocs site around it, committed on 2026-11-24."""
    repo = PlanRepo(root)
    repo.add_site(SITE_CONFIG)
    repo.edit("people.yml", "people:\n", "# everyone who owns something\npeople:\n")
    repo.commit("Add the site", "2026-11-24")  # the plan is judged as of this day: Q4 is current
    return repo


def tree(folder: Path) -> dict[str, str]:
    """Relative path -> sha256 of every file under `folder`."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def text_of(site: Path, url: str) -> str:
    return article(site, url).get_text(" ", strip=True)


# --- a real `mkdocs serve` -----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


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
            env={**os.environ, **ENV_QUIET, **CLOCK},  # an edited plan is judged as of CLOCK's day
            preexec_fn=preexec,  # noqa: PLW1509 - only async-signal-safe calls (prctl, signal, setrlimit)
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
        self._log.flush()
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:  # pragma: no cover - only if the server hangs
            self.process.kill()
            self.process.wait(timeout=30)
        self._log.close()


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Callable[..., Served]]:
    started: list[Served] = []

    def start(project: Path, preexec: Callable[[], None] | None = None) -> Served:
        server = Served(project, tmp_path / f"serve-{len(started)}.log", preexec)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def visible(html: str) -> str:
    """The text of a served page's article."""
    found = BeautifulSoup(html, "html.parser").select_one("article")
    return found.get_text(" ", strip=True) if found is not None else ""


# --- git missing or corrupt ----------------------------------------------------------------------

NO_REPO = "the plan is not in a git repository with commits (or git is not installed)"


def test_build_without_git_succeeds_and_says_why_there_is_no_change_log(tmp_path: Path) -> None:
    repo = site_repo(tmp_path / "repo")
    empty = tmp_path / "no-git-here"
    empty.mkdir()
    done = mkdocs("build", cwd=repo.root, env={"PATH": str(empty)})
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert f"INFO    -  northstar: no change log: {NO_REPO}" in done.stderr.splitlines()
    site = repo.root / "site"
    assert text_of(site, "changes/").startswith(f"Change log No history to show: {NO_REPO} ")
    footer = article(site, "strategy/").select_one(".ns-footer").get_text(" ", strip=True)
    # without git the plan is judged as of "today": SOURCE_DATE_EPOCH's day, which `mkdocs` sets
    assert footer.endswith("Plan version: unversioned · as of 2026-11-24"), footer
    assert article(site, "teams/sales/").find(id="fill-pipeline") is not None  # the plan itself is all there


def _object_path(repo: PlanRepo, rev: str) -> Path:
    sha = repo.git("rev-parse", rev).strip()
    return repo.root / ".git" / "objects" / sha[:2] / sha[2:]


def _garbage_head(repo: PlanRepo) -> str:
    (repo.root / ".git" / "HEAD").write_text("garbage\n", encoding="utf-8")
    return f"No history to show: {NO_REPO}"


def _missing_blob(repo: PlanRepo) -> str:
    # The first commit's version: the history needs it, the working tree no longer has it.
    blob = repo.git("rev-parse", "HEAD~1:plan/people.yml").strip()
    _object_path(repo, blob).unlink()
    return f"No history to show: git could not read the history: blob {blob} is missing from the repository"


def _truncated_blob(repo: PlanRepo) -> str:
    blob = repo.git("rev-parse", "HEAD~1:plan/people.yml").strip()
    path = _object_path(repo, blob)
    path.chmod(0o644)
    path.write_bytes(path.read_bytes()[:7])
    return f"No history to show: git could not read the history: blob {blob} is missing from the repository"


def _empty_commit_object(repo: PlanRepo) -> str:
    sha = repo.git("rev-parse", "HEAD").strip()
    path = _object_path(repo, sha)
    path.chmod(0o644)
    path.write_bytes(b"")
    return f"No history to show: git could not read the history: error: object file .git/objects/{sha[:2]}/{sha[2:]}"


CORRUPTIONS = {
    "garbage-head": _garbage_head,
    "missing-blob": _missing_blob,
    "truncated-blob": _truncated_blob,
    "empty-commit-object": _empty_commit_object,
}


@pytest.mark.parametrize("corrupt", sorted(CORRUPTIONS))
def test_corrupt_repository_still_builds_and_explains_the_missing_change_log(corrupt: str, tmp_path: Path) -> None:
    repo = site_repo(tmp_path / "repo")
    expected = CORRUPTIONS[corrupt](repo)
    plan_before = tree(repo.plan)
    done = mkdocs("build", cwd=repo.root)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    changes = text_of(repo.root / "site", "changes/")
    assert changes.startswith(f"Change log {expected}"), changes
    assert str(tmp_path) not in changes
    assert article(repo.root / "site", "teams/sales/").find(id="fill-pipeline") is not None
    assert tree(repo.plan) == plan_before


# --- under a running `mkdocs serve` --------------------------------------------------------------


def test_force_push_between_rebuilds_shows_the_rewritten_history(serve: Callable[..., Served], tmp_path: Path) -> None:
    repo = site_repo(tmp_path / "repo")
    for n in (1, 2):
        repo.edit("execution/2026-q4/sales.yml", f"target: {39 + n}", f"target: {40 + n}")
        repo.commit(f"Old commit {n}", f"2026-10-0{n}")
    server = serve(repo.root)
    server.wait_for_text("changes/", "Old commit 1", "Old commit 2")

    remote = tmp_path / "remote"  # someone rewrites main and force-pushes; we fetch and reset, as CI does
    subprocess.run(["git", "clone", "-q", str(repo.root), str(remote)], check=True, capture_output=True)
    rewritten = PlanRepo.__new__(PlanRepo)
    rewritten.root, rewritten.plan = remote, remote / "plan"
    rewritten.git("reset", "-q", "--hard", "HEAD~2")
    rewritten.edit("execution/2026-q4/sales.yml", "current: 6", "current: 7")
    rewritten.commit("Rewritten commit 1", "2026-10-11")
    rewritten.edit("execution/2026-q4/sales.yml", "current: 7", "current: 9")
    rewritten.commit("Rewritten commit 2", "2026-10-12")
    repo.git("fetch", "-q", str(remote), "main")
    repo.git("reset", "-q", "--hard", "FETCH_HEAD")

    body = visible(server.wait_for_text("changes/", "Rewritten commit 2", absent=("Old commit",)))
    assert "Rewritten commit 1" in body and "Old commit 1" not in body and "Old commit 2" not in body
    sales = visible(server.wait_for_text("teams/sales/", "Fill the pipeline"))
    assert "0 → 9 → 15" in sales  # the pages follow the new HEAD too
    assert server.process.poll() is None


def test_plan_file_deleted_mid_serve_shows_the_problem_then_recovers(
    serve: Callable[..., Served], tmp_path: Path
) -> None:
    repo = site_repo(tmp_path / "repo")
    server = serve(repo.root)
    server.wait_for_text("teams/sales/", "Fill the pipeline")
    people = repo.plan / "people.yml"
    original = people.read_bytes()
    people.unlink()
    body = visible(server.wait_for_text("teams/sales/", PROBLEMS))
    assert "plan/people.yml:1:1 error NS113 missing people.yml; see the format reference" in body
    assert "Fill the pipeline" not in body
    people.write_bytes(original)
    server.wait_for_text("teams/sales/", "Fill the pipeline", absent=(PROBLEMS,))
    assert server.process.poll() is None
    assert "Traceback" not in server.log()


def _drop_read_anything() -> None:
    """In the child, before exec: a root server loses CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH (the
    capabilities that let root read any file), so a mode-000 file is unreadable to it as to anyone."""
    if os.geteuid() == 0:
        libc = ctypes.CDLL(None, use_errno=True)
        for capability in (1, 2):
            if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
                raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def test_plan_file_made_unreadable_mid_serve_shows_the_problem_then_recovers(
    serve: Callable[..., Served], tmp_path: Path
) -> None:
    repo = site_repo(tmp_path / "repo")
    server = serve(repo.root, preexec=_drop_read_anything)
    server.wait_for_text("teams/sales/", "Fill the pipeline")
    people = repo.plan / "people.yml"
    text = people.read_text(encoding="utf-8")
    replacement = repo.plan / ".people.yml.new"  # saved the way editors save: a new file renamed over the old
    replacement.write_text(text.replace("Ana Silva", "Ana Sousa"), encoding="utf-8")
    replacement.chmod(0)
    replacement.replace(people)
    body = visible(server.wait_for_text("teams/sales/", PROBLEMS))
    assert "plan/people.yml:1:1 error NS100 cannot read the file: Permission denied" in body
    people.chmod(0o644)
    os.utime(people)  # a save after fixing the permissions
    recovered = visible(server.wait_for_text("teams/sales/", "Ana Sousa", absent=(PROBLEMS,)))
    assert "Fill the pipeline" in recovered
    assert server.process.poll() is None


# --- a disk that refuses writes, interrupted builds ----------------------------------------------

FILE_LIMIT = 2048
"""Bytes: far below the size of any built page, so the first page written fails."""


def _ignore_sigxfsz() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit then fails with EFBIG


def _limit_file_size() -> None:
    _ignore_sigxfsz()
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_LIMIT, resource.RLIM_INFINITY))


def test_build_on_a_full_disk_fails_and_the_next_build_is_complete(tmp_path: Path) -> None:
    repo = site_repo(tmp_path / "repo")
    reference = site_repo(tmp_path / "reference")
    assert mkdocs("build", cwd=reference.root).returncode == 0
    plan_before = tree(repo.plan)
    full = mkdocs("build", cwd=repo.root, preexec_fn=_limit_file_size)
    assert full.returncode == 1
    output = full.stdout + full.stderr
    assert "northstar: could not write the site: File too large (site/" in output and "Traceback" not in output
    assert tree(repo.plan) == plan_before
    assert sorted(p.name for p in repo.root.iterdir()) == [".git", ".gitignore", "docs", "mkdocs.yml", "plan", "site"]
    again = mkdocs("build", cwd=repo.root)
    assert again.returncode == 0, again.stderr
    assert tree(repo.root / "site") == tree(reference.root / "site")


def test_serve_survives_a_full_disk_and_recovers(serve: Callable[..., Served], tmp_path: Path) -> None:
    repo = site_repo(tmp_path / "repo")
    server = serve(repo.root, preexec=_ignore_sigxfsz)
    server.wait_for_text("teams/sales/", "Fill the pipeline")
    sales = repo.plan / "execution" / "2026-q4" / "sales.yml"
    soft, hard = resource.prlimit(server.process.pid, resource.RLIMIT_FSIZE)
    resource.prlimit(server.process.pid, resource.RLIMIT_FSIZE, (FILE_LIMIT, hard))
    sales.write_text(sales.read_text(encoding="utf-8").replace("Fill the pipeline", "Fill it on a full disk"))
    server.wait_for_log("File too large", "An error happened during the rebuild")
    assert server.process.poll() is None
    resource.prlimit(server.process.pid, resource.RLIMIT_FSIZE, (soft, hard))
    sales.write_text(sales.read_text(encoding="utf-8").replace("Fill it on a full disk", "Fill it after all"))
    body = visible(server.wait_for_text("teams/sales/", "Fill it after all", absent=(PROBLEMS,)))
    assert "Fill it on a full disk" not in body


INTERRUPT_HOOK = """\
import os, signal

def on_post_page(output, page, config):
    if page.file.src_uri == os.environ.get("INTERRUPT_AT"):
        os.kill(os.getpid(), getattr(signal, os.environ["INTERRUPT_WITH"]))
    return output
"""
"""A MkDocs hook that signals its own build process as it is about to write one page, after the
pages before it have been written: a deterministic point in the middle of writing the site."""


def _signals_as_at_a_terminal() -> None:
    """A suite started in the background (`&`, `nohup`) hands its children SIGINT ignored: give the
    build SIGINT's default back, so it meets an interrupt as it would in a terminal."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize("how", ["SIGKILL", "SIGINT", "SIGTERM"])
def test_interrupted_build_leaves_the_plan_alone_and_the_next_build_is_complete(how: str, tmp_path: Path) -> None:
    repos = []
    for name in ("repo", "reference"):
        repo = site_repo(tmp_path / name)
        repo.write("../hooks/interrupt.py", INTERRUPT_HOOK)
        repo.write("../mkdocs.yml", SITE_CONFIG + "hooks:\n  - hooks/interrupt.py\n")
        repo.commit("Add a hook", "2026-07-02")
        repos.append(repo)
    repo, reference = repos
    assert mkdocs("build", cwd=reference.root).returncode == 0
    plan_before = tree(repo.plan)
    interrupted = mkdocs(
        "build",
        cwd=repo.root,
        env={"INTERRUPT_AT": "teams/sales.md", "INTERRUPT_WITH": how},
        preexec_fn=_signals_as_at_a_terminal,
    )
    assert interrupted.returncode != 0
    written = tree(repo.root / "site")
    assert "strategy/index.html" in written and "teams/sales/index.html" not in written  # stopped mid-way
    assert tree(repo.plan) == plan_before
    again = mkdocs("build", cwd=repo.root)
    assert again.returncode == 0, again.stderr
    assert tree(repo.root / "site") == tree(reference.root / "site")
