"""Real headless Chromium: the screenshot script renders the example's plan pages."""

from __future__ import annotations

import struct
import subprocess
import sys
from pathlib import Path

import pytest
from mkdocs_northstar.pdf import find_browser

from tests.conftest import ROOT
from tests.site_helpers import copy_project, mkdocs, require_browser

pytestmark = pytest.mark.browser

require_browser("pdftoppm")


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", path
    width, height = struct.unpack(">II", header[16:24])
    return int(width), int(height)


def test_screenshots_of_the_plan_pages(tmp_path: Path) -> None:
    assert find_browser() is not None, "CI must install Chromium (see .ci/run)"
    project = copy_project(tmp_path)
    assert mkdocs("build", "--strict", cwd=project).returncode == 0
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "screenshots.py"), "--site", "site", "--out", "shots"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    names = ["strategy", "team", "alignment", "changes", "one-page-plan", "team-phone", "alignment-dark"]
    names += ["review-week", "review-week-phone", "review-quarter-dark"]
    assert done.stdout.split() == [f"shots/{name}.png" for name in [*names, "one-page-plan-print"]]
    width, height = _png_size(project / "shots" / "one-page-plan-print.png")
    assert (1400 <= width <= 1406, 990 <= height <= 995) == (True, True)  # A4 landscape at 120 dpi
    from scripts.screenshots import SHOTS  # noqa: PLC0415 - the script is what is tested

    for name in names:
        shot = project / "shots" / f"{name}.png"
        assert _png_size(shot) == SHOTS[name][1:3]
        assert shot.stat().st_size > 30_000, f"{name}.png looks blank"
