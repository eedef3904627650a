"""Backstage TechDocs as a publishing target (docs/guide/publishing.md): Northstar builds next to
`techdocs-core`, installed from the registry, in one mkdocs.yml; and its plan pages keep their
look through the TechDocs reader, run here as the reader runs it: the reader's sanitizer
(DOMPurify from the registry, with the reader's settings and link rule), then the page in a shadow
root with only the theme's stylesheet and the theme variables a portal sets from its light or dark
theme, at desktop and phone widths. The one-page plan links its PDF, which `pdf --in-site` writes."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
import yaml
from mkdocs_northstar.build import Builder, Settings
from mkdocs_northstar.pdf import serve
from playwright.sync_api import Browser, Page
from pypdf import PdfReader

from tests.conftest import ROOT
from tests.site_helpers import git, mkdocs, northstar, real_clock_environ, require_browser
from tests.test_readable import AXE, WCAG_AA

DOMPURIFY = (
    "https://registry.npmjs.org/dompurify/-/dompurify-3.5.0.tgz",
    "sha512-LYC0ZkE8P1V42JsRYTwMdme/2ET8SpOc5AA2eOFjP/IadvRd2fwiT4TVz5vkfy0XUx12aS2UaRkTnfVPNOv9vw==",
)
"""The sanitizer the TechDocs reader runs (Backstage's plugin-techdocs depends on dompurify 3),
pinned by the registry's own checksum."""

READER = """async ([html, portal]) => {
  // The reader's sanitizer: these are the settings and the link rule of Backstage's TechDocs reader.
  const theme = /main\\.[A-Fa-f0-9]{8}\\.min\\.css$/;
  const kept = href => theme.test(href) || /^https:\\/\\/fonts\\.(googleapis|gstatic)\\.com/.test(href);
  DOMPurify.addHook('beforeSanitizeElements', node => {
    if (node.nodeName === 'LINK' && !kept(node.getAttribute('href') || '')) node.remove();
    return node;
  });
  const dom = DOMPurify.sanitize(html, {
    ADD_TAGS: ['link', 'meta'], FORBID_TAGS: ['style'],
    ADD_ATTR: ['http-equiv', 'content', 'dominant-baseline'], WHOLE_DOCUMENT: true, RETURN_DOM: true,
  });
  dom.querySelector('.md-header')?.remove();  // the portal shows its own header
  // The portal's page: its text colour and background, the document in a shadow root.
  Object.assign(document.body.style, {margin: '0', color: portal['--md-default-fg-color'],
                                      background: portal['--md-default-bg-color']});
  const host = document.createElement('div');
  host.id = 'techdocs';
  document.body.append(host);
  const root = host.attachShadow({mode: 'open'});
  const loads = [...dom.querySelectorAll('link[rel=stylesheet]')].map(link => new Promise(done => {
    link.addEventListener('load', done); link.addEventListener('error', done); root.append(link);
  }));
  await Promise.all(loads);
  // The theme defines its variables on :root, which a shadow root has not: the reader sets them on
  // :host, then the ones it takes from the portal's theme.
  const own = {};
  const local = [...root.styleSheets].filter(sheet => new URL(sheet.href).origin === location.origin);
  for (const sheet of local) for (const rule of sheet.cssRules)
    if (rule.selectorText && rule.selectorText.split(',').some(s => s.trim() === ':root'))
      for (const name of rule.style) if (name.startsWith('--')) own[name] = rule.style.getPropertyValue(name);
  const style = document.createElement('style');
  const vars = Object.entries({...own, ...portal}).map(([k, v]) => `${k}: ${v};`).join(' ');
  style.textContent = `:host { ${vars} } :host > * { --md-typeset-color: var(--md-default-fg-color); }`;
  root.prepend(style);
  const body = dom.querySelector('body');
  const page = document.createElement('div');
  for (const attribute of body.attributes) page.setAttribute(attribute.name, attribute.value);
  page.append(...body.childNodes);
  root.append(page);
  return [...dom.querySelectorAll('style, script')].length;
}"""

PORTALS = {
    "light": {
        "--md-default-fg-color": "rgba(0, 0, 0, 0.87)",
        "--md-default-fg-color--light": "rgba(0, 0, 0, 0.54)",
        "--md-default-fg-color--lighter": "rgba(0, 0, 0, 0.7)",
        "--md-default-fg-color--lightest": "rgba(0, 0, 0, 0.3)",
        "--md-default-bg-color": "#f8f8f8",
        "--md-default-bg-color--light": "#ffffff",
        "--md-primary-fg-color": "#1f5493",
        "--md-accent-fg-color": "#1f5493",
        "--md-typeset-a-color": "#0a6ebe",
    },
    "dark": {
        "--md-default-fg-color": "#ffffff",
        "--md-default-fg-color--light": "rgba(255, 255, 255, 0.7)",
        "--md-default-fg-color--lighter": "rgba(255, 255, 255, 0.7)",
        "--md-default-fg-color--lightest": "rgba(255, 255, 255, 0.3)",
        "--md-default-bg-color": "#333333",
        "--md-default-bg-color--light": "#424242",
        "--md-primary-fg-color": "#9cc9ff",
        "--md-accent-fg-color": "#9cc9ff",
        "--md-typeset-a-color": "#9cc9ff",
    },
}
"""What a portal sets from its theme: Backstage's default light and dark themes."""

PAGES = (
    "strategy/",
    "one-page-plan/",
    "teams/",
    "teams/leadership/",
    "scorecard/",
    "reviews/week/",
    "reviews/quarter/",
    "alignment/",
    "people/",
    "people/ceo/",
    "changes/",
)
"""A page of each kind the scaffolded plan has."""

BARS = """() => [...document.getElementById('techdocs').shadowRoot.querySelectorAll('.ns-bar:not(.ns-empty)')]
  .map(bar => {
    const track = bar.querySelector('.ns-track'), fill = bar.querySelector('.ns-fill');
    const t = track.getBoundingClientRect(), f = getComputedStyle(fill);
    return {band: bar.className, colour: getComputedStyle(bar).color, width: t.width, height: t.height,
            border: getComputedStyle(track).borderTopStyle, fill: fill.getBoundingClientRect().width,
            share: parseFloat(fill.style.width) / 100, painted: f.backgroundColor !== 'rgba(0, 0, 0, 0)'
              || f.backgroundImage !== 'none'};
  })"""


@pytest.fixture(scope="module")
def techdocs_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new plan site (`northstar init`, in German) with a TechDocs mkdocs.yml, built by MkDocs with
    `techdocs-core` and this tree's Northstar, both installed from scratch in a new environment."""
    require_browser()  # the PDF is printed in Chromium
    tmp = tmp_path_factory.mktemp("techdocs")
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    bin_dir = venv / "bin"
    install = [str(bin_dir / "python"), "-m", "pip", "--disable-pip-version-check", "-q", "install"]
    registry = real_clock_environ()  # the package registry's certificate, on the real clock
    subprocess.run([*install, f"{ROOT}[pdf]", "mkdocs-techdocs-core"], check=True, timeout=900, env=registry)
    made = northstar(
        "init", "brightwater", "--company", "Brightwater Clinics", "--as-of", "2026-11-24", cwd=tmp, bin_dir=bin_dir
    )
    assert made.returncode == 0, made.stderr
    project = tmp / "brightwater"
    plan = project / "plan" / "execution" / "2026-q4" / "leadership.yml"  # readings in more than one band
    text = plan.read_text(encoding="utf-8")
    text = text.replace(
        "{date: 2026-11-24, value: 0, confidence: 0.6}", "{date: 2026-11-24, value: 6, confidence: 0.6}"
    )
    plan.write_text(text.replace("{date: 2026-11-24, value: 72}", "{date: 2026-11-24, value: 62}"), encoding="utf-8")
    (project / "mkdocs.yml").write_text(
        yaml.safe_dump(
            {
                "site_name": "Brightwater Clinics",
                "theme": {"name": "material", "language": "de"},
                "plugins": ["techdocs-core", "northstar"],
            }
        ),
        encoding="utf-8",
    )
    git("init", "-q", "-b", "main", cwd=project)
    git("add", ".", cwd=project)
    git("commit", "-q", "-m", "plan", cwd=project)
    build = mkdocs("build", "--strict", cwd=project, timeout=300, bin_dir=bin_dir)
    assert build.returncode == 0, build.stderr
    printed = northstar("pdf", "--in-site", cwd=project, bin_dir=bin_dir)
    assert printed.returncode == 0, printed.stderr
    assert printed.stdout.strip().endswith("site/one-page-plan/one-page-plan.pdf")
    return project / "site"


def _dompurify() -> str:
    """DOMPurify's browser build, fetched on the real clock: under faketime (test_clock.py) a
    certificate would look expired."""
    url, integrity = DOMPURIFY
    fetch = "import sys, urllib.request as u; sys.stdout.buffer.write(u.urlopen(sys.argv[1], timeout=60).read())"
    packed = subprocess.run(
        [sys.executable, "-c", fetch, url], env=real_clock_environ(), capture_output=True, check=True, timeout=120
    ).stdout
    algorithm, digest = integrity.split("-", 1)
    assert base64.b64encode(hashlib.new(algorithm, packed).digest()).decode() == digest
    with tarfile.open(fileobj=io.BytesIO(packed)) as archive:
        member = archive.extractfile("package/dist/purify.min.js")
        assert member is not None
        return member.read().decode("utf-8")


def _read(tab: Page, base: str, url: str, portal: str, purify: str) -> None:
    """Show page `url` as the TechDocs reader would, in `portal`'s theme."""
    blank = "<!doctype html><html lang='de'><head><title>TechDocs</title></head><body></body></html>"
    tab.route("**/__reader__", lambda route: route.fulfill(body=blank, content_type="text/html"))
    tab.goto(base + url + "__reader__")
    html = tab.evaluate("u => fetch(u).then(r => r.ok ? r.text() : null)", base + url)
    assert html is not None, f"{url} is not in the site"
    tab.add_script_tag(content=purify)
    left = tab.evaluate(READER, [html, PORTALS[portal]])
    assert left == 0, f"{url}: the sanitizer left a style or script element"


def _serious(tab: Page) -> list[str]:
    found: list[str] = tab.evaluate(
        """options => axe.run({include: {fromShadowDom: ['#techdocs', 'article']}}, options).then(r => [
             ...r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
               .flatMap(v => v.nodes.map(n => v.id + ': ' + n.html.slice(0, 160))),
             ...(r.passes.some(p => p.id === 'color-contrast') ? [] : ['axe checked no text in the page'])])""",
        WCAG_AA,
    )
    return found


@pytest.mark.parametrize(
    ("techdocs", "one_page_pdf", "control"),
    [
        (False, True, '<button class="ns-print" type="button" onclick="window.print()">Print</button>'),
        (True, True, '<a class="ns-print" href="one-page-plan.pdf" download>Landscape PDF</a>'),
        (True, False, None),  # nothing writes the PDF, and TechDocs would remove the button's script
    ],
)
def test_the_one_page_plan_prints_by_its_button_or_its_pdf(
    techdocs: bool, one_page_pdf: bool, control: str | None
) -> None:
    built = Builder(ROOT / "plan").build(Settings(pages=("one_page",), techdocs=techdocs, one_page_pdf=one_page_pdf))
    assert built.site is not None
    (page,) = (p.content.decode("utf-8") for p in built.site.pages if p.path == "one-page-plan.md")
    assert re.findall(r"<(?:a|button) class=\"ns-print\".*?</(?:a|button)>", page) == ([control] if control else [])


@pytest.mark.browser
def test_plan_pages_keep_their_look_through_the_techdocs_reader(techdocs_site: Path, browser: Browser) -> None:
    site = techdocs_site
    assert (site / "techdocs_metadata.json").is_file()  # techdocs-core ran
    one_page = (site / "one-page-plan" / "index.html").read_text(encoding="utf-8")
    assert 'href="one-page-plan.pdf"' in one_page and "onclick" not in one_page
    reader = PdfReader(site / "one-page-plan" / "one-page-plan.pdf")
    assert len(reader.pages) == 1 and reader.pages[0].mediabox.width > reader.pages[0].mediabox.height
    purify = _dompurify()
    found: dict[str, list[str]] = {}
    with serve(site) as base:
        context = browser.new_context()
        context.add_init_script(script=AXE)
        context.route(  # the theme's web fonts, which the reader keeps, are not fetched from outside
            lambda url: not url.startswith(base), lambda route: route.abort()
        )
        for portal in PORTALS:
            for width in (1400, 390):
                tab = context.new_page()
                tab.set_viewport_size({"width": width, "height": 900})
                for url in PAGES:
                    _read(tab, base, url, portal, purify)
                    problems = _serious(tab)
                    bars = tab.evaluate(BARS)
                    for bar in bars:  # each bar is drawn, its fill as long as its share, in its band's colour
                        if bar["width"] < 30 or bar["height"] < 5 or bar["border"] == "none" or not bar["painted"]:
                            problems.append(f"bar not drawn: {bar}")
                        elif abs(bar["fill"] - bar["share"] * (bar["width"] - 2)) > 1.5:
                            problems.append(f"bar's fill is not its share: {bar}")
                    if width == 390 and tab.evaluate("document.documentElement.scrollWidth > innerWidth"):
                        problems.append("the page scrolls sideways")
                    colours = {bar["band"].split()[-1]: bar["colour"] for bar in bars}
                    if len(set(colours.values())) != len(colours):
                        problems.append(f"bands share a colour: {colours}")
                    if problems:
                        found[f"{url} at {width} px in a {portal} portal"] = problems
                if width == 1400:
                    _read(tab, base, "one-page-plan/", portal, purify)
                    sheet = tab.evaluate(
                        """() => { const r = document.getElementById('techdocs').shadowRoot;
                                   const s = getComputedStyle(r.querySelector('.ns-opp'));
                                   const link = r.querySelector('a.ns-print');
                                   return [s.display, s.gridTemplateColumns.split(' ').length,
                                           link.hasAttribute('download'), link.getAttribute('href'),
                                           getComputedStyle(r.querySelector('.ns-opp-strategy')).borderTopStyle]; }"""
                    )
                    if sheet != ["grid", 2, True, "one-page-plan.pdf", "solid"]:
                        found[f"one-page-plan/ laid out in a {portal} portal"] = sheet
                tab.close()
        context.close()
    assert found == {}, json.dumps(found, indent=1, ensure_ascii=False)
