"""Where each generated page lives, and relative links between them."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Urls:
    """Page paths (Markdown sources, relative to docs) and the URLs MkDocs will give them."""

    prefix: str = ""
    """A folder to put every generated page under, e.g. 'plan' (empty: the site root)."""
    directory_urls: bool = True
    _relpaths: dict[tuple[str, str], str] = field(default_factory=dict, init=False, repr=False, compare=False)
    """Relative paths already worked out. It lives as long as this object (one build), so a process
    that builds many times holds nothing of an old build."""

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
        if source == target and anchor:
            return f"#{anchor}"
        here = posixpath.dirname(self.url(source)) if self.directory_urls else posixpath.dirname(source)
        there = self.url(target)
        rel = self._relpaths.get((there, here))
        if rel is None:
            rel = self._relpaths[there, here] = _relpath(there, here)
        if (self.directory_urls and there.endswith("/")) or there == "":
            rel = rel.rstrip("/") + "/" if rel != "." else "./"
        if rel.startswith("./") and rel != "./":
            rel = rel[2:]
        return f"{rel}#{anchor}" if anchor else rel


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
