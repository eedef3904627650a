"""The alignment diagram: a tree of work under each strategic item, bounded whatever the supports."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml
from bs4 import BeautifulSoup
from mkdocs_northstar.build import Builder, Settings

from tests.conftest import AS_OF, CASES


def _alignment(plan: Path) -> BeautifulSoup:
    built = Builder(plan).build(Settings(pages=("strategy", "teams", "alignment"), as_of=AS_OF))
    assert built.site is not None, built.report.errors[:3]
    page = next(p for p in built.site.pages if p.path.startswith("alignment"))
    return BeautifulSoup(page.content.decode(), "html.parser")


def test_everything_supporting_everything_stays_as_large_as_its_supports(tmp_path: Path) -> None:
    """Five levels of six objectives, each supporting all six above it: 6^5 paths, but each item is
    expanded once per tree and named again where it serves a second parent."""
    plan = tmp_path / "plan"
    shutil.copytree(CASES / "_base", plan)
    levels, width = 5, 6
    objectives = []
    for level in range(levels):
        for n in range(width):
            above = [f"l{level - 1}-o{m}" for m in range(width)] if level else ["manitoba-makers"]
            objectives.append(
                {
                    "id": f"l{level}-o{n}",
                    "title": f"Objective {n} of level {level}",
                    "supports": above,
                    "key_results": [
                        {"id": f"l{level}-o{n}-k", "title": "K", "owner": "ana", "baseline": 0, "target": 1}
                    ],
                }
            )
    work = {"team": "sales", "period": "2026-q4", "objectives": objectives}
    (plan / "execution" / "2026-q4" / "sales.yml").write_text(yaml.safe_dump(work), encoding="utf-8")
    page = _alignment(plan)
    tree = page.find(id="manitoba-makers").find_next("details")
    items = [li for li in tree.select("li.ns-objective") if "Objective" in li.a.get_text()]
    supports = width + (levels - 1) * width * width  # one item shown per support named
    assert len(items) == supports
    assert len([li for li in items if "shown above" in li.span.get_text()]) == supports - levels * width
    assert tree.get("open") is None  # too large to start open
    assert tree.summary.get_text().endswith(" items from 2 teams")  # sales, and the leadership's own objective
