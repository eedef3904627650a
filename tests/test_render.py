"""The templates' building blocks: what the shared macros write, and that plan text stays text."""

from __future__ import annotations

import html
import re
from functools import cache
from pathlib import Path

from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import Template
from mkdocs_northstar.build import Builder, Settings
from mkdocs_northstar.model import Band
from mkdocs_northstar.pages import PAGES, Renderer
from mkdocs_northstar.pages.views import Link, Measure

from tests.conftest import ROOT

HOSTILE = [
    "Plain title",
    "[x](javascript:alert(1))",
    "<script>alert('x')</script>",
    "{: onclick=alert(1) }",
    "`code` & *stars* _under_ #hash |pipe| ~tilde~ !bang \\back",
    "\"quoted\" 'single' &amp; &#60;",
    "{{ 7*7 }} {% raw %}",
    "Ünïcödé — \u203a ·",
    "x" * 200,
    "",
]


RENDERER = Renderer()
"""One renderer for the property tests: each example renders, none changes the environment."""


@cache
def _template(call: str) -> Template:
    source = f'{{% from "_macros.html.jinja" import a, bar, num, lineage, who with context %}}{call}'
    return RENDERER.env.from_string(source)


def _render(call: str, **variables: object) -> str:
    """`call` with the shared macros imported, as every page template imports them."""
    return _template(call).render(**variables)


def _href(target: Link) -> str:
    return f"../{target.page.removesuffix('.md')}/#{target.anchor}"


def test_a_link_shows_its_title_as_text() -> None:
    assert _render("{{ a(link) }}", link=Link("[x](y)", "person", "people/maya.md"), href=_href) == (
        '<a href="../people/maya/&#35;" class="ns-link ns-person">&#91;x&#93;&#40;y&#41;</a>'
    )
    assert _render("{{ a(link) }}", link=Link("Sales", "team", ""), href=_href) == (
        '<span class="ns-link ns-team">Sales</span>'
    )


TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=80)
"""Any text a plan may hold: the loader refuses control characters (NS100)."""


@settings(max_examples=200, deadline=None)
@given(title=st.sampled_from(HOSTILE) | TEXT, page=st.sampled_from(["", "teams/a.md"]))
def test_any_title_reads_back_as_written(title: str, page: str) -> None:
    """Whatever a title holds, the browser shows exactly it, in one element, with no other markup."""
    written = _render("{{ a(link) }}", link=Link(title, "objective", page, "o-1"), href=_href)
    elements = BeautifulSoup(written, "html.parser").find_all(True)
    assert len(elements) == 1, written
    assert elements[0].get_text() == title


def test_bar_says_no_value_when_there_is_none() -> None:
    assert _render("{{ bar(m) }}", m=None, labels={"no_value": "No data <yet>"}) == (
        '<span class="ns-bar ns-empty">No data &lt;yet&gt;</span>'
    )
    band = Band(id="on-track", label="On track", min=0.7)
    written = _render("{{ bar(m) }}", m=Measure(0.75, band), labels={})
    assert 'aria-label="75% On track"' in written
    assert 'style="width: 75%"' in written


@settings(max_examples=200, deadline=None)
@given(
    value=st.integers(-(10**16), 10**16) | st.floats(allow_nan=False, allow_infinity=False),
    unit=st.sampled_from(["", "%", "k€", *HOSTILE]) | st.text(max_size=10),
)
def test_numbers_keep_their_value_and_their_unit_stays_text(value: float, unit: str) -> None:
    written = _render("{{ num(v, u) }}", v=value, u=unit)
    number, _, shown_unit = html.unescape(written).partition(" ")
    assert float(number.replace(",", "")) == float(f"{value:.10g}")
    assert shown_unit == unit if unit else written == number
    assert "<" not in written


def test_num_examples() -> None:
    assert _render("{{ num(v, u) }}", v=1234567.5, u="<b>") == "1,234,567.5 &lt;b&gt;"
    assert _render("{{ num(v, u) }}", v=None, u="k€") == "—"


def test_lineage_and_who() -> None:
    links = [Link("Sales", "team", "teams/sales.md"), Link("Win [big]", "objective", "teams/sales.md", "o-1")]
    written = _render(
        "{{ lineage(links) }}|{{ who(none) }}|{{ lineage([]) }}", links=links, href=_href, labels={"lineage": "Serves"}
    )
    assert written == (
        '<span class="ns-lineage"><span class="ns-lineage-label">Serves:</span> '
        '<a href="../teams/sales/&#35;" class="ns-link ns-team">Sales</a> '
        '<span class="ns-sep" aria-hidden="true">\u203a</span> '
        '<a href="../teams/sales/&#35;o-1" class="ns-link ns-objective">Win &#91;big&#93;</a></span>|—|'
    )


def test_plain_output_is_inert_markup_stays() -> None:
    env = Renderer().env
    assert env.from_string("{{ v }}").render(v="[x](javascript:alert(1))") == (
        "&#91;x&#93;&#40;javascript:alert&#40;1&#41;&#41;"
    )
    assert env.from_string("{{ v }}").render(v="<b>") == "&lt;b&gt;"
    assert env.from_string("{{ v }}").render(v=3) == "3"


def test_restyling_a_restyles_every_link_the_other_macros_write(tmp_path: Path) -> None:
    """A user's _macros.html.jinja that changes `a` alone changes the links `lineage` and `who` write."""
    macros = (ROOT / "plugins" / "mkdocs_northstar" / "templates" / "_macros.html.jinja").read_text(encoding="utf-8")
    original = macros[macros.index("{% macro a(link)") : macros.index("{% macro bar(")]
    restyled = '{% macro a(link) %}<i class="mine">{{ link.title }}</i>{% endmacro %}\n'
    (tmp_path / "northstar").mkdir()
    (tmp_path / "northstar" / "_macros.html.jinja").write_text(macros.replace(original, restyled), encoding="utf-8")
    pages = tuple(p for p in PAGES if p not in ("changes", "archive"))
    built = Builder(ROOT / "plan").build(Settings(pages=pages, template_dirs=(tmp_path,)))
    assert built.site is not None
    people = b"".join(p.content for p in built.site.pages if p.path.startswith("people/"))
    assert b'ns-lineage-label">' in people and b'</span> <i class="mine">' in people
    assert re.search(rb'class="ns-link ns-(?!email)', people) is None  # every plan item's link is `a`'s


def test_a_template_imported_without_context_serves_every_page(tmp_path: Path) -> None:
    """Jinja keeps the module of a template imported without context for later pages: emptying the
    contexts a page leaves must not empty that one."""
    overrides = tmp_path / "northstar"
    overrides.mkdir()
    (overrides / "_count.html.jinja").write_text(
        "{% macro count(n) %}{{ range(n)|list|length }}{% endmacro %}\n", encoding="utf-8"
    )
    (overrides / "person.md.jinja").write_text(
        '{% import "_count.html.jinja" as c %}# {{ person.person.name }}\n\nCounted {{ c.count(3) }}.\n',
        encoding="utf-8",
    )
    built = Builder(ROOT / "plan").build(Settings(pages=("people",), template_dirs=(tmp_path,)))
    assert built.site is not None
    people = [p.content.decode() for p in built.site.pages if p.path.startswith("people/") and "index" not in p.path]
    assert len(people) > 5
    assert all(page.endswith("Counted 3.\n") for page in people), people


def test_an_edited_override_is_used_by_the_next_renderer(tmp_path: Path) -> None:
    """Compiled templates outlive a renderer (a serve rebuild reuses them), but never an edit."""
    overrides = tmp_path / "northstar"
    overrides.mkdir()
    page = overrides / "_probe.md.jinja"
    for n in range(3):
        page.write_text(f"version {n}: {{{{ x }}}}\n", encoding="utf-8")
        assert Renderer((tmp_path,)).render("_probe.md.jinja", x="a<b") == f"version {n}: a&lt;b\n"
    assert Renderer((tmp_path,)).render("_probe.md.jinja", x="c") == "version 2: c\n"
