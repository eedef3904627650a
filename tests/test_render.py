"""The templates' building blocks that are written in Python for speed write what their Jinja would."""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import Environment
from jinja2.runtime import Context
from markupsafe import Markup
from northstar.build import Builder, Settings
from northstar.pages import PAGES, Renderer
from northstar.pages.render import _INERT
from northstar.pages.views import Link

from tests.conftest import ROOT

MACROS = ROOT / "plugins" / "northstar" / "templates" / "_macros.html.jinja"
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


def _documented_macro() -> str:
    """The `a(link)` macro that the comment in _macros.html.jinja offers to users who restyle links."""
    found = re.search(r"\{% macro a\(link\) -%\}.*?\{%- endmacro %\}", MACROS.read_text(encoding="utf-8"), re.S)
    assert found is not None, "the comment in _macros.html.jinja no longer shows the a(link) macro"
    return found.group(0)


def _both(link: Link) -> tuple[str, str]:
    renderer = Renderer()
    built_in = renderer.env.from_string('{% from "_macros.html.jinja" import a with context %}{{ a(link) }}')
    macro = renderer.env.from_string(_documented_macro() + "{{ a(link) }}")

    def href(target: Link) -> str:
        return f"../{target.page.removesuffix('.md')}/#{target.anchor}"

    return built_in.render(link=link, href=href), macro.render(link=link, href=href)


def test_built_in_link_writes_what_the_documented_macro_writes() -> None:
    for title in HOSTILE:
        for page, anchor in [("teams/sales.md", "ob-1"), ("people/x.md", 'a"b<c>'), ("", "")]:
            built_in, macro = _both(Link(title, "objective", page, anchor))
            assert built_in == macro, (title, page, anchor)
    assert _both(Link("[x](y)", "person", "people/maya.md"))[0] == (
        '<a href="../people/maya/&#35;" class="ns-link ns-person">&#91;x&#93;&#40;y&#41;</a>'
    )


@settings(max_examples=200, deadline=None)
@given(title=st.text(max_size=80), kind=st.text(max_size=12), page=st.sampled_from(["", "teams/a.md"]))
def test_built_in_link_matches_the_macro_on_any_text(title: str, kind: str, page: str) -> None:
    built_in, macro = _both(Link(title, kind, page))
    assert built_in == macro


def test_overriding_macros_with_the_documented_macro_builds_the_same_pages(tmp_path: Path) -> None:
    """A user's _macros.html.jinja with the macro in place of the built-in gives the same pages."""
    source = MACROS.read_text(encoding="utf-8")
    assert source.count("{% set a = link_html %}") == 1
    (tmp_path / "northstar").mkdir()
    (tmp_path / "northstar" / "_macros.html.jinja").write_text(
        source.replace("{% set a = link_html %}", _documented_macro()), encoding="utf-8"
    )
    pages = tuple(p for p in PAGES if p not in ("changes", "archive"))
    built_in = Builder(ROOT / "plan").build(Settings(pages=pages))
    overridden = Builder(ROOT / "plan").build(Settings(pages=pages, template_dirs=(tmp_path,)))
    assert built_in.site is not None and overridden.site is not None
    assert len(built_in.site.pages) > 40
    assert [(p.path, p.content) for p in overridden.site.pages] == [(p.path, p.content) for p in built_in.site.pages]


class _Html:
    def __html__(self) -> str:
        return "<b>safe</b>"


class _Kind(StrEnum):
    LINK = "[x](y)"


def test_each_output_is_what_escaping_the_inert_value_gives() -> None:
    """`{{ value }}` is compiled without Jinja's escape() call, as the finalize returns what it would."""

    def old_finalize(value: object) -> object:
        if isinstance(value, str) and not isinstance(value, Markup):
            return Markup(value.translate(_INERT))  # noqa: S704 - the reference: every special character replaced
        return value

    reference = Environment(autoescape=True, finalize=old_finalize)
    source = "{{ v }}|{% autoescape false %}{{ v }}{% endautoescape %}|{% autoescape true %}{{ v }}{% endautoescape %}"
    values: list[object] = [
        *HOSTILE,
        Markup("<em>kept</em>"),
        _Html(),
        _Kind.LINK,
        3,
        2.5,
        None,
        date(2026, 11, 25),
        ["<a>", "[b]"],
    ]
    ours = Renderer().env.from_string(source)
    for value in values:
        assert ours.render(v=value) == reference.from_string(source).render(v=value), value
    assert Renderer().env.from_string("{{ v }}").render(v="[x](javascript:alert(1))") == (
        "&#91;x&#93;&#40;javascript:alert&#40;1&#41;&#41;"
    )


CALLS = {
    "arguments": "{% macro m(x, y=2) %}[{{ x }}{{ y }}{{ varargs }}{{ kwargs }}]{% endmacro %}"
    "{{ m(1) }}{{ m(1, y=3) }}{{ m(1, 2, 3) }}{{ m(1, z=4) }}",
    "caller": "{% macro box(n) %}<{{ caller(n) }}>{% endmacro %}{% call(v) box(5) %}in {{ v }}{% endcall %}",
    "loop": "{% macro m(x) %}({{ x }}){% endmacro %}{% for l in links %}{{ m(l.title) }}{{ link_html(l) }}{% endfor %}",
    "loop that sets": "{% for l in links %}{% set href = other %}{{ link_html(l) }}{% endfor %}",
    "block that sets": "{% block b %}{% set href = other %}{{ link_html(links[0]) }}{% endblock %}",
    "imported": '{% from "_macros.html.jinja" import lineage, who with context %}'
    "{{ lineage(links) }}{{ who(links[0]) }}",
    "nested": "{% macro inner(x) %}{{ x }}{% endmacro %}{% macro outer(x) %}{{ inner(x * 2) }}{% endmacro %}"
    "{{ outer(4) }}",
}


def test_calls_are_what_jinja_s_own_context_makes_of_them() -> None:
    """The context's shortcut for macros and the built-in link gives what Jinja's own `call` gives."""
    links = [Link("Sales", "team", "teams/sales.md"), Link("Win [big]", "objective", "teams/sales.md", "o-1")]
    variables = {
        "links": links,
        "href": lambda link: f"../{link.page}#{link.anchor}",
        "other": lambda link: "elsewhere",
        "labels": {"lineage": "Serves"},
    }
    for name, source in CALLS.items():
        ours, reference = Renderer(), Renderer()
        reference.env.context_class = Context  # Jinja's own
        assert ours.env.from_string(source).render(**variables) == reference.env.from_string(source).render(
            **variables
        ), name
    for sets in ("loop that sets", "block that sets"):
        assert "elsewhere" in Renderer().env.from_string(CALLS[sets]).render(**variables)


def test_a_macro_that_raises_stop_iteration_is_undefined_as_in_jinja() -> None:
    def stop(value: object) -> object:
        raise StopIteration

    source = "{% macro s() %}{{ 1|stop }}{% endmacro %}{{ s() is undefined }}"
    results = []
    for context_class in (None, Context):
        renderer = Renderer()
        renderer.env.filters["stop"] = stop
        if context_class is not None:
            renderer.env.context_class = context_class
        results.append(renderer.env.from_string(source).render())
    assert results == ["True", "True"]
