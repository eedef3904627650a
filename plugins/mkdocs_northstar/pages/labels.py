"""Every word the generated pages show: English here, French, German and Spanish shipped beside it
(`languages/<code>.yml`, chosen by the theme's `language`), and any of them replaced by the site's
own words (`labels:` in the plugin options)."""

from __future__ import annotations

import functools
from importlib.resources import files

import yaml

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
    "diagram_intro": (
        "Under each strategic item: the annual goals that name it, the objectives and rocks that serve it, "
        "and under each objective the objectives of the teams that support it."
    ),
    "tree_summary": "%s items from %s teams",
    "shown_above": "shown above",
    "rock": "Rock",
    "accountability": "Your accountability",
    "owns": "Owns",
    "leads": "Leads",
    "nothing_owned": "Owns nothing this period.",
    "checkin_id": "Check-in id",
    "checkin_ids": (
        "To report where one of these stands, give its check-in id to the check-in form, "
        "the check-in spreadsheet or northstar checkin."
    ),
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
    "trend": "Trend of %s check-ins",
    "rolled_up": "rolled up",
    "stale": "stale",
    "needs_attention": "Needs your attention",
    "no_recent_check_in": "no recent check-in",
    "review_due": "The strategy's yearly review is due.",
    "review_is_due": "review due",
    "not_done": "not done yet",
    "late": "late",
    "overdue": "overdue",
    "graded": "graded",
    "past_target": "past the target",
    "behind_baseline": "behind the baseline",
    "rolled_up_from": "Rolled up from",
    "check_in_history": "%s check-ins",
    "scorecard": "Last 13 check-ins",
    "scorecard_title": "Scorecard",
    "scorecard_intro": "Every team's KPIs, each with its last 13 check-ins against the target.",
    "no_kpis": "No team tracks a KPI this quarter.",
    "last_check_ins": "The last %s check-ins against the target",
    "hit": "met",
    "miss": "missed",
    "hit_rate": "%s of %s met",
    "streak_hit": "met %s in a row",
    "streak_miss": "missed %s in a row",
    "errors_title": "The plan has problems",
    "banner_title": "Plan checks: %s warnings, %s notices",
    "banner_more": "and %s more (northstar check lists them all)",
    "banner_note": "Shown while mkdocs serve runs, not in the built site. Fold this to put it away.",
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
    "kind_reaffirmed": "Strategy reaffirmed",
    "decision_recorded": "Decision recorded",
    "undecided": "Strategy changed without a recorded decision",
    "no_decision": "no decision recorded",
    "decisions": "Decisions",
    "decisions_intro": (
        "Every decision about the strategy, newest first: what changed around us, what was weighed, "
        "what the owner decided, and what would make them look again."
    ),
    "no_decisions": "No decision recorded yet.",
    "decision_change": "Change of direction",
    "decision_reaffirm": "Reaffirmed",
    "decided_by": "Decided by",
    "decision_context": "What changed",
    "decision_options": "Options considered",
    "inputs_weighed": "Inputs weighed",
    "the_decision": "Decision",
    "decision_adds": "Adds",
    "decision_changes": "Changes",
    "decision_removes": "Removes",
    "decision_keeps": "Keeps",
    "revisit_when": "Revisit when",
    "inputs": "Inputs",
    "inputs_intro": (
        "What advisors said about the strategy. An input informs the owner's decision; it is never a decision."
    ),
    "input": "Input",
    "input_pressure-test": "pressure test",
    "input_risk": "risk",
    "input_alternative": "alternative",
    "input_support": "support",
    "weighed_in": "weighed in",
    "not_weighed": "not yet weighed in a decision",
    "direction_since": "Direction unchanged since %s",
    "history_of_item": "Decided",
    "last_reaffirmed": "Last reaffirmed",
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
    "next_quarter": "Next quarter (draft)",
    "draft": "draft",
    "draft_starts": "draft, starts %s",
    "draft_banner": "Draft: the plan for %s, which starts %s. Teams are still writing it; it may change before then.",
    "next_quarter_note": "Next quarter's plan is being written:",
    "one_page": "One-page plan",
    "enduring": "the enduring direction",
    "priorities": "This quarter's company priorities",
    "accountabilities": "Accountabilities",
    "print": "Print",
    "print_pdf": "Landscape PDF",
    "and_more": "and %s more",
    "reviews": "Reviews",
    "objective": "Objective",
    "this_week": "This week",
    "this_month": "This month",
    "quarter_review": "Quarter in review",
    "week_of": "Week %s",
    "month_of": "Month %s",
    "review_span": "%s to %s, as of %s",
    "moved": "What moved",
    "review_cut": (
        "A large plan: each list shows its first %s lines and says how many more there are; "
        "each team's page has its own."
    ),
    "team_by_team": "Team by team",
    "col_team": "Team",
    "col_moved": "Check-ins",
    "col_attention": "Needs attention",
    "col_kpis_off": "KPIs off target",
    "col_rocks_due": "Rocks due",
    "col_silent": "No check-in",
    "more_on_team_pages": "and %s more, on their teams' pages",
    "more_teams": "and %s more teams",
    "nothing_moved": "No check-ins dated in this span.",
    "attention": "Needs attention",
    "all_on_track": "Every key result with data is in the top band.",
    "no_note": "no note",
    "kpis_off": "KPIs off target",
    "kpi_missed": "off target at the last %s check-in(s), since %s",
    "all_kpis_on_target": "Every KPI with a value meets its target.",
    "rocks_due": "Rocks due in the next 14 days or overdue",
    "no_rocks_due": "No open rock is due in the next 14 days.",
    "not_checked_in": "No check-in for %s days",
    "everyone_checked_in": "Every key result has a check-in within %s days.",
    "past_weeks": "Earlier weeks of the quarter",
    "month_trends": "Progress and confidence over the month",
    "trend_note": (
        "Progress and the key results' mean confidence on the day before the month began, "
        "and at its end (or the as-of day)."
    ),
    "before": "Before",
    "after": "After",
    "month_changes": "Execution changes this month",
    "no_month_changes": "No execution change was committed this month (check-ins aside).",
    "no_history_here": "No history: the change log is not built.",
    "unserved": "Work that serves nothing in the strategy",
    "all_served": "All of this quarter's work traces to the strategy.",
    "overloaded": "Owners with more than %s key results",
    "none_overloaded": "Nobody owns more than %s key results.",
    "grades": "Grades",
    "grade_note": "A grade where the key result has one; otherwise its progress as measured (marked).",
    "measured": "measured",
    "average": "Average",
    "rock_completion": "Rocks finished",
    "rock_target": "target %s%%",
    "so_far": "so far",
    "learned": "What we learned",
    "carry_forward": "Carries forward",
    "issues_list": "Issues list",
    "no_open_issues": "No open issue.",
    "solved_this_week": "Solved this week:",
    "raised_by": "raised %s by",
    "priority_high": "High",
    "priority_medium": "Medium",
    "priority_low": "Low",
    "rock_counts": "%s done, %s late, %s dropped, %s missed, %s open",
    "band_off_track": "Off track",
    "band_at_risk": "At risk",
    "band_on_track": "On track",
    "unversioned": "unversioned",
}


LANGUAGES = ("en", "fr", "de", "es")
"""The languages whose words are shipped: a theme `language` of `fr`, `fr-CA` or `fr_FR` reads French."""


def overrides(value: object) -> dict[str, str]:
    """The site's own words (`labels:` in the plugin options), checked against the label keys.

    Raises:
        ValueError: `value` is not a mapping, or names a label that does not exist.
    """
    if not isinstance(value, dict):
        raise ValueError(f"expected a mapping of label keys to words, got {type(value).__name__}")
    if unknown := sorted(str(key) for key in set(value) - set(LABELS)):
        raise ValueError(f"unknown label {unknown[0]!r}{did_you_mean(unknown[0], LABELS)}; see the configuration docs")
    return {str(k): str(v) for k, v in value.items()}


def language_code(language: object) -> str:
    """The shipped language a theme's `language` (or `locale`) names, `en` for any other."""
    code = str(language or "en").replace("_", "-").split("-")[0].lower()
    return code if code in LANGUAGES else "en"


@functools.cache
def shipped(code: str) -> dict[str, str]:
    """The shipped words of the language `code` (one of `LANGUAGES`): every key, English where a
    translation were missing (a test keeps every language whole)."""
    if code == "en":
        return dict(LABELS)
    text = files("mkdocs_northstar").joinpath(f"pages/languages/{code}.yml").read_text(encoding="utf-8")
    words = yaml.safe_load(text)
    return {**LABELS, **{k: str(v) for k, v in words.items() if k in LABELS}}


def labels_for(language: object, own: dict[str, str] | None = None) -> dict[str, str]:
    """The words of a site in `language` (its theme's `language`), its `own` words over them."""
    return {**shipped(language_code(language)), **(own or {})}
