"""The MkDocs adapter: unpacks MkDocs objects and calls the core. Nothing else lives here."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any, Literal

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel, file_sort_key
from mkdocs.utils import nest_paths

from northstar import git
from northstar.check import Report, UsageError, check_plan
from northstar.history.timeline import History, Unavailable, update
from northstar.load.plan import FileCache
from northstar.model import Band, Settings
from northstar.pages import PAGES, NavItem, PageSource, Renderer, SiteOptions, Urls, Version, build_site, problems_page
from northstar.pages.labels import LABELS
from northstar.problems import Problem, did_you_mean

log = get_plugin_logger(__name__)

ASSET = "assets/northstar/northstar.css"


class NorthstarConfig(Config):
    plan_dir = c.Type(str, default="plan")
    """The folder holding the plan files, relative to mkdocs.yml."""
    path = c.Type(str, default="")
    """A folder to put the generated pages in, e.g. `plan` (default: the site root)."""
    nav_title = c.Optional(c.Type(str))
    """The title of the navigation section (default: the `plan` label, "Plan")."""
    pages = c.ListOfItems(c.Choice(PAGES), default=list(PAGES))
    """Which pages to generate."""
    period = c.Optional(c.Type(str))
    """The quarter to show (default: the one containing the as-of date)."""
    as_of = c.Optional(c.Type(str))
    """Judge dates as of this day, YYYY-MM-DD (default: the plan's last commit)."""
    score_bands = c.Optional(c.ListOfItems(c.Type(dict)))
    """Replaces the score bands of northstar.yml: a list of {id, label, min}."""
    labels = c.Type(dict, default={})
    """Words shown on the pages, by key, for non-English sites (see the configuration docs)."""
    churn_threshold = c.Type(int, default=1)
    """The change log warns when strategy changed more often than this in `churn_window_months`."""
    churn_window_months = c.Type(int, default=12)


class NorthstarPlugin(BasePlugin[NorthstarConfig]):
    """Generates the plan pages. Keeps parsed files and pages across `mkdocs serve` rebuilds."""

    def __init__(self) -> None:
        self.command: str = "build"
        self.cache = FileCache()
        self.last_paths: list[str] = []
        self.report: Report | None = None
        self.pages: list[PageSource] = []
        self.nav: NavItem | None = None
        self.root = Path()
        self.base = Path()
        self.history: History | Unavailable | None = None

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        self.command = command  # defining on_startup keeps this instance across serve rebuilds

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        unknown = sorted(set(self.config.labels) - set(LABELS))
        if unknown:
            hint = did_you_mean(unknown[0], LABELS)
            raise PluginError(f"northstar: unknown label {unknown[0]!r}{hint}; see the configuration docs")
        self.base = Path(config.config_file_path or ".").resolve().parent
        self.root = self.base / self.config.plan_dir
        if ASSET not in config.extra_css:
            config.extra_css.append(ASSET)
        return config

    def on_serve(self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        server.watch(str(self.root))
        return server

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """Check the plan before MkDocs touches site_dir, so an invalid plan never half-builds."""
        state = git.plan_state(self.root)
        as_of = self._as_of(state)
        try:
            report = check_plan(self.root, as_of=as_of, period=self.config.period, cache=self.cache)
        except UsageError as exc:
            raise PluginError(f"northstar: {exc}") from None
        for found in report.problems:
            (log.error if found.severity == "error" else log.warning)(self._shown(found))
        self.report = report
        if report.errors and self.command != "serve":
            count = len(report.errors)
            raise PluginError(f"northstar: the plan has {count} error{'s' * (count != 1)}; fix them to build")
        if report.errors:
            self.pages = []
            return
        history = self._history() if {"changes", "archive"} & set(self.config.pages) else None
        custom_dir = config.theme.custom_dir
        options = SiteOptions(
            urls=Urls(self.config.path.strip("/"), config.use_directory_urls),
            pages=tuple(p for p in PAGES if p in self.config.pages),
            labels={**LABELS, **{k: str(v) for k, v in self.config.labels.items()}},
            version=Version((state.commit or "unversioned") + (f" ({state.date})" if state.date else ""), state.dirty),
            period=self.config.period,
            bands=_bands(self.config.score_bands),
            churn_threshold=self.config.churn_threshold,
            churn_window_months=self.config.churn_window_months,
        )
        site = build_site(report, options, Renderer([Path(custom_dir)] if custom_dir else []), history)
        self.pages, self.nav = site.pages, site.nav
        self.last_paths = [p.path for p in site.pages]

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        pages = self.pages
        if self.report is not None and self.report.errors:
            labels = {**LABELS, **{k: str(v) for k, v in self.config.labels.items()}}
            shown = [_relative(p, self.base) for p in self.report.problems]
            urls = Urls(self.config.path.strip("/"), config.use_directory_urls)
            paths = self.last_paths or [urls.path("strategy")]
            pages = [problems_page(path, shown, SiteOptions(labels=labels), Renderer()) for path in paths]
        in_nav = set(_nav_paths(_nav_data(self.nav))) if self.nav is not None and pages is self.pages else set()
        for page in pages:
            existing = files.get_file_from_path(page.path)
            if existing is not None and existing.generated_by is None:
                raise PluginError(
                    f"northstar: {config.docs_dir}/{page.path} exists, and Northstar generates that page; "
                    "rename it or set `path:` in the plugin options to put the plan pages in a folder"
                )
            inclusion = InclusionLevel.INCLUDED if page.path in in_nav or not in_nav else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, page.path, content=page.content, inclusion=inclusion))
        asset = Path(__file__).parent / "assets" / "northstar.css"
        files.append(File.generated(config, ASSET, abs_src_path=str(asset)))
        if self.nav is not None and pages is self.pages:
            self._add_nav(files, config)
        return files

    def _add_nav(self, files: Files, config: MkDocsConfig) -> None:
        assert self.nav is not None  # noqa: S101 - checked by the caller
        ours = {p.path for p in self.pages}
        section = _nav_data(self.nav, self.config.nav_title)
        if config.nav is None:
            theirs = sorted(
                (f for f in files.documentation_pages() if f.src_uri not in ours and f.inclusion.is_in_nav()),
                key=file_sort_key,
            )
            config.nav = [*nest_paths(f.src_uri for f in theirs), section]
        elif not any(path in ours for path in _nav_paths(config.nav)):
            config.nav = [*config.nav, section]

    def _history(self) -> History | Unavailable:
        """The plan's history, extended from the last build's when HEAD only moved forward."""
        previous = self.history if isinstance(self.history, History) else None
        self.history = update(self.root, previous)
        if isinstance(self.history, Unavailable):
            log.info(f"no change log: {self.history.reason}")
        elif self.history.shallow:
            log.warning(
                "the repository is a shallow clone, so the change log and archive miss older history; "
                "fetch all of it (fetch-depth: 0 in the checkout step)"
            )
        return self.history

    def _as_of(self, state: git.PlanState) -> date:
        if self.config.as_of:
            try:
                return date.fromisoformat(self.config.as_of)
            except ValueError:
                msg = f"northstar: as_of must be a date written YYYY-MM-DD, got {self.config.as_of!r}"
                raise PluginError(msg) from None
        return state.date if state.date and not state.dirty else date.today()

    def _shown(self, found: Problem) -> str:
        return str(_relative(found, self.base))


def _relative(found: Problem, base: Path) -> Problem:
    """The problem with its path relative to the project (never an absolute local path)."""
    try:
        rel = Path(os.path.relpath(found.path, base))
    except ValueError:
        rel = found.path
    return Problem(rel, found.line, found.col, found.severity, found.code, found.message)


def _bands(bands: list[dict[str, Any]] | None) -> tuple[Band, ...] | None:
    if bands is None:
        return None
    try:
        return tuple(Settings.model_validate({"score_bands": bands}).score_bands)
    except ValueError as exc:
        raise PluginError(f"northstar: score_bands: {exc}") from None


def _nav_data(item: NavItem, title: str | None = None) -> dict[str, Any]:
    name = title or item.title
    if item.path is not None:
        return {name: item.path}
    return {name: [_nav_data(child) for child in item.children]}


def _nav_paths(nav: Any) -> list[str]:
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, dict):
        return [p for value in nav.values() for p in _nav_paths(value)]
    if isinstance(nav, list):
        return [p for value in nav for p in _nav_paths(value)]
    return []
