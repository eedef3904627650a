"""Why the direction is what it is: the strategy's decision records and advisors' inputs, as pages see them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from mkdocs_northstar.model import Decision, Input, Plan
from mkdocs_northstar.pages.urls import Urls
from mkdocs_northstar.pages.views import Link


@dataclass(frozen=True)
class DecisionView:
    decision: Decision
    link: Link
    """Its page (a link with no page when the decision pages are not built)."""
    weighed: list[InputView] = field(default_factory=list)
    """The inputs it weighed, as listed."""


@dataclass(frozen=True)
class InputView:
    given: Input
    link: Link
    """Where it is shown: the strategy page's list of inputs."""
    who: str
    """Who gave it: a person's name, or an outside advisor's name and role."""
    weighed_in: list[Link] = field(default_factory=list)
    """The decisions that weighed it."""


@dataclass(frozen=True)
class Records:
    """Every decision and input, and what each strategy item's history holds."""

    decisions: list[DecisionView]
    """Newest first."""
    inputs: list[InputView]
    """Newest first."""
    by_item: dict[str, list[DecisionView]]
    """A strategy item's id -> the decisions that named it, newest first."""
    inputs_by_item: dict[str, list[InputView]]
    last_change: DecisionView | None
    last_reaffirmed: DecisionView | None
    """The newest reaffirmation since the last change."""


def build_records(plan: Plan, urls: Urls, *, pages: bool, strategy_page: str) -> Records:
    """The plan's decision records and inputs; `pages`: whether each decision has its page."""
    names = {p.id: p.name for p in plan.people.people} if plan.people is not None else {}
    inputs = []
    given, decisions = plan.inputs, plan.decisions
    weighed_by: dict[str, list[Decision]] = defaultdict(list)
    for decision in decisions:
        for ident in decision.inputs:
            weighed_by[ident].append(decision)
    for item in sorted(given, key=lambda i: (i.date, i.id), reverse=True):
        if item.advisor is not None:
            who = f"{item.advisor.name}, {item.advisor.role}" if item.advisor.role else item.advisor.name
        else:
            who = names.get(item.by or "", item.by or "")
        link = Link(who, "input", strategy_page, f"input-{item.id}", item.id)
        weighed_in = [_decision_link(d, urls, pages) for d in weighed_by.get(item.id, [])]
        inputs.append(InputView(item, link, who, weighed_in))
    by_id = {i.given.id: i for i in inputs}
    views = []
    for decision in sorted(decisions, key=lambda d: (d.date, d.id), reverse=True):
        link = _decision_link(decision, urls, pages)
        views.append(DecisionView(decision, link, [by_id[i] for i in decision.inputs if i in by_id]))
    by_item: dict[str, list[DecisionView]] = defaultdict(list)
    for view in views:
        for item_id in view.decision.items:
            by_item[item_id].append(view)
    inputs_by_item: dict[str, list[InputView]] = defaultdict(list)
    for input_view in inputs:
        for item_id in input_view.given.about:
            inputs_by_item[item_id].append(input_view)
    last_change = next((v for v in views if v.decision.kind == "change"), None)
    since = [v for v in views if last_change is None or v.decision.date >= last_change.decision.date]
    last_reaffirmed = next((v for v in since if v.decision.kind == "reaffirm"), None)
    return Records(views, inputs, dict(by_item), dict(inputs_by_item), last_change, last_reaffirmed)


def _decision_link(decision: Decision, urls: Urls, pages: bool) -> Link:
    return Link(decision.title, "decision", urls.path("decisions", decision.id) if pages else "", "", decision.id)
