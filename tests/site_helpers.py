"""Helpers for tests that build real sites: copy a project, run mkdocs, read pages, check links."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from mkdocs_northstar.pdf import find_browser

from tests.conftest import ROOT

MKDOCS = Path(sys.executable).parent / "mkdocs"
ENV_QUIET = {"NO_MKDOCS_2_WARNING": "1"}


COMMIT_DATE = "2026-11-24T12:00:00+00:00"
"""Copies are committed on this date, so the plan is judged as of a fixed day, never the clock."""
CLOCK = {"SOURCE_DATE_EPOCH": str(int(datetime.fromisoformat(COMMIT_DATE).timestamp()))}
"""The same day for runs that judge an edited (uncommitted) plan: it stands in for the wall clock."""


def real_clock_environ() -> dict[str, str]:
    """This process's environment without faketime's variables, for a child that must see the real
    clock (a benchmark) or fakes its own (two faketimes would stack)."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("FAKETIME", "LD_PRELOAD", "DONT_FAKE"))}


def sigint_as_at_a_terminal() -> None:
    """For a child process, before exec: Ctrl+C's default back. A suite started in the background
    (`&`, `nohup`, as CI may start it) hands its children SIGINT ignored, and a child that is to be
    stopped by SIGINT would then never stop."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def git(*args: str, cwd: Path, when: str = COMMIT_DATE, stdin: str | None = None) -> str:
    """Run git in `cwd` as a fixed author at a fixed time; its standard output."""
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    done = subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", *args],
        cwd=cwd,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        input=stdin,
    )
    return done.stdout


def copy_project(dest: Path, plan: Path | None = None, *, commit: bool = True) -> Path:
    """The example project (mkdocs.yml, docs/, plan/) in `dest`, optionally with another plan,
    committed to a new git repository (so the plan has a version and a fixed as-of date)."""
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(ROOT / "docs", dest / "docs")
    shutil.copytree(plan or ROOT / "plan", dest / "plan")
    (dest / ".gitignore").write_text("site/\n", encoding="utf-8")
    if commit:
        git("init", "-q", "-b", "main", cwd=dest)
        git("add", ".", cwd=dest)
        git("commit", "-q", "-m", "plan", cwd=dest)
    return dest


def mkdocs(
    *args: str,
    cwd: Path,
    timeout: int = 180,
    env: Mapping[str, str] | None = None,
    preexec_fn: Callable[[], object] | None = None,
    bin_dir: Path = MKDOCS.parent,
) -> subprocess.CompletedProcess[str]:
    """The real `mkdocs ARGS`, quiet and reproducible; `env` adds to its environment, `preexec_fn`
    runs in the child first (to set a resource limit, say), `bin_dir` holds another environment's."""
    return subprocess.run(
        [str(bin_dir / "mkdocs"), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
        env={**os.environ, **ENV_QUIET, **CLOCK, **(env or {})},
        preexec_fn=preexec_fn,
    )


def northstar(
    *args: str,
    cwd: Path,
    bin_dir: Path = MKDOCS.parent,
    preexec_fn: Callable[[], object] | None = None,
) -> subprocess.CompletedProcess[str]:
    """The real `northstar ARGS`; an uncommitted plan is judged as of CLOCK's day, never the wall clock's."""
    return subprocess.run(
        [str(bin_dir / "northstar"), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        env={**os.environ, **CLOCK},
        preexec_fn=preexec_fn,
    )


def page(site: Path, url: str) -> BeautifulSoup:
    """The parsed page served at `url` (relative to the site root)."""
    path = site / url
    if url.endswith("/") or url == "":
        path = path / "index.html"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def article(site: Path, url: str) -> BeautifulSoup:
    found = page(site, url).select_one("article") or page(site, url).select_one("[role=main]")
    assert found is not None, url
    return found  # type: ignore[return-value]


def tree(folder: Path) -> dict[str, str]:
    """Relative path -> sha256 of every file under `folder`."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def text_of(site: Path, url: str) -> str:
    return article(site, url).get_text(" ", strip=True)


def broken_links(site: Path) -> list[str]:
    """Every internal link (href) in the site whose file or anchor does not exist.

    404.html is skipped: its links are root-absolute by design, to work at any depth.
    """
    site = site.resolve()
    ids: dict[Path, set[str]] = {}
    soups: dict[Path, BeautifulSoup] = {}
    for html in site.rglob("*.html"):
        if html.name == "404.html":
            continue
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        soups[html] = soup
        ids[html] = {str(t["id"]) for t in soup.find_all(id=True)}
    broken = []
    for html, soup in soups.items():
        for a in soup.find_all("a", href=True):
            href = str(a["href"])
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or href.startswith(("mailto:", "javascript:")):
                continue
            target = html if not parts.path else (html.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            if target.suffix == "" and (target / "index.html").exists():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{html.relative_to(site)}: {href} (no file)")
            elif parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in ids.get(target, set()):
                broken.append(f"{html.relative_to(site)}: {href} (no anchor)")
    return broken


def require_browser(*tools: str) -> None:
    """Skip the calling test module when Chromium (or another tool) is missing, except in CI,
    where .ci/run installs them and a missing one must fail the run instead."""
    missing = [name for name in tools if shutil.which(name) is None]
    if find_browser() is None:
        missing.insert(0, "Chromium")
    if missing and not os.environ.get("CI"):
        pytest.skip(f"{', '.join(missing)} not installed (CI installs them)", allow_module_level=True)
