"""The Jinja environment: package templates, overridable from the theme's custom_dir."""

from __future__ import annotations

import re
import traceback
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
    TemplateError,
    TemplateSyntaxError,
    nodes,
    pass_context,
)
from jinja2.compiler import CodeGenerator, Frame
from jinja2.runtime import Context, Macro
from markupsafe import Markup, escape

from mkdocs_northstar.check import UsageError
from mkdocs_northstar.pages.text import PlanText

_CODE_SPAN = re.compile(r"&#96;((?:(?!&#96;).)+)&#96;")

_ABSENT = object()
"""Not a value of any template variable."""

OVERRIDE_DIR = "northstar"
"""Users override `team.md.jinja` with `<custom_dir>/northstar/team.md.jinja`."""


class PageTemplateError(UsageError):
    """A page's template failed, most likely an override in the theme's custom_dir: where, and why."""

    def __init__(self, message: str, page: str = "", file: str | None = None, line: int | None = None) -> None:
        super().__init__(message)  # the message alone: so it pickles, to come back from a worker
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


class _InertOutput(CodeGenerator):
    """Compiles `{{ value }}` to `environment.output(value)`, where Jinja writes `escape(finalize(value))`.

    With autoescape on, `_Inert.out` gives back what that would, without escaping its own Markup
    again: that only made a new Markup for each of 1.5 million outputs at L (0.35 s of 2.7 s).
    These are the two methods Jinja's code generator has for the source written around each
    output; blocks with autoescape off, or decided at run time, keep Jinja's own.
    """

    def _output_child_pre(self, node: nodes.Expr, frame: Frame, finalize: CodeGenerator._FinalizeInfo) -> None:
        if frame.eval_ctx.volatile or not frame.eval_ctx.autoescape:
            super()._output_child_pre(node, frame, finalize)
        else:
            self.write("environment.output(")

    def _output_child_post(self, node: nodes.Expr, frame: Frame, finalize: CodeGenerator._FinalizeInfo) -> None:
        if frame.eval_ctx.volatile or not frame.eval_ctx.autoescape:
            super()._output_child_post(node, frame, finalize)
        else:
            self.write(")")


class _Context(Context):
    """Every template context of a renderer: a page's own, and one per template it imports.

    Its environment lists it, so that the renderer can empty it once the page is written; and it
    calls macros and the built-ins without Jinja's general checks.
    """

    def __init__(self, environment: _Environment, *args: Any, **kwargs: Any) -> None:
        super().__init__(environment, *args, **kwargs)
        environment.contexts.append(self)
        self._built_in = environment.built_in

    def call(__self, __obj: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - Jinja's names
        """What `Context.call` does, sooner for the callables that make most calls.

        Jinja compiles every call in a template to this, and it first looks on the callable for a
        mark asking for the context (`pass_context` and its kin). A macro has none; of the
        built-ins, those that ask for the context are given it as Jinja would: this one, unless
        the loop or block the call is in set variables. At L: some 400,000 calls, 0.2 s less rendering.
        """
        takes_context = True if type(__obj) in _WITH_A else __self._built_in.get(id(__obj))
        if takes_context and (kwargs.get("_loop_vars") or kwargs.get("_block_vars")):
            return super().call(__obj, *args, **kwargs)  # Jinja gives it a context with those variables
        if takes_context is not None or type(__obj) is Macro:
            kwargs.pop("_loop_vars", None)
            kwargs.pop("_block_vars", None)
            try:
                return __obj(__self, *args, **kwargs) if takes_context else __obj(*args, **kwargs)
            except StopIteration:
                return __self.environment.undefined(
                    "value was undefined because a callable raised a StopIteration exception"
                )
        return super().call(__obj, *args, **kwargs)


class _Environment(Environment):
    code_generator_class = _InertOutput
    context_class = _Context

    def __init__(self, inert: _Inert, **options: Any) -> None:
        super().__init__(finalize=inert.text, **options)
        self.output = inert.out
        link = inert.link  # the very object `{% set a = link_html %}` binds
        built_ins = {"link_html": (link, True), "bar_html": (inert.bar, True), "num_html": (inert.num, False)}
        self.globals.update({name: f for name, (f, _) in built_ins.items()})
        self.globals["lineage_with"] = partial(_Lineage, inert, link)
        self.globals["who_with"] = partial(_Who, inert, link)
        self.built_in = {id(f): takes_context for f, takes_context in built_ins.values()}
        """id -> whether it takes the context (is `pass_context`), for the bound methods in `globals`,
        which keep them alive."""
        self.contexts: list[Context] = []
        """The contexts made since `Renderer.render` last let them go."""


class Renderer:
    """Renders templates by name. Plan text goes in as data, never as template source."""

    def __init__(self, overrides: Sequence[Path] = ()) -> None:
        text, inert = PlanText(), _Inert()
        self._inert = inert
        loaders = [FileSystemLoader(str(d / OVERRIDE_DIR)) for d in overrides if (d / OVERRIDE_DIR).is_dir()]
        self.env = _Environment(
            inert,
            loader=ChoiceLoader([*loaders, PackageLoader("mkdocs_northstar", "templates")]),
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            undefined=StrictUndefined,
        )
        self.env.filters["md"] = text.block
        self.env.filters["md_inline"] = text.inline
        self.env.filters["code"] = backticks

    def render(self, name: str, **context: Any) -> str:
        try:
            return self.env.get_template(name).render(**context)
        finally:
            self._let_go(context)

    def _let_go(self, variables: dict[str, Any]) -> None:
        """Empty the contexts that hold this page's variables, now that the page is written.

        A template context and the macros defined or imported in it refer to each other, so each
        page would leave a reference cycle holding its variables, and through them the whole plan:
        then only the cycle collector could free the plan, walking every object in it (0.45 s on
        a thousand teams), where reference counting frees it as it is dropped. Emptied, the
        contexts hold nothing of the plan. A context made without the page's variables (the one
        Jinja keeps for a template imported without context) serves later pages, and is left be.
        """
        for made in self.env.contexts:
            if any(made.parent.get(key, _ABSENT) is value for key, value in variables.items()):
                made.vars.clear()
                made.parent.clear()
        self.env.contexts.clear()

    def forget(self) -> None:
        """Drop what the renderer remembers between pages (the inert form of short texts).

        The environment is a reference cycle of its own (its templates refer back to it), so what
        it holds waits for the cycle collector; emptied here, the texts go with reference counting.
        """
        self._inert.forget()


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

    def out(self, value: Any) -> Markup:
        """What `{{ value }}` writes: plain text made inert, anything else escaped as autoescape does."""
        if isinstance(value, Markup):
            return value  # what escape() gives back, without making it again
        if isinstance(value, str):
            return self._inert(value)
        return escape(value)

    def text(self, value: Any) -> Any:
        """The finalize: plain text made inert, anything else as it is (escaped after, if at all)."""
        if not isinstance(value, str) or isinstance(value, Markup):
            return value
        return self._inert(value)

    def forget(self) -> None:
        self._done.clear()

    def _inert(self, value: str) -> Markup:
        done = self._done.get(value)
        if done is None:
            done = Markup(value.translate(_INERT))  # noqa: S704 - every special character is replaced
            if len(value) <= self.KEPT_UP_TO:
                self._done[value] = done
        return done

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

    @pass_context
    def bar(self, context: Context, measure: Any) -> Markup:
        """The built-in `bar(measure)` of `_macros.html.jinja`: progress as a bar, its percent and band.

        The very same output as the macro it replaces (kept in that file's comment), in Python for
        the same reason as `link`: 48,000 bars on a thousand teams.
        """
        get, out = context.environment.getattr, self.out
        if measure is None:
            empty = out(get(context.resolve("labels"), "no_value"))
            return Markup(f'<span class="ns-bar ns-empty">{empty}</span>')  # noqa: S704 - inert
        band = get(measure, "band")
        band_id, percent, label = out(get(band, "id")), out(get(measure, "percent")), out(get(band, "label"))
        return Markup(  # noqa: S704 - parts are inert
            f'<span class="ns-bar ns-{band_id}" role="img" aria-label="{percent}% {label}">'
            f'<span class="ns-track"><span class="ns-fill" style="width: {percent}%"></span></span>'
            f'<span class="ns-pct">{percent}%</span> <span class="ns-band">{label}</span></span>'
        )

    def num(self, value: Any, unit: Any) -> Markup:
        """The built-in `num(value, unit)` of `_macros.html.jinja`: a number with thousands separators.

        The very same output as the macro it replaces (kept in that file's comment): 45,000 numbers
        on a thousand teams.
        """
        if value is None:
            return Markup("—")
        text = self.out(f"{value:,.10g}")
        return Markup(f"{text} {self.out(unit)}") if unit else text  # noqa: S704 - parts are inert


class _WithA:
    """A built-in of `_macros.html.jinja` that writes links with the `a` that file binds to it
    (`{% set who = who_with(a) %}`): the built-in link, or a user's macro in its place."""

    def __init__(self, inert: _Inert, built_in: Callable[[Context, Any], Markup], a: Any) -> None:
        self._inert = inert
        self._built_in = built_in
        self._a = a

    def _link(self, context: Context, link: Any) -> Markup:
        """What `{{ a(link) }}` writes."""
        written: Markup = (
            self._built_in(context, link) if self._a is self._built_in else self._inert.out(context.call(self._a, link))
        )
        return written


class _Lineage(_WithA):
    """The built-in `lineage(links)`: the plan items a piece of work serves, each linked.

    The very same output as the macro it replaces (kept in that file's comment), in Python
    because it runs 25,000 times on a thousand teams, each a loop of links.
    """

    @pass_context
    def __call__(self, context: Context, links: Any) -> Markup:
        if not links:
            return Markup("")
        label = self._inert.out(context.environment.getattr(context.resolve("labels"), "lineage"))
        written = _LINEAGE_SEP.join([self._link(context, link) for link in links])
        return Markup(f'<span class="ns-lineage"><span class="ns-lineage-label">{label}:</span> {written}</span>')  # noqa: S704 - parts are inert


class _Who(_WithA):
    """The built-in `who(link)`: an owner's link, or a dash for no one (same output as its macro)."""

    @pass_context
    def __call__(self, context: Context, link: Any) -> Markup:
        return self._link(context, link) if link else Markup("—")


_LINEAGE_SEP = ' <span class="ns-sep" aria-hidden="true">\u203a</span> '
_WITH_A = (_Lineage, _Who)


def backticks(text: str) -> Markup:
    """Plain text with `code` spans (as in change descriptions), every other character inert."""
    return Markup(_CODE_SPAN.sub(r"<code>\1</code>", text.translate(_INERT)))  # noqa: S704 - inert first
