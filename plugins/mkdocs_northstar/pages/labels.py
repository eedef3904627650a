"""Every word the generated pages show, so a non-English site can replace them in mkdocs.yml."""

from __future__ import annotations

from mkdocs_northstar.problems import did_you_mean

LABELS: dict[str, str] = {
    "plan": "Plan",
    "strategy": "Strategy",
    "teams": "Teams",
    "alignment": "Alignment",
    "people": "People",
    "purpose": "Why we exist",
    "values": "Core values",
    "north_star": "North star",
    "targets": "Targets",
    "where_to_play": "Where we play",
    "how_to_win": "How we win",
    "not_doing": "What we will not do",
    "why": "Why",
    "talent": "Talent we need",
    "strengths": "Strengths",
    "weaknesses": "Weaknesses",
    "trends": "Trends",
    "owner": "Owner",
    "owned_by": "Owned by",
    "reviewed": "Last reviewed",
    "by_year": "by",
    "period": "Period",
    "plan_version": "Plan version",
    "uncommitted": "with uncommitted changes",
    "as_of": "as of",
    "lead": "Lead",
    "parent_team": "Part of",
    "sub_teams": "Sub-teams",
    "mission": "Mission",
    "members": "Members",
    "objectives": "Objectives",
    "key_results": "Key results",
    "key_result": "Key result",
    "rocks": "Rocks",
    "kpis": "KPIs",
    "progress": "Progress",
    "confidence": "Confidence",
    "last_check_in": "Last check-in",
    "baseline": "Baseline",
    "current": "Current",
    "target": "Target",
    "due": "Due",
    "status": "Status",
    "committed": "committed",
    "aspirational": "aspirational",
    "lineage": "Serves",
    "cascade": "Supported by sub-teams",
    "no_work": "No plan for this period yet.",
    "annual_goals": "Annual goals",
    "theme": "Theme",
    "company": "Company",
    "serves": "Work that serves it this period",
    "orphan_choices": "Strategic choices nobody works on this period",
    "orphan_work": "Work that serves no strategy",
    "diagram": "How this period's work connects to the strategy",
    "accountability": "Your accountability",
    "owns": "Owns",
    "leads": "Leads",
    "nothing_owned": "Owns nothing this period.",
    "direction_up": "higher is better",
    "direction_down": "lower is better",
    "not-started": "not started",
    "on-track": "on track",
    "off-track": "off track",
    "done": "done",
    "missed": "missed",
    "dropped": "dropped",
    "no_value": "no data yet",
    "reported": "%s of %s key results reported",
    "period_not_started": "Not started yet",
    "expected_by_now": "%s%% expected by now",
    "errors_title": "The plan has problems",
    "errors_intro": "Northstar could not build the plan pages. Fix these and save; the page reloads.",
    "more": "more",
    "changes": "Change log",
    "execution": "Execution",
    "no_history": "No history to show",
    "strategy_last_changed": "Strategy last changed",
    "never": "never, since the plan's first commit",
    "execution_since": "Execution changes since",
    "churn": (
        "Strategy changed %d times in the last %d months (more than %d): strategy is a north star, "
        "execution is what adjusts."
    ),
    "shallow": (
        "This history is incomplete: the site was built from a shallow clone. Fetch the full history "
        "(fetch-depth: 0 in the checkout step)."
    ),
    "kind_strategy": "Strategy",
    "kind_execution": "Execution",
    "kind_both": "Strategy and execution",
    "kind_none": "No semantic change",
    "kind_invalid": "Plan invalid",
    "merge": "merge",
    "invalid_revision": "The plan was invalid at this revision",
    "plan_created": "The plan was created.",
    "history_start": "The oldest commit this shallow clone holds: the plan as it stood then, not a change.",
    "changes_word": "changes",
    "check_ins_word": "progress updates",
    "no_semantic_change": "Formatting, comments or file moves only.",
    "archive": "Archive",
    "archive_intro": "Each past quarter as it stood at the last commit before the quarter ended.",
    "snapshot": "Snapshot",
    "reconstructed": "from the current plan (no commit from before the quarter ended)",
    "archived_banner": "Archived: %s, as of",
    "current_plan": "the current plan",
    "other_periods": "Other periods",
    "one_page": "One-page plan",
    "enduring": "the enduring direction",
    "priorities": "This quarter's company priorities",
    "accountabilities": "Accountabilities",
    "print": "Print",
}


def with_overrides(overrides: object) -> dict[str, str]:
    """Every label, the site's own words (`labels:` in the plugin options) over the built-in ones.

    Raises:
        ValueError: `overrides` is not a mapping, or names a label that does not exist.
    """
    if not isinstance(overrides, dict):
        raise ValueError(f"expected a mapping of label keys to words, got {type(overrides).__name__}")
    if unknown := sorted(str(key) for key in set(overrides) - set(LABELS)):
        raise ValueError(f"unknown label {unknown[0]!r}{did_you_mean(unknown[0], LABELS)}; see the configuration docs")
    return {**LABELS, **{str(k): str(v) for k, v in overrides.items()}}
