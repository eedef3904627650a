"""Where each generated page lives, and relative links between them."""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass

ONE_PAGE_PDF = "one-page-plan.pdf"
"""The one-page plan's PDF, in the folder of the page's HTML file (`northstar pdf --in-site`)."""


def beside(url: str, name: str) -> str:
    """The site path of file `name` in the folder of the page at `url` (a directory URL or .html)."""
    folder = url if url.endswith("/") or not url else posixpath.dirname(url) + "/"
    return (folder if folder != "/" else "") + name


@dataclass(frozen=True)
class Urls:
    """Page paths (Markdown sources, relative to docs) and the URLs MkDocs will give them."""

    prefix: str = ""
    """A folder to put every generated page under, e.g. 'plan' (empty: the site root)."""
    directory_urls: bool = True

    def path(self, *parts: str) -> str:
        """The source path of a page: path('teams', 'sales') -> 'teams/sales.md'."""
        return posixpath.join(self.prefix, *parts) + ".md" if self.prefix else posixpath.join(*parts) + ".md"

    def url(self, path: str) -> str:
        """The URL MkDocs serves `path` at, relative to the site root."""
        stem = path.removesuffix(".md")
        if not self.directory_urls:
            return f"{stem}.html"
        if stem == "index" or stem.endswith("/index"):
            return stem.removesuffix("index")
        return f"{stem}/"

    def link(self, source: str, target: str, anchor: str = "") -> str:
        """A relative URL from page `source` to page `target` (both source paths), with an anchor."""
        return self.links_from(source)(target, anchor)

    def links_from(self, source: str) -> Callable[[str, str], str]:
        """`link` from the page `source`, as a function of (target, anchor).

        It remembers the URL of each page it linked to, for as long as the page is written: on a
        plan of a thousand teams, 1,500 pages link 210,000 times, but only 50,000 times to a page
        they had not linked to yet.
        """
        here = posixpath.dirname(self.url(source)) if self.directory_urls else posixpath.dirname(source)
        known: dict[str, str] = {}

        def link(target: str, anchor: str = "") -> str:
            if target == source and anchor:
                return f"#{anchor}"
            rel = known.get(target)
            if rel is None:
                rel = known[target] = self._relative(target, here)
            return f"{rel}#{anchor}" if anchor else rel

        return link

    def _relative(self, target: str, here: str) -> str:
        there = self.url(target)
        rel = _relpath(there, here)
        if (self.directory_urls and there.endswith("/")) or there == "":
            rel = rel.rstrip("/") + "/" if rel != "." else "./"
        if rel.startswith("./") and rel != "./":
            rel = rel[2:]
        return rel


def _relpath(target: str, start: str) -> str:
    """`posixpath.relpath(target or ".", start or ".")` for the site's own paths (no `.` or `..` parts).

    A plan of a thousand teams links hundreds of thousands of times between a few thousand pages:
    this skips relpath's absolute-path round trip through the working directory.
    """
    to, here = [p for p in target.split("/") if p], [p for p in start.split("/") if p]
    common = 0
    for a, b in zip(to, here, strict=False):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(here) - common) + to[common:]) or "."
