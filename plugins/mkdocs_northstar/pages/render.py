"""The Jinja environment: package templates, overridable from the theme's custom_dir."""

from __future__ import annotations

import re
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from jinja2 import (
    BytecodeCache,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
    TemplateError,
    TemplateSyntaxError,
)
from jinja2.bccache import Bucket
from markupsafe import Markup

from mkdocs_northstar.check import UsageError
from mkdocs_northstar.pages.text import PlanText

_CODE_SPAN = re.compile(r"&#96;((?:(?!&#96;).)+)&#96;")

OVERRIDE_DIR = "northstar"
"""Users override `team.md.jinja` with `<custom_dir>/northstar/team.md.jinja`."""


class PageTemplateError(UsageError):
    """A page's template failed, most likely an override in the theme's custom_dir: where, and why."""

    def __init__(self, message: str, page: str = "", file: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.page, self.file, self.line = page, file, line

    @classmethod
    def of(cls, page: str, error: TemplateError) -> PageTemplateError:
        file, line = _where(error)
        where = f"{_shown(file)}:{line}: " if file else ""
        message = (
            f"{where}{error.message or type(error).__name__} (rendering {page}); fix the template "
            "(see the templates guide for what each one is given)"
        )
        return cls(message, page, file, line)


def _where(error: TemplateError) -> tuple[str | None, int | None]:
    """The template file and line where `error` happened, as Jinja reports them."""
    if isinstance(error, TemplateSyntaxError):
        return error.filename, error.lineno
    for frame in reversed(traceback.extract_tb(error.__traceback__)):  # Jinja maps its frames to template lines
        if frame.filename.endswith(".jinja"):
            return frame.filename, frame.lineno
    return None, None


def _shown(file: str) -> str:
    """`file` relative to the working folder when it is inside it: no local folders in messages."""
    path = Path(file)
    if path.is_absolute() and path.is_relative_to(Path.cwd()):
        return path.relative_to(Path.cwd()).as_posix()
    return file


class _Compiled(BytecodeCache):
    """Compiled templates, kept in memory for the life of the process: a serve rebuild reuses them
    instead of compiling every template again (0.12 s). Jinja checks each against a checksum of
    its source, so an edited override is compiled afresh. Nothing is written to disk."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _Compiled()


class Renderer:
    """Renders templates by name. Plan text goes in as data, never as template source."""

    def __init__(self, overrides: Sequence[Path] = ()) -> None:
        text = PlanText()
        loaders = [FileSystemLoader(str(d / OVERRIDE_DIR)) for d in overrides if (d / OVERRIDE_DIR).is_dir()]
        self.env = Environment(
            loader=ChoiceLoader([*loaders, PackageLoader("mkdocs_northstar", "templates")]),
            autoescape=True,
            finalize=_Inert().text,
            auto_reload=False,  # a renderer lives for one build: its templates do not change under it
            bytecode_cache=_COMPILED,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            undefined=StrictUndefined,
        )
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
    """`inert`, remembering short texts: names and titles come out again and again (a person's name
    on every row they own), so each is made inert once per renderer rather than each time."""

    def __init__(self) -> None:
        self._done: dict[str, Any] = {}

    def text(self, value: Any) -> Any:
        if type(value) is str and len(value) <= 64:  # long texts (descriptions) rarely repeat
            done = self._done.get(value)
            if done is None:
                done = self._done[value] = inert(value)
            return done
        return inert(value)


def inert(value: Any) -> Any:
    """What every `{{ value }}` writes for plain text: HTML-escaped, and Markdown's punctuation as
    character references.

    Pages are Markdown, so escaping HTML is not enough: a title of `[x](javascript:alert(1))` in a
    heading would become a live link, and `{: onclick=... }` an attribute (attr_list). Character
    references read the same in the browser and in attributes, and Markdown leaves them alone.
    Markup (what a filter or macro made) and other values are left to autoescaping.
    """
    if isinstance(value, str) and not isinstance(value, Markup):
        return Markup(value.translate(_INERT))  # noqa: S704 - every special character is replaced
    return value


def backticks(text: str) -> Markup:
    """Plain text with `code` spans (as in change descriptions), every other character inert."""
    return Markup(_CODE_SPAN.sub(r"<code>\1</code>", text.translate(_INERT)))  # noqa: S704 - inert first
