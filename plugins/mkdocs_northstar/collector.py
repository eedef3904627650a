"""Pausing Python's cycle collector while a plan is read.

Reading a plan allocates hundreds of thousands of small objects that all stay alive, and each
automatic collection walks every one of them again: on a plan of a thousand teams that was most
of the load time. Nothing a build makes depends on a collection running mid-way (reference
counting frees everything acyclic at once), so builds pause it and resume it after.

The plan, its views and its pages hold no reference cycles, so dropping them frees them at once;
a test keeps it so. A one-off build keeps the collector paused until then (`hold`, `release`):
a collection while the plan is alive would walk all of it for nothing.
"""

from __future__ import annotations

import gc
import re
import sys
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


_held: list[bool] = []
"""Holds one item while `hold` keeps paused a collector that was running."""


def hold() -> None:
    """Pause the collector until `release` (or `resume`) runs, past the end of any `paused` block."""
    if gc.isenabled():
        gc.disable()
        _held.append(True)


def resume() -> None:
    """End a `hold`, if one is on: the collector runs again."""
    if _held:
        _held.clear()
        gc.enable()


def release() -> None:
    """Free what a one-off build no longer needs, so that the memory goes back to the system.

    Call it once the plan is dropped. Small objects live in 1 MiB arenas, and an arena goes back to
    the system only once all of it is free. Besides the plan, two of Python's own caches keep a few
    objects made among the plan's: the type attribute cache (names looked up by attribute, such as
    those the template compiler builds) and the compiled pattern cache. A few such objects kept
    would keep most of the plan's arenas (60 MB on a thousand teams), so both are emptied here.

    Then it collects in full, which frees the few cycles left (the template environment's) and
    empties the free lists that keep freed tuples and lists for reuse. Left to itself, the
    collector skips full collections until the objects kept since the last one reach a quarter of
    what it found alive then; counted while the plan was alive, that quarter is not reached again
    while MkDocs renders, and the cycles MkDocs leaves per page pile up. Last, it ends a `hold`.
    """
    sys._clear_type_cache()
    re.purge()
    gc.collect()
    resume()
