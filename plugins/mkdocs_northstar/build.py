"""From a plan folder to a checked plan, its history and its pages.

The MkDocs adapter and `northstar render` both call this, so a site built by MkDocs and a folder
of Markdown for another generator are the same pages. A `Builder` keeps parsed files and the
history between builds (as `mkdocs serve` rebuilds).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from mkdocs_northstar import collector, git
from mkdocs_northstar.check import Report, UsageError, check_plan, judged_as_of, plan_version
from mkdocs_northstar.export import export_json
from mkdocs_northstar.history.timeline import History, Unavailable, update
from mkdocs_northstar.load.plan import FileCache
from mkdocs_northstar.model import Band
from mkdocs_northstar.pages import PAGES, PageSource, Renderer, Site, SiteOptions, Urls, Version, prepare_site
from mkdocs_northstar.pages.labels import LABELS
from mkdocs_northstar.parallel import Results

Progress = Callable[[str, int, int], None]
"""Reports long work: (what, done, total)."""

STYLESHEET = Path(__file__).parent / "assets" / "northstar.css"
STYLESHEET_PATH = "assets/northstar/northstar.css"


@dataclass(frozen=True)
class Settings:
    """What to build: where pages go and how they read. Mirrors the plugin's options."""

    path: str = ""
    directory_urls: bool = True
    pages: tuple[str, ...] = PAGES
    labels: Mapping[str, str] = field(default_factory=lambda: dict(LABELS))
    period: str | None = None
    as_of: date | None = None
    bands: tuple[Band, ...] | None = None
    churn_threshold: int = 1
    churn_window_months: int = 12
    nav_limit: int = 50
    template_dirs: tuple[Path, ...] = ()
    parallel: bool = True
    """Render ahead in a second process where that can help (see `mkdocs_northstar.parallel`)."""


@dataclass(frozen=True)
class Built:
    report: Report
    site: Site | None
    """None when the plan has errors."""
    history: History | Unavailable | None
    state: git.PlanState
    export: PageSource | None = None
    """The plan export (UTF-8 JSON) published beside the pages; None when the plan has errors."""
    results: Results | None = None
    """What renders the pages and the export, perhaps ahead in another process; None when the plan has errors."""


class Builder:
    """Builds the plan under `root`, keeping parsed files and the history for the next build."""

    def __init__(self, root: Path, progress: Progress | None = None) -> None:
        self.root = root
        self.cache = FileCache()
        self.history: History | Unavailable | None = None
        self.progress = progress

    @collector.paused()
    def build(self, settings: Settings) -> Built:
        """Check the plan; when it is valid, read its history (if pages need it) and render every page.

        Raises:
            mkdocs_northstar.check.UsageError: `settings.period` names no quarter of the plan.
        """
        state = plan_version(self.root)
        as_of = settings.as_of or judged_as_of(state)
        report = check_plan(self.root, as_of=as_of, period=settings.period, cache=self.cache)
        if report.errors:
            return Built(report, None, self.history, state)
        history = None
        if {"changes", "archive"} & set(settings.pages):
            previous = self.history if isinstance(self.history, History) else None
            history = self.history = update(
                self.root, previous, progress=self.progress, known=self.cache.parsed_blob, parts=self.cache.parts
            )
        label = (state.commit or "unversioned") + (f" ({state.date})" if state.date else "")
        options = SiteOptions(
            urls=Urls(settings.path.strip("/"), settings.directory_urls),
            pages=tuple(p for p in PAGES if p in settings.pages),
            labels=settings.labels,
            version=Version(label, state.dirty),
            period=settings.period,
            bands=settings.bands,
            churn_threshold=settings.churn_threshold,
            churn_window_months=settings.churn_window_months,
            nav_limit=settings.nav_limit,
            progress=self.progress,
        )
        renderer = Renderer(settings.template_dirs)
        prepared = prepare_site(report, options, renderer, history)
        limit = report.plan.settings.max_pages
        if len(prepared.pages) > limit:
            raise UsageError(
                f"the plan would make {len(prepared.pages):,} pages, more than max_pages ({limit:,}); "
                "raise max_pages in northstar.yml if the plan is really that large"
            )

        def export() -> bytes:
            text = export_json(report, version=label, period=settings.period, bands=settings.bands, compact=True)
            return text.encode("utf-8")

        # the pages in the order MkDocs reads them, and the export, which it copies after them, last
        results = Results([*(page.render for page in prepared.pages), export], parallel=settings.parallel)
        renderer.forget()
        *contents, exported = (results.getter(i) for i in range(len(results)))
        export_path = "/".join(p for p in (settings.path.strip("/"), "plan.json") if p)
        site = prepared.finish(contents)
        return Built(report, site, history, state, PageSource(export_path, "plan.json", exported), results)


def terminal_progress() -> Progress | None:
    """A one-line progress display on an interactive terminal; None in CI or when output is piped."""
    if not sys.stderr.isatty() or os.environ.get("CI"):
        return None

    def show(what: str, done: int, total: int) -> None:
        end = "\n" if done >= total else ""
        sys.stderr.write(f"\r\x1b[2K[northstar] {what}: {done}/{total}{end}")
        sys.stderr.flush()

    return show
