"""The public API is what `__all__` says, and every name in it exists."""

from __future__ import annotations

import northstar


def test_public_api() -> None:
    assert sorted(northstar.__all__) == [
        "CODES",
        "Loaded",
        "Plan",
        "Problem",
        "Report",
        "__version__",
        "check_plan",
        "load_plan",
    ]
    for name in northstar.__all__:
        assert getattr(northstar, name) is not None
