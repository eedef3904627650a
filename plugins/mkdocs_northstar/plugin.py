"""The MkDocs adapter: unpacks MkDocs objects and calls the core. Options: docs/guide/configuration.md."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from mkdocs.config import config_options as c
from mkdocs.config.base import BaseConfigOption, Config, ValidationError
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel, file_sort_key
from mkdocs.utils import nest_paths

from mkdocs_northstar import collector, git
from mkdocs_northstar.build import STYLESHEET, STYLESHEET_PATH, Builder, Built, Settings, history_message, problem_pages
from mkdocs_northstar.check import UsageError
from mkdocs_northstar.dates import parse_day
from mkdocs_northstar.model import score_bands
from mkdocs_northstar.pages import PAGES, PageSource
from mkdocs_northstar.pages.labels import overrides
from mkdocs_northstar.pages.render import OVERRIDE_DIR
from mkdocs_northstar.pages.site import nav_config, nav_paths
from mkdocs_northstar.serve_watch import PlanWatch
from mkdocs_northstar.site_config import settings_for
from mkdocs_northstar.techdocs import techdocs_inliner
from mkdocs_northstar.writes import UnsafeOutputError, check_plan_outside_docs, check_site_dir, inner_path

if TYPE_CHECKING:  # the server (and the HTTP and file-watching modules it needs) is for serve only
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.pages import Page

log = get_plugin_logger("northstar")  # messages read "northstar: ...", the plugin's name in mkdocs.yml
_WRITE_ERRORS = frozenset({errno.ENOSPC, errno.EFBIG, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM})
"""What writing the site can meet: a full disk or quota, a too-large file, no permission."""
_LOG = {"error": log.error, "warning": log.warning, "notice": log.info}  # a notice never fails --strict
T = TypeVar("T")


class _Parsed(BaseConfigOption[T]):
    """An option read by `parse`, whose ValueError MkDocs reports with the option's name."""

    def __init__(self, parse: Callable[[Any], T], default: T | None = None) -> None:
        super().__init__()
        self.parse, self.default = parse, default

    def run_validation(self, value: object) -> T:
        try:
            return self.parse(value)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None


class NorthstarConfig(Config):
    plan_dir = c.Type(str, default="plan")
    path = c.Type(str, default="")
    nav_title = c.Optional(c.Type(str))
    pages = c.ListOfItems(c.Choice(PAGES), default=list(PAGES))
    period = c.Optional(c.Type(str))
    as_of = c.Optional(_Parsed(parse_day))
    score_bands = c.Optional(_Parsed(score_bands))
    labels: _Parsed[dict[str, str]] = _Parsed(overrides, default={})
    churn_threshold = c.Type(int, default=1)
    churn_window_months = c.Type(int, default=12)
    nav_limit = c.Type(int, default=50)
    one_page_pdf = c.Type(bool, default=True)
    parallel = c.Deprecated(message="'parallel' has no effect any more: pages are rendered in the build's own process")


class NorthstarPlugin(BasePlugin[NorthstarConfig]):
    """Generates the plan pages. Keeps parsed files and history across `mkdocs serve` rebuilds."""

    def __init__(self) -> None:
        self.command = "build"
        self.builder: Builder | None = None
        self.built: Built | None = None
        self.last_paths: list[str] = []
        self.base = Path()
        self.watch: PlanWatch | None = None
        self.settings = Settings()
        self.ours: frozenset[str] = frozenset()  # the source paths of the pages this build generated
        self.inliner: Callable[[str], str] | None = None  # a TechDocs build's: styles into plan pages' attributes

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        self.command = command  # defining on_startup keeps this instance across serve rebuilds

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.base = Path(config.config_file_path or ".").resolve().parent
        root = self.base / self.config.plan_dir
        try:  # before MkDocs empties site_dir: it must not hold the user's files
            check_site_dir(Path(config.site_dir), project=self.base, plan_dir=root, git_dir=git.git_dir(self.base))
            check_plan_outside_docs(root, Path(config.docs_dir), self.base)
            inner_path(self.config.path, "path")
        except UnsafeOutputError as exc:
            raise PluginError(f"northstar: {exc}; change it in mkdocs.yml") from None
        if self.builder is None or self.builder.root != root:
            self.builder = Builder(root, progress=True)
        if STYLESHEET_PATH not in config.extra_css:
            config.extra_css.append(STYLESHEET_PATH)
        return config

    def on_serve(self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        if self.builder is not None:
            root = self.builder.root  # plan/ removed and restored is seen; a commit changes the change log
            self.watch = PlanWatch(server, root, also=git.watched_paths(root))
        return server

    def on_shutdown(self) -> None:
        if self.watch is not None:
            self.watch.close()

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """Check the plan before MkDocs touches site_dir, so an invalid plan never half-builds."""
        assert self.builder is not None  # noqa: S101 - on_config always runs first
        show = self.base if self.command == "serve" else None
        settings = self.settings = settings_for(self.config, config, show)
        self.inliner = (self.inliner or techdocs_inliner(STYLESHEET)) if settings.techdocs else None  # kept in serve
        try:
            built = self.built = self.builder.build(settings)
        except UsageError as exc:
            raise PluginError(f"northstar: {exc}") from None
        for found in built.report.problems:
            _LOG[found.severity](str(found.relative_to(self.base)))
        if built.report.errors and self.command != "serve":
            count = len(built.report.errors)
            raise PluginError(f"northstar: the plan has {count} error{'s' * (count != 1)}; fix them to build")
        if (said := history_message(built.history)) is not None:  # git refusing the repository fails --strict
            (log.warning if said[0] else log.info)(said[1])
        if built.site is not None and self.command == "serve":
            self.last_paths = [p.path for p in built.site.pages]

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        built, self.built = self.built, None  # MkDocs holds the pages now: a serve keeps only the caches
        if built is None:
            return files
        self._add_files(files, config, built)
        if self.command != "serve":  # a one-off build lets the plan go as well
            self.builder = None
        built = None
        collector.release()  # the views hold cycles: freed now, MkDocs reuses their memory (L: 522 -> 475 MB peak)
        return files

    def _add_files(self, files: Files, config: MkDocsConfig, built: Built) -> None:
        section = None
        if built.site is None:  # invalid plan under serve: every plan page lists the problems
            pages = problem_pages(built.report, self.settings, self.last_paths, self.base)
        else:
            section = nav_config(built.site.nav, self.config.nav_title)
            pages = [*built.site.pages, *([built.export] if built.export else [])]
        in_nav = set(nav_paths(section)) if section else {p.path for p in pages}
        self.ours = frozenset(p.path for p in pages)
        for page in pages:
            _add(files, config, page, InclusionLevel.INCLUDED if page.path in in_nav else InclusionLevel.NOT_IN_NAV)
        files.append(File.generated(config, STYLESHEET_PATH, abs_src_path=str(STYLESHEET)))
        if section is not None:
            self._add_nav(files, config, section, frozenset(p.path for p in pages))

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        """In a TechDocs build, each plan page carries its styles in style attributes (techdocs.py)."""
        return self.inliner(output) if self.inliner is not None and page.file.src_uri in self.ours else output

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """MkDocs copies a theme's non-HTML files into the site: keep template overrides out of it."""
        if custom_dir := config.theme.custom_dir:
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

    def _add_nav(self, files: Files, config: MkDocsConfig, section: dict[str, Any], ours: frozenset[str]) -> None:
        if config.nav is None:
            theirs = (f for f in files.documentation_pages() if f.src_uri not in ours and f.inclusion.is_in_nav())
            config.nav = [*nest_paths(f.src_uri for f in sorted(theirs, key=file_sort_key)), section]
        elif not any(path in ours for path in nav_paths(config.nav)):
            config.nav = [*config.nav, section]


def _add(files: Files, config: MkDocsConfig, page: PageSource, inclusion: InclusionLevel) -> None:
    """Add one generated file; a page the user wrote at that path is never replaced."""
    existing = files.get_file_from_path(page.path)
    if existing is not None and existing.generated_by is None:
        raise PluginError(
            f"northstar: {config.docs_dir}/{page.path} exists, and Northstar generates that page; "
            "rename it or set `path:` in the plugin options to put the plan pages in a folder"
        )
    files.append(File.generated(config, page.path, content=page.content, inclusion=inclusion))
