"""Plan pages that keep their look in Backstage TechDocs, whose reader keeps only the theme's stylesheet.

The TechDocs reader sanitizes every page before it shows it: it removes each `<style>` element,
each stylesheet link but Material's own `main.<hash>.min.css`, and every script and event handler.
Markup and `style` attributes survive. So in a site built with the `techdocs-core` plugin, each
plan page carries Northstar's stylesheet in its elements' style attributes (the `css-inline`
library applies the rules), with the colours of `assets/techdocs.css`, which come from the theme
variables TechDocs sets from the portal's light or dark theme. Rules a style attribute cannot hold
(a `@media` or `@page` rule, `::before`) stay in the stylesheet only: outside TechDocs they still
apply. The one-page plan links its landscape PDF (`northstar pdf --in-site`) instead of a print
button, whose script TechDocs would remove.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

import css_inline

TECHDOCS_PLUGIN = "techdocs-core"
"""The plugin a TechDocs build runs (Backstage's generator adds it when mkdocs.yml does not)."""
TECHDOCS_METADATA = "techdocs_metadata.json"
"""The file `techdocs-core` has the theme write, once it has taken itself out of the plugin list."""
TECHDOCS_CSS = Path(__file__).parent / "assets" / "techdocs.css"
_PALETTE = re.compile(r"(--ns-[a-z-]+)\s*:\s*([^;]+);")
_USE = re.compile(r"var\((--ns-[a-z-]+)\)")


def built_for_techdocs(plugins: Iterable[str], static_templates: Iterable[str]) -> bool:
    """Whether a site with these plugins and theme files is built for TechDocs: `techdocs-core` is
    listed, or (its configuration step done, which removes it from the list) has added its file."""
    return TECHDOCS_PLUGIN in plugins or TECHDOCS_METADATA in static_templates


def techdocs_stylesheet(stylesheet: str, techdocs: str) -> str:
    """`stylesheet` then `techdocs`, with every `var(--ns-...)` replaced by its TechDocs value, so a
    style attribute needs no variable that only a stylesheet would define."""
    palette = dict(_PALETTE.findall(techdocs))
    return _USE.sub(lambda use: palette.get(use.group(1), use.group(0)), f"{stylesheet}\n{techdocs}")


def techdocs_inliner(stylesheet: Path) -> Callable[[str], str]:
    """For plan pages built for TechDocs: a page's HTML with Northstar's `stylesheet` written into
    the style attributes of the elements its rules match. The page's own `<style>` elements and
    links stay as they are (outside TechDocs they still apply)."""
    css = techdocs_stylesheet(stylesheet.read_text(encoding="utf-8"), TECHDOCS_CSS.read_text(encoding="utf-8"))
    inliner = css_inline.CSSInliner(
        inline_style_tags=False,
        keep_style_tags=True,
        keep_link_tags=True,
        load_remote_stylesheets=False,
        extra_css=css,
    )
    return inliner.inline
