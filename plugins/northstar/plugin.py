"""The MkDocs adapter: unpacks MkDocs objects and calls the core. Nothing else lives here."""

from __future__ import annotations

import errno
import gc
import os
from datetime import date
from pathlib import Path
from typing import Any, Literal

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel, file_sort_key
from mkdocs.utils import nest_paths

from northstar import git
from northstar.build import STYLESHEET, STYLESHEET_PATH, Builder, Built, Settings, terminal_progress
from northstar.check import UsageError
from northstar.history.timeline import History, Unavailable
from northstar.model import Band
from northstar.model import Settings as PlanSettings
from northstar.pages import PAGES, NavItem, PageSource, Renderer, SiteOptions, Urls, problems_page
from northstar.pages.labels import LABELS
from northstar.pages.render import OVERRIDE_DIR
from northstar.pages.site import nav_config, nav_paths
from northstar.problems import did_you_mean

log = get_plugin_logger(__name__)
_WRITE_ERRORS = frozenset({errno.ENOSPC, errno.EFBIG, errno.EDQUOT, errno.EROFS, errno.EACCES})
"""What writing the site can meet: a full disk or quota, a too-large file, no permission."""


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
    as_of = c.Optional(c.Type((str, date)))
    """Judge dates as of this day, YYYY-MM-DD, quoted or not (default: the plan's last commit)."""
    score_bands = c.Optional(c.ListOfItems(c.Type(dict)))
    """Replaces the score bands of northstar.yml: a list of {id, label, min}."""
    labels = c.Type(dict, default={})
    """Words shown on the pages, by key, for non-English sites (see the configuration docs)."""
    churn_threshold = c.Type(int, default=1)
    """The change log warns when strategy changed more often than this in `churn_window_months`."""
    churn_window_months = c.Type(int, default=12)
    nav_limit = c.Type(int, default=50)
    """A Teams or People section with more pages than this lists only its index in the navigation."""


class NorthstarPlugin(BasePlugin[NorthstarConfig]):
    """Generates the plan pages. Keeps parsed files and history across `mkdocs serve` rebuilds."""

    def __init__(self) -> None:
        self.command: str = "build"
        self.builder: Builder | None = None
        self.built: Built | None = None
        self.last_paths: list[str] = []
        self.base = Path()

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        self.command = command  # defining on_startup keeps this instance across serve rebuilds

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        unknown = sorted(set(self.config.labels) - set(LABELS))
        if unknown:
            hint = did_you_mean(unknown[0], LABELS)
            raise PluginError(f"northstar: unknown label {unknown[0]!r}{hint}; see the configuration docs")
        self.base = Path(config.config_file_path or ".").resolve().parent
        root = self.base / self.config.plan_dir
        if self.builder is None or self.builder.root != root:
            self.builder = Builder(root, terminal_progress())
        if STYLESHEET_PATH not in config.extra_css:
            config.extra_css.append(STYLESHEET_PATH)
        return config

    def on_serve(self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        if self.builder is not None:
            server.watch(str(self.builder.root))
            for path in git.watched_paths(self.builder.root):  # a commit changes the change log
                server.watch(str(path))
        return server

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """Check the plan before MkDocs touches site_dir, so an invalid plan never half-builds."""
        assert self.builder is not None  # noqa: S101 - on_config always runs first
        custom_dir = config.theme.custom_dir
        settings = Settings(
            path=self.config.path,
            directory_urls=config.use_directory_urls,
            pages=tuple(self.config.pages),
            labels=self._labels(),
            period=self.config.period,
            as_of=self._as_of(),
            bands=_bands(self.config.score_bands),
            churn_threshold=self.config.churn_threshold,
            churn_window_months=self.config.churn_window_months,
            nav_limit=self.config.nav_limit,
            template_dirs=(Path(custom_dir),) if custom_dir else (),
        )
        try:
            built = self.built = self.builder.build(settings)
        except UsageError as exc:
            raise PluginError(f"northstar: {exc}") from None
        for found in built.report.problems:
            (log.error if found.severity == "error" else log.warning)(str(found.relative_to(self.base)))
        if built.report.errors and self.command != "serve":
            count = len(built.report.errors)
            raise PluginError(f"northstar: the plan has {count} error{'s' * (count != 1)}; fix them to build")
        if isinstance(built.history, Unavailable):
            log.info(f"no change log: {built.history.reason}")
        elif isinstance(built.history, History) and built.history.shallow:
            log.warning(
                "the repository is a shallow clone, so the change log and archive miss older history; "
                "fetch all of it (fetch-depth: 0 in the checkout step)"
            )
        if built.site is not None:
            self.last_paths = [p.path for p in built.site.pages]

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        if self.built is None:
            return files
        self._add_pages(files, config, self.built)
        if self.command != "serve":
            # MkDocs holds every page from here on; a one-off build needs nothing of ours any more
            # (the parsed plan, its views, the history), so free it before the pages are rendered.
            self.built = self.builder = None
            # Then collect in full. The collector skips full collections until the objects kept
            # since the last one reach a quarter of what it found alive then; counted while the
            # plan was alive, that quarter is not reached again while MkDocs renders, and the
            # cycles MkDocs leaves per page pile up (70 MB more at peak on a thousand teams).
            gc.collect()
        return files

    def _add_pages(self, files: Files, config: MkDocsConfig, built: Built) -> None:
        site = built.site
        if site is None:  # invalid plan under serve: every plan page lists the problems
            shown = [p.relative_to(self.base) for p in built.report.problems]
            urls = Urls(self.config.path.strip("/"), config.use_directory_urls)
            options = SiteOptions(labels=self._labels())
            paths = self.last_paths or [urls.path("strategy")]
            pages = [problems_page(path, shown, options, Renderer()) for path in paths]
        else:
            pages = site.pages
        in_nav = set(nav_paths(nav_config(site.nav))) if site is not None else set()
        for page in pages:
            _add(files, config, page, InclusionLevel.NOT_IN_NAV if in_nav and page.path not in in_nav else None)
        files.append(File.generated(config, STYLESHEET_PATH, abs_src_path=str(STYLESHEET)))
        if built.export is not None:
            files.append(File.generated(config, built.export[0], content=built.export[1]))
        if site is not None:
            self._add_nav(files, config, site.nav, {p.path for p in pages})

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """MkDocs copies a theme's non-HTML files into the site: keep template overrides out of it."""
        custom_dir = config.theme.custom_dir
        if not custom_dir:
            return
        for template in (Path(custom_dir) / OVERRIDE_DIR).glob("*.jinja"):
            (Path(config.site_dir) / OVERRIDE_DIR / template.name).unlink(missing_ok=True)

    def on_build_error(self, *, error: Exception) -> None:
        """A full or read-only disk while MkDocs writes the site: one clear line, not a traceback."""
        if isinstance(error, OSError) and error.errno in _WRITE_ERRORS:
            where = error.filename2 or error.filename
            shown = os.path.relpath(where, self.base) if isinstance(where, str) else "the site folder"
            raise Abort(
                f"northstar: could not write the site: {error.strerror} ({shown}); "
                "free some space (or fix the folder's permissions) and build again"
            ) from None

    def _add_nav(self, files: Files, config: MkDocsConfig, nav: NavItem, ours: set[str]) -> None:
        section = nav_config(nav, self.config.nav_title)
        if config.nav is None:
            theirs = sorted(
                (f for f in files.documentation_pages() if f.src_uri not in ours and f.inclusion.is_in_nav()),
                key=file_sort_key,
            )
            config.nav = [*nest_paths(f.src_uri for f in theirs), section]
        elif not any(path in ours for path in nav_paths(config.nav)):
            config.nav = [*config.nav, section]

    def _labels(self) -> dict[str, str]:
        return {**LABELS, **{k: str(v) for k, v in self.config.labels.items()}}

    def _as_of(self) -> date | None:
        value = self.config.as_of
        if not value:
            return None
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            msg = f"northstar: as_of must be a date written YYYY-MM-DD, got {value!r}"
            raise PluginError(msg) from None


def _add(files: Files, config: MkDocsConfig, page: PageSource, inclusion: InclusionLevel | None) -> None:
    existing = files.get_file_from_path(page.path)
    if existing is not None and existing.generated_by is None:
        raise PluginError(
            f"northstar: {config.docs_dir}/{page.path} exists, and Northstar generates that page; "
            "rename it or set `path:` in the plugin options to put the plan pages in a folder"
        )
    level = inclusion or InclusionLevel.INCLUDED
    files.append(File.generated(config, page.path, content=page.content, inclusion=level))


def _bands(bands: list[dict[str, Any]] | None) -> tuple[Band, ...] | None:
    if bands is None:
        return None
    try:
        return tuple(PlanSettings.model_validate({"score_bands": bands}).score_bands)
    except ValueError as exc:
        raise PluginError(f"northstar: score_bands: {exc}") from None
