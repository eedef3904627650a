"""The checks reference documents every code, with the registry's own rationale."""

from __future__ import annotations

import re

import pytest
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
