"""The Jinja environment: package templates, overridable from the theme's custom_dir."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined, pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape

from northstar.pages.text import PlanText

_CODE_SPAN = re.compile(r"&#96;((?:(?!&#96;).)+)&#96;")

OVERRIDE_DIR = "northstar"
"""Users override `team.md.jinja` with `<custom_dir>/northstar/team.md.jinja`."""


class Renderer:
    """Renders templates by name. Plan text goes in as data, never as template source."""

    def __init__(self, overrides: Sequence[Path] = ()) -> None:
        text, inert = PlanText(), _Inert()
        loaders = [FileSystemLoader(str(d / OVERRIDE_DIR)) for d in overrides if (d / OVERRIDE_DIR).is_dir()]
        self.env = Environment(
            loader=ChoiceLoader([*loaders, PackageLoader("northstar", "templates")]),
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            undefined=StrictUndefined,
            finalize=inert.text,
        )
        self.env.globals["link_html"] = inert.link
        self.env.filters["md"] = text.block
        self.env.filters["md_inline"] = text.inline
        self.env.filters["code"] = backticks

    def render(self, name: str, **context: Any) -> str:
        return self.env.get_template(name).render(**context)


_INERT = str.maketrans(
    {
        **{c: f"&#{ord(c)};" for c in "\\`*_{}[]()#!|~"},
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&#34;",
        "'": "&#39;",
    }
)
"""HTML escaping plus Markdown's active punctuation as character references, in one pass."""


class _Inert:
    """Every `{{ value }}` that is plain text (not already Markup) comes out as inert text.

    Pages are Markdown, so escaping HTML is not enough: a title of `[x](javascript:alert(1))` in a
    heading would become a live link, and `{: onclick=... }` an attribute (attr_list). Character
    references read the same in the browser and in attributes, and Markdown leaves them alone.

    Ids, names and titles come out again and again (a person's name on every row they own), so
    each short text is made inert once per renderer: at L, 1.5 million values, 61,000 distinct,
    0.6 s of 5.7 s. Long texts (descriptions) rarely repeat and are not kept.
    """

    KEPT_UP_TO = 64
    """The longest text remembered, in characters."""

    def __init__(self) -> None:
        self._done: dict[str, Markup] = {}

    def text(self, value: Any) -> Any:
        if not isinstance(value, str) or isinstance(value, Markup):
            return value
        done = self._done.get(value)
        if done is None:
            done = Markup(value.translate(_INERT))  # noqa: S704 - every special character is replaced
            if len(value) <= self.KEPT_UP_TO:
                self._done[value] = done
        return done

    def out(self, value: Any) -> Markup:
        """What `{{ value }}` writes: the value made inert, then escaped as autoescape does."""
        return self.text(value) if type(value) is str else escape(self.text(value))

    @pass_context
    def link(self, context: Context, link: Any) -> Markup:
        """The built-in `a(link)` of `_macros.html.jinja`: a plan item's title, linked to its page.

        The very same output as the macro it replaces (kept in that file's comment for overrides),
        written in Python because it runs for every link: 200,000 times on a thousand teams, where
        the macro took a third of the rendering.
        """
        get, out = context.environment.getattr, self.out
        kind, title = out(get(link, "kind")), out(get(link, "title"))
        if get(link, "page"):
            href = out(context.resolve("href")(link))
            return Markup(f'<a href="{href}" class="ns-link ns-{kind}">{title}</a>')  # noqa: S704 - parts are inert
        return Markup(f'<span class="ns-link ns-{kind}">{title}</span>')  # noqa: S704 - parts are inert


def backticks(text: str) -> Markup:
    """Plain text with `code` spans (as in change descriptions), every other character inert."""
    return Markup(_CODE_SPAN.sub(r"<code>\1</code>", text.translate(_INERT)))  # noqa: S704 - inert first
