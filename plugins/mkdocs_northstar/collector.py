"""Python's cycle collector, in the two places where what it does is measured to matter.

Reading a plan allocates hundreds of thousands of small objects that all stay alive, and each
automatic collection walks every one of them again, for nothing: they are all still in use.
Loading the plan and reading its history pause it; it runs again as soon as they return. And a
one-off build lets the plan go once MkDocs holds the pages: collecting then frees its cycles
before MkDocs renders, which reuses that memory.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


def release() -> None:
    """Free what is no longer referenced now, cycles included (a one-off build's plan, after use)."""
    gc.collect()


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
