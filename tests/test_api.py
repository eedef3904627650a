"""The public API is what `__all__` says, and every name in it exists."""

from __future__ import annotations

import mkdocs_northstar


def test_public_api() -> None:
    assert sorted(mkdocs_northstar.__all__) == [
        "CODES",
        "Loaded",
        "Plan",
        "Problem",
        "Report",
        "__version__",
        "check_plan",
        "load_plan",
    ]
    for name in mkdocs_northstar.__all__:
        assert getattr(mkdocs_northstar, name) is not None
