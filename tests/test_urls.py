"""Relative links between generated pages agree with posixpath on every shape of site path."""

from __future__ import annotations

import posixpath

from hypothesis import given
from hypothesis import strategies as st
from mkdocs_northstar.pages.urls import Urls, _relpath

_PART = st.sampled_from(["teams", "people", "archive", "2026-q3", "sales", "a", "index"])
_PATH = st.lists(_PART, max_size=4).map("/".join)


@given(target=_PATH, start=_PATH, slash=st.booleans())
def test_relpath_matches_posixpath(target: str, start: str, slash: bool) -> None:
    target = target + "/" if slash and target else target
    assert _relpath(target, start) == posixpath.relpath(target or ".", start or ".")


def test_links_between_pages() -> None:
    urls = Urls("plan")
    assert urls.link("plan/teams/sales.md", "plan/strategy.md", "fast-quotes") == "../../strategy/#fast-quotes"
    assert urls.link("plan/teams/index.md", "plan/teams/sales.md") == "sales/"
    assert urls.link("plan/strategy.md", "plan/strategy.md", "x") == "#x"
    flat = Urls("", directory_urls=False)
    assert flat.link("teams/sales.md", "strategy.md") == "../strategy.html"
