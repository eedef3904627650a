"""From a plan folder to a checked plan, its history and its pages.

The MkDocs adapter and `northstar render` both call this, so a site built by MkDocs and a folder
of Markdown for another generator are the same pages. A `Builder` keeps parsed files and the
history between builds (as `mkdocs serve` rebuilds).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from mkdocs_northstar import git
from mkdocs_northstar.check import Report, UsageError, check_plan, judged_as_of, plan_version
from mkdocs_northstar.export import export_json
from mkdocs_northstar.history.timeline import History, Unavailable, update
from mkdocs_northstar.load.plan import FileCache
from mkdocs_northstar.model import Band
from mkdocs_northstar.pages import (
    PAGES,
    PageSource,
    Renderer,
    Site,
    SiteOptions,
    Urls,
    Version,
    prepare_site,
    problems_page,
)
from mkdocs_northstar.pages.labels import LABELS

Progress = Callable[[str, int, int], None]
"""Reports long work: (what, done, total)."""

STYLESHEET = Path(__file__).parent / "assets" / "northstar.css"
STYLESHEET_PATH = "assets/northstar/northstar.css"
BANNER_LIMIT = 10
"""How many of the plan's warnings and notices the serve banner lists; it counts the rest."""


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
    techdocs: bool = False
    """Built for Backstage TechDocs (the site runs `techdocs-core`), whose reader removes the one-page
    plan's print button: the page links its PDF instead, if `one_page_pdf` (mkdocs_northstar.techdocs)."""
    one_page_pdf: bool = True
    show_problems: Path | None = None
    """Under `mkdocs serve`: the plan's warnings and notices at the top of every page, their files
    shown relative to this folder. None (a build) leaves the pages as they are."""


@dataclass(frozen=True)
class Built:
    report: Report
    site: Site | None
    """None when the plan has errors."""
    history: History | Unavailable | None
    state: git.PlanState
    export: PageSource | None = None
    """The plan export (UTF-8 JSON) published beside the pages; None when the plan has errors."""


class Builder:
    """Builds the plan under `root`, keeping parsed files and the history for the next build."""

    def __init__(self, root: Path, progress: Progress | bool | None = None) -> None:
        """`progress` hears long work; True shows it on an interactive terminal (see `terminal_progress`)."""
        self.root = root
        progress = terminal_progress() if progress is True else progress or None
        self.cache = FileCache()
        self.history: History | Unavailable | None = None
        self.progress = progress

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
        shown = (state.commit or settings.labels["unversioned"]) + (f" ({state.date})" if state.date else "")
        options = SiteOptions(
            urls=Urls(settings.path.strip("/"), settings.directory_urls),
            pages=tuple(p for p in PAGES if p in settings.pages),
            labels=settings.labels,
            version=Version(shown, state.dirty),
            period=settings.period,
            bands=settings.bands,
            churn_threshold=settings.churn_threshold,
            churn_window_months=settings.churn_window_months,
            nav_limit=settings.nav_limit,
            techdocs=settings.techdocs,
            one_page_pdf=settings.one_page_pdf,
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
        banner = _banner(report, settings, renderer)
        site = prepared.finish([_under_title(banner, page.render()) for page in prepared.pages])
        exported = export_json(report, version=label, period=settings.period, bands=settings.bands, compact=True)
        export_path = "/".join(p for p in (settings.path.strip("/"), "plan.json") if p)
        return Built(report, site, history, state, PageSource(export_path, "plan.json", exported.encode("utf-8")))


def _banner(report: Report, settings: Settings, renderer: Renderer) -> bytes:
    """What goes under every page's title: the plan's warnings and notices, when asked for and there
    are any. Only the first `BANNER_LIMIT` are listed, warnings first, so a plan with thousands of
    notices adds a few kilobytes to each page rather than thousands of lines (`northstar check`
    lists them all)."""
    if settings.show_problems is None or not report.problems:
        return b""
    ranked = sorted(report.problems, key=lambda p: p.severity != "warning")  # stable: file order kept within
    shown = [p.relative_to(settings.show_problems) for p in ranked[:BANNER_LIMIT]]
    return renderer.render(
        "_problems_banner.md.jinja",
        problems=shown,
        warnings=len(report.warnings),
        notices=sum(p.severity == "notice" for p in report.problems),
        more=len(ranked) - len(shown),
        labels=settings.labels,
    ).encode("utf-8")


def _under_title(banner: bytes, page: bytes) -> bytes:
    """`banner` under the title of `page`: after its front matter, which must stay first, and after
    its `# ` heading, which MkDocs takes as the page's title only when it comes first."""
    if not banner:
        return page
    start = page.find(b"\n---\n", 3) + 5 if page.startswith(b"---\n") and page.find(b"\n---\n", 3) > 0 else 0
    if page.startswith(b"# ", start) and (end := page.find(b"\n", start)) > 0:
        start = end + 1
    return page[:start] + b"\n" + banner + b"\n" + page[start:]


def history_message(history: History | Unavailable | None) -> tuple[bool, str] | None:
    """What to say about the change log, if anything: (whether it is a warning, the text).

    A warning when git refused the repository or the clone is shallow: `--strict` then fails
    rather than publish a site without its history. Information when there is simply no git.
    """
    if isinstance(history, Unavailable):
        return history.refused, f"no change log: {history.reason}"
    if isinstance(history, History) and history.shallow:
        return True, (
            "the repository is a shallow clone, so the change log and archive miss older history; "
            "fetch all of it (fetch-depth: 0 in the checkout step)"
        )
    return None


def problem_pages(report: Report, settings: Settings, paths: Sequence[str], base: Path) -> list[PageSource]:
    """What `mkdocs serve` shows of an invalid plan: each of `paths` (the pages it showed last, else
    the strategy page) lists the problems, their files relative to `base`."""
    shown = [p.relative_to(base) for p in report.problems]
    options = SiteOptions(labels=settings.labels)
    paths = paths or [Urls(settings.path.strip("/"), settings.directory_urls).path("strategy")]
    return [problems_page(path, shown, options, Renderer()) for path in paths]


def terminal_progress() -> Progress | None:
    """A one-line progress display on an interactive terminal; None in CI or when output is piped."""
    if not sys.stderr.isatty() or os.environ.get("CI"):
        return None

    def show(what: str, done: int, total: int) -> None:
        end = "\n" if done >= total else ""
        sys.stderr.write(f"\r\x1b[2K[northstar] {what}: {done}/{total}{end}")
        sys.stderr.flush()

    return show
