"""Plan to pages: view models, templates and the navigation tree. Knows nothing of MkDocs."""

from __future__ import annotations

from mkdocs_northstar.pages.render import Renderer
from mkdocs_northstar.pages.site import (
    PAGES,
    NavItem,
    PageSource,
    PendingPage,
    PreparedSite,
    Site,
    SiteOptions,
    Version,
    prepare_site,
    problems_page,
)
from mkdocs_northstar.pages.urls import Urls

__all__ = [
    "PAGES",
    "NavItem",
    "PageSource",
    "PendingPage",
    "PreparedSite",
    "Renderer",
    "Site",
    "SiteOptions",
    "Urls",
    "Version",
    "prepare_site",
    "problems_page",
]
