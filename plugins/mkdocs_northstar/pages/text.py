"""Plan text to safe HTML: Markdown formatting yes, raw HTML and script URLs never."""

from __future__ import annotations

import html
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

SAFE_SCHEMES = frozenset({"", "http", "https", "mailto"})


class _SafeLinks(Treeprocessor):
    """Drop link and image targets whose scheme could run code (javascript:, data:, vbscript:...)."""

    def run(self, root: Element) -> None:
        for element in root.iter():
            for attribute in ("href", "src"):
                value = element.get(attribute)
                if value is None:
                    continue
                scheme = urlsplit(value.strip().replace("\t", "").replace("\n", "")).scheme.lower()
                if scheme not in SAFE_SCHEMES:
                    del element.attrib[attribute]


class _SafeLinksExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's API name
        md.treeprocessors.register(_SafeLinks(md), "northstar-safe-links", 0)


class PlanText:
    """Renders the Markdown in plan text fields. One converter, reset between uses."""

    def __init__(self) -> None:
        self._md = markdown.Markdown(extensions=["sane_lists", _SafeLinksExtension()])

    def block(self, text: str) -> Markup:
        """Paragraphs, lists, emphasis and links; any HTML the author wrote shows as text."""
        if not text:
            return Markup("")
        converted = self._md.reset().convert(html.escape(text, quote=False))
        return Markup(converted)  # noqa: S704 - built from escaped input, links sanitised above

    def inline(self, text: str) -> Markup:
        """Like `block`, without the surrounding paragraph (for titles and table cells)."""
        rendered = str(self.block(text))
        if rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
            rendered = rendered[3:-4]
        return Markup(rendered)  # noqa: S704 - see block()
