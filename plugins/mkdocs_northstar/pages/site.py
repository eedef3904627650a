"""The plan as a set of page sources and a navigation tree: a pure function of the checked plan."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property, partial
from itertools import pairwise
from typing import Any

from jinja2 import TemplateError

from mkdocs_northstar.check import Report
from mkdocs_northstar.dates import add_months
from mkdocs_northstar.history.changes import Change
from mkdocs_northstar.history.gitlog import Commit
from mkdocs_northstar.history.timeline import History, Revision, Unavailable, summarize
from mkdocs_northstar.index import build_index
from mkdocs_northstar.load import Loaded
from mkdocs_northstar.load.plan import SINGLE_FILES
from mkdocs_northstar.model import DEFAULT_BANDS, Band, Plan, Quarter
from mkdocs_northstar.pages.diagram import trees
from mkdocs_northstar.pages.labels import LABELS
from mkdocs_northstar.pages.records import Records, build_records
from mkdocs_northstar.pages.render import PageTemplateError, Renderer
from mkdocs_northstar.pages.review_pages import review_pages
from mkdocs_northstar.pages.urls import ONE_PAGE_PDF, Urls
from mkdocs_northstar.pages.views import Link, Views, build_views
from mkdocs_northstar.problems import Problem
from mkdocs_northstar.rules import current_period

_NAV_TITLE = str.maketrans({"<": "\u2039", ">": "\u203a", '"': "\u201d", "&": "&amp;"})
"""Look-alikes (single angle quotes, a right double quote) for what could open a tag or close an
attribute, and `&` escaped; apostrophes stay (O'Brien, Plan d'entreprise)."""

PAGES = (
    "strategy",
    "decisions",
    "one_page",
    "teams",
    "scorecard",
    "reviews",
    "alignment",
    "people",
    "changes",
    "archive",
)
"""The kinds of page Northstar can generate, in navigation order."""


@dataclass(frozen=True)
class OnePageLimits:
    """How many items of a list the one-page plan holds at most, counting the rest ("and 12 more").

    Fitting the printed sheet is done in the browser, which measures the text; this only keeps a
    plan of a thousand teams from writing a thousand rows into a sheet that will show ten."""

    per_list: int = 30


@dataclass
class PageSource:
    """One generated file, a page or the plan export: where it goes (relative to docs), its title and its text.

    The text is kept as UTF-8 bytes, as it is written out: a page with a single `·` in it is twice
    as large as a Python string (two bytes a character), and MkDocs holds every page from the start
    of a build to its end (a thousand teams: 86 MB as strings, 43 MB as bytes).
    """

    path: str
    title: str
    content: bytes


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
    churn_threshold: int = 1
    """The change log warns when strategy changed more often than this within `churn_window_months`."""
    churn_window_months: int = 12
    nav_limit: int = 50
    """A Teams or People section with more pages than this lists only its index in the navigation: every
    page of a thousand teams in every page's sidebar is unreadable, and makes each page megabytes."""
    fold_after: int = 12
    """Change-log entries show this many execution changes before folding the rest."""
    archived: Archived | None = None
    """Set when building a past period's frozen copy."""
    archive_link: Link | None = None
    draft: Draft | None = None
    """Set when building next quarter's pages, written before it starts."""
    next_link: Link | None = None
    """Next quarter's pages, when some team has written its plan for it already."""
    techdocs: bool = False
    """Built for Backstage TechDocs, which removes the one-page plan's print button: the page links
    its PDF (`ONE_PAGE_PDF`, beside the page) instead, if `one_page_pdf`."""
    one_page_pdf: bool = True
    progress: Callable[[str, int, int], None] | None = None
    """Hears ("building the archive", done, total) while past quarters are built."""


@dataclass(frozen=True)
class Archived:
    """A frozen period: its name, the commit it stands at (None if reconstructed), the current plan's link."""

    name: str
    commit: Commit | None
    current: Link
    strategy: Link
    teams: Link
    review: Link | None = None
    """Its quarter in review, when the reviews are built."""


@dataclass(frozen=True)
class Draft:
    """Next quarter, planned before it starts: its name and first day, and the current plan's pages
    that its pages link to (its strategy and people are the current ones)."""

    name: str
    starts: date
    current: Link
    home: tuple[Urls, frozenset[str]]


DRAFT_PAGES = ("one_page", "teams")
"""What a draft of next quarter is shown as; it links to the current strategy and people."""


@dataclass(frozen=True)
class Site:
    pages: list[PageSource]
    nav: NavItem
    views: Views


@dataclass(frozen=True)
class PendingPage:
    """A page whose Markdown is yet to be written: `render()` writes it, as UTF-8 bytes."""

    path: str
    title: str
    render: Callable[[], bytes]


@dataclass(frozen=True)
class PreparedSite:
    """Every page of a site, each ready to render on its own (in this process or another), and its navigation."""

    pages: list[PendingPage]
    nav: NavItem
    views: Views

    def finish(self, contents: Sequence[bytes]) -> Site:
        """The site, given each page's rendered Markdown, in the order of `pages`."""
        written = [PageSource(p.path, p.title, c) for p, c in zip(self.pages, contents, strict=True)]
        return Site(written, self.nav, self.views)


def site_bands(plan: Plan, options: SiteOptions) -> tuple[Band, ...] | None:
    """The score bands the pages show: the plugin's, else the plan's own (`score_bands` in
    northstar.yml), else the default ones, named in the site's words (`band_*` labels)."""
    if options.bands is not None or "score_bands" in plan.settings.model_fields_set:
        return options.bands
    words = options.labels
    return tuple(
        band.model_copy(update={"label": words.get(f"band_{band.id.replace('-', '_')}", band.label)})
        for band in DEFAULT_BANDS
    )


def prepare_site(
    report: Report, options: SiteOptions, renderer: Renderer, history: History | Unavailable | None = None
) -> PreparedSite:
    """Every page of the plan for its current period, and the navigation section that holds them.

    With a `history`, also the change log and a frozen copy of every past quarter under `archive/`.
    The pages are independent of each other: they can be rendered in any order, in any process.
    """
    plan = report.loaded.plan
    year, quarter = current_period(plan, report.as_of, options.period)
    views = build_views(
        plan,
        report.index,
        options.urls,
        year,
        quarter,
        bands=site_bands(plan, options),
        pages=options.pages,
        as_of=report.as_of,
        not_started=options.labels["period_not_started"],
        home=options.draft.home if options.draft else None,
    )
    past = archivable(report, history, quarter) if isinstance(history, History) else []
    if "archive" in options.pages and past and options.archived is None:
        link = Link(options.labels["archive"], "page", options.urls.path("archive", "index"))
        options = replace(options, archive_link=link)
    copy = options.archived is not None or options.draft is not None  # a copy has no copies of its own
    ahead = upcoming(plan, quarter) if "teams" in options.pages and not copy else None
    if ahead is not None:
        urls = _under(options.urls, "next", ahead.id)
        title = f"{ahead.name or ahead.id} ({options.labels['draft']})"
        options = replace(options, next_link=Link(title, "page", urls.path("teams", "index")))
    builder = _Pages(report, options, renderer, views)
    for kind in options.pages:
        getattr(builder, kind)(history, past)
        if kind == "teams" and ahead is not None:
            builder.next_quarter(ahead)
    return PreparedSite(builder.pages, NavItem(options.labels["plan"], None, tuple(builder.nav)), views)


def upcoming(plan: Plan, current: Quarter | None) -> Quarter | None:
    """The quarter after `current`, when some team has written its plan for it already."""
    quarters = [q for _, q in plan.quarters()]
    following = next((b for a, b in pairwise(quarters) if a is current), None)
    if following is None or not any(work.period == following.id for _, work in plan.execution):
        return None
    return following


def _under(urls: Urls, *folders: str) -> Urls:
    """The same kind of URLs, for pages in `folders` under the site's own."""
    return Urls("/".join(p for p in (urls.prefix, *folders) if p), urls.directory_urls)


class _Pages:
    """Prepares pages one kind at a time; each method adds its pages and its navigation entry."""

    def __init__(self, report: Report, options: SiteOptions, renderer: Renderer, views: Views) -> None:
        self.report, self.options, self.renderer, self.views = report, options, renderer, views
        self.urls, self.labels = options.urls, options.labels
        self.pages: list[PendingPage] = []
        self.nav: list[NavItem] = []
        self.shared: dict[str, Any] = {
            "labels": self.labels,
            "views": views,
            "version": options.version,
            "as_of": report.as_of,
            "archived": options.archived,
            "archive_link": options.archive_link,
            "draft": options.draft,
            "next_link": options.next_link,
        }
        """What every page's template is given, besides its own variables."""

    def page(self, path: str, title: str, template: str, **context: Any) -> None:
        render = partial(_render, self.renderer, self.urls, path, template, {**self.shared, **context})
        self.pages.append(PendingPage(path, title, render))

    def later(self, path: str, title: str, template: str, context: Callable[[], dict[str, Any]]) -> None:
        """A page whose own variables are worked out as it renders, and let go once it has."""
        renderer, urls, shared = self.renderer, self.urls, self.shared

        def render() -> bytes:
            return _render(renderer, urls, path, template, {**shared, **context()})

        self.pages.append(PendingPage(path, title, render))

    def strategy(self, *_: object) -> None:
        strategy, views, labels = self.report.plan.strategy, self.views, self.labels
        if strategy is None:
            return
        path = self.urls.path("strategy")
        alignment = self.urls.path("alignment") if "alignment" in self.options.pages else path

        def alignment_link(ident: str) -> Link:
            return Link("", "choice", alignment, ident, ident)

        serving = {c.link.id: len(c.objectives) + len(c.rocks) for c in views.choices}
        owner = views.person(strategy.owner)
        review_due = self.report.as_of > add_months(strategy.reviewed, self.report.plan.settings.review_months)
        context = {
            "strategy": strategy,
            "owner": owner,
            "serving": serving,
            "alignment_link": alignment_link,
            "review_due": review_due,
            "records": self.records,
        }
        self.page(path, labels["strategy"], "strategy.md.jinja", **context)
        self.nav.append(NavItem(labels["strategy"], path))

    @cached_property
    def records(self) -> Records:
        """The decision records and inputs, linked to the pages this site has."""
        strategy_page = self.urls.path("strategy") if "strategy" in self.options.pages else ""
        pages = "decisions" in self.options.pages
        return build_records(self.report.plan, self.urls, pages=pages, strategy_page=strategy_page)

    def decisions(self, *_: object) -> None:
        """A page for each decision about the strategy, and their index, newest first."""
        plan = self.report.plan
        if not plan.decisions or plan.strategy is None or self.options.archived is not None:
            return
        records, labels, views = self.records, self.labels, self.views
        index_path = self.urls.path("decisions")  # decisions/index.md would be taken for the Plan section's index
        self.page(index_path, labels["decisions"], "decisions.md.jinja", records=records)

        def item(ident: str) -> Link:
            """A strategy item by id; one the strategy no longer has is its id, unlinked."""
            entry = views.index.get(None, ident)
            return views.link_of(entry) if entry is not None else Link(ident, "removed", "", "", ident)

        for d in records.decisions:
            decider = views.person(d.decision.decided_by)
            context = {"d": d, "decider": decider, "records": records, "item": item}
            self.page(d.link.page, d.decision.title, "decision.md.jinja", **context)
        self.nav.append(NavItem(labels["decisions"], index_path))

    def one_page(self, *_: object) -> None:
        """The whole plan on one landscape sheet: enduring strategy beside this year's execution."""
        plan = self.report.plan
        if plan.strategy is None:
            return
        path, labels, urls = self.urls.path("one-page-plan"), self.labels, self.urls
        strategy_page = urls.path("strategy") if "strategy" in self.options.pages else path

        def strategy_link(anchor: str) -> Link:
            return Link("", "page", strategy_page, anchor)

        context = {
            "company": plan.company.name if plan.company else labels["plan"],
            "owner": self.views.person(plan.strategy.owner),
            "limits": OnePageLimits(),
            "pdf": ONE_PAGE_PDF if self.options.techdocs and self.options.one_page_pdf else None,
            "print_button": not self.options.techdocs,
            "strategy_link": strategy_link,
            "teams_link": Link("", "page", urls.path("teams", "index") if "teams" in self.options.pages else path),
        }
        self.page(path, labels["one_page"], "one-page-plan.md.jinja", **context)
        self.nav.append(NavItem(labels["one_page"], path))

    def teams(self, *_: object) -> None:
        index_path = self.urls.path("teams", "index")
        self.page(index_path, self.labels["teams"], "teams.md.jinja")
        children = [NavItem(self.labels["teams"], index_path)]
        for team in _tree_order(self.views):
            path = self.urls.path("teams", team.team.id)
            members = [m for m in (self.views.person(i) for i in team.team.members) if m is not None]
            self.page(path, team.team.name, "team.md.jinja", team=team, members=members)
            children.append(NavItem(team.team.name, path))
        self.nav.append(self._section(self.labels["teams"], children))

    def next_quarter(self, quarter: Quarter) -> None:
        """Next quarter's plan as written so far, under `next/<quarter>/`, beside the current one."""
        labels, urls = self.labels, self.urls
        draft = Draft(
            quarter.name or quarter.id,
            quarter.start,
            Link(labels["current_plan"], "page", urls.path("teams", "index")),
            (urls, frozenset(self.options.pages)),
        )
        options = replace(
            self.options,
            urls=_under(urls, "next", quarter.id),
            pages=tuple(p for p in DRAFT_PAGES if p in self.options.pages),
            period=quarter.id,
            draft=draft,
            next_link=None,
            progress=None,
        )
        prepared = prepare_site(self.report, options, self.renderer)
        self.pages += prepared.pages
        self.nav.append(NavItem(labels["next_quarter"], None, tuple(_flat(prepared.nav.children))))

    def scorecard(self, *_: object) -> None:
        """Every team's KPIs on one page, each with its last 13 check-ins against the target."""
        path, labels = self.urls.path("scorecard"), self.labels
        teams = [team for team in _tree_order(self.views) if team.kpis]
        self.page(path, labels["scorecard_title"], "scorecard.md.jinja", teams=teams)
        self.nav.append(NavItem(labels["scorecard_title"], path))

    def reviews(self, history: History | Unavailable | None, _: object) -> None:
        """The rhythm: this week, each past week of the quarter, this month and the quarter in review."""
        if self.views.quarter is None:
            return
        read = history if isinstance(history, History) else None
        children = []
        closed = self.options.archived is not None  # a past quarter keeps its review, not its weeks
        pages = review_pages(self.views, self.report, self.labels, read, closed=closed)
        for path, title, template, context, in_nav in pages:
            self.later(path, title, template, context)
            if in_nav:
                children.append(NavItem(title, path))
        self.nav.append(NavItem(self.labels["reviews"], None, tuple(children)))

    def alignment(self, *_: object) -> None:
        path, labels = self.urls.path("alignment"), self.labels
        self.page(path, labels["alignment"], "alignment.md.jinja", trees=trees(self.views))
        self.nav.append(NavItem(labels["alignment"], path))

    def people(self, *_: object) -> None:
        index_path = self.urls.path("people", "index")
        self.page(index_path, self.labels["people"], "people.md.jinja")
        children = [NavItem(self.labels["people"], index_path)]
        for person in self.views.people.values():
            path = self.urls.path("people", person.person.id)
            self.page(path, person.person.name, "person.md.jinja", person=person)
            children.append(NavItem(person.person.name, path))
        self.nav.append(self._section(self.labels["people"], children))

    def _section(self, title: str, children: list[NavItem]) -> NavItem:
        """A navigation section, or only its index page (children[0]) when it has too many pages."""
        if len(children) - 1 > self.options.nav_limit:
            return NavItem(title, children[0].path)
        return NavItem(title, None, tuple(children))

    def changes(self, history: History | Unavailable | None, _: object) -> None:
        if history is None:
            return
        path = self.urls.path("changes")
        recorded = {d.decision.id: d.link for d in self.records.decisions}

        def decision(ident: str) -> Link:
            """A decision record by id: its page, or its id when the plan no longer has it."""
            return recorded.get(ident) or Link(ident, "decision", "", "", ident)

        context = {**_change_log(history, self.options), "decision": decision}
        self.page(path, self.labels["changes"], "changes.md.jinja", **context)
        self.nav.append(NavItem(self.labels["changes"], path))

    def archive(self, _: object, past: list[tuple[Quarter, Commit | None, Plan]]) -> None:
        """A frozen copy of every past quarter, plus the archive index."""
        if not past or self.options.archived is not None:
            return
        labels, urls = self.labels, self.urls
        index_path = urls.path("archive", "index")
        archives: list[Archived] = []
        children: list[NavItem] = [NavItem(labels["archive"], index_path)]
        for done, (quarter, commit, plan) in enumerate(past, 1):
            if self.options.progress is not None:
                self.options.progress("building the archive", done, len(past))
            frozen_urls = _under(urls, "archive", quarter.id)
            archived = Archived(
                quarter.name or quarter.id,
                commit,
                Link(labels["current_plan"], "page", urls.path("strategy")),
                Link(labels["strategy"], "page", frozen_urls.path("strategy")),
                Link(labels["teams"], "page", frozen_urls.path("teams", "index")),
                Link(labels["quarter_review"], "page", frozen_urls.path("reviews", "quarter"))
                if "reviews" in self.options.pages
                else None,
            )
            paths = {k: plan.root / f"{k}.yml" for k in SINGLE_FILES}
            frozen = Report(
                Loaded(plan, {}, [], paths), [], min(quarter.end, self.report.as_of), build_index(plan, paths)
            )
            frozen_options = replace(
                self.options,
                urls=frozen_urls,
                pages=tuple(
                    p
                    for p in ("strategy", "one_page", "teams", "reviews", "alignment", "people")
                    if p != "reviews" or "reviews" in self.options.pages
                ),
                period=quarter.id,
                archived=archived,
                archive_link=Link(labels["archive"], "page", index_path),
                progress=None,
            )
            self.pages += prepare_site(frozen, frozen_options, self.renderer).pages
            archives.append(archived)
            children.append(NavItem(archived.name, archived.teams.page))
        self.page(index_path, labels["archive"], "archive.md.jinja", archives=archives)
        self.nav.append(NavItem(labels["archive"], None, tuple(children)))


def _flat(items: Sequence[NavItem]) -> list[NavItem]:
    """A draft's navigation: its one-page plan and its teams' index, not every team."""
    return [NavItem(i.title, i.path) if i.path else NavItem(i.title, i.children[0].path) for i in items]


def archivable(report: Report, history: History, current: Quarter | None) -> list[tuple[Quarter, Commit | None, Plan]]:
    """Past quarters with work in them, newest first, each with the plan as it stood when it ended.

    A quarter with no commit from before its end is taken from the current plan (commit None).
    """
    if current is None:
        return []
    out = []
    for _, quarter in reversed(report.plan.quarters()):
        if quarter.end >= current.start:
            continue
        commit, plan = history.at_quarter_end.get(quarter.id, (None, report.plan))
        if any(work.period == quarter.id for _, work in plan.execution):
            out.append((quarter, commit, plan))
    return out


@dataclass(frozen=True)
class EntryView:
    revision: Revision
    kind: str
    first: bool
    strategy: list[Change]
    decisions: list[Change]
    check_ins: list[Change]


def _change_log(history: History | Unavailable, options: SiteOptions) -> dict[str, Any]:
    if isinstance(history, Unavailable):
        return {"unavailable": history.reason}
    first_valid = next((r for r in history.revisions if r.valid), None)
    entries = [
        EntryView(
            r,
            r.kind,
            r is first_valid,
            [c for c in r.changes if c.layer == "strategy"],
            [c for c in r.changes if c.layer == "execution" and not c.check_in],
            [c for c in r.changes if c.layer == "execution" and c.check_in],
        )
        for r in reversed(history.revisions)
        if r.kind != "none"  # whitespace, comments, key order, moves: not a change of the plan
    ]
    summary = summarize(history, threshold=options.churn_threshold, window_months=options.churn_window_months)
    return {
        "unavailable": None,
        "entries": entries,
        "summary": summary,
        "shallow": history.shallow,
        "threshold": options.churn_threshold,
        "window": options.churn_window_months,
        "fold_after": options.fold_after,
    }


def _tree_order(views: Views) -> list[Any]:
    out = []
    stack = list(reversed(views.roots))
    while stack:
        team = stack.pop()
        out.append(team)
        stack.extend(reversed(team.children))
    return out


def nav_config(item: NavItem, title: str | None = None) -> dict[str, Any]:
    """A navigation item as MkDocs' `nav:` configuration data ({title: path} or {title: [children]}).

    Themes put navigation titles into every page as they are, and also unescaped (`striptags` in
    the page's <title>), so escaping once is not enough: the characters that could open a tag or
    close a (double-quoted) attribute become typographic look-alikes, and `&` is escaped.
    """
    name = (title or item.title).translate(_NAV_TITLE)
    if item.path is not None:
        return {name: item.path}
    return {name: [nav_config(child) for child in item.children]}


def nav_paths(nav: Any) -> list[str]:
    """Every page path named in `nav:` configuration data."""
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, dict):
        return [p for value in nav.values() for p in nav_paths(value)]
    if isinstance(nav, list):
        return [p for value in nav for p in nav_paths(value)]
    return []


def _render(renderer: Renderer, urls: Urls, path: str, template: str, context: dict[str, Any]) -> bytes:
    """One page's Markdown, as UTF-8."""
    link_from = urls.links_from(path)  # made here, so that it lives only while the page renders

    def href(link: Link) -> str:
        return link_from(link.page, link.anchor)

    try:
        return renderer.render(template, href=href, **context).encode("utf-8")
    except TemplateError as exc:
        raise PageTemplateError.of(path, exc) from None


def problems_page(path: str, problems: list[Problem], options: SiteOptions, renderer: Renderer) -> PageSource:
    """The page shown in place of a plan page while the plan is invalid (under `mkdocs serve`)."""
    content = renderer.render("problems.md.jinja", problems=problems, labels=options.labels)
    return PageSource(path, options.labels["errors_title"], content.encode("utf-8"))


__all__ = [
    "PAGES",
    "NavItem",
    "PageSource",
    "PendingPage",
    "PreparedSite",
    "Site",
    "SiteOptions",
    "Version",
    "prepare_site",
    "problems_page",
]
