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
from mkdocs_northstar.build import Builder, Settings
from mkdocs_northstar.model import Band
from mkdocs_northstar.pages import PAGES, Renderer
from mkdocs_northstar.pages.render import _INERT
from mkdocs_northstar.pages.views import Link, Measure

from tests.conftest import ROOT

MACROS = ROOT / "plugins" / "mkdocs_northstar" / "templates" / "_macros.html.jinja"
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


BUILT_INS = {
    "a": ("link", "link_html"),
    "bar": ("measure", "bar_html"),
    "num": ("value, unit", "num_html"),
    "lineage": ("links", "lineage_with(a)"),
    "who": ("link", "who_with(a)"),
}
"""Macro name -> (its parameters, the Python built-in `_macros.html.jinja` binds it to)."""


def _documented_macro(name: str = "a") -> str:
    """The macro that the comment in _macros.html.jinja offers to users who restyle a built-in."""
    params = re.escape(BUILT_INS[name][0])
    found = re.search(rf"\{{% macro {name}\({params}\) -%\}}.*?\{{%- endmacro %\}}", _macros(), re.S)
    assert found is not None, f"the comment in _macros.html.jinja no longer shows the {name} macro"
    return found.group(0)


def _macros() -> str:
    return MACROS.read_text(encoding="utf-8")


def _both(call: str, name: str, **variables: object) -> tuple[str, str]:
    """`call` rendered with the built-in `name`, and with the documented macro in its place."""
    renderer = Renderer()
    built_in = renderer.env.from_string(f'{{% from "_macros.html.jinja" import {name} with context %}}{call}')
    macro = renderer.env.from_string("{% set a = link_html %}" * (name != "a") + _documented_macro(name) + call)
    return built_in.render(**variables), macro.render(**variables)


def _href(target: Link) -> str:
    return f"../{target.page.removesuffix('.md')}/#{target.anchor}"


def _links(link: Link) -> tuple[str, str]:
    return _both("{{ a(link) }}", "a", link=link, href=_href)


def test_built_in_link_writes_what_the_documented_macro_writes() -> None:
    for title in HOSTILE:
        for page, anchor in [("teams/sales.md", "ob-1"), ("people/x.md", 'a"b<c>'), ("", "")]:
            built_in, macro = _links(Link(title, "objective", page, anchor))
            assert built_in == macro, (title, page, anchor)
    assert _links(Link("[x](y)", "person", "people/maya.md"))[0] == (
        '<a href="../people/maya/&#35;" class="ns-link ns-person">&#91;x&#93;&#40;y&#41;</a>'
    )


@settings(max_examples=200, deadline=None)
@given(title=st.text(max_size=80), kind=st.text(max_size=12), page=st.sampled_from(["", "teams/a.md"]))
def test_built_in_link_matches_the_macro_on_any_text(title: str, kind: str, page: str) -> None:
    built_in, macro = _links(Link(title, kind, page))
    assert built_in == macro


@settings(max_examples=200, deadline=None)
@given(
    progress=st.none() | st.floats(min_value=0, max_value=2),
    band_id=st.sampled_from(["on-track", "at-risk", '"><b>']),
    label=st.sampled_from(HOSTILE) | st.text(max_size=30),
    empty=st.sampled_from(HOSTILE),
)
def test_built_in_bar_writes_what_the_documented_macro_writes(
    progress: float | None, band_id: str, label: str, empty: str
) -> None:
    band = Band.model_construct(id=band_id, label=label, min=0)  # unchecked, to try any text
    measure = None if progress is None else Measure(progress, band)
    built_in, macro = _both("{{ bar(m) }}", "bar", m=measure, labels={"no_value": empty})
    assert built_in == macro
    assert ("ns-empty" in built_in) == (measure is None)


@settings(max_examples=300, deadline=None)
@given(
    value=st.none() | st.integers(-(10**16), 10**16) | st.floats(allow_nan=False, allow_infinity=False),
    unit=st.sampled_from(["", "%", "k€", *HOSTILE]) | st.text(max_size=10),
)
def test_built_in_num_writes_what_the_documented_macro_writes(value: float | None, unit: str) -> None:
    built_in, macro = _both("{{ num(v, u) }}", "num", v=value, u=unit)
    assert built_in == macro
    assert _both("{{ num(v, u) }}", "num", v=1234567.5, u="<b>")[0] == "1,234,567.5 &lt;b&gt;"


@settings(max_examples=200, deadline=None)
@given(
    titles=st.lists(st.sampled_from(HOSTILE) | st.text(max_size=20), max_size=4),
    label=st.sampled_from(HOSTILE),
    page=st.sampled_from(["", "teams/a.md"]),
)
def test_built_in_lineage_and_who_write_what_the_documented_macros_write(
    titles: list[str], label: str, page: str
) -> None:
    links = [Link(t, "objective", page, f"o-{i}") for i, t in enumerate(titles)]
    variables = {"links": links, "labels": {"lineage": label}, "href": _href}
    built_in, macro = _both("{{ lineage(links) }}", "lineage", **variables)
    assert built_in == macro
    assert (built_in == "") == (not links)
    for link in [*links[:1], None, ""]:
        built_in, macro = _both("{{ who(link) }}", "who", link=link, href=_href)
        assert built_in == macro


def _pages_with(tmp_path: Path, macros: str) -> list[tuple[str, bytes]]:
    """The example site's pages, built with `macros` as the user's _macros.html.jinja."""
    (tmp_path / "northstar").mkdir(exist_ok=True)
    (tmp_path / "northstar" / "_macros.html.jinja").write_text(macros, encoding="utf-8")
    pages = tuple(p for p in PAGES if p not in ("changes", "archive"))
    built = Builder(ROOT / "plan").build(Settings(pages=pages, template_dirs=(tmp_path,)))
    assert built.site is not None
    assert len(built.site.pages) > 40
    return [(p.path, p.content) for p in built.site.pages]


def _with_macros(source: str, names: list[str], a: str | None = None) -> str:
    """`source` with the `set` lines of `names` replaced by the documented macros (and `a` by `a`)."""
    for name in names:
        line = f"{{% set {name} = {BUILT_INS[name][1]} %}}"
        assert source.count(line) == 1, line
        source = source.replace(line, a if name == "a" and a is not None else _documented_macro(name))
    return source


def test_overriding_macros_with_the_documented_macros_builds_the_same_pages(tmp_path: Path) -> None:
    """A user's _macros.html.jinja with the macros in place of the built-ins gives the same pages."""
    pages = tuple(p for p in PAGES if p not in ("changes", "archive"))
    built_in = Builder(ROOT / "plan").build(Settings(pages=pages))
    assert built_in.site is not None
    assert _pages_with(tmp_path, _with_macros(_macros(), list(BUILT_INS))) == [
        (p.path, p.content) for p in built_in.site.pages
    ]


def test_lineage_and_who_write_links_with_a_restyled_a(tmp_path: Path) -> None:
    """Restyling `a` alone restyles the links that the built-in lineage and who write, as the macros would."""
    restyled = '{% macro a(link) %}<i class="mine">{{ link.title }}</i>{% endmacro %}'
    only_a = _pages_with(tmp_path, _with_macros(_macros(), ["a"], restyled))
    all_macros = _pages_with(tmp_path, _with_macros(_macros(), ["a", "lineage", "who"], restyled))
    assert only_a == all_macros
    people = b"".join(content for path, content in only_a if path.startswith("people/"))
    assert b'ns-lineage-label">' in people and b'</span> <i class="mine">' in people


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
