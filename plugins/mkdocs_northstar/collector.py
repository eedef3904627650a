"""Pausing Python's cycle collector while a plan is read.

Reading a plan allocates hundreds of thousands of small objects that all stay alive, and each
automatic collection walks every one of them again, for nothing: they are all still in use.
Loading the plan and reading its history pause it; it runs again as soon as they return.
`benchmarks/run.py` measures what it saves (the `gc` row of its results).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """Run the block without automatic cycle collection; nested pauses resume only at the outermost."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
