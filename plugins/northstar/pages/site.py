"""The plan as a set of page sources and a navigation tree: a pure function of the checked plan."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from northstar.check import Report
from northstar.index import build_index
from northstar.model import Band
from northstar.pages.diagram import layout
from northstar.pages.labels import LABELS
from northstar.pages.render import Renderer
from northstar.pages.urls import Urls
from northstar.pages.views import Link, Views, build_views
from northstar.problems import Problem
from northstar.rules import current_period

PAGES = ("strategy", "teams", "alignment", "people")
"""The kinds of page Northstar can generate, in navigation order."""


@dataclass(frozen=True)
class PageSource:
    """One generated page: where it goes (relative to docs), its title and its Markdown."""

    path: str
    title: str
    content: str


@dataclass(frozen=True)
class NavItem:
    title: str
    path: str | None = None
    children: tuple[NavItem, ...] = ()


@dataclass(frozen=True)
class Version:
    """Which plan the pages were built from."""

    label: str = "unversioned"
    dirty: bool = False


@dataclass(frozen=True)
class SiteOptions:
    urls: Urls = field(default_factory=Urls)
    pages: tuple[str, ...] = PAGES
    labels: Mapping[str, str] = field(default_factory=lambda: dict(LABELS))
    version: Version = Version()
    period: str | None = None
    bands: tuple[Band, ...] | None = None
    """Score bands that replace the plan's own (northstar.yml)."""


@dataclass(frozen=True)
class Site:
    pages: list[PageSource]
    nav: NavItem
    views: Views


def build_site(report: Report, options: SiteOptions, renderer: Renderer) -> Site:
    """Every page of the plan for its current period, and the navigation section that holds them."""
    loaded, urls, labels = report.loaded, options.urls, options.labels
    plan = loaded.plan
    index = build_index(plan, loaded.paths)
    year, quarter = current_period(plan, report.as_of, options.period)
    views = build_views(plan, index, urls, year, quarter, bands=options.bands)
    pages: list[PageSource] = []
    nav: list[NavItem] = []

    def page(path: str, title: str, template: str, **context: Any) -> None:
        href: Callable[[Link], str] = lambda link: urls.link(path, link.page, link.anchor)  # noqa: E731
        content = renderer.render(
            template,
            href=href,
            labels=labels,
            views=views,
            version=options.version,
            as_of=report.as_of,
            **context,
        )
        pages.append(PageSource(path, title, content))

    if "strategy" in options.pages and plan.strategy is not None:
        path = urls.path("strategy")
        serving = {c.link.id: len(c.objectives) + len(c.rocks) for c in views.choices}
        alignment = urls.path("alignment") if "alignment" in options.pages else path

        def alignment_link(ident: str) -> Link:
            return Link("", "choice", alignment, ident, ident)

        owner = views.person(plan.strategy.owner)
        page(
            path,
            labels["strategy"],
            "strategy.md.jinja",
            strategy=plan.strategy,
            owner=owner,
            serving=serving,
            alignment_link=alignment_link,
        )
        nav.append(NavItem(labels["strategy"], path))
    if "teams" in options.pages:
        index_path = urls.path("teams", "index")
        page(index_path, labels["teams"], "teams.md.jinja")
        children = [NavItem(labels["teams"], index_path)]
        for team in _tree_order(views):
            path = urls.path("teams", team.team.id)
            members = [m for m in (views.person(i) for i in team.team.members) if m is not None]
            page(path, team.team.name, "team.md.jinja", team=team, members=members)
            children.append(NavItem(team.team.name, path))
        nav.append(NavItem(labels["teams"], None, tuple(children)))
    if "alignment" in options.pages:
        path = urls.path("alignment")
        columns = [labels["strategy"], labels["annual_goals"], labels["objectives"], labels["cascade"]]
        page(path, labels["alignment"], "alignment.md.jinja", diagram=layout(views, columns))
        nav.append(NavItem(labels["alignment"], path))
    if "people" in options.pages:
        index_path = urls.path("people", "index")
        page(index_path, labels["people"], "people.md.jinja")
        children = [NavItem(labels["people"], index_path)]
        for person in views.people.values():
            path = urls.path("people", person.person.id)
            page(path, person.person.name, "person.md.jinja", person=person)
            children.append(NavItem(person.person.name, path))
        nav.append(NavItem(labels["people"], None, tuple(children)))
    return Site(pages, NavItem(labels["plan"], None, tuple(nav)), views)


def _tree_order(views: Views) -> list[Any]:
    out = []
    stack = list(reversed(views.roots))
    while stack:
        team = stack.pop()
        out.append(team)
        stack.extend(reversed(team.children))
    return out


def problems_page(path: str, problems: list[Problem], options: SiteOptions, renderer: Renderer) -> PageSource:
    """The page shown in place of a plan page while the plan is invalid (under `mkdocs serve`)."""
    content = renderer.render("problems.md.jinja", problems=problems, labels=options.labels)
    return PageSource(path, options.labels["errors_title"], content)


__all__ = ["PAGES", "NavItem", "PageSource", "Site", "SiteOptions", "Version", "build_site", "problems_page"]
