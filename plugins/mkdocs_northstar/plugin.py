"""The MkDocs adapter: unpacks MkDocs objects and calls the core. Nothing else lives here."""

from __future__ import annotations

import errno
import os
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel, file_sort_key
from mkdocs.structure.pages import Page
from mkdocs.utils import nest_paths

from mkdocs_northstar import collector, git
from mkdocs_northstar.build import STYLESHEET, STYLESHEET_PATH, Builder, Built, Settings, terminal_progress
from mkdocs_northstar.check import UsageError
from mkdocs_northstar.history.timeline import History, Unavailable
from mkdocs_northstar.mkdocs_files import Source, add_file, renewed
from mkdocs_northstar.model import Band
from mkdocs_northstar.model import Settings as PlanSettings
from mkdocs_northstar.pages import PAGES, PageSource, Renderer, SiteOptions, Urls, problems_page
from mkdocs_northstar.pages.labels import LABELS
from mkdocs_northstar.pages.render import OVERRIDE_DIR
from mkdocs_northstar.pages.site import nav_config, nav_paths
from mkdocs_northstar.parallel import Results
from mkdocs_northstar.problems import did_you_mean
from mkdocs_northstar.serve_watch import PlanWatch
from mkdocs_northstar.writes import UnsafeOutputError, check_plan_outside_docs, check_site_dir, inner_path

if TYPE_CHECKING:  # the server (and the HTTP and file-watching modules it needs) is for serve only
    from mkdocs.livereload import LiveReloadServer

log = get_plugin_logger("northstar")  # messages read "northstar: ...", the plugin's name in mkdocs.yml
_WRITE_ERRORS = frozenset({errno.ENOSPC, errno.EFBIG, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM})
"""What writing the site can meet: a full disk or quota, a too-large file, no permission (or an
operation the file system does not permit, such as replacing an immutable file)."""


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
    parallel = c.Type(bool, default=True)
    """Render in two processes where the system allows it (see `mkdocs_northstar.parallel`)."""


class NorthstarPlugin(BasePlugin[NorthstarConfig]):
    """Generates the plan pages. Keeps parsed files and history across `mkdocs serve` rebuilds."""

    def __init__(self) -> None:
        self.command: str = "build"
        self.builder: Builder | None = None
        self.built: Built | None = None
        self.last_paths: list[str] = []
        self.ours: frozenset[str] = frozenset()
        """The paths of the files Northstar added to this build."""
        self.results: Results | None = None
        """What renders this build's pages, perhaps ahead in another process."""
        self.base = Path()
        self.watch: PlanWatch | None = None

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        self.command = command  # defining on_startup keeps this instance across serve rebuilds

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        unknown = sorted(set(self.config.labels) - set(LABELS))
        if unknown:
            hint = did_you_mean(unknown[0], LABELS)
            raise PluginError(f"northstar: unknown label {unknown[0]!r}{hint}; see the configuration docs")
        self.base = Path(config.config_file_path or ".").resolve().parent
        root = self.base / self.config.plan_dir
        try:  # before MkDocs empties site_dir: it must not hold the user's files
            check_site_dir(Path(config.site_dir), project=self.base, plan_dir=root, git_dir=git.git_dir(self.base))
            check_plan_outside_docs(root, Path(config.docs_dir), self.base)
            inner_path(self.config.path, "path")
        except UnsafeOutputError as exc:
            raise PluginError(f"northstar: {exc}; change it in mkdocs.yml") from None
        if self.builder is None or self.builder.root != root:
            self.builder = Builder(root, terminal_progress())
        if STYLESHEET_PATH not in config.extra_css:
            config.extra_css.append(STYLESHEET_PATH)
        return config

    def on_serve(self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        if self.builder is not None:
            self.watch = PlanWatch(server, self.builder.root)  # sees plan/ removed and restored, too
            for path in git.watched_paths(self.builder.root):  # a commit changes the change log
                server.watch(str(path))
        return server

    def on_shutdown(self) -> None:
        if self.watch is not None:
            self.watch.close()

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
            parallel=self.config.parallel,
        )
        if self.command != "serve":
            collector.hold()  # until the plan is dropped in on_files: see `collector`
        try:
            built = self.built = self.builder.build(settings)
        except UsageError as exc:
            raise PluginError(f"northstar: {exc}") from None
        for found in built.report.problems:
            (log.error if found.severity == "error" else log.warning)(str(found.relative_to(self.base)))
        if built.report.errors and self.command != "serve":
            count = len(built.report.errors)
            raise PluginError(f"northstar: the plan has {count} error{'s' * (count != 1)}; fix them to build")
        if isinstance(built.history, Unavailable):  # git refusing the repository fails --strict
            (log.warning if built.history.refused else log.info)(f"no change log: {built.history.reason}")
        elif isinstance(built.history, History) and built.history.shallow:
            log.warning(
                "the repository is a shallow clone, so the change log and archive miss older history; "
                "fetch all of it (fetch-depth: 0 in the checkout step)"
            )
        if built.site is not None and self.command == "serve":
            self.last_paths = [p.path for p in built.site.pages]

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        built = self.built
        if built is None:
            return files
        generated, nav = self._generated(config, built)
        self.results = built.results
        if self.command != "serve":
            # MkDocs holds every page from here on; a one-off build needs nothing else of ours any
            # more (the parsed plan, its views, the history), so free it before the pages are rendered.
            self.built = self.builder = None
            del built
            # The page paths and titles were made among the plan's objects, and a few of them
            # kept would keep most of the plan's memory (see `collector.release`): what MkDocs
            # keeps is copied, and the originals go with the plan.
            generated, nav = renewed((generated, nav))
            collector.release()
        for path, content, inclusion in generated:
            add_file(files, config, path, content, inclusion)
        self.ours = frozenset(path for path, _, _ in generated)
        files.append(File.generated(config, STYLESHEET_PATH, abs_src_path=str(STYLESHEET)))
        if nav is not None:
            self._add_nav(files, config, nav, self.ours)
        return files

    def _generated(
        self, config: MkDocsConfig, built: Built
    ) -> tuple[list[tuple[str, Source, InclusionLevel]], dict[str, Any] | None]:
        """(path, content or what gives it, inclusion) of every file Northstar adds, and the navigation section."""
        site = built.site
        if site is None:  # invalid plan under serve: every plan page lists the problems
            shown = [p.relative_to(self.base) for p in built.report.problems]
            urls = Urls(self.config.path.strip("/"), config.use_directory_urls)
            options = SiteOptions(labels=self._labels())
            paths = self.last_paths or [urls.path("strategy")]
            pages = [problems_page(path, shown, options, Renderer()) for path in paths]
            return [(p.path, p.content, InclusionLevel.INCLUDED) for p in pages], None
        section = nav_config(site.nav, self.config.nav_title)
        in_nav = set(nav_paths(section))
        ahead = built.results is not None and built.results.ahead  # else every text is rendered already

        def text(page: PageSource) -> Source:
            return page.source if ahead else page.content

        generated = [
            (p.path, text(p), InclusionLevel.INCLUDED if p.path in in_nav else InclusionLevel.NOT_IN_NAV)
            for p in site.pages
        ]
        if built.export is not None:
            generated.append((built.export.path, text(built.export), InclusionLevel.INCLUDED))
        return generated, section

    @event_priority(100)  # first, so that `markdown` is still the page's file as MkDocs read it
    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Let a generated page's file share the page's text instead of holding a second copy.

        MkDocs keeps both a page's file and the text it read from it, each a copy, to the end of a
        build (43 MB more on a thousand teams). The file's content stays the very same text.
        """
        file = page.file
        if file.src_uri in self.ours and markdown.encode("utf-8") == file.content_bytes:
            file.content_string = markdown
        return markdown

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """MkDocs copies a theme's non-HTML files into the site: keep template overrides out of it."""
        custom_dir = config.theme.custom_dir
        if not custom_dir:
            return
        for template in (Path(custom_dir) / OVERRIDE_DIR).glob("*.jinja"):
            (Path(config.site_dir) / OVERRIDE_DIR / template.name).unlink(missing_ok=True)

    def on_build_error(self, *, error: Exception) -> None:
        """A full or read-only disk while MkDocs writes the site: one clear line, not a traceback.

        A build that failed before on_files also gets its cycle collector back (see `collector`), and
        a worker still rendering pages ahead is stopped.
        """
        if self.results is not None:
            self.results.close()
        collector.resume()
        if isinstance(error, OSError) and error.errno in _WRITE_ERRORS:
            where = error.filename2 or error.filename
            shown = os.path.relpath(where, self.base) if isinstance(where, str) else "the site folder"
            raise Abort(
                f"northstar: could not write the site: {error.strerror} ({shown}); "
                "free some space (or fix the folder's permissions) and build again"
            ) from None

    def _add_nav(self, files: Files, config: MkDocsConfig, section: dict[str, Any], ours: frozenset[str]) -> None:
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


def _bands(bands: list[dict[str, Any]] | None) -> tuple[Band, ...] | None:
    if bands is None:
        return None
    try:
        return tuple(PlanSettings.model_validate({"score_bands": bands}).score_bands)
    except ValueError as exc:
        raise PluginError(f"northstar: score_bands: {exc}") from None
