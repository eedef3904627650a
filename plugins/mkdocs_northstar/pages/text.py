"""Plan text to safe HTML: Markdown formatting yes; raw HTML, script URLs and remote images never."""

from __future__ import annotations

from urllib.parse import urlsplit
from xml.etree.ElementTree import Element

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

SAFE_SCHEMES = frozenset({"", "http", "https", "mailto"})


class _SafeLinks(Treeprocessor):
    """Drop link targets whose scheme could run code (javascript:, data:, vbscript:...), and turn an
    image from another host into its description: loading it would tell that host who read the page."""

    def run(self, root: Element) -> None:
        for element in root.iter():
            for attribute in ("href", "src"):
                value = element.get(attribute)
                if value is None:
                    continue
                parts = urlsplit(value.strip().replace("\t", "").replace("\n", ""))
                if parts.scheme.lower() not in SAFE_SCHEMES:
                    del element.attrib[attribute]
                elif element.tag == "img" and (parts.scheme or parts.netloc):
                    alt = element.get("alt") or ""
                    element.tag, element.text = "span", f"[{alt or 'image'}]"
                    element.attrib.clear()


class _SafeLinksExtension(Extension):
    """Raw HTML and character references are text, escaped once when Markdown writes the page (so
    a code span shows `<1 h` as written); links are made safe as above."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's API name
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.inlinePatterns.deregister("entity")
        md.treeprocessors.register(_SafeLinks(md), "northstar-safe-links", 0)


class PlanText:
    """Renders the Markdown in plan text fields. One converter, reset between uses."""

    def __init__(self) -> None:
        self._md = markdown.Markdown(extensions=["sane_lists", _SafeLinksExtension()])

    def block(self, text: str) -> Markup:
        """Paragraphs, lists, emphasis and links; any HTML the author wrote shows as text."""
        if not text:
            return Markup("")
        converted = self._md.reset().convert(text)
        return Markup(converted)  # noqa: S704 - HTML in the text stays text, links sanitised above

    def inline(self, text: str) -> Markup:
        """Like `block`, without the surrounding paragraph (for titles and table cells)."""
        rendered = str(self.block(text))
        if rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
            rendered = rendered[3:-4]
        return Markup(rendered)  # noqa: S704 - see block()
