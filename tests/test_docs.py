"""The docs say what the code does: every check code with its rationale, every label with its words."""

from __future__ import annotations

import re

import pytest
from mkdocs_northstar.pages.labels import LABELS
from mkdocs_northstar.problems import CODES

from tests.conftest import ROOT

CHECKS = (ROOT / "docs" / "reference" / "checks.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("code", sorted(CODES))
def test_every_code_is_documented(code: str) -> None:
    entry = CODES[code]
    heading = f"### {code} {entry.name}\n"
    assert heading in CHECKS
    section = CHECKS.split(heading, 1)[1].split("\n### ", 1)[0]
    assert f"> {entry.rationale}" in section
    severity = f"**Severity:** {entry.severity}"
    assert severity in section
    assert ("configurable" in section.split("\n", 3)[1]) == entry.configurable or not entry.configurable


def test_no_undocumented_headings() -> None:
    documented = set(re.findall(r"^### (NS\d{3}) ", CHECKS, flags=re.M))
    assert documented == set(CODES)


def test_every_label_is_documented_with_its_default() -> None:
    """The configuration guide lists every label a site can override, with its English words."""
    guide = (ROOT / "docs" / "guide" / "configuration.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `([a-z_-]+)` \| (.*?) \| [^|]+ \|$", guide, flags=re.MULTILINE))
    assert len(rows) >= len(LABELS)
    missing = [key for key in LABELS if rows.get(key, "").replace("&#124;", "|") != LABELS[key]]
    assert not missing
