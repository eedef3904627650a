"""The serve banner: the plan's warnings and notices under every page's title, bounded in size."""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil
from pathlib import Path

from mkdocs_northstar.build import BANNER_LIMIT, Builder, Settings

from tests.conftest import ROOT


def test_the_banner_lists_a_few_warnings_first_counts_the_rest_and_keeps_the_title(tmp_path: Path) -> None:
    """Weeks without check-ins give a large plan thousands of notices: listing them all on every
    page made a serve at 1,000 teams use 14 GB. The banner lists the first ten, warnings first,
    counts the rest, and sits under the page's `# ` title, which MkDocs reads only when it is first."""
    plan = tmp_path / "plan"
    shutil.copytree(ROOT / "plan", plan)
    strategy = plan / "strategy.yml"
    text = strategy.read_text(encoding="utf-8")
    dated = "Mid-market shippers with 20-500 shipments a month in Q2"
    strategy.write_text(text.replace("Mid-market shippers with 20-500 shipments a month", dated, 1), encoding="utf-8")
    late = dt.date(2026, 12, 28)  # weeks after most check-ins: a notice for each key result
    built = Builder(plan).build(Settings(as_of=late, show_problems=tmp_path))
    assert built.site is not None, built.report.errors[:3]
    problems = built.report.problems
    warnings = [p for p in problems if p.severity == "warning"]
    notices = [p for p in problems if p.severity == "notice"]
    assert warnings and len(notices) > BANNER_LIMIT

    quiet = Builder(plan).build(Settings(as_of=late))  # a build shows no banner
    assert quiet.site is not None and not [p for p in quiet.site.pages if b"ns-banner" in p.content]
    titled = {p.path for p in quiet.site.pages if _body(p.content).startswith("# ")}
    assert len(titled) > 20
    pages = [p for p in built.site.pages if p.path.endswith(".md")]
    assert len(pages) > len(titled)
    for page in pages:
        body = _body(page.content)
        assert body.startswith("# ") == (page.path in titled), (page.path, body[:80])  # the title stays first
        banner = html.unescape(body[body.index("<details") : body.index("</details>")])
        items = re.findall(r"<li class=\"ns-(warning|notice)\">", banner)
        assert len(items) == BANNER_LIMIT, page.path
        assert items[: len(warnings)] == ["warning"] * len(warnings), page.path
        assert f"Plan checks: {len(warnings)} warnings, {len(notices)} notices" in banner
        assert f"and {len(problems) - BANNER_LIMIT} more (northstar check lists them all)" in banner
        assert "plan/strategy.yml:" in banner and "warning NS304" in banner


def _body(content: bytes) -> str:
    """A page's Markdown after its front matter."""
    text = content.decode()
    return text.split("\n---\n", 1)[1].lstrip("\n") if text.startswith("---\n") else text
