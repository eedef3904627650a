"""No test reads today's date: the tests that judge a plan as of "today" pass again years from now.

Those tests are marked `clock`. Here they run once more, in a pytest of their own under faketime,
on a day past every date in the example and the golden cases. The whole suite passes there too
(run `nohup faketime '2028-01-15 12:00:00' .venv/bin/python -m pytest &` to see it); this keeps
the part most likely to break proven in every run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT
from tests.site_helpers import real_clock_environ

FAKETIME = shutil.which("faketime")
ANOTHER_DAY = "2028-01-15 12:00:00"


def test_the_tests_that_judge_as_of_today_pass_on_another_day() -> None:
    assert FAKETIME or not os.environ.get("CI"), "faketime is missing; .ci/run installs it"
    if FAKETIME is None:
        pytest.skip("faketime is not installed (CI installs it)")
    marked = sorted(p.name for p in (ROOT / "tests").glob("test_*.py") if "@pytest.mark.clock" in p.read_text())
    assert len(marked) >= 5
    pytest_args = ["-m", "pytest", "-q", "-n", "0", "-p", "no:cacheprovider", "-m", "clock"]
    pytest_args += [f"tests/{name}" for name in marked]  # only these modules: collecting the rest costs a minute
    done = subprocess.run(
        [FAKETIME, ANOTHER_DAY, sys.executable, *pytest_args],
        cwd=ROOT,
        env=real_clock_environ(),
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-5000:] + done.stderr[-2000:]
    summary = done.stdout.strip().splitlines()[-1]
    ran = re.match(r"(\d+) passed, (\d+) deselected in ", summary)
    assert ran is not None, summary
    assert int(ran.group(1)) >= 12, summary  # the marked tests ran, and none was skipped or failed
