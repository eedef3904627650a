"""What readers see, in real headless Chromium: accessibility (axe-core) in light and dark at desktop
and phone widths, no sideways scroll on a phone, and Material's instant navigation through the pages."""

from __future__ import annotations

import functools
import http.server
import io
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import axe_playwright_python
import pytest
from playwright.sync_api import Browser, Page
from pypdf import PdfReader

from tests.site_helpers import copy_project, git, mkdocs, northstar, require_browser

pytestmark = pytest.mark.browser

require_browser()

GENERATED = (
    "strategy",
    "decisions",
    "one-page-plan",
    "teams",
    "scorecard",
    "reviews",
    "alignment",
    "people",
    "changes",
)
"""The example's generated sections (its guide pages are the site's own, not Northstar's)."""
EACH_TEMPLATE = (
    "strategy/",
    "decisions/",
    "decisions/yearly-review-2026/",
    "one-page-plan/",
    "teams/",
    "teams/sales/",
    "scorecard/",
    "reviews/week/",
    "reviews/month/",
    "reviews/quarter/",
    "alignment/",
    "people/",
    "people/maya-chen/",
    "changes/",
)
"""One page rendered by each page template."""
WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
PHONE, DESKTOP = 390, 1400
SCHEMES = {"light": "default", "dark": "slate"}
"""The reader's colour scheme -> the theme's palette for it (the example's palette follows the system)."""
HEADING = "document.querySelector('article h1')?.textContent.replace('¶', '').trim()"
"""The page's title, without the theme's permalink mark."""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """The example, built with Material's instant navigation and light/dark palette, served on
    127.0.0.1. Its `site_url` is set to where it is served: instant navigation only takes links
    that its sitemap lists, and matches them by host and port."""
    project = copy_project(tmp_path_factory.mktemp("readable"))
    drafted = northstar("new-quarter", "2027-q1", cwd=project)  # next quarter, written ahead: a draft
    assert drafted.returncode == 0, drafted.stderr
    git("add", ".", cwd=project)
    git("commit", "-q", "-m", "Q1 2027 drafted", cwd=project)
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(project / "site"))
    )
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r"(?m)^site_url: .*$", f"site_url: {base}", text), encoding="utf-8")
    done = mkdocs("build", "--strict", cwd=project)
    assert done.returncode == 0, done.stderr
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield project / "site", base
    server.shutdown()
    server.server_close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return


def _pages(site: Path) -> list[str]:
    """Every generated page, but one past week of the reviews: they share this week's template."""
    pages = [
        path.parent.relative_to(site).as_posix() + "/"
        for section in GENERATED
        for path in sorted((site / section).rglob("index.html"))
    ]
    past_weeks = sorted(p for p in pages if p.startswith("reviews/20"))
    return [*(p for p in pages if p not in past_weeks[:-1]), *DRAFT]


DRAFT = ("next/2027-q1/teams/", "next/2027-q1/teams/sales/", "next/2027-q1/one-page-plan/")
"""Next quarter's draft: the same templates, with the draft's banner."""


AXE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
"""axe-core, as the axe-playwright-python package ships it: loaded into each page before it runs."""
CORNERS = [(DESKTOP, "light"), (DESKTOP, "dark"), (PHONE, "light"), (PHONE, "dark")]
SHARDS = 4
"""The pages are checked in this many groups, so that test workers share them."""


def _serious(page: Page) -> list[str]:
    """axe-core's serious and critical WCAG 2.1 A/AA violations in the page's content."""
    found: list[str] = page.evaluate(
        """options => axe.run({include: [['.md-content']]}, options).then(r => r.violations
             .filter(v => v.impact === 'serious' || v.impact === 'critical')
             .flatMap(v => v.nodes.map(n => v.id + ': ' + n.html.slice(0, 160))))""",
        {**WCAG_AA, "resultTypes": ["violations"]},
    )
    return found


@pytest.mark.parametrize("shard", range(SHARDS))
def test_every_page_passes_axe_in_light_and_dark_on_desktop_and_phone(
    site: tuple[Path, str], browser: Browser, shard: int
) -> None:
    """Every generated page, in each corner (light and dark, 1,400 and 390 px), has no serious
    accessibility violation; and on a phone, no page scrolls sideways. The theme follows a change
    of colour scheme and width without a reload, so each page loads once."""
    root, base = site
    pages = _pages(root)
    assert len(pages) >= 40 and set(EACH_TEMPLATE) <= set(pages)
    context = browser.new_context()
    context.add_init_script(script=AXE)
    tab = context.new_page()
    found: dict[str, list[str]] = {}
    for url in pages[shard::SHARDS]:
        tab.set_viewport_size({"width": DESKTOP, "height": 900})
        tab.emulate_media(color_scheme="light")
        tab.goto(base + url)
        for width, scheme in CORNERS:
            tab.set_viewport_size({"width": width, "height": 900})
            tab.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
            tab.wait_for_function("s => document.body.dataset.mdColorScheme === s", arg=SCHEMES[scheme])
            problems = _serious(tab)
            if width == PHONE and tab.evaluate("document.documentElement.scrollWidth > window.innerWidth"):
                problems.append(f"scrolls sideways: {tab.evaluate('document.documentElement.scrollWidth')} px wide")
            if problems:
                found[f"{url} at {width} px, {scheme}"] = problems
    context.close()
    assert found == {}


def test_instant_navigation_shows_each_page_and_still_prints_one_sheet(
    site: tuple[Path, str], browser: Browser
) -> None:
    """With `navigation.instant`, each click must change the page, not only the address, through
    the pages that once froze it (the alignment diagram's SVG links did); and the one-page plan
    reached that way still prints on one landscape sheet."""
    _, base = site
    tab = browser.new_page(viewport={"width": DESKTOP, "height": 900})
    tab.goto(base + "strategy/")
    features = tab.evaluate("JSON.parse(document.getElementById('__config').textContent).features")
    assert "navigation.instant" in features
    tab.evaluate("window.nsFirstLoad = true")  # gone if a click loads a whole new document
    for title, url, heading in [
        ("Alignment", "alignment/", "Alignment"),
        ("Teams", "teams/", "Teams"),
        ("People", "people/", "People"),
        ("One-page plan", "one-page-plan/", "Kestrel Freight: One-page plan"),
    ]:
        tab.locator(".md-sidebar--primary a.md-nav__link", has_text=re.compile(rf"^\s*{title}\s*$")).first.click()
        tab.wait_for_url(base + url)
        tab.wait_for_function(f"h => {HEADING} === h", arg=heading)
        assert tab.evaluate("window.nsFirstLoad === true"), f"{title} was loaded as a new document"
    tab.emulate_media(media="print")
    reader = PdfReader(io.BytesIO(tab.pdf(format="A4", landscape=True, print_background=True)))
    assert len(reader.pages) == 1
    tab.close()


def test_key_results_rocks_and_kpis_become_cards_on_a_phone(site: tuple[Path, str], browser: Browser) -> None:
    _, base = site
    shown = "sel => [...document.querySelectorAll(sel + ' tbody tr')].map(tr => getComputedStyle(tr).display)"
    for width, display in [(PHONE, "block"), (DESKTOP, "table-row")]:
        tab = browser.new_page(viewport={"width": width, "height": 900})
        tab.goto(base + "teams/sales/")
        for table in ("table.ns-krs", "table.ns-rocks", "table.ns-kpis"):
            rows = tab.evaluate(shown, table)
            assert rows and set(rows) == {display}, (table, width)
        labels = tab.evaluate(
            "[...document.querySelectorAll('table.ns-rocks td[data-label]')].map(td => td.dataset.label)"
        )
        assert labels[:3] == ["Owner", "Due", "Status"]
        tab.close()
