"""The strategy's decision records and inputs as the pages read them: what counts as the direction's
last change and last reaffirmation, and which records each item lists."""

from __future__ import annotations

import shutil
from pathlib import Path

from mkdocs_northstar.load import load_plan
from mkdocs_northstar.pages.records import build_records
from mkdocs_northstar.pages.urls import Urls

from tests.conftest import ROOT

LATER_REVIEW = """id: winter-review
title: Winter check, direction kept
date: 2026-12-20
decided_by: maya-chen
kind: reaffirm
keeps: [quote-in-15-minutes]
"""


def test_a_reaffirmation_counts_only_after_the_last_change(tmp_path: Path) -> None:
    plan_dir = tmp_path / "plan"
    shutil.copytree(ROOT / "plan", plan_dir)
    before = build_records(load_plan(plan_dir).plan, Urls(), pages=True, strategy_page="strategy.md")
    assert before.last_change is not None and before.last_change.decision.id == "saturday-quotes"
    assert before.last_reaffirmed is None  # the yearly review came before the Saturday change
    (plan_dir / "decisions" / "winter-review.yml").write_text(LATER_REVIEW, encoding="utf-8")
    after = build_records(load_plan(plan_dir).plan, Urls(), pages=False, strategy_page="strategy.md")
    assert after.last_reaffirmed is not None and after.last_reaffirmed.decision.id == "winter-review"
    assert [d.decision.id for d in after.by_item["quote-in-15-minutes"]] == ["winter-review", "saturday-quotes"]
    assert after.last_reaffirmed.link.page == ""  # no decision pages built: the title is not a link
    weighed = {i.given.id: [d.id for d in i.weighed_in] for i in after.inputs}
    assert weighed == {
        "coo-spare-capacity": ["yearly-review-2026"],
        "board-enterprise-bid": ["yearly-review-2026"],
        "sales-prairie-partners": ["interline-rural-prairies"],
    }
