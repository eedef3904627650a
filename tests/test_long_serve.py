"""A long `mkdocs serve` session: 50 edits of the plan files, valid and invalid mixed, each one
checked over HTTP until the page shows exactly that edit; memory measured from /proc.

Every edit carries its own number, so a page showing an older edit (stale content) never matches.
An invalid edit must show the problems page with the exact file:line:col problems, escaped; the
next valid edit must bring the plan back. The server's resident memory (VmRSS) after a warm-up and
at the end must stay within a bound (see MEMORY_GROWTH_LIMIT).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.conftest import CASES
from tests.serve_helpers import PROBLEMS, Served, site_repo

pytestmark = pytest.mark.serve

EDITS = 50
WARM_UP = 15
MEMORY_GROWTH_LIMIT = 25 * 1024 * 1024
"""Bytes of VmRSS growth allowed from edit WARM_UP to the last edit. A healthy server stays within a
few MB (allocator noise); keeping one rendered site (~1 MB of page sources and parsed plan) per
rebuild would add ~35 MB over these 35 edits, more than the bound."""

BASE = CASES / "_base"
SALES = "execution/2026-q4/sales.yml"


def _valid_files(objective: int, team: int, person: int) -> dict[str, str]:
    """The base plan with three numbered markers, each in a different file."""
    sales = (BASE / SALES).read_text(encoding="utf-8").replace("Fill the pipeline", f"Pipeline edit {objective:03d}")
    teams = (BASE / "teams.yml").read_text(encoding="utf-8").replace("name: Sales", f"name: Sales edit {team:03d}")
    people = (BASE / "people.yml").read_text(encoding="utf-8").replace("Ana Silva", f"Ana Silva edit {person:03d}")
    return {SALES: sales, "teams.yml": teams, "people.yml": people}


def _invalid(n: int, files: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """Edit `n` breaks one file in one of five ways, each marked with `n` (in a name or a position,
    so no two edits of one kind show the same problem); returns the files and the exact problems."""
    files = dict(files)
    sales = files[SALES]
    objective = "    key_results:\n      - id: meetings"
    kind = (n // 3) % 5
    if kind == 0:  # a misspelt key
        files[SALES] = sales.replace(objective, f"    ownr{n:03d}: ana\n{objective}")
        message = f"objective 'fill-pipeline': unknown key 'ownr{n:03d}' (did you mean 'owner'?)"
        return files, [f"plan/{SALES}:7:5 error NS110 {message}"]
    if kind == 1:  # a dangling reference
        files[SALES] = sales.replace("supports: [win-makers]", f"supports: [win-makers-{n:03d}]")
        message = (
            f"unknown strategic choice, goal, objective or key result 'win-makers-{n:03d}' (did you mean 'win-makers'?)"
        )
        return files, [f"plan/{SALES}:6:16 error NS202 {message}"]
    if kind == 2:  # a syntax error, n % 40 comment lines down
        files["people.yml"] += "#\n" * (n % 40) + "  - [unclosed\n"
        line = 8 + n % 40
        message = (
            f"YAML syntax: did not find expected ',' or ']' (while parsing a flow sequence started at line {line})"
        )
        return files, [f"plan/people.yml:{line + 1}:1 error NS101 {message}"]
    if kind == 3:  # a NUL byte, n % 40 columns along
        files["teams.yml"] += "    mission: " + "x" * (n % 40) + "\x00\n"
        message = "control character U+0000 is not allowed; plan files are plain text"
        return files, [f"plan/teams.yml:9:{14 + n % 40} error NS100 {message}"]
    key = f"[k{n:03d}](javascript:alert({n}))"  # a key that would be a script link if rendered as Markdown
    files[SALES] = sales.replace(objective, f"    '{key}': 1\n{objective}")
    return files, [f"plan/{SALES}:7:5 error NS110 objective 'fill-pipeline': unknown key '{key}'"]


def _write(plan: Path, files: dict[str, str]) -> None:
    for rel, content in files.items():
        path = plan / rel
        if path.read_text(encoding="utf-8", errors="replace") != content:
            path.write_text(content, encoding="utf-8")


def _rss(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    found = re.search(r"^VmRSS:\s+(\d+) kB$", status, flags=re.M)
    assert found is not None, status
    return int(found.group(1)) * 1024


def _problems_shown(body: str) -> list[str] | None:
    """The problems listed on a served problems page, one line each; None on a normal page."""
    box = BeautifulSoup(body, "html.parser").select_one("div.ns-problems")
    if box is None:
        return None
    assert not box.select("a[href]"), "plan text in a problem became a link"
    return [" ".join(li.get_text(" ", strip=True).split()) for li in box.select("li")]


def test_fifty_edits_under_serve(serve: Callable[..., Served], tmp_path: Path) -> None:
    repo = site_repo(tmp_path / "repo")
    markers = {"objective": 0, "team": 0, "person": 0}
    _write(repo.plan, _valid_files(**markers))
    server = serve(repo.root)
    server.wait_for_text("teams/sales/", "Pipeline edit 000")
    warm = 0
    for n in range(1, EDITS + 1):
        if n % 3 == 0:  # every third edit is invalid: the page must list exactly its problems
            files, expected = _invalid(n, _valid_files(**markers))
            _write(repo.plan, files)
            server.wait_for(
                "teams/sales/", lambda status, body, e=expected: status == 200 and _problems_shown(body) == e
            )
        else:  # a valid edit renumbers one marker, in one of three files in turn
            markers[("objective", "team", "person")[(n // 3) % 3]] = n
            _write(repo.plan, _valid_files(**markers))
            wanted = {f"{number:03d}" for number in markers.values()}
            body = server.wait_for(
                "teams/sales/",
                lambda status, body, w=wanted: status == 200 and set(re.findall(r"edit (\d{3})", body)) == w,
            )
            assert PROBLEMS not in body
        assert server.process.poll() is None
        if n == WARM_UP:
            warm = _rss(server.process.pid)
    grown = _rss(server.process.pid) - warm
    print(f"mkdocs serve VmRSS grew {grown / 1024 / 1024:.1f} MB from edit {WARM_UP} to edit {EDITS}")
    assert grown < MEMORY_GROWTH_LIMIT
    assert "Traceback" not in server.log()
