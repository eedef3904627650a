"""The review pages: the reviews of `mkdocs_northstar.reviews`, with links into the site."""

from __future__ import annotations

import html
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from typing import Any

from mkdocs_northstar.check import Report
from mkdocs_northstar.dates import Span, month_of, week_of
from mkdocs_northstar.history.timeline import History
from mkdocs_northstar.pages.render import Renderer
from mkdocs_northstar.pages.views import Link, ObjectiveView, RockView, Views
from mkdocs_northstar.reviews import Item, Review, month_review, quarter_review, week_review, weeks_of

TEMPLATES = {"week": "review-week.md.jinja", "month": "review-month.md.jinja", "quarter": "review-quarter.md.jinja"}
"""The template of each kind of review."""

LIST_LIMIT = 40
"""The most lines a review of a large plan lists in each of its sections. A company of a thousand
teams has thousands of check-ins a week: its page lists the first ones, says how many more there
are, and shows team by team where they are (each team's page has its own)."""
LARGE_PLAN = 50
"""A plan of more teams than this is large: its reviews list at most `LIST_LIMIT` lines a section.
A smaller company's meeting goes through every line, however many there are."""


def list_limit(views: Views) -> int:
    """How many lines a review lists in each section: all of them, unless the plan is large."""
    return LIST_LIMIT if len(views.teams) > LARGE_PLAN else sys.maxsize


ReviewPage = tuple[str, str, str, Callable[[], dict[str, Any]], bool]
"""(path, title, template, its context, whether it is in the navigation). The context is worked
out when the page is rendered, and let go after it: a plan of a thousand teams has a dozen weeks
of reviews, each with thousands of lines."""


def review_links(views: Views, *, mention: bool = False) -> dict[str, Callable[[Any], Link | None]]:
    """What review templates link with: `link(item)`, `person(id)`, `team(id)`, and `notify(id)`
    for the owners of work that needs them: with `mention`, a person who has a `handle` is named
    with it (`Grant Olson @grant`), so the post notifies them."""
    period = views.quarter.id if views.quarter else None

    def link(item: Item) -> Link:
        entry = views.index.entries.get((period, item.id))
        return views.link_of(entry) if entry is not None else Link(item.title, item.kind, "")

    def team(ident: str) -> Link:
        entry = views.index.get(None, ident)
        return views.link_of(entry) if entry is not None else Link(ident, "team", "")

    def person(ident: str | None) -> Link | None:
        return views.person(ident) if ident else None

    def notify(ident: str | None) -> Link | None:
        found = person(ident)
        entry = views.index.get(None, ident) if ident and mention else None
        handle = entry.item.handle if entry is not None and entry.kind == "person" else ""
        return replace(found, title=f"{found.title} @{handle}") if found is not None and handle else found

    return {"link": link, "team": team, "person": person, "notify": notify}


def unserved(views: Views) -> list[Item]:
    """This quarter's objectives and rocks that trace to nothing in the strategy."""
    items = []
    for work in views.untraced:
        if isinstance(work, ObjectiveView):
            o = work.objective
            items.append(Item(kind="objective", id=o.id, title=o.title, team=work.team.id, owner=o.owner))
        elif isinstance(work, RockView):
            r, period = work.rock, views.quarter.id if views.quarter else None
            entry = views.index.entries.get((period, r.id))
            items.append(
                Item(kind="rock", id=r.id, title=r.title, team=entry.team or "" if entry else "", owner=r.owner)
            )
    return items


def review_pages(
    views: Views, report: Report, labels: Mapping[str, str], history: History | None, *, closed: bool = False
) -> Iterator[ReviewPage]:
    """This week, this month and the quarter in review (in the navigation), and a page for each
    past week of the quarter (listed on this week's page). Only the quarter in review when the
    quarter is `closed` (its frozen copy in the archive)."""
    quarter, as_of, plan = views.quarter, report.as_of, views.plan
    if quarter is None:
        return
    urls, bands = views.urls, tuple(views.bands)
    shared = {**review_links(views), "plain": False, "limit": list_limit(views)}

    def closing() -> dict[str, Any]:
        review = quarter_review(plan, views.index, quarter, as_of, year=views.year)
        return {**shared, "review": review, "heading": labels["quarter_review"]}

    quarter_page = (urls.path("reviews", "quarter"), labels["quarter_review"], TEMPLATES["quarter"], closing, True)
    if closed:
        yield quarter_page
        return
    weeks = weeks_of(quarter, as_of) if as_of >= quarter.start else []
    current = week_of(min(as_of, quarter.end))
    past = [
        (w, Link(labels["week_of"] % w.id, "page", urls.path("reviews", w.id.lower())))
        for w in weeks
        if w.id != current.id
    ]

    def week(span: Span, heading: str, listed: list[tuple[Span, Link]]) -> Callable[[], dict[str, Any]]:
        def context() -> dict[str, Any]:
            review = week_review(plan, views.index, quarter, span, as_of, year=views.year, bands=bands)
            return {**shared, "review": review, "heading": heading, "past_weeks": listed}

        return context

    def this_month() -> dict[str, Any]:
        month = month_of(min(as_of, quarter.end))
        review = month_review(
            plan, views.index, quarter, month, as_of, year=views.year, history=history, unserved=unserved(views)
        )
        return {**shared, "review": review, "heading": labels["this_month"]}

    this_week = week(current, labels["this_week"], past)
    yield urls.path("reviews", "week"), labels["this_week"], TEMPLATES["week"], this_week, True
    yield urls.path("reviews", "month"), labels["this_month"], TEMPLATES["month"], this_month, True
    yield quarter_page
    for span, link in past:
        yield link.page, link.title, TEMPLATES["week"], week(span, link.title, []), False


def review_markdown(
    review: Review, views: Views, labels: Mapping[str, str], renderer: Renderer, *, mention: bool = False
) -> str:
    """A review as plain Markdown, for a meeting document or a chat post: the page's content, with
    titles in place of links and the plan's text as written; `mention` adds people's handles."""
    heading = {
        "week": labels["week_of"] % review.span.id,
        "month": labels["month_of"] % review.span.id,
        "quarter": f"{labels['quarter_review']}: {review.span.id}",
    }[review.kind]
    context: dict[str, Any] = {
        **review_links(views, mention=mention),
        "plain": True,
        "limit": list_limit(views),
        "review": review,
        "heading": heading,
        "past_weeks": [],
    }
    text = renderer.render(TEMPLATES[review.kind], labels=labels, href=None, **context)
    return html.unescape(text)  # the inert references keep the site's Markdown from acting on plan text
